/** snat-host-crash: with DVR, the network node where the router's SNAT is active loses power. */
import { dvrRouterWorkload } from "../workloads/ha-router.ts";
import { defineScenario } from "../scenario.ts";
import { limit } from "../thresholds.ts";
import { DVR_CLOUD, F_L3, K_L3 } from "./shared.ts";
import { activeRouterHost } from "./victims.ts";

const ON_COMPUTES = "DVR routes floating IPs and between subnets on the computes, not on the SNAT node";

/** The dvr_snat node holding the SNAT crashes: only what leaves through SNAT must notice. */
export const snatHostCrash = defineScenario({
  name: "snat-host-crash",
  summary: "With DVR, the network node where the distributed router's SNAT is active loses power.",
  expectation:
    "Instances without a floating IP lose their way out until the other dvr_snat node's keepalived takes the SNAT addresses after Master_Down_Interval; floating IPs and east-west traffic, routed on the computes, do not notice.",
  requires: DVR_CLOUD,
  breaksQuorum: false,
  workload: dvrRouterWorkload,
  faults: (ctx) => [{ kind: "host-crash", host: activeRouterHost(ctx) }],
  expects: [{ kind: "router-moves" }],
  watch: ["snat-upstream"],
  hold: { minMs: 12_000, maxMs: 90_000 },
  recovery: [],
  thresholds: {
    both: [
      limit("failed", 0, ON_COMPUTES, "fip-icmp"),
      limit("failed", 0, ON_COMPUTES, "instance-upstream"),
      limit("failed", 0, ON_COMPUTES, "east-west"),
    ],
    "kolla-default": [limit("longest_gap_s", 9, K_L3, "snat-upstream"), limit("router_move_s", 9, K_L3)],
    "fast-failover": [limit("longest_gap_s", 5, F_L3, "snat-upstream"), limit("router_move_s", 5, F_L3)],
  },
});
