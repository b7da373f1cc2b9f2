/**
 * Safety rules a drill checks before breaking anything: only the lab without
 * an explicit flag, and no quorum group taken below its majority unless the
 * scenario says so. Pure.
 */
import type { Plan, QuorumGroup } from "../plan/types.ts";
import type { Fault } from "../targets/fault.ts";
import type { TargetKind, TargetState } from "../targets/target.ts";

/** The flag that lets drills run against something other than the lab. */
export const PRODUCTION_FLAG = "--i-know-this-is-production";

/** Why a drill may not run on this target, or undefined when it may. */
export function targetRefusal(kind: TargetKind, allowProduction: boolean): string | undefined {
  if (kind === "lab" || allowProduction) return undefined;
  return `drills break things on purpose; the target is ${kind}, not the lab. Add ${PRODUCTION_FLAG} if you mean it.`;
}

/** The service that carries a quorum group's vote on a host. */
const QUORUM_SERVICE: Readonly<Record<QuorumGroup["name"], string>> = {
  galera: "mariadb",
  rabbitmq: "rabbitmq",
  pacemaker: "pacemaker",
  etcd: "etcd",
};

/** Members a fault takes out of a group. */
function lostBy(fault: Fault, group: QuorumGroup, apiNetwork: string): string[] {
  switch (fault.kind) {
    case "host-crash":
    case "host-restart":
      return group.members.includes(fault.host) ? [fault.host] : [];
    case "link-cut":
      return fault.network === apiNetwork && group.members.includes(fault.host) ? [fault.host] : [];
    case "service-stop":
    case "service-kill":
    case "service-freeze":
      return fault.service === QUORUM_SERVICE[group.name] && group.members.includes(fault.host)
        ? [fault.host]
        : [];
    case "process-kill":
      // a process the service forked, not the service: no member leaves its group
      return [];
    case "partition": {
      // The side with fewer of the group's members loses them.
      const [a, b] = fault.sides.map((side) => group.members.filter((m) => side.includes(m)));
      return a!.length <= b!.length ? a! : b!;
    }
  }
}

/** A quorum group that the faults would take below its majority. */
export interface QuorumBreach {
  readonly group: QuorumGroup["name"];
  readonly lost: readonly string[];
  readonly remaining: number;
  readonly majority: number;
}

/** Quorum groups that the faults, on top of what is already down, would break. */
export function quorumBreaches(plan: Plan, faults: readonly Fault[], state?: TargetState): QuorumBreach[] {
  const out: QuorumBreach[] = [];
  for (const g of plan.quorum) {
    const lost = new Set<string>();
    for (const f of faults) for (const h of lostBy(f, g, plan.apiNetwork)) lost.add(h);
    if (state !== undefined) {
      const svc = QUORUM_SERVICE[g.name];
      for (const m of g.members) {
        const host = state.hosts.find((h) => h.name === m);
        const s = state.services.find((x) => x.host === m && x.service === svc);
        if (host?.up === false || (s !== undefined && !s.running)) lost.add(m);
      }
    }
    const remaining = g.members.length - lost.size;
    if (lost.size > 0 && remaining < g.majority) {
      out.push({ group: g.name, lost: [...lost].sort(), remaining, majority: g.majority });
    }
  }
  return out;
}
