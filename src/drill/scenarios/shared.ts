/** Probe sets and timer explanations that several scenarios share. Pure data. */
import type { UserProbe } from "../../probes/types.ts";
import type { Requirement } from "../requirements.ts";

/** What users of the API see through the load balancers. */
export const LB_WATCH: readonly UserProbe[] = ["keystone-get", "token-issue", "sql"];
/** Every control-plane probe (network-get sits out a cloud whose catalogue has no networking service). */
export const ALL_PROBES: readonly UserProbe[] = ["keystone-get", "token-issue", "sql", "rabbit"];
/** Load-balancer scenarios need a backup to move the VIP to. */
export const TWO_LOAD_BALANCERS: readonly Requirement[] = [{ kind: "vrrp", min: 2 }];

// Kolla's timers (sources in ../shared/reference/ha-anchors.md §2.2) and ours (src/plan/profile.ts).
/** kolla-default: Master_Down_Interval after a crash. */
export const K_VRRP = "3 × advert_int 1 s + skew ≈ 4 s, +1 s for a busy 2-core lab";
/** fast-failover: Master_Down_Interval after a crash. */
export const F_VRRP = "fast-failover target: ≤ 0.3 s (VRRPv3 advert 0.1 s → 3 × 0.1 s + skew)";

/** Tenant traffic: from outside to the instances' floating IPs, and from the instances out. */
export const TENANT_WATCH: readonly UserProbe[] = ["fip-icmp", "instance-upstream"];
/** Router scenarios need L3 HA routers on two network nodes: an HA router has somewhere to move. */
export const TWO_NETWORK_NODES: readonly Requirement[] = [
  { kind: "routing", routing: ["l3-ha"] },
  { kind: "group", group: "network", min: 2 },
];
/** DVR scenarios: distributed routers, SNAT kept highly available on two network nodes, two computes. */
export const DVR_CLOUD: readonly Requirement[] = [
  { kind: "routing", routing: ["dvr"] },
  { kind: "group", group: "network", min: 2 },
  { kind: "group", group: "compute", min: 2 },
];
/** DVR: the probes of what stays on the computes and what goes through the SNAT node. */
export const DVR_WATCH: readonly UserProbe[] = [
  "fip-icmp",
  "instance-upstream",
  "snat-upstream",
  "east-west",
];
/** kolla-default: neutron's L3 HA keepalived (ha_vrrp_advert_int 2, VRRPv2). */
export const K_L3 = "Master_Down = 3 × ha_vrrp_advert_int 2 s + skew ≈ 6.8 s, +2 s for GARPs and a busy lab";
/** fast-failover: ha_vrrp_advert_int 1. */
export const F_L3 = "Master_Down = 3 × ha_vrrp_advert_int 1 s + skew ≈ 3.8 s, +1 s for GARPs and a busy lab";

/** Compute drills: Masakari with Pacemaker watching two computes (somewhere to evacuate to). */
export const INSTANCE_HA: readonly Requirement[] = [
  { kind: "masakari" },
  { kind: "group", group: "compute", min: 2 },
];
/** What users of the instances see, and the Nova and Placement APIs beside them. */
export const COMPUTE_WATCH: readonly UserProbe[] = ["evacuation"];
/** kolla-default: every timer at its default. */
export const K_EVAC =
  "remote monitor 60 + 30 s, hostmonitor every 60 s, wait_period_after_service_update 180 s, then the rebuild: 330 s before the rebuild at worst (the SLA model says 390 s with a 60 s boot)";
/** fast-failover: the target. */
export const F_EVAC =
  "fast-failover target: ≤ 60 s from the host's death to every instance ACTIVE elsewhere (monitor 5 + 8 s, hostmonitor 5 s, wait 5 s, the rebuild)";
