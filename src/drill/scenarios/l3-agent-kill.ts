/** l3-agent-kill: the L3 agent dies on the node where the tenant's HA router is active. */
import { haRouterWorkload } from "../workloads/ha-router.ts";
import { defineScenario } from "../scenario.ts";
import { limit } from "../thresholds.ts";
import { TENANT_WATCH, TWO_NETWORK_NODES } from "./shared.ts";
import { activeRouterHost } from "./victims.ts";

/** The agent process is SIGKILLed; the router's keepalived and namespaces are not the agent. */
export const l3AgentKill = defineScenario({
  name: "l3-agent-kill",
  summary: "The L3 agent is killed (SIGKILL) on the network node where the HA router is active.",
  expectation:
    "Nothing moves: keepalived keeps the router active and forwarding; only the agent's API view goes stale until it is back (neutron: an agent restart alone does not fail over).",
  requires: TWO_NETWORK_NODES,
  breaksQuorum: false,
  workload: haRouterWorkload,
  faults: (ctx) => [{ kind: "service-kill", host: activeRouterHost(ctx), service: "neutron-l3-agent" }],
  expects: [],
  watch: TENANT_WATCH,
  hold: { minMs: 10_000, maxMs: 40_000 },
  recovery: [],
  thresholds: {
    both: [
      limit("failed", 0, "the data plane does not depend on the agent", "fip-icmp"),
      limit("failed", 0, "the data plane does not depend on the agent", "instance-upstream"),
    ],
  },
});
