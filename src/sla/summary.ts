/**
 * A presentation-ready summary of an SLA analysis for the drill HTML report
 * (and the dashboard): every figure already formatted as text, no markup
 * (escaping is the renderer's job).
 */
import type { SlaAnalysis } from "./analyse.ts";
import { budget, minutes, ninesText, percent, seconds } from "./format.ts";

/** One service row. */
export interface SummaryRow {
  readonly service: string;
  readonly title: string;
  readonly availability: string;
  readonly nines: string;
  readonly downtime: string;
  readonly budgetUsed: string;
  readonly overBudget: boolean;
  readonly up: boolean;
  readonly reason: string;
}

/** A failover mechanism: predicted and, when drilled, measured. */
export interface SummaryFailover {
  readonly mechanism: string;
  readonly title: string;
  readonly predicted: string;
  readonly measured: string | null;
  readonly formula: string;
}

/** A drill scenario, predicted next to measured. */
export interface SummaryComparison {
  readonly scenario: string;
  readonly predicted: string;
  readonly measured: string | null;
  readonly passed: boolean | null;
  readonly expectation: string;
}

/** Everything the report shows about the SLA model. */
export interface SlaSummary {
  /** One sentence: overall availability, downtime and budget. */
  readonly headline: string;
  readonly withinBudget: boolean;
  /** "per 30-day month (43,200 min)" — the month every figure uses. */
  readonly monthNote: string;
  readonly rows: readonly SummaryRow[];
  readonly overall: SummaryRow;
  /** "storage01 → block-storage" */
  readonly spofs: readonly string[];
  /** "cc01 + cc02 → identity-api, database, …" (at most `maxCutSets`). */
  readonly cutSets: readonly string[];
  readonly failovers: readonly SummaryFailover[];
  readonly comparison: readonly SummaryComparison[];
  readonly notes: readonly string[];
}

/** Formats an analysis for a report. */
export function slaSummary(a: SlaAnalysis, maxCutSets = 12): SlaSummary {
  const row = (
    service: string,
    title: string,
    x: { availability: number; downtime_min_per_month: number; budget_used: number; up: boolean },
    reason: string,
  ): SummaryRow => ({
    service,
    title,
    availability: percent(x.availability),
    nines: ninesText(x.availability),
    downtime: minutes(x.downtime_min_per_month),
    budgetUsed: budget(x.budget_used),
    overBudget: x.budget_used > 1,
    up: x.up,
    reason,
  });
  const o = a.overall;
  const target = `${(a.target * 100).toFixed(3).replace(/\.?0+$/, "")} %`;
  return {
    headline:
      `Predicted availability ${percent(o.availability)} (${ninesText(o.availability)} nines): ` +
      `${minutes(o.downtime_min_per_month)} of downtime per 30-day month against a ${minutes(a.budget_min_per_month)} ` +
      `budget for ${target} (${budget(o.budget_used)} used).`,
    withinBudget: o.budget_used <= 1,
    monthNote: "per 30-day month (43,200 min)",
    rows: a.services.map((s) => row(s.name, s.title, s, s.reason)),
    overall: row("overall", "Every service at once", o, o.up ? "" : "a service is down"),
    spofs: a.spofs.map((s) => `${s.host} → ${s.services.join(", ")}`),
    cutSets: a.cut_sets.slice(0, maxCutSets).map((c) => `${c.hosts.join(" + ")} → ${c.services.join(", ")}`),
    failovers: a.mechanisms.map((m) => ({
      mechanism: m.id,
      title: m.title,
      predicted: seconds(m.predicted_s),
      measured: m.measured_s === null ? null : seconds(m.measured_s),
      formula: m.formula,
    })),
    comparison: (a.comparison ?? []).map((r) => ({
      scenario: r.scenario,
      predicted: r.predicted_s === null ? "outage until repair" : seconds(r.predicted_s),
      measured: r.measured_s === null ? null : seconds(r.measured_s),
      passed: r.passed,
      expectation: r.predicted_note,
    })),
    notes: a.services.flatMap((s) => s.notes.map((n) => `${s.name}: ${n}`)),
  };
}
