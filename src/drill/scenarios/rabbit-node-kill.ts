/** rabbit-node-kill: the first RabbitMQ node of the clients' list dies. */
import { defineScenario } from "../scenario.ts";
import { limit } from "../thresholds.ts";
import { quorumMembers } from "./victims.ts";

/** RabbitMQ is SIGKILLed on the node clients try first. */
export const rabbitNodeKill = defineScenario({
  name: "rabbit-node-kill",
  summary: "The first RabbitMQ node in the clients' list is killed (SIGKILL).",
  expectation: "Clients reconnect to the next node; the quorum queue elects a new leader.",
  requires: [{ kind: "quorum", group: "rabbitmq", min: 2 }],
  breaksQuorum: false,
  faults: (ctx) => [
    { kind: "service-kill", host: quorumMembers(ctx.plan, "rabbitmq")[0]!, service: "rabbitmq" },
  ],
  expects: [],
  watch: ["rabbit"],
  hold: { minMs: 10_000, maxMs: 60_000 },
  recovery: [],
  thresholds: {
    "kolla-default": [
      limit(
        "downtime_s",
        10,
        "oslo.messaging reconnects after rabbit_retry_interval 1 s; quorum queue election",
        "rabbit",
      ),
    ],
    "fast-failover": [limit("downtime_s", 5, "as kolla-default: RabbitMQ failover is client-side", "rabbit")],
  },
});
