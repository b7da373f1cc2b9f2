/**
 * Opening the target of verify and drill for the CLI: the lab of this
 * machine (the only target so far; a kolla/SSH target is a later driver),
 * with the engine's operator errors turned into CliFailures.
 */
import { LabError } from "../../targets/lab/errors.ts";
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
    );
  }
  if (kind !== "lab") throw new UsageError(`unknown target ${kind}; use one of: ${TARGET_KINDS.join(", ")}`);
  try {
    return openLabTarget(cloud, sink);
  } catch (e) {
    if (e instanceof LabError) throw new CliFailure(`${e.message}${e.hint ? `\nhint: ${e.hint}` : ""}`);
    throw e;
  }
}
