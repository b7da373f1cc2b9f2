/** controller-crash: the controller behind the active MariaDB backend loses power. */
import { defineScenario } from "../scenario.ts";
import { limit } from "../thresholds.ts";
import { ALL_PROBES } from "./shared.ts";
import { activeDatabaseHost } from "./victims.ts";

const FAST = "fast-failover target: ≤ 1 s of errors";

/** The active database controller crashes while Keystone holds pooled DB connections to it. */
export const controllerCrash = defineScenario({
  name: "controller-crash",
  summary:
    "The controller behind the active MariaDB backend loses power, with Keystone holding pooled DB connections.",
  expectation:
    "HAProxy marks its servers down after fall × inter; pooled DB connections hang unless sessions are shut down on mark-down.",
  requires: [{ kind: "quorum", group: "galera", min: 2 }],
  breaksQuorum: false,
  faults: (ctx) => [{ kind: "host-crash", host: activeDatabaseHost(ctx) }],
  expects: [],
  watch: ALL_PROBES,
  hold: { minMs: 15_000, maxMs: 100_000 },
  recovery: [],
  thresholds: {
    "kolla-default": [
      limit(
        "downtime_s",
        25,
        "HAProxy marks a crashed server down after inter 2 s + 5 checks × connect min(timeout connect, inter) 2 s + 4 × inter 2 s = 20 s, + margin",
        "keystone-get",
      ),
      limit(
        "longest_request_s",
        15,
        "a request should not outlive the mark-down (pooled DB connections may hang longer)",
        "token-issue",
      ),
      limit("longest_request_s", 15, "as for tokens", "sql"),
    ],
    "fast-failover": [
      limit("downtime_s", 1, FAST, "keystone-get"),
      limit("downtime_s", 1, FAST, "token-issue"),
      limit("downtime_s", 1, FAST, "sql"),
      limit(
        "longest_request_s",
        10,
        "Galera evs.inactive_timeout 6 s blocks commits until the dead node is evicted, + margin",
        "sql",
      ),
    ],
  },
});
