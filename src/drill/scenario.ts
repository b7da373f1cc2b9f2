/**
 * What a drill scenario is: plain data plus one function that picks the
 * victims. A scenario declares what the cloud must have for it to make
 * sense, an optional workload to create before the fault, its faults, what
 * it expects to see, the recovery actions to run after the undo (by name:
 * the target knows how), and its pass/fail limits. The runner interprets
 * none of it by scenario name, so a new scenario is one file in
 * src/drill/scenarios/ and one line in src/drill/scenarios.ts.
 */
import { HacloudError } from "../errors.ts";
import type { Plan } from "../plan/types.ts";
import type { UserProbe } from "../probes/types.ts";
import type { ProfileName } from "../spec/schema.ts";
import type { Fault } from "../targets/fault.ts";
import type { ProbeEndpoints, RecoveryAction, Target, TargetState } from "../targets/target.ts";
import type { Expectation } from "./expectations.ts";
import type { Requirement } from "./requirements.ts";
import type { Threshold } from "./thresholds.ts";

/** What a scenario needs to choose its victims. */
export interface ScenarioContext {
  readonly plan: Plan;
  readonly state: TargetState;
  /** What the scenario's workload made, by name (e.g. `router` → its id); absent without a workload. */
  readonly workload?: Readonly<Record<string, string>>;
}

/** What a workload left on the cloud, and how to take it away again. */
export interface WorkloadHandle {
  /** Facts the faults and reports may use (e.g. `router` → its id, `master` → the host). */
  readonly facts: Readonly<Record<string, string>>;
  /** Where the probes of what it made go (instances' floating IPs): merged into the target's endpoints. */
  readonly probes?: Partial<ProbeEndpoints>;
  /** What the set-up saw or waited for that the report should say. */
  readonly notes?: readonly string[];
  /** Removes what `setUp` made; runs after the drill whatever happened, so it must be idempotent. */
  tearDown(signal?: AbortSignal): Promise<void>;
  /** Present when the next drill with the same workload may use it again instead of a new one. */
  readonly reuse?: WorkloadReuse;
}

/** How a workload outlives its drill (src/drill/workload-keeper.ts decides when it may). */
export interface WorkloadReuse {
  /**
   * Hosts where it has what a fault destroys (the processes of plugged instances): a drill whose
   * faults touched one of them ends the workload, and the next drill sets up a new one.
   */
  readonly hosts: readonly string[];
  /** Checks it works again after a drill and returns it with its facts as they are now; throws when it does not. */
  refresh(signal?: AbortSignal): Promise<WorkloadHandle>;
}

/** Something a scenario creates before the fault so that the fault hits it (an HA router, instances). */
export interface Workload {
  /** One phrase for the log: "an HA router with a port on each network". */
  readonly description: string;
  /** Creates the workload on a healthy cloud; throws when it cannot. */
  setUp(target: Target, signal?: AbortSignal): Promise<WorkloadHandle>;
}

/** A scenario's limits: for both profiles, and per profile (the two are combined). */
export type ScenarioThresholds = Partial<Record<ProfileName | "both", readonly Threshold[]>>;

/** One scenario. */
export interface Scenario<N extends string = string> {
  readonly name: N;
  /** One sentence: what breaks. */
  readonly summary: string;
  /** What users should see, in words (docs and reports). */
  readonly expectation: string;
  /** What the Plan must have; the drill does not start (and says why) when one is missing. */
  readonly requires: readonly Requirement[];
  /** The scenario takes a quorum group below its majority on purpose. */
  readonly breaksQuorum: boolean;
  /** Created before the fault and removed after the drill, even when it failed. */
  readonly workload?: Workload;
  /** The faults to inject, chosen from the live state; throws ScenarioError when the cloud cannot run it. */
  faults(ctx: ScenarioContext): readonly Fault[];
  /** What must be seen while the fault holds (the hold ends when all of it is, and the probes recovered). */
  readonly expects: readonly Expectation[];
  /** Probes whose recovery ends the observation (others are still measured). */
  readonly watch: readonly UserProbe[];
  /** How long the fault is held: at least `minMs`, then until the expectations are met, at most `maxMs`. */
  readonly hold: { readonly minMs: number; readonly maxMs: number };
  /** Run by the target after the undo, in order (e.g. "galera-recovery" after a quorum loss). */
  readonly recovery: readonly RecoveryAction[];
  /** Pass/fail limits; every scenario also gets the SLA's tightening and "no lost write". */
  readonly thresholds: ScenarioThresholds;
}

/** Declares a scenario, keeping its name as a literal type for the registry. */
export function defineScenario<const N extends string>(s: Scenario<N>): Scenario<N> {
  return s;
}

/** The cloud cannot run this scenario (e.g. no VIP holder, a single controller). */
export class ScenarioError extends HacloudError {
  override readonly name = "ScenarioError";
  override readonly code = "E-DRILL-001";
}
