/**
 * Opening the target of verify and drill for the CLI: the lab of this
 * machine (the only target so far; a kolla/SSH target is a later driver).
 */
import type { LabSink } from "../../targets/lab/events.ts";
import { openLabTarget } from "../../targets/lab/target.ts";
import type { Target } from "../../targets/target.ts";
import { CliFailure, UsageError } from "../io.ts";

/** Target kinds the CLI can open. */
export const TARGET_KINDS = ["lab", "kolla"] as const;

/** Opens the target named on the command line. */
export function openTarget(kind: string, cloud: string | undefined, sink?: LabSink): Target {
  if (kind === "kolla") {
    throw new CliFailure(
      "the kolla (SSH) target is not implemented yet: verify and drill run against the lab (`hacloud lab up`)",
      1,
      { code: "E-TARGET-001" },
    );
  }
  if (kind !== "lab") throw new UsageError(`unknown target ${kind}; use one of: ${TARGET_KINDS.join(", ")}`);
  return openLabTarget(cloud, sink);
}
