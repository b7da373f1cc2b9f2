/**
 * Every target driver hacloud has, and those it plans: `--target NAME` is
 * looked up here. Adding a driver is its module plus one line in DRIVERS
 * (and, while it is planned, one entry in PLANNED_DRIVERS instead). Only
 * real drivers are registered: a planned one has no schema and no `open`,
 * so nothing can half-use it (docs/decisions.md, 2026-12-01).
 */
import { HacloudError } from "../errors.ts";
import type { EventSink } from "../events.ts";
import type { PlannedDriver, TargetDriver } from "./driver.ts";
import { labDriver } from "./lab/driver.ts";
import type { Target } from "./target.ts";

/** A registered driver with its configuration type erased: it decodes what it is given before opening. */
export interface RegisteredDriver {
  readonly name: string;
  readonly summary: string;
  /** Decodes `config` with the driver's schema (TargetConfigError when invalid), then opens the target. */
  open(config: unknown, sink: EventSink): Target;
}

/** The target's configuration does not match its driver's schema; every problem is listed, with its key. */
export class TargetConfigError extends HacloudError {
  override readonly name = "TargetConfigError";
  override readonly code = "E-TARGET-002";
}

/** Erases a driver's configuration type behind a decode-then-open. */
function register<C, K>(driver: TargetDriver<C, K>): RegisteredDriver {
  return {
    name: driver.name,
    summary: driver.summary,
    open: (config, sink) => driver.open(decodeConfig(driver, config), sink),
  };
}

/** Decodes a driver's configuration strictly, reporting every problem at once. */
export function decodeConfig<C, K>(driver: TargetDriver<C, K>, config: unknown): C {
  const r = driver.config.safeParse(config);
  if (r.success) return r.data;
  const problems = r.error.issues.map(
    (i) => `${i.path.length > 0 ? `${i.path.join(".")}: ` : ""}${i.message}`,
  );
  throw new TargetConfigError(`the ${driver.name} target's configuration is invalid: ${problems.join("; ")}`);
}

/** The drivers that exist. */
export const DRIVERS: readonly RegisteredDriver[] = [register(labDriver)];

/** Drivers that `--target` knows of but that are not built yet. */
export const PLANNED_DRIVERS: readonly PlannedDriver[] = [
  {
    name: "kolla",
    summary: "real kolla-ansible hosts over SSH",
    builtBy: 'issue 12, "The kolla target: deploy, verify and drill a real cloud over SSH"',
  },
];

/** What a `--target` name resolves to. */
export type TargetLookup =
  | { readonly found: "driver"; readonly driver: RegisteredDriver }
  | { readonly found: "planned"; readonly planned: PlannedDriver }
  | { readonly found: "unknown"; readonly names: readonly string[] };

/** Every name `--target` accepts or knows of, drivers first. */
export function targetNames(): string[] {
  return [...DRIVERS, ...PLANNED_DRIVERS].map((d) => d.name);
}

/** Resolves a `--target` name: a driver, a planned driver, or unknown with every name there is. */
export function lookupTarget(name: string): TargetLookup {
  const driver = DRIVERS.find((d) => d.name === name);
  if (driver !== undefined) return { found: "driver", driver };
  const planned = PLANNED_DRIVERS.find((d) => d.name === name);
  if (planned !== undefined) return { found: "planned", planned };
  return { found: "unknown", names: targetNames() };
}
