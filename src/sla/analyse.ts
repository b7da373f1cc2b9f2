/**
 * The SLA analysis of a Plan: availability per user-facing service and
 * overall (structure × failover term), downtime per 30-day month, error
 * budget, single points of failure and minimal cut sets, optionally with
 * hosts failed (what-if) and with drill-measured failover downtimes.
 */
import { didYouMean } from "../diagnostics/suggest.ts";
import type { Plan } from "../plan/types.ts";
import type { ProfileName } from "../spec/schema.ts";
import { buildSlaModel } from "./catalogue.ts";
import { hostCutSets, zoneCutSets, type CutSet, type ZoneCutSet } from "./cuts.ts";
import { jointAvailability, withZones } from "./exact.ts";
import { failoverCauses, failoverUnavailability } from "./failover-term.ts";
import { MECHANISM_IDS, predictedMechanisms, type MechanismId } from "./failover.ts";
import { downtimeMinPerMonth, MINUTES_PER_MONTH, nines, steadyState } from "./kofn.ts";
import {
  applyMeasurements,
  compareScenarios,
  measurementsFor,
  type MeasuredReport,
  type ScenarioComparison,
} from "./measured.ts";
import type { Gate, SlaModel } from "./model.ts";
import { DEFAULT_RATES, failureRate, kindAvailability, resolveRates, type Rate } from "./rates.ts";
import { gateState, whatIf } from "./what-if.ts";

/** What to analyse beyond the defaults. */
export interface SlaOptions {
  /** Largest cut set searched (default 3). */
  readonly maxOrder?: number;
  /** Hosts to treat as failed (what-if). Must be hosts of the plan. */
  readonly failed?: readonly string[];
  /** Drill report whose measured failover downtimes replace the predicted ones. */
  readonly measured?: MeasuredReport;
  /** Backends a stateless API needs (k of k-of-n), default 1. */
  readonly apiMinBackends?: number;
}

/** One service's figures. */
export interface ServiceResult {
  readonly name: string;
  readonly title: string;
  /** Structure × (1 − failover term). */
  readonly availability: number;
  /** Probability that every gate holds. */
  readonly structural: number;
  /** Fraction of time lost to failovers. */
  readonly failover_unavailability: number;
  readonly nines: number;
  readonly downtime_min_per_month: number;
  /** Share of the monthly error budget this downtime uses (1 = all of it). */
  readonly budget_used: number;
  /** False when the failed hosts take it down. */
  readonly up: boolean;
  readonly reason: string;
  /** False when the exact computation was too large and a lower bound is shown. */
  readonly exact: boolean;
  readonly notes: readonly string[];
}

/** The whole cloud: every service up at once. */
export interface OverallResult {
  readonly availability: number;
  readonly structural: number;
  readonly failover_unavailability: number;
  readonly nines: number;
  readonly downtime_min_per_month: number;
  readonly budget_used: number;
  readonly up: boolean;
  readonly exact: boolean;
}

/** A host whose failure alone takes services down, and through which gate. */
export interface Spof {
  readonly host: string;
  readonly services: readonly string[];
  /** Services grouped by the gate the host's loss breaks, with that gate's state in words. */
  readonly why: readonly { readonly services: readonly string[]; readonly reason: string }[];
}

/** A failover mechanism as used: predicted, measured, and the value in force. */
export interface MechanismRow {
  readonly id: MechanismId;
  readonly title: string;
  readonly predicted_s: number;
  readonly measured_s: number | null;
  readonly used_s: number;
  readonly formula: string;
}

/** A rate in force and where it came from. */
export interface RateRow extends Rate {
  readonly kind: string;
  readonly availability: number;
  readonly source: "default" | "topology";
}

