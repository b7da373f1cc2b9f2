/** compute-link-cut: the compute running the instances loses its management link but keeps running. */
import { DRILL_FLAVOR, DRILL_IMAGE } from "../../targets/target.ts";
import { defineScenario } from "../scenario.ts";
import { limit } from "../thresholds.ts";
import { instancesWorkload } from "../workloads/instances.ts";
import { COMPUTE_WATCH, F_EVAC, INSTANCE_HA, K_EVAC } from "./shared.ts";
import { workloadCompute } from "./victims.ts";

/**
 * Masakari cannot tell this from a crash: kolla disables STONITH, so nothing stops the isolated
 * host. The drill passes when it saw the evacuation; its note says the host ran throughout (HA510).
 */
export const computeLinkCut = defineScenario({
  name: "compute-link-cut",
  summary:
    "The compute host running the workload's instances loses its management link; the host keeps running.",
  expectation:
    "Pacemaker loses the remote node and Masakari evacuates as after a crash, while the isolated host's nova-compute keeps running: with shared storage both copies would write the same disks (nothing fences the host: HA510).",
  requires: INSTANCE_HA,
  breaksQuorum: false,
  workload: instancesWorkload(DRILL_IMAGE, DRILL_FLAVOR),
  faults: (ctx) => [{ kind: "link-cut", host: workloadCompute(ctx), network: ctx.plan.apiNetwork }],
  expects: [{ kind: "instances-evacuated" }],
  watch: COMPUTE_WATCH,
  hold: { minMs: 10_000, maxMs: 600_000 },
  recovery: ["instance-ha-reset"],
  thresholds: {
    both: [limit("instances_not_evacuated", 0, "Masakari evacuates an unreachable compute as a dead one")],
    "kolla-default": [limit("evacuation_s", 420, K_EVAC)],
    "fast-failover": [limit("evacuation_s", 60, F_EVAC)],
  },
});
