/**
 * The VIP and VRRP observer: which load balancer holds the VIP on a link
 * that carries traffic (`ip -j addr show` on each), and each keepalived's
 * VRRP state from the record its notify script keeps. A crashed or unplugged
 * master keeps the address on a dead link and holds nothing for clients.
 */
import { VRRP_STATES, type ObserveContext, type Observer, type VipState, type VrrpState } from "./types.ts";

/** The load balancers of a Plan (kolla's `loadbalancer` group), in VRRP order. */
function loadBalancers(ctx: ObserveContext): string[] {
  return ctx.plan.vrrp.members.map((m) => m.host);
}

/** True when `ip -j addr show` output has `address` on a link whose operstate is UP. */
export function holdsOnLiveLink(ipJson: string, address: string): boolean {
  let links: { operstate?: string; addr_info?: { local?: string }[] }[];
  try {
    links = JSON.parse(ipJson || "[]") as typeof links;
  } catch {
    return false;
  }
  return links.some((l) => l.operstate === "UP" && (l.addr_info ?? []).some((a) => a.local === address));
}

/**
 * A VRRP state record ("MASTER 1234": the state and the PID of the VRRP
 * process that wrote it) read against the PID of the running VRRP process:
 * a record left by a keepalived that died is UNKNOWN.
 */
export function parseVrrpState(record: string | undefined, vrrpPid: number | undefined): VrrpState {
  const [state, pid] = (record ?? "").trim().split(/\s+/);
  if (vrrpPid === undefined || Number(pid) !== vrrpPid) return "UNKNOWN";
  return (VRRP_STATES as readonly string[]).includes(state ?? "") ? (state as VrrpState) : "UNKNOWN";
}

/** Load balancers holding `address` on a live link. */
export async function vipHolders(ctx: ObserveContext, address = ctx.vip): Promise<string[]> {
  const held = await Promise.all(
    loadBalancers(ctx).map(async (lb) => {
      const r = await ctx.access
        .exec(lb, ["ip", "-j", "addr", "show"], { timeoutMs: 10_000 })
        .catch(() => undefined);
      return r !== undefined && r.exitCode === 0 && holdsOnLiveLink(r.stdout, address) ? [lb] : [];
    }),
  );
  return held.flat().sort();
}

/** Each load balancer's VRRP state. */
export async function vrrpStates(ctx: ObserveContext): Promise<{ host: string; state: VrrpState }[]> {
  return Promise.all(
    loadBalancers(ctx).map(async (host) => {
      const statePath = ctx.locate("keepalived", host, "vrrp-state");
      const pidPath = ctx.locate("keepalived", host, "vrrp-pid");
      if (statePath === undefined || pidPath === undefined) return { host, state: "UNKNOWN" as const };
      const [record, pid] = await Promise.all([
        ctx.access.readFile(host, statePath, { container: "keepalived" }),
        ctx.access.readFile(host, pidPath, { container: "keepalived" }),
      ]);
      const n = Number.parseInt(pid ?? "", 10);
      return { host, state: parseVrrpState(record, Number.isNaN(n) ? undefined : n) };
    }),
  );
}

/** The VIP observer. */
export const vipObserver: Observer<VipState> = {
  kind: "vip",
  summary:
    "who holds the VIP on a live link (ip addr on each load balancer) and each keepalived's VRRP state",
  async collect(ctx) {
    const [holders, vrrp] = await Promise.all([vipHolders(ctx), vrrpStates(ctx)]);
    return { address: ctx.vip, holders, vrrp };
  },
};