/** Everything `hacloud sla` reports. */
export interface SlaAnalysis {
  readonly cloud: string;
  readonly profile: ProfileName;
  readonly target: number;
  readonly month_days: 30;
  readonly budget_min_per_month: number;
  readonly failed: readonly string[];
  readonly services: readonly ServiceResult[];
  readonly overall: OverallResult;
  readonly spofs: readonly Spof[];
  readonly cut_sets: readonly CutSet[];
  readonly cut_sets_truncated: boolean;
  readonly zone_cut_sets: readonly ZoneCutSet[];
  readonly max_order: number;
  readonly mechanisms: readonly MechanismRow[];
  readonly rates: readonly RateRow[];
  /** Predicted versus measured per drill scenario, with --measured. */
  readonly comparison?: readonly ScenarioComparison[];
  /** Caveats about the analysis as a whole (e.g. what the drills could not measure). */
  readonly remarks: readonly string[];
}

/** Messages for names in `failed` that are not hosts of the plan (with a suggestion). */
export function unknownHosts(plan: Plan, names: readonly string[]): string[] {
  const hosts = plan.hosts.map((h) => h.name);
  return names
    .filter((n) => !hosts.includes(n))
    .map(
      (n) =>
        `unknown host \`${n}\`.${didYouMean(n, hosts) || ` Hosts: ${hosts.slice(0, 12).join(", ")}${hosts.length > 12 ? ", …" : ""}.`}`,
    );
}

/** The model with failed hosts removed from every gate (a gate still needs its k). */
export function withoutHosts(model: SlaModel, failed: ReadonlySet<string>): SlaModel {
  if (failed.size === 0) return model;
  const gates = new Map<string, Gate>();
  for (const [id, g] of model.gates) {
    gates.set(id, { ...g, members: g.members.filter((m) => m.host === undefined || !failed.has(m.host)) });
  }
  return { ...model, gates, hosts: model.hosts.filter((h) => !failed.has(h)) };
}

/** Analyses a Plan. Throws only on a programming error (unknown failed hosts: check with `unknownHosts`). */
export function analyseSla(plan: Plan, options: SlaOptions = {}): SlaAnalysis {
  const failed = [...new Set(options.failed ?? [])];
  const unknown = unknownHosts(plan, failed);
  if (unknown.length > 0) throw new Error(unknown.join("; "));
  const failedSet = new Set(failed);
  const maxOrder = options.maxOrder ?? 3;
  const model = buildSlaModel(plan, { apiMinBackends: options.apiMinBackends });
  const live = withoutHosts(model, failedSet);

  const rates = resolveRates(plan.sla.rates);
  const hostA = kindAvailability(rates, "host");
  const daemonA = (kind: string): number => kindAvailability(rates, kind);
  const zoneRate = rates.zone;
  const zoneA = zoneRate === undefined ? undefined : steadyState(zoneRate.mtbf_h, zoneRate.mttr_h);

  const lowestPriority = Math.min(...plan.vrrp.members.map((m) => m.priority), 255);
  const predicted = predictedMechanisms(plan.profile, lowestPriority, plan.databaseLoadBalancer);
  const measured = options.measured ? measurementsFor(options.measured, plan.profileName) : {};
  const mechanisms = applyMeasurements(predicted, measured);

  const evaluate = (gateIds: readonly string[]): { structural: number; failover: number; exact: boolean } => {
    const gates = [...new Set(gateIds)].map((id) => live.gates.get(id)!);
    const joint = withZones(
      live.zones,
      zoneA,
      () => hostA,
      (a) => jointAvailability(gates, a, daemonA),
    );
    const failover = failoverUnavailability(failoverCauses(gates, mechanisms, (k) => failureRate(rates, k)));
    return { structural: joint.value, failover, exact: joint.exact };
  };
  const budget = 1 - plan.sla.target;
  const figures = (structural: number, failover: number) => {
    const availability = structural * (1 - failover);
    return {
      availability,
      structural,
      failover_unavailability: failover,
      nines: nines(availability),
      downtime_min_per_month: downtimeMinPerMonth(availability),
      budget_used: budget > 0 ? (1 - availability) / budget : Infinity,
    };
  };

  const states = new Map(whatIf(model, failedSet).map((s) => [s.name, s]));
  const services: ServiceResult[] = model.services.map((s) => {
    const e = evaluate(s.gates);
    const state = states.get(s.name)!;
    return {
      name: s.name,
      title: s.title,
      ...figures(state.up ? e.structural : 0, state.up ? e.failover : 0),
      up: state.up,
      reason: state.reason,
      exact: e.exact,
      notes: s.notes,
    };
  });
  const all = evaluate(model.services.flatMap((s) => s.gates));
  const allUp = services.every((s) => s.up);
  const overall: OverallResult = {
    ...figures(allUp ? all.structural : 0, allUp ? all.failover : 0),
    up: allUp,
    exact: all.exact,
  };

  const cuts = hostCutSets(live, maxOrder);
  const spofs = spofsOf(live, cuts.cutSets);
  const usedKinds = new Set([
    "host",
    ...[...model.gates.values()].flatMap((g) => g.members.flatMap((m) => m.daemons)),
  ]);
  if (zoneRate !== undefined) usedKinds.add("zone");
  const rateRows: RateRow[] = [...usedKinds].map((kind) => {
    const r = rates[kind] ?? DEFAULT_RATES[kind] ?? { mtbf_h: Infinity, mttr_h: 0 };
    return {
      kind,
      mtbf_h: r.mtbf_h,
      mttr_h: r.mttr_h,
      availability: steadyState(r.mtbf_h, r.mttr_h),
      source: kind in plan.sla.rates ? "topology" : "default",
    };
  });
  return {
    cloud: plan.cloud,
    profile: plan.profileName,
    target: plan.sla.target,
    month_days: 30,
    budget_min_per_month: Math.round(budget * MINUTES_PER_MONTH * 1e6) / 1e6,
    failed,
    services,
    overall,
    spofs,
    cut_sets: cuts.cutSets,
    cut_sets_truncated: cuts.truncated,
    zone_cut_sets: zoneCutSets(live, maxOrder),
    max_order: maxOrder,
    mechanisms: MECHANISM_IDS.map((id) => ({
      id,
      title: predicted[id].title,
      predicted_s: predicted[id].seconds,
      measured_s: measured[id] ?? null,
      used_s: mechanisms[id].seconds,
      formula: predicted[id].formula,
    })),
    rates: rateRows,
    comparison: options.measured
      ? compareScenarios(predicted, options.measured, plan.profileName, pairOutageNote(model))
      : undefined,
    remarks:
      options.measured && plan.databaseLoadBalancer === "proxysql"
        ? [
            "The lab reaches MariaDB through HAProxy; this deployment uses ProxySQL, so the measured database failovers stand in for ProxySQL's.",
          ]
        : [],
  };
}

