/**
 * What a drill produced: per-probe statistics, the threshold checks, and the
 * timeline the HTML report plots. Plain data, rendered by src/drill/report/.
 */
import type { EvacuationTimeline } from "./evacuation.ts";
import type { ProfileName } from "../spec/schema.ts";
import type { ProbeSample, UserProbe } from "../probes/types.ts";
import type { BackendState, GaleraNodeState } from "../targets/target.ts";
import type { HolderSample, Move } from "./moves.ts";
import type { Phases, ProbeStats } from "./stats.ts";
import type { ThresholdCheck } from "./thresholds.ts";

/** One probe's outcome in one drill. */
export interface ProbeResult {
  readonly name: UserProbe;
  readonly stats: ProbeStats;
  /** SQL probe: acknowledged writes missing afterwards (null when they could not be checked). */
  readonly lostWrites?: number | null;
  readonly checkedWrites?: number;
  /** Tenant probes: the same statistics per path (the instance hosts it runs between). */
  readonly targets?: readonly TargetStats[];
}

/** One path of a tenant probe: its instance hosts ("cn01", "cn01>cn02") and what it lost. */
export interface TargetStats {
  readonly target: string;
  readonly total: number;
  readonly failed: number;
  readonly longestGapS: number;
}

/** Something that happened during a drill, for the timeline and the log. */
export interface DrillEvent {
  readonly t: number;
  readonly label: string;
}

/** Samples for the HTML timeline. */
export interface Timeline {
  readonly samples: readonly ProbeSample[];
  readonly vip: readonly HolderSample[];
  readonly backends: readonly { readonly t: number; readonly states: readonly BackendState[] }[];
  readonly galera: readonly { readonly t: number; readonly nodes: readonly GaleraNodeState[] }[];
  readonly events: readonly DrillEvent[];
}

/** One drill. */
export interface DrillResult {
  /** The scenario's name (a registered one for `hacloud drill`). */
  readonly scenario: string;
  readonly profile: ProfileName;
  readonly target: string;
  readonly startedAt: string;
  /** All thresholds held (false also when the drill could not run). */
  readonly passed: boolean;
  /** Why the drill did not run or did not finish. */
  readonly error?: string;
  readonly faults: readonly string[];
  readonly phases?: Phases;
  /** Seconds from the fault until the watched probes were back to baseline. */
  readonly recoveryS: number | null;
  /** Seconds from the undo until the target was healthy again. */
  readonly healthyAfterS: number | null;
  /** Where each tracked thing was when the fault came ("vip" → the load balancer; null: not one holder). */
  readonly placedBefore: Readonly<Record<string, string | null>>;
  /** Every move of a tracked thing after the fault, in order (the VIP to the backup, and back). */
  readonly moves: readonly Move[];
  readonly probes: readonly ProbeResult[];
  readonly checks: readonly ThresholdCheck[];
  /** A compute drill's instance-HA timeline (src/drill/evacuation.ts). */
  readonly evacuation?: EvacuationTimeline;
  readonly notes: readonly string[];
  readonly timeline?: Timeline;
}

/** A run of one or more drills. */
export interface DrillRun {
  readonly target: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly drills: readonly DrillResult[];
}
