/** lb-master-link-cut: the VIP holder's API-network cable is pulled. */
import { defineScenario } from "../scenario.ts";
import { limit } from "../thresholds.ts";
import { F_VRRP, K_VRRP, LB_WATCH, TWO_LOAD_BALANCERS } from "./shared.ts";
import { vipHolder } from "./victims.ts";

/** The VIP holder loses its API network; its processes keep running. */
export const lbMasterLinkCut = defineScenario({
  name: "lb-master-link-cut",
  summary: "The VIP holder's cable on the API network is pulled; its processes keep running.",
  expectation:
    "The backup takes the VIP like after a crash; the isolated master keeps it on a dead link (harmless).",
  requires: TWO_LOAD_BALANCERS,
  breaksQuorum: false,
  faults: (ctx) => [{ kind: "link-cut", host: vipHolder(ctx), network: ctx.plan.apiNetwork }],
  expects: [{ kind: "vip-moves" }],
  watch: LB_WATCH,
  hold: { minMs: 8_000, maxMs: 40_000 },
  recovery: [],
  thresholds: {
    "kolla-default": [limit("longest_gap_s", 5, K_VRRP, "keystone-get"), limit("vip_move_s", 5, K_VRRP)],
    "fast-failover": [
      limit("longest_gap_s", 0.5, "VRRPv3 Master_Down ≈ 0.3 s + GARP", "keystone-get"),
      limit("vip_move_s", 0.5, F_VRRP),
    ],
  },
});
