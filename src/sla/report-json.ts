/**
 * The SLA analysis as JSON data for `hacloud sla --json`: a fixed core that
 * scripts read ({services:[{name, availability, up, reason}],
 * overall:{availability, downtime_min_per_month}, spofs:[host],
 * cut_sets:[[host]]}) plus details. Fields are only ever added. Infinite values (a certain service's nines)
 * become null.
 */
import type { SlaAnalysis } from "./analyse.ts";

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The JSON document of an analysis. */
export function slaJson(a: SlaAnalysis): object {
  return {
    cloud: a.cloud,
    profile: a.profile,
    target: a.target,
    month_days: a.month_days,
    budget_min_per_month: a.budget_min_per_month,
    failed: a.failed,
    services: a.services.map((s) => ({
      name: s.name,
      title: s.title,
      availability: s.availability,
      up: s.up,
      reason: s.reason,
      nines: finite(s.nines),
      downtime_min_per_month: s.downtime_min_per_month,
      budget_used: finite(s.budget_used),
      structural: s.structural,
      failover_unavailability: s.failover_unavailability,
      exact: s.exact,
      notes: s.notes,
    })),
    overall: {
      availability: a.overall.availability,
      downtime_min_per_month: a.overall.downtime_min_per_month,
      nines: finite(a.overall.nines),
      budget_used: finite(a.overall.budget_used),
      up: a.overall.up,
      structural: a.overall.structural,
      failover_unavailability: a.overall.failover_unavailability,
      exact: a.overall.exact,
    },
    spofs: a.spofs.map((s) => s.host),
    spof_details: a.spofs,
    cut_sets: a.cut_sets.map((c) => c.hosts),
    cut_set_details: a.cut_sets,
    cut_sets_truncated: a.cut_sets_truncated,
    max_order: a.max_order,
    zone_cut_sets: a.zone_cut_sets,
    failovers: a.mechanisms,
    rates: a.rates,
    ...(a.comparison ? { comparison: a.comparison } : {}),
    remarks: a.remarks,
  };
}
