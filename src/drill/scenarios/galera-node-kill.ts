/** galera-node-kill: mariadbd dies behind the active MariaDB backend. */
import { defineScenario } from "../scenario.ts";
import { limit } from "../thresholds.ts";
import { activeDatabaseHost } from "./victims.ts";

/** mariadbd is SIGKILLed on the active database controller; the host stays up. */
export const galeraNodeKill = defineScenario({
  name: "galera-node-kill",
  summary: "mariadbd behind the active MariaDB backend is killed (SIGKILL); the host stays up.",
  expectation: "Connections are reset at once; HAProxy fails over to a backup server after fall × inter.",
  requires: [{ kind: "quorum", group: "galera", min: 2 }],
  breaksQuorum: false,
  faults: (ctx) => [{ kind: "service-kill", host: activeDatabaseHost(ctx), service: "mariadb" }],
  expects: [],
  watch: ["token-issue", "sql"],
  hold: { minMs: 12_000, maxMs: 80_000 },
  recovery: [],
  thresholds: {
    "kolla-default": [
      limit("downtime_s", 15, "HAProxy inter 2 s × fall 5 = 10 s, + margin", "sql"),
      limit(
        "longest_request_s",
        15,
        "connections are reset by the dying process; nothing should hang",
        "token-issue",
      ),
    ],
    "fast-failover": [
      limit("downtime_s", 2, "fastinter 0.2 s × fall 2, + sessions shut down on mark-down", "sql"),
      limit("longest_request_s", 5, "nothing should hang once sessions are shut down", "token-issue"),
    ],
  },
});
