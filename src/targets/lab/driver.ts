/**
 * The lab as a target driver: its configuration (which lab, where its state
 * lives), how it opens as a Target, and its own commands — `lab up`, `lab
 * down`, `lab status`, `lab logs`, `lab exec` — which the CLI reaches through
 * this module. The engine stays in its files (up.ts, down.ts, …).
 */
import { z } from "zod";
import type { TargetDriver } from "../driver.ts";
import { labDown } from "./down.ts";
import { labExec, labLogs } from "./operate.ts";
import { findSavedLab, labStatus } from "./status.ts";
import { LabTarget } from "./target.ts";
import { labUp } from "./up.ts";

/** What `--target lab` is configured with. */
export const LabConfig = z.strictObject({
  /** Which lab, when several are up (default: the only one). */
  cloud: z.string().min(1).optional(),
  /** Where labs keep their state (default /var/lib/hacloud/lab; tests and benchmarks move it). */
  root: z.string().min(1).optional(),
});

/** The lab driver's decoded configuration. */
export type LabConfig = z.infer<typeof LabConfig>;

/** The lab's own operations, beyond what every target does. */
export const LAB_COMMANDS = {
  up: labUp,
  down: labDown,
  status: labStatus,
  logs: labLogs,
  exec: labExec,
} as const;

/** The lab of this machine: network namespaces and the real Debian daemons (root). */
export const labDriver = {
  name: "lab",
  summary: "this machine's lab: network namespaces and the real daemons (`hacloud lab up`)",
  config: LabConfig,
  open: (config: LabConfig, sink) => new LabTarget(findSavedLab(config.cloud, config.root), sink),
  commands: LAB_COMMANDS,
} satisfies TargetDriver<LabConfig, typeof LAB_COMMANDS>;
