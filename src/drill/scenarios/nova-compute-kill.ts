/** nova-compute-kill: nova-compute dies on the instances' compute; the host and pacemaker_remote live. */
import { DRILL_FLAVOR, DRILL_IMAGE } from "../../targets/target.ts";
import { defineScenario } from "../scenario.ts";
import { limit } from "../thresholds.ts";
import { instancesWorkload } from "../workloads/instances.ts";
import { INSTANCE_HA } from "./shared.ts";
import { workloadCompute } from "./victims.ts";

const NO_MONITOR =
  "kolla deploys no process monitor (masakari-processmonitor): with the host and pacemaker_remote alive, nothing tells Masakari";

/** The service dies, the host lives: Nova counts it down after service_down_time, nothing is evacuated. */
export const novaComputeKill = defineScenario({
  name: "nova-compute-kill",
  summary: "nova-compute is killed on the compute running the workload's instances; the host stays up.",
  expectation:
    "Nova counts the compute down after service_down_time; Pacemaker still sees the remote node, so the hostmonitor sends nothing and no instance moves (kolla runs no process monitor).",
  requires: INSTANCE_HA,
  breaksQuorum: false,
  workload: instancesWorkload(DRILL_IMAGE, DRILL_FLAVOR),
  faults: (ctx) => [{ kind: "service-kill", host: workloadCompute(ctx), service: "nova-compute" }],
  expects: [],
  watch: [],
  // longer than kolla-default's service_down_time (60 s) and a hostmonitor cycle (60 s)
  hold: { minMs: 75_000, maxMs: 75_000 },
  recovery: ["restart-stopped", "instance-ha-reset"],
  thresholds: {
    both: [limit("instances_moved", 0, NO_MONITOR), limit("masakari_notifications", 0, NO_MONITOR)],
  },
});
