/**
 * Opening the target of verify and drill for the CLI: `--target NAME` is
 * looked up in the driver registry (src/targets/registry.ts) and opened with
 * the configuration the flags give. An unknown name is a usage error with a
 * "did you mean"; a planned driver says what builds it.
 */
import { didYouMean } from "../../diagnostics/suggest.ts";
import type { EventSink } from "../../events.ts";
import { DRIVERS, lookupTarget, PLANNED_DRIVERS } from "../../targets/registry.ts";
import type { Target } from "../../targets/target.ts";
import { CliFailure, UsageError } from "../io.ts";

/** The help text of `--target`: the drivers, then the planned ones. */
export function targetOptionHelp(): string {
  const built = DRIVERS.map((d) => d.name).join(", ");
  const planned = PLANNED_DRIVERS.map((d) => d.name).join(", ");
  return planned === "" ? built : `${built} (not built yet: ${planned})`;
}

/** Opens the target named on the command line; `config` is what the flags say (`--cloud` → `cloud`). */
export function openTarget(name: string, config: Readonly<Record<string, unknown>>, sink: EventSink): Target {
  const r = lookupTarget(name);
  switch (r.found) {
    case "driver":
      return r.driver.open(config, sink);
    case "planned":
      throw new CliFailure(
        `${name}: not built yet (${r.planned.summary}); ${r.planned.builtBy} builds it`,
        1,
        {
          code: "E-TARGET-001",
          hint: "verify and drill run against the lab today: `hacloud lab up`, then `--target lab`",
        },
      );
    case "unknown":
      throw new UsageError(
        `unknown target ${name}; targets: ${r.names.join(", ")}.${didYouMean(name, r.names)}`,
      );
  }
}
