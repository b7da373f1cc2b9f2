/** lb-master-crash: the load balancer holding the VIP loses power. */
import { defineScenario } from "../scenario.ts";
import { limit } from "../thresholds.ts";
import { F_VRRP, K_VRRP, LB_WATCH, TWO_LOAD_BALANCERS } from "./shared.ts";
import { vipHolder } from "./victims.ts";

/** The VIP holder crashes: every process killed, its cables pulled. */
export const lbMasterCrash = defineScenario({
  name: "lb-master-crash",
  summary: "The load balancer holding the VIP loses power: every process killed, its cables pulled.",
  expectation:
    "The backup stops hearing adverts and takes the VIP after Master_Down_Interval; requests in flight fail.",
  requires: TWO_LOAD_BALANCERS,
  breaksQuorum: false,
  faults: (ctx) => [{ kind: "host-crash", host: vipHolder(ctx) }],
  expects: [{ kind: "vip-moves" }],
  watch: LB_WATCH,
  hold: { minMs: 8_000, maxMs: 40_000 },
  recovery: [],
  thresholds: {
    "kolla-default": [limit("longest_gap_s", 5, K_VRRP, "keystone-get"), limit("vip_move_s", 5, K_VRRP)],
    "fast-failover": [limit("longest_gap_s", 0.3, F_VRRP, "keystone-get"), limit("vip_move_s", 0.5, F_VRRP)],
  },
});
