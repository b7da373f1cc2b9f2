/**
 * The HAProxy backends observer: every backend server as each load
 * balancer's HAProxy sees it, from `show stat` on its stats socket.
 */
import type { BackendState, Observer } from "./types.ts";

/** Backend servers from `show stat` CSV (FRONTEND/BACKEND summary rows and stats/status proxies skipped). */
export function parseShowStat(lb: string, csv: string): BackendState[] {
  const lines = csv.split("\n").filter((l) => l.trim() !== "");
  const header = lines[0]?.replace(/^# /, "").split(",") ?? [];
  const col = (name: string): number => header.indexOf(name);
  const [px, sv, st, bck, scur] = [col("pxname"), col("svname"), col("status"), col("bck"), col("scur")];
  const out: BackendState[] = [];
  for (const l of lines.slice(1)) {
    const f = l.split(",");
    const server = f[sv] ?? "";
    if (server === "FRONTEND" || server === "BACKEND") continue;
    const proxy = (f[px] ?? "").replace(/_back$/, "");
    if (proxy === "stats" || proxy === "status") continue;
    out.push({
      lb,
      proxy,
      server,
      status: f[st] ?? "",
      backup: f[bck] === "1",
      sessions: Number(f[scur] ?? 0) || 0,
    });
  }
  return out;
}

/** Every backend server on every load balancer whose HAProxy answers, and the ones that did not. */
export interface BackendsObservation {
  readonly states: readonly BackendState[];
  /** One line per load balancer whose stats socket did not answer. */
  readonly errors: readonly string[];
}

/** The HAProxy backends observer. */
export const backendsObserver: Observer<BackendsObservation> = {
  kind: "backends",
  summary: "every HAProxy backend server's state, from `show stat` on each load balancer's stats socket",
  async collect(ctx) {
    const states: BackendState[] = [];
    const errors: string[] = [];
    await Promise.all(
      ctx.plan.vrrp.members.map(async ({ host: lb }) => {
        const socket = ctx.locate("haproxy", lb, "stats-socket");
        if (socket === undefined || !ctx.running("haproxy", lb)) {
          errors.push(`haproxy on ${lb}: not running`);
          return;
        }
        try {
          const csv = await ctx.access.unixSocket(lb, socket, "show stat\n", {
            container: "haproxy",
            timeoutMs: 10_000,
          });
          states.push(...parseShowStat(lb, csv));
        } catch (e) {
          errors.push(`haproxy on ${lb}: ${(e as Error).message}`);
        }
      }),
    );
    states.sort((a, b) => `${a.lb}${a.proxy}${a.server}`.localeCompare(`${b.lb}${b.proxy}${b.server}`));
    return { states, errors: errors.sort() };
  },
};
