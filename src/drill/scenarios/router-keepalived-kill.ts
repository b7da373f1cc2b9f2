/** router-keepalived-kill: the keepalived of the tenant's HA router dies on the active node. */
import { haRouterWorkload } from "../workloads/ha-router.ts";
import { defineScenario } from "../scenario.ts";
import { limit } from "../thresholds.ts";
import { F_L3, K_L3, TENANT_WATCH, TWO_NETWORK_NODES } from "./shared.ts";
import { activeRouterHost, workloadRouter } from "./victims.ts";

/** SIGKILL to the router's keepalived: no more adverts, but its addresses stay where they were. */
export const routerKeepalivedKill = defineScenario({
  name: "router-keepalived-kill",
  summary: "The keepalived of the tenant's HA router is killed (SIGKILL) on the active network node.",
  expectation:
    "The standby takes over after Master_Down_Interval and sends gratuitous ARPs; the killed node keeps the addresses until the L3 agent's process monitor respawns keepalived, which comes back as backup.",
  requires: TWO_NETWORK_NODES,
  breaksQuorum: false,
  workload: haRouterWorkload,
  faults: (ctx) => {
    const router = workloadRouter(ctx);
    return [
      {
        kind: "process-kill",
        host: activeRouterHost(ctx),
        service: "neutron-l3-agent",
        match: [`ha_confs/${router}/keepalived.conf`],
        label: `keepalived of router ${router.slice(0, 8)}`,
      },
    ];
  },
  expects: [],
  watch: TENANT_WATCH,
  hold: { minMs: 12_000, maxMs: 90_000 },
  recovery: [],
  thresholds: {
    "kolla-default": [limit("longest_gap_s", 9, K_L3, "fip-icmp")],
    "fast-failover": [limit("longest_gap_s", 5, F_L3, "fip-icmp")],
  },
});
