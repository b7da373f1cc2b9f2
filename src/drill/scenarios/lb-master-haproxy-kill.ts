/** lb-master-haproxy-kill: HAProxy dies on the VIP holder, keepalived lives. */
import { defineScenario } from "../scenario.ts";
import { limit } from "../thresholds.ts";
import { LB_WATCH, TWO_LOAD_BALANCERS } from "./shared.ts";
import { vipHolder } from "./victims.ts";

/** HAProxy is SIGKILLed on the VIP holder; only keepalived's track script can move the VIP. */
export const lbMasterHaproxyKill = defineScenario({
  name: "lb-master-haproxy-kill",
  summary: "HAProxy on the VIP holder is killed (SIGKILL); keepalived keeps running.",
  expectation:
    "keepalived's check_alive track script fails and the VIP moves; until then connections are refused.",
  requires: TWO_LOAD_BALANCERS,
  breaksQuorum: false,
  faults: (ctx) => [{ kind: "service-kill", host: vipHolder(ctx), service: "haproxy" }],
  expects: [{ kind: "vip-moves" }],
  watch: LB_WATCH,
  hold: { minMs: 8_000, maxMs: 40_000 },
  recovery: [],
  thresholds: {
    "kolla-default": [
      limit(
        "longest_gap_s",
        8,
        "track script interval 2 s × fall 2 = 4 s, + Master_Down ≈ 1 s skew, + margin",
        "keystone-get",
      ),
      limit("vip_move_s", 8, "track script interval 2 s × fall 2 + skew"),
    ],
    "fast-failover": [
      limit(
        "longest_gap_s",
        2,
        "track script interval 1 s × fall 1 + skew 0.1 s, + a check in flight",
        "keystone-get",
      ),
      limit("vip_move_s", 2, "track script interval 1 s × fall 1 + skew"),
    ],
  },
});
