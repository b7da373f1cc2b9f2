/** dvr-compute-crash: with DVR, a compute host with an instance loses power. */
import { dvrRouterWorkload } from "../workloads/ha-router.ts";
import { defineScenario } from "../scenario.ts";
import { limit } from "../thresholds.ts";
import { DVR_CLOUD } from "./shared.ts";
import { lastInstanceCompute } from "./victims.ts";

const ELSEWHERE =
  "DVR: each compute routes for its own instances, so one compute's death is no other instance's outage";

/** A compute that routes for its own instances dies: its instances are cut off, nobody else's. */
export const dvrComputeCrash = defineScenario({
  name: "dvr-compute-crash",
  summary:
    "With DVR, a compute host with an instance loses power (its router namespaces, fip namespace and OVS with it).",
  expectation:
    "The dead compute's instance is unreachable, by its floating IP and from the other subnet; the other compute's instances keep their floating IPs, their SNAT way out and routing among themselves. Without Nova and Masakari nothing brings the instance back until the host does.",
  requires: DVR_CLOUD,
  breaksQuorum: false,
  workload: dvrRouterWorkload,
  faults: (ctx) => [{ kind: "host-crash", host: lastInstanceCompute(ctx) }],
  expects: [],
  // the survivors' way out; the dead compute's paths come back only with the host
  watch: ["snat-upstream"],
  hold: { minMs: 15_000, maxMs: 60_000 },
  // a compute watched by Masakari: what Pacemaker and Masakari keep after its crash is cleared
  recovery: ["instance-ha-reset"],
  thresholds: {
    both: [
      limit("failed_beside_fault", 0, ELSEWHERE, "fip-icmp"),
      limit("failed_beside_fault", 0, ELSEWHERE, "instance-upstream"),
      // the lab's DVR SNAT drops a few pings now and then without any fault (16 in one baseline):
      // the claim is that the survivor's way out never stops, which a gap bound says
      limit("longest_gap_s", 2, `${ELSEWHERE}; no stop longer than 2 s`, "snat-upstream"),
      {
        metric: "outage_confirmed",
        min: 1,
        why: "the routed path to the dead compute's instance is cut: the fault hit",
        probe: "east-west",
      },
    ],
  },
});
