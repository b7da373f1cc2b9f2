/** controller-pair-crash: two of three controllers lose power; every quorum is lost on purpose. */
import { defineScenario, ScenarioError } from "../scenario.ts";
import { limit } from "../thresholds.ts";
import { activeDatabaseHost, quorumMembers } from "./victims.ts";

/** The active database controller and one more crash at once: an expected outage, then recovery. */
export const controllerPairCrash = defineScenario({
  name: "controller-pair-crash",
  summary: "Two of three controllers lose power at once: Galera and RabbitMQ lose their majority.",
  expectation:
    "An outage of everything that writes (SQL, tokens, RabbitMQ); the survivor refuses writes rather than split. " +
    "After the hosts return, Galera is bootstrapped from the node with the highest seqno.",
  requires: [{ kind: "quorum", group: "galera", min: 3 }],
  breaksQuorum: true,
  faults: (ctx) => {
    const first = activeDatabaseHost(ctx);
    const second = quorumMembers(ctx.plan, "galera").find((m) => m !== first);
    if (second === undefined) throw new ScenarioError("needs three controllers");
    return [
      { kind: "host-crash", host: first },
      { kind: "host-crash", host: second },
    ];
  },
  expects: [{ kind: "outage-confirmed" }],
  watch: ["sql"],
  hold: { minMs: 15_000, maxMs: 30_000 },
  // As `kolla-ansible mariadb-recovery` after a full-cluster outage.
  recovery: ["galera-recovery"],
  thresholds: {
    both: [
      {
        metric: "outage_confirmed",
        min: 1,
        why: "losing 2 of 3 Galera nodes must stop writes (no split brain)",
        probe: "sql",
      },
      limit("recovery_s", 300, "mariadb-recovery brings the cluster back within 5 min"),
    ],
  },
});
