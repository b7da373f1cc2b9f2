/**
 * The contract of a target driver (kind's Provider, os-faults' cloud
 * management driver): a name, a one-line summary, its own configuration
 * schema, a way to open the Target that verify and drill run against, and
 * the commands only that kind of target has (the lab's `up` and `down`).
 * Drivers are listed in src/targets/registry.ts.
 */
import type { z } from "zod";
import type { EventSink } from "../events.ts";
import type { Target } from "./target.ts";

/** A driver whose configuration is `C` and whose own commands are `K`. */
export interface TargetDriver<C, K = Readonly<Record<string, never>>> {
  /** What `--target` names it: "lab". */
  readonly name: string;
  /** One line for `--help` and the registry's listing. */
  readonly summary: string;
  /** The driver's own configuration, decoded strictly (an unknown key is an error). */
  readonly config: z.ZodType<C>;
  /** Opens the target; the sink receives what the target reports while it works (a repair's steps). */
  open(config: C, sink: EventSink): Target;
  /** Operations only this kind of target has; the CLI exposes them as `hacloud <name> …`. */
  readonly commands: K;
}

/** A driver that is planned but not built yet: `--target` knows it and says who builds it. */
export interface PlannedDriver {
  readonly name: string;
  readonly summary: string;
  /** The piece of work that builds it, as the operator may look it up. */
  readonly builtBy: string;
}
