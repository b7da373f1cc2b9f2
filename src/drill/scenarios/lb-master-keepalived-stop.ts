/** lb-master-keepalived-stop: keepalived on the VIP holder stops gracefully. */
import { defineScenario } from "../scenario.ts";
import { limit } from "../thresholds.ts";
import { LB_WATCH, TWO_LOAD_BALANCERS } from "./shared.ts";
import { vipHolder } from "./victims.ts";

const NO_LOSS = "fast-failover target: a graceful stop loses no request";

/** keepalived is stopped with SIGTERM on the VIP holder, as during maintenance. */
export const lbMasterKeepalivedStop = defineScenario({
  name: "lb-master-keepalived-stop",
  summary: "keepalived on the VIP holder is stopped gracefully (SIGTERM), as during maintenance.",
  expectation: "keepalived sends a priority-0 advert and drops the VIP; the backup takes over at once.",
  requires: TWO_LOAD_BALANCERS,
  breaksQuorum: false,
  faults: (ctx) => [{ kind: "service-stop", host: vipHolder(ctx), service: "keepalived" }],
  expects: [{ kind: "vip-moves" }],
  watch: LB_WATCH,
  hold: { minMs: 6_000, maxMs: 30_000 },
  recovery: [],
  thresholds: {
    "kolla-default": [
      limit(
        "longest_gap_s",
        2,
        "priority-0 advert: the backup takes over after its skew time (< 1 s)",
        "keystone-get",
      ),
      limit("vip_move_s", 2, "priority-0 advert → skew time"),
    ],
    "fast-failover": [
      limit("failed", 0, NO_LOSS, "keystone-get"),
      limit("failed", 0, NO_LOSS, "token-issue"),
      limit("failed", 0, NO_LOSS, "sql"),
      limit("vip_move_s", 0.5, "priority-0 advert → skew time at advert 0.1 s"),
    ],
  },
});
