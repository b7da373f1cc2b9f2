/**
 * Pass/fail limits per scenario and profile (each scenario file declares its
 * own). Two sources, the stricter wins:
 *
 * 1. The SLA. The error budget of the window, (1 − target) × window, half of
 *    it given to unplanned failures, divided by the failures expected in the
 *    window (every host failing once per MTBF, default one year). That is the
 *    most one incident may cost: 99.95 % over 30 days with 10 hosts allows
 *    0.5 × 1296 s / 0.82 ≈ 790 s; 99.999 % allows ≈ 16 s.
 * 2. The profile's own timers (docs/drills.md has the arithmetic): kolla's
 *    advert_int 1 gives Master_Down = 3 × 1 s + skew ≈ 4 s; its HAProxy
 *    `inter 2000 fall 5` marks a dead server down after ≈ 10 s. fast-failover
 *    promises the drill targets of docs/drills.md's thresholds table: LB crash
 *    ≤ 0.3 s gap, graceful keepalived stop with 0 failed requests, controller
 *    crash ≤ 1 s of errors.
 *
 * Every scenario also demands 0 acknowledged writes lost. Pure.
 */
import type { Plan } from "../plan/types.ts";
import type { ProfileName } from "../spec/schema.ts";
import type { UserProbe } from "../probes/types.ts";
import type { Metric } from "./metrics.ts";
import type { Scenario } from "./scenario.ts";

/** One limit: `measured <= max` passes (for outage_confirmed, 1 = confirmed, and `min` applies). */
export interface Threshold {
  readonly metric: Metric;
  /** The probe it applies to; drill-wide metrics have none. */
  readonly probe?: UserProbe;
  readonly max?: number;
  readonly min?: number;
  /** Where the number comes from, in words. */
  readonly why: string;
}

/** Default host MTBF when the topology gives none: one failure per host per year. */
export const DEFAULT_HOST_MTBF_H = 8760;
/** Share of the error budget given to unplanned failures (the rest: maintenance, bad deploys). */
export const UNPLANNED_SHARE = 0.5;

/** The SLA's allowance for one incident, in seconds, with the arithmetic that gave it. */
export function slaIncidentAllowance(plan: Plan): { readonly seconds: number; readonly derivation: string } {
  const windowS = plan.sla.windowDays * 86_400;
  const budgetS = (1 - plan.sla.target) * windowS;
  const mtbfH = plan.sla.rates["host"]?.mtbf_h ?? DEFAULT_HOST_MTBF_H;
  const incidents = Math.max(1, (plan.hosts.length * plan.sla.windowDays * 24) / mtbfH);
  const seconds = (UNPLANNED_SHARE * budgetS) / incidents;
  const pct = (plan.sla.target * 100).toFixed(3).replace(/\.?0+$/, "");
  return {
    seconds: Math.round(seconds * 10) / 10,
    derivation:
      `${pct}% over ${plan.sla.windowDays} d = ${budgetS.toFixed(0)} s budget; ${UNPLANNED_SHARE * 100}% for failures; ` +
      `${plan.hosts.length} hosts × ${plan.sla.windowDays * 24} h / MTBF ${mtbfH} h = ${incidents.toFixed(2)} incidents → ` +
      `${seconds.toFixed(1)} s per incident`,
  };
}

/** A limit `measured <= max` on a metric (for a probe, with per-probe metrics). */
export function limit(metric: Metric, max: number, why: string, probe?: UserProbe): Threshold {
  return { metric, max, why, probe };
}

/** The thresholds of a scenario under a profile, tightened by the SLA allowance. */
export function thresholdsFor(scenario: Scenario, profile: ProfileName, plan: Plan): Threshold[] {
  const row = scenario.thresholds;
  const own = [...(row.both ?? []), ...(row[profile] ?? [])];
  const sla = slaIncidentAllowance(plan);
  const out: Threshold[] = own.map((th) =>
    (th.metric === "downtime_s" || th.metric === "longest_gap_s") &&
    th.max !== undefined &&
    sla.seconds < th.max
      ? { ...th, max: sla.seconds, why: `SLA: ${sla.derivation}` }
      : th,
  );
  out.push({ metric: "lost_writes", probe: "sql", max: 0, why: "an acknowledged write must never be lost" });
  return out;
}

/** A threshold with what was measured. */
export interface ThresholdCheck extends Threshold {
  readonly measured: number | null;
  readonly passed: boolean;
}

/** Judges one threshold; a missing measurement fails unless the metric could not apply (vip_move_s on no move is a fail). */
export function judge(th: Threshold, measured: number | null): ThresholdCheck {
  const passed =
    measured !== null &&
    (th.max === undefined || measured <= th.max) &&
    (th.min === undefined || measured >= th.min);
  return { ...th, measured, passed };
}
