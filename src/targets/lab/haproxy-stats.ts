/**
 * HAProxy's runtime API over its stats socket (a unix socket in the load
 * balancer's run directory, reachable from the machine): `show info` for
 * liveness and `show stat` for the state of every backend server.
 */
import { createConnection } from "node:net";
import type { BackendState } from "../target.ts";

/** Sends one command to a stats socket and returns the whole answer. */
export function haproxyCommand(socketPath: string, command: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sock = createConnection({ path: socketPath });
    // After a stalled event loop the timer fires before pending socket data is read; setImmediate lets
    // that I/O through first, so a busy hacloud does not report a healthy HAProxy as silent.
    const timer = setTimeout(
      () =>
        setImmediate(() => {
          sock.destroy();
          reject(new Error(`no answer from ${socketPath} within ${timeoutMs} ms`));
        }),
      timeoutMs,
    );
    sock.on("connect", () => sock.end(`${command}\n`));
    sock.on("data", (d) => chunks.push(d));
    sock.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.on("close", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString("utf8"));
    });
  });
}

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
