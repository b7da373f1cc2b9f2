/**
 * The metrics a threshold can bound, each with how it is computed from
 * what a drill measured. A registry rather than a switch: a new metric (a
 * router's move time, instances evacuated) is one entry here, and the
 * runner, the reports and the thresholds pick it up by name. Pure.
 */
import type { ProbeSample, UserProbe } from "../probes/types.ts";
import type { EvacuationTimeline } from "./evacuation.ts";
import { moveSeconds, type Move } from "./moves.ts";
import type { ProbeResult } from "./result.ts";
import type { Phases } from "./stats.ts";

/** Everything a drill measured, as the metrics read it. */
export interface Measurements {
  readonly phases: Phases;
  readonly probes: readonly ProbeResult[];
  readonly samples: readonly ProbeSample[];
  readonly moves: readonly Move[];
  /** Acknowledged SQL writes missing afterwards (null: not checked). */
  readonly lostWrites: number | null;
  /** Seconds until the watched probes were back to baseline (null: nothing watched). */
  readonly recoveryS: number | null;
  /** The hosts the drill's faults hit. */
  readonly faultHosts: readonly string[];
  /** The instance-HA timeline, in a drill whose workload booted instances on a compute. */
  readonly evacuation?: EvacuationTimeline;
}

/** One metric: what it means and how it is read from the measurements. */
export interface MetricDefinition {
  /** One line for docs and reports. */
  readonly doc: string;
  /** The value, or null when the drill did not measure it (a threshold on it then fails). */
  measure(m: Measurements, probe?: UserProbe): number | null;
}

const stat =
  (key: "longestGapS" | "downtimeS" | "failed" | "longestRequestS") =>
  (m: Measurements, probe?: UserProbe): number | null =>
    m.probes.find((p) => p.name === probe)?.stats[key] ?? null;

/** Every metric by name (the names are part of the JSON report and the docs). */
export const METRICS = {
  longest_gap_s: { doc: "longest time without a successful answer", measure: stat("longestGapS") },
  downtime_s: { doc: "first error's start to last error's end", measure: stat("downtimeS") },
  failed: { doc: "failed requests", measure: stat("failed") },
  longest_request_s: { doc: "the slowest single request", measure: stat("longestRequestS") },
  lost_writes: { doc: "acknowledged SQL writes missing afterwards", measure: (m) => m.lostWrites },
  vip_move_s: {
    doc: "seconds from the fault until another load balancer held the VIP",
    measure: (m) => moveSeconds(m.moves, "vip"),
  },
  router_move_s: {
    doc: "seconds from the fault until the HA router was active on another network node (its addresses in the router's namespace)",
    measure: (m) => moveSeconds(m.moves, "router"),
  },
  router_api_move_s: {
    doc: "seconds from the fault until Neutron's API first reported the HA router active on another network node (router-api; the dead one may still be listed)",
    measure: (m) => moveSeconds(m.moves, "router-api"),
  },
  failed_beside_fault: {
    doc: "failed requests on paths that touch none of the hosts the faults hit (tenant probes, labelled by instance host)",
    measure: (m, probe) => {
      const mine = m.samples.filter((x) => x.probe === probe && x.target !== undefined);
      if (mine.length === 0) return null;
      return mine.filter((x) => !x.ok && !x.target!.split(">").some((h) => m.faultHosts.includes(h))).length;
    },
  },
  recovery_s: { doc: "seconds until the watched probes were back to baseline", measure: (m) => m.recoveryS },
  evacuation_s: {
    doc: "seconds from the fault until every instance of the drill's compute was ACTIVE on another host (Nova's API)",
    measure: (m) => m.evacuation?.allActiveElsewhereS ?? null,
  },
  instances_not_evacuated: {
    doc: "instances of the drill's compute not ACTIVE on another host at the end of the drill",
    measure: (m) => m.evacuation?.notEvacuated ?? null,
  },
  instances_moved: {
    doc: "instances of the drill's compute that became ACTIVE on another host",
    measure: (m) =>
      m.evacuation === undefined ? null : m.evacuation.instances.filter((i) => i.to !== null).length,
  },
  masakari_notifications: {
    doc: "1 when Masakari received a notification about the drill's compute after the fault, else 0",
    measure: (m) => (m.evacuation === undefined ? null : m.evacuation.notificationS === null ? 0 : 1),
  },
  remote_offline_s: {
    doc: "seconds from the fault until Pacemaker counted the drill's compute (its pacemaker_remote) offline",
    measure: (m) => m.evacuation?.remoteOfflineS ?? null,
  },
  outage_confirmed: {
    doc: "1 when the probe failed while the fault held, else 0",
    measure: (m, probe) =>
      m.samples.some((x) => x.probe === probe && x.t >= m.phases.faultAt && x.t < m.phases.undoAt && !x.ok)
        ? 1
        : 0,
  },
} as const satisfies Record<string, MetricDefinition>;

/** A metric a threshold bounds. */
export type Metric = keyof typeof METRICS;

/** The value of a metric for a drill (and a probe, for per-probe metrics). */
export function measure(metric: Metric, m: Measurements, probe?: UserProbe): number | null {
  const def: MetricDefinition = METRICS[metric];
  return def.measure(m, probe);
}
