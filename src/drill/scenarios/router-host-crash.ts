/** router-host-crash: the network node where the tenant's HA router is active loses power. */
import { haRouterWorkload } from "../workloads/ha-router.ts";
import { defineScenario } from "../scenario.ts";
import { limit } from "../thresholds.ts";
import { F_L3, K_L3, TENANT_WATCH, TWO_NETWORK_NODES } from "./shared.ts";
import { activeRouterHost } from "./victims.ts";

/** The active router's network node crashes: every process killed, its cables pulled. */
export const routerHostCrash = defineScenario({
  name: "router-host-crash",
  summary: "The network node where the tenant's HA router is active loses power.",
  expectation:
    "The other node's keepalived stops hearing adverts over the HA network and takes the router's addresses after Master_Down_Interval; tenant traffic is lost until then.",
  requires: TWO_NETWORK_NODES,
  breaksQuorum: false,
  workload: haRouterWorkload,
  faults: (ctx) => [{ kind: "host-crash", host: activeRouterHost(ctx) }],
  expects: [{ kind: "router-moves" }],
  watch: TENANT_WATCH,
  hold: { minMs: 12_000, maxMs: 90_000 },
  recovery: [],
  thresholds: {
    "kolla-default": [limit("longest_gap_s", 9, K_L3, "fip-icmp"), limit("router_move_s", 9, K_L3)],
    "fast-failover": [limit("longest_gap_s", 5, F_L3, "fip-icmp"), limit("router_move_s", 5, F_L3)],
  },
});
