/**
 * The SLA model in the drill report: the availability the topology predicts,
 * and each failover's predicted downtime next to the one the drills measured.
 */
import type { SlaSummary } from "../../sla/summary.ts";
import { xmlEscape as esc } from "../../report/xml.ts";

/** An HTML section (no scripts, no external resources) for report.html. */
export function slaSection(s: SlaSummary): string {
  const row = (r: SlaSummary["overall"]) =>
    `<tr class="${r.overBudget ? "bad" : "ok"}"><td>${esc(r.title)}</td><td>${esc(r.availability)}</td><td>${esc(r.nines)}</td><td>${esc(r.downtime)}</td><td>${esc(r.budgetUsed)}</td></tr>`;
  const failovers = s.failovers
    .map(
      (f) =>
        `<tr><td>${esc(f.title)}</td><td>${esc(f.predicted)}</td><td>${f.measured === null ? "—" : esc(f.measured)}</td><td class="note">${esc(f.formula)}</td></tr>`,
    )
    .join("\n");
  const list = (title: string, items: readonly string[]) =>
    items.length === 0
      ? ""
      : `<h3>${esc(title)}</h3><ul>${items.map((i) => `<li>${esc(i)}</li>`).join("")}</ul>`;
  return `<section id="sla"><h2>SLA model</h2>
<p>${esc(s.headline)} Figures ${esc(s.monthNote)}.</p>
<div class="wide"><table class="summary"><tr><th>service</th><th>availability</th><th>nines</th><th>downtime / month</th><th>budget used</th></tr>
${s.rows.map(row).join("\n")}
${row(s.overall)}
</table></div>
<h3>Failover downtime: predicted and measured by these drills</h3>
<div class="wide"><table class="summary"><tr><th>failover</th><th>predicted</th><th>measured</th><th>how it is predicted</th></tr>
${failovers}
</table></div>
${list("Single points of failure", s.spofs)}
${list("Minimal cut sets", s.cutSets)}
</section>`;
}
