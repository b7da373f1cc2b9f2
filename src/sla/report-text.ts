/**
 * The SLA analysis as terminal text: one table of services (availability,
 * nines, downtime per 30-day month, budget used), then single points of
 * failure, cut sets, failover timings and, with --measured, the drills.
 */
import pc from "picocolors";
import type { SlaAnalysis } from "./analyse.ts";
import { budget, minutes, ninesText, percent, percentDigits, seconds, table } from "./format.ts";

/** Options for the text report. */
export interface TextOptions {
  readonly color: boolean;
  /** Cut sets listed before "… and N more". */
  readonly maxCutSets?: number;
}

/** Renders an analysis as text. */
export function slaText(a: SlaAnalysis, opts: TextOptions): string {
  const c = pc.createColors(opts.color);
  const out: string[] = [];
  const target = `${(a.target * 100).toFixed(3).replace(/\.?0+$/, "")} %`;
  out.push(
    c.bold(`SLA model of ${a.cloud}`) +
      ` — profile ${a.profile}, target ${target} (error budget ${minutes(a.budget_min_per_month)} per 30-day month)`,
  );
  if (a.failed.length > 0)
    out.push(c.yellow(`What if ${a.failed.join(", ")} ${a.failed.length === 1 ? "is" : "are"} down:`));
  out.push("");
  const whatIf = a.failed.length > 0;
  const head = [
    "Service",
    ...(whatIf ? ["State"] : []),
    "Availability",
    "Nines",
    "Downtime/month",
    "Budget used",
  ];
  const over = (f: number, s: string): string => (f > 1 ? c.red(s) : s);
  // One number of decimals for the whole column, so the figures line up.
  const digits = Math.max(
    ...[...a.services, a.overall].filter((s) => s.availability > 0).map((s) => percentDigits(s.availability)),
    2,
  );
  const rows = a.services.map((s) => [
    s.name,
    ...(whatIf ? [s.up ? c.green("up") : c.red("DOWN")] : []),
    percent(s.availability, digits),
    ninesText(s.availability),
    minutes(s.downtime_min_per_month),
    over(s.budget_used, budget(s.budget_used)),
  ]);
  const o = a.overall;
  rows.push([
    c.bold("overall"),
    ...(whatIf ? [o.up ? c.green("up") : c.red("DOWN")] : []),
    c.bold(percent(o.availability, digits)),
    ninesText(o.availability),
    minutes(o.downtime_min_per_month),
    over(o.budget_used, budget(o.budget_used)),
  ]);
  out.push(...table([head.map((h) => c.dim(h)), ...rows]));
  out.push("");
  out.push(
    c.dim(
      `Downtime per 30-day month (43,200 min). "overall" = every service up at once, computed exactly over shared hosts.` +
        ` Failover times: ${a.comparison ? "measured by drills where available, else " : ""}predicted from ${a.profile}.`,
    ),
  );
  if (a.services.some((s) => !s.exact) || !o.exact) {
    out.push(
      c.yellow(
        "Some figures are lower bounds: the exact computation would have been too large (see docs/sla.md).",
      ),
    );
  }
  if (whatIf) {
    out.push("", c.bold("Why"));
    out.push(...table(a.services.map((s) => [s.name, s.up ? c.green("up") : c.red("DOWN"), s.reason])));
  }

  out.push("", c.bold(whatIf ? "Single points of failure left" : "Single points of failure"));
  if (a.spofs.length === 0) out.push("  none: no single host takes a service down");
  else out.push(...table(a.spofs.map((s) => [`  ${s.host}`, `→ ${s.services.join(", ")}`])));

  const limit = opts.maxCutSets ?? 20;
  out.push("", c.bold(`Minimal cut sets (up to ${a.max_order} hosts)`));
  if (a.cut_sets.length === 0) out.push(`  none of ${a.max_order} hosts or fewer`);
  out.push(
    ...table(
      a.cut_sets.slice(0, limit).map((s) => [`  ${s.hosts.join(" + ")}`, `→ ${s.services.join(", ")}`]),
    ),
  );
  const more = a.cut_sets.length - limit;
  if (more > 0 || a.cut_sets_truncated) {
    out.push(
      c.dim(
        `  … and ${a.cut_sets_truncated ? "more than " : ""}${Math.max(0, more)} more (--json lists them)`,
      ),
    );
  }
  if (a.zone_cut_sets.length > 0) {
    out.push("", c.bold("Zone cut sets (whole failure domains)"));
    out.push(
      ...table(a.zone_cut_sets.map((z) => [`  ${z.zones.join(" + ")}`, `→ ${z.services.join(", ")}`])),
    );
  }

  out.push("", c.bold("Failover downtime per event"));
  out.push(
    ...table(
      a.mechanisms.map((m) => [
        `  ${m.id}`,
        seconds(m.used_s),
        m.measured_s === null ? c.dim("predicted") : c.cyan(`measured (predicted ${seconds(m.predicted_s)})`),
        c.dim(m.formula),
      ]),
    ),
  );

  if (a.comparison) {
    out.push("", c.bold(`Drills: predicted vs measured (${a.profile})`));
    const rows = a.comparison.map((r) => [
      `  ${r.scenario}`,
      r.predicted_s === null ? "outage" : seconds(r.predicted_s),
      r.measured_s === null ? c.dim("not run") : seconds(r.measured_s),
      r.passed === null ? "" : r.passed ? c.green("passed") : c.red("failed"),
      c.dim(r.predicted_note),
    ]);
    out.push(
      ...table([
        ["  Scenario", "Predicted", "Measured", "Drill", "What the model expects"].map((h) => c.dim(h)),
        ...rows,
      ]),
    );
  }

  for (const r of a.remarks) out.push(c.yellow(r));

  const notes = a.services.flatMap((s) => s.notes.map((n) => `  ${s.name}: ${n}`));
  if (notes.length > 0) out.push("", c.bold("Notes"), ...notes);
  return out.join("\n") + "\n";
}
