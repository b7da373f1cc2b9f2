/**
 * The L3 HA routers observer, from the ground truth on each L3 agent's host
 * (what neutron's own tests read): the state neutron-keepalived-state-change
 * writes to `$state_path/ha_confs/<router>/state` (primary, backup, fault),
 * and whether the router's namespace holds its addresses beyond the HA
 * port's (what keepalived sets as VIPs on the master): `qrouter-<id>`, or for
 * a distributed router `snat-<id>`, where DVR keeps the HA part. The
 * addresses decide where it is active (they are what forwards); the state
 * file is neutron's record, compared with them. The API's view
 * (`l3-agent-list-hosting-router`'s ha_state) lags behind this and, in Zed,
 * can show two actives (LP#1837635); verify reads it separately.
 */
import type { ObserveContext, Observer, RouterInstanceState, RoutersState } from "./types.ts";

/**
 * One shell pass over a host: every router's state file, the addresses in its namespace, and
 * whether its keepalived VRRP process is alive (neutron's pid file
 * `<ha_confs>/<router>.pid.keepalived-vrrp`, checked against /proc so a reused pid does not count).
 */
const SCAN = String.raw`
for d in "$0"/*/; do
  [ -d "$d" ] || continue
  r=$(basename "$d")
  s=$(cat "$d/state" 2>/dev/null || echo unknown)
  # a distributed router's VRRP addresses live in its SNAT namespace on the dvr_snat nodes
  ns="qrouter-$r"; [ -e "/run/netns/snat-$r" ] && ns="snat-$r"
  v=$(ip netns exec "$ns" ip -o -4 addr show 2>/dev/null | awk '$2 !~ /^(lo|ha-)/ {print $4}' | tr '\n' ',')
  k=dead
  p=$(cat "$0/$r.pid.keepalived-vrrp" 2>/dev/null)
  [ -n "$p" ] && tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -q keepalived && k=alive
  echo "$r $s $k $v"
done
`;

/** Parses SCAN's lines: router id, state, keepalived alive or dead, the addresses held outside the HA port. */
export function parseRouterScan(host: string, out: string): RouterInstanceState[] {
  return out
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 3 && f[0] !== "")
    .map(([router, state, keepalived, vips]) => ({
      router: router!,
      host,
      state:
        state === "primary" || state === "master"
          ? "primary"
          : state === "backup"
            ? "backup"
            : state === "fault"
              ? "fault"
              : "unknown",
      keepalived: keepalived === "alive",
      vips: (vips ?? "").split(",").filter((v) => v !== ""),
    }));
}

/** Hosts of the L3 agent, in the Plan's order. */
function l3Hosts(ctx: ObserveContext): readonly string[] {
  return ctx.plan.services.find((s) => s.name === "neutron-l3-agent")?.hosts ?? [];
}

/** The routers observer. */
export const routersObserver: Observer<RoutersState> = {
  kind: "routers",
  summary:
    "each HA router's state on every L3 agent host (ha_confs state files, the VIPs in its qrouter namespace)",
  async collect(ctx) {
    const per = await Promise.all(
      l3Hosts(ctx).map(async (host) => {
        const dir = ctx.locate("neutron-l3-agent", host, "ha-confs");
        if (dir === undefined || !ctx.running("neutron-l3-agent", host)) return [];
        const r = await ctx.access
          .exec(host, ["sh", "-c", SCAN, dir], { timeoutMs: 10_000 })
          .catch(() => undefined);
        return r === undefined || r.exitCode !== 0 ? [] : parseRouterScan(host, r.stdout);
      }),
    );
    return { instances: per.flat() };
  },
};

/**
 * The hosts where a router is active by the ground truth: its namespace holds the router's
 * addresses, which keepalived puts only on its master, and that keepalived runs (a killed one
 * leaves its addresses behind until neutron respawns it, serving nothing). The state file is
 * neutron's record of it, written by neutron-keepalived-state-change; where the two disagree,
 * `stateDisagreements` says so.
 */
export function activeHosts(state: RoutersState, router: string): string[] {
  return state.instances
    .filter((i) => i.router === router && i.vips.length > 0 && i.keepalived)
    .map((i) => i.host)
    .sort();
}

/**
 * Hosts whose state file contradicts what they do: active while the file says it is not primary
 * (neutron and its API missed a transition), or primary while not active (a transition half done,
 * or a keepalived that died). Sentences for reports.
 */
export function stateDisagreements(state: RoutersState, router: string): string[] {
  return state.instances
    .filter((i) => i.router === router)
    .flatMap((i) => {
      const active = i.vips.length > 0 && i.keepalived;
      if (active === (i.state === "primary")) return [];
      if (active) return [`${i.host} holds the router's addresses but its state file says ${i.state}`];
      return [
        i.keepalived
          ? `${i.host}'s state file says primary but it holds none of the router's addresses`
          : `${i.host}'s state file says primary but the router's keepalived is not running there`,
      ];
    });
}
