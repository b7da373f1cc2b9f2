/** compute-host-crash: the compute running the workload's instances loses power. */
import { DRILL_FLAVOR, DRILL_IMAGE } from "../../targets/target.ts";
import { defineScenario } from "../scenario.ts";
import { limit } from "../thresholds.ts";
import { instancesWorkload } from "../workloads/instances.ts";
import { COMPUTE_WATCH, F_EVAC, INSTANCE_HA, K_EVAC } from "./shared.ts";
import { workloadCompute } from "./victims.ts";

const NONE_LOST = "every instance of the dead compute must be running elsewhere: none lost";

/** The instances' compute crashes: its pacemaker_remote and nova-compute with it, its cables pulled. */
export const computeHostCrash = defineScenario({
  name: "compute-host-crash",
  summary: "The compute host running the workload's instances loses power.",
  expectation:
    "Pacemaker loses the remote node, the hostmonitor tells Masakari, Masakari disables nova-compute, waits, and evacuates: every instance is rebuilt ACTIVE on the other compute.",
  requires: INSTANCE_HA,
  breaksQuorum: false,
  workload: instancesWorkload(DRILL_IMAGE, DRILL_FLAVOR),
  faults: (ctx) => [{ kind: "host-crash", host: workloadCompute(ctx) }],
  expects: [{ kind: "instances-evacuated" }],
  watch: COMPUTE_WATCH,
  hold: { minMs: 10_000, maxMs: 600_000 },
  recovery: ["instance-ha-reset"],
  thresholds: {
    both: [limit("instances_not_evacuated", 0, NONE_LOST)],
    "kolla-default": [limit("evacuation_s", 420, K_EVAC)],
    "fast-failover": [limit("evacuation_s", 60, F_EVAC)],
  },
});
