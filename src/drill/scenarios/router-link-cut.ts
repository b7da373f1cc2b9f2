/** router-link-cut: the tenant link of the active router's network node, which carries VRRP, is cut. */
import { haRouterWorkload } from "../workloads/ha-router.ts";
import { defineScenario } from "../scenario.ts";
import { limit } from "../thresholds.ts";
import { F_L3, K_L3, TENANT_WATCH, TWO_NETWORK_NODES } from "./shared.ts";
import { activeRouterHost } from "./victims.ts";

/** The active node keeps running but loses its tunnels: the HA network and the tenant traffic with them. */
export const routerLinkCut = defineScenario({
  name: "router-link-cut",
  summary: "The tenant (tunnel) link of the network node where the HA router is active is cut.",
  expectation:
    "The other node stops hearing adverts and becomes active too (each side sees only itself); traffic follows the reachable one after Master_Down_Interval, and one steps down once the link is back.",
  requires: TWO_NETWORK_NODES,
  breaksQuorum: false,
  workload: haRouterWorkload,
  faults: (ctx) => [{ kind: "link-cut", host: activeRouterHost(ctx), network: "tenant" }],
  expects: [],
  watch: TENANT_WATCH,
  hold: { minMs: 15_000, maxMs: 90_000 },
  recovery: [],
  thresholds: {
    "kolla-default": [limit("longest_gap_s", 9, K_L3, "fip-icmp")],
    "fast-failover": [limit("longest_gap_s", 5, F_L3, "fip-icmp")],
  },
});