function pairOutageNote(model: SlaModel): string {
  const galera = model.gates.get("quorum:galera");
  if (galera === undefined) return "an outage until repair";
  const n = galera.members.length;
  return n - 2 >= galera.k
    ? `Galera keeps ${n - 2} of ${n} votes: no outage predicted`
    : `quorum lost (Galera ${n - 2} of ${n} votes, needs ${galera.k}): an outage until repair`;
}

function spofsOf(model: SlaModel, cutSets: readonly CutSet[]): Spof[] {
  return cutSets
    .filter((c) => c.hosts.length === 1)
    .map((c) => {
      const host = c.hosts[0]!;
      const failed = new Set([host]);
      const byGate = new Map<string, { services: string[]; reason: string }>();
      for (const name of c.services) {
        const svc = model.services.find((s) => s.name === name)!;
        // The first gate of the service that this host's loss breaks.
        for (const id of svc.gates) {
          const state = gateState(model.gates.get(id)!, failed);
          if (state.ok) continue;
          const entry = byGate.get(id) ?? { services: [], reason: state.text };
          entry.services.push(name);
          byGate.set(id, entry);
          break;
        }
      }
      return { host, services: c.services, why: [...byGate.values()] };
    });
}

/** Hosts whose failure alone takes a service down (cut sets of size 1), with the reason. */
export function singlePointsOfFailure(plan: Plan): Spof[] {
  const model = buildSlaModel(plan);
  return spofsOf(model, hostCutSets(model, 1).cutSets);
}

/** Minimal sets of at most `maxOrder` hosts whose joint failure takes a service down, smallest first. */
export function minimalCutSets(plan: Plan, maxOrder = 3): CutSet[] {
  return [...hostCutSets(buildSlaModel(plan), maxOrder).cutSets];
}
