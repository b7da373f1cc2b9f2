/**
 * What a scenario needs from the Plan before it may start: enough load
 * balancers sharing the VIP, a quorum group of some size, hosts in an
 * inventory group, a profile. Checked before anything is touched, each unmet
 * one a sentence for the report. Pure.
 */
import type { NeutronPlan, Plan, QuorumGroup } from "../plan/types.ts";
import type { ProfileName } from "../spec/schema.ts";

/** One thing the Plan must have. */
export type Requirement =
  /** At least `min` load balancers in the VRRP instance of the VIP. */
  | { readonly kind: "vrrp"; readonly min: number }
  /** A quorum group (Galera, RabbitMQ…) of at least `min` members. */
  | { readonly kind: "quorum"; readonly group: QuorumGroup["name"]; readonly min: number }
  /** At least `min` hosts in a kolla inventory group (control, network, compute…). */
  | { readonly kind: "group"; readonly group: string; readonly min: number }
  /** The cloud runs one of these profiles. */
  | { readonly kind: "profile"; readonly profiles: readonly ProfileName[] }
  /** Neutron routes the way the scenario breaks (L3 HA routers, or DVR). */
  | { readonly kind: "routing"; readonly routing: readonly NeutronPlan["routing"][] }
  /** Masakari instance HA with kolla's hacluster (Pacemaker watching the computes). */
  | { readonly kind: "masakari" };

const TITLES: Readonly<Record<QuorumGroup["name"], string>> = {
  galera: "Galera",
  rabbitmq: "RabbitMQ",
  pacemaker: "Pacemaker",
  etcd: "etcd",
};

/** Why the Plan does not meet a requirement, or undefined when it does. */
export function unmet(plan: Plan, r: Requirement): string | undefined {
  switch (r.kind) {
    case "vrrp":
      return plan.vrrp.members.length >= r.min
        ? undefined
        : `needs ${r.min} load balancers sharing the VIP, the Plan has ${plan.vrrp.members.length}`;
    case "quorum": {
      const n = plan.quorum.find((q) => q.name === r.group)?.members.length ?? 0;
      return n >= r.min ? undefined : `needs a ${TITLES[r.group]} cluster of at least ${r.min} nodes`;
    }
    case "group": {
      const n = plan.groups[r.group]?.length ?? 0;
      return n >= r.min ? undefined : `needs ${r.min} hosts in the ${r.group} group, the Plan has ${n}`;
    }
    case "profile":
      return r.profiles.includes(plan.profileName)
        ? undefined
        : `runs only under the ${r.profiles.join(" or ")} profile, the cloud runs ${plan.profileName}`;
    case "routing":
      return r.routing.includes(plan.neutron.routing)
        ? undefined
        : `needs neutron routing ${r.routing.join(" or ")}, the cloud routes ${plan.neutron.routing}`;
    case "masakari":
      return plan.masakari.enabled && plan.masakari.hacluster
        ? undefined
        : "needs Masakari instance HA with hacluster (enable_masakari), the Plan has none";
  }
}

/** Every unmet requirement, one sentence each (empty: the scenario may run). */
export function unmetRequirements(plan: Plan, requires: readonly Requirement[]): string[] {
  return requires.flatMap((r) => unmet(plan, r) ?? []);
}
