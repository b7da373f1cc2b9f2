/**
 * The self-contained HTML report: no scripts, no external resources; one
 * section per drill with its verdict, the probe table, the checks and the
 * timeline SVG. Opens from a CI artifact or a mail attachment as it is. Pure.
 * Jenkins serves archived artifacts under `default-src 'none'; style-src
 * 'self'`, which drops the inline <style>: the same rules also come from the
 * report.css written beside it, and no element carries a style attribute.
 */
import type { DrillResult, DrillRun } from "../result.ts";
import { moveSeconds } from "../moves.ts";
import { timelineLines } from "../evacuation.ts";
import { limitText, ms, pathsText, placementText, secs } from "./format.ts";
import type { SlaSummary } from "../../sla/summary.ts";
import { xmlEscape as esc } from "../../report/xml.ts";
import { slaSection } from "./sla-section.ts";
import { timelineSvg } from "./timeline-svg.ts";

/** The report's stylesheet, inline and as report.css. */
export const REPORT_CSS = `
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:980px}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
.pass{color:#2e7d32;font-weight:bold}.fail{color:#c62828;font-weight:bold}
table{border-collapse:collapse;margin:.6em 0;font-size:.8em}
td,th{border:1px solid #ddd;padding:.25em .5em;text-align:right;white-space:nowrap}th{white-space:normal}td:first-child,th:first-child{text-align:left}
.checks li{list-style:none}.checks .ok::before{content:"✓ ";color:#2e7d32}.checks .bad::before{content:"✗ ";color:#c62828}
.note{color:#666}.summary td{text-align:left}svg.timeline{display:block;margin:.5em 0;max-width:100%;height:auto}
.wide{max-width:100%;overflow-x:auto}
`;

function verdict(passed: boolean): string {
  return passed ? `<span class="pass">PASS</span>` : `<span class="fail">FAIL</span>`;
}

function drillSection(d: DrillResult, i: number): string {
  const rows = d.probes
    .map((p) => {
      const l = p.stats.latency;
      const lost =
        p.name === "sql"
          ? p.lostWrites === null || p.lostWrites === undefined
            ? "unchecked"
            : `${p.lostWrites} of ${p.checkedWrites ?? 0}`
          : "";
      return `<tr><td>${p.name}</td><td>${p.stats.total}</td><td>${p.stats.failed}</td><td>${secs(p.stats.downtimeS)}</td><td>${secs(p.stats.longestGapS)}</td><td>${secs(p.stats.longestRequestS)}</td><td>${ms(l.before.p50)} / ${ms(l.before.p99)} / ${ms(l.before.max)}</td><td>${ms(l.during.p50)} / ${ms(l.during.p99)} / ${ms(l.during.max)}</td><td>${ms(l.after.p50)} / ${ms(l.after.p99)} / ${ms(l.after.max)}</td><td>${lost}</td></tr>`;
    })
    .join("\n");
  const checks = d.checks
    .map(
      (c) =>
        `<li class="${c.passed ? "ok" : "bad"}">${esc(c.metric)}${c.probe ? ` <code>${c.probe}</code>` : ""}: ${esc(limitText(c.measured, c.max, c.min, c.metric))} <span class="note">— ${esc(c.why)}</span></li>`,
    )
    .join("\n");
  const vip = esc(placementText(d));
  const paths = d.probes
    .flatMap((p) => {
      const text = pathsText(p);
      return text === undefined ? [] : [`<p class="note"><code>${p.name}</code> by path: ${esc(text)}</p>\n`];
    })
    .join("");
  return `<section class="drill" id="drill-${i}" data-scenario="${d.scenario}">
<h2>${esc(d.scenario)} <small>(${esc(d.profile)})</small> ${verdict(d.passed)}</h2>
<p>${esc(d.faults.join("; ") || "no fault injected")}. ${vip}; recovered in ${secs(d.recoveryS)}; healthy ${secs(d.healthyAfterS)} after the undo.</p>
${d.error !== undefined ? `<p class="fail">${esc(d.error)}</p>` : ""}
${timelineSvg(d)}
<div class="wide"><table><tr><th>probe</th><th>total</th><th>failed</th><th>downtime</th><th>longest gap</th><th>longest request</th><th>before p50/p99/max ms</th><th>during</th><th>after</th><th>lost writes</th></tr>
${rows}
</table></div>
${paths}${
    d.evacuation !== undefined
      ? `<ol class="note">${timelineLines(d.evacuation)
          .map((l) => `<li>${esc(l)}</li>`)
          .join("")}</ol>\n`
      : ""
  }<ul class="checks">${checks}</ul>
${d.notes.map((n) => `<p class="note">${esc(n)}</p>`).join("\n")}
</section>`;
}

/** The whole run as one HTML document. */
export function renderHtml(run: DrillRun, sla?: SlaSummary): string {
  const passed = run.drills.filter((d) => d.passed).length;
  const summary = run.drills
    .map(
      (d, i) =>
        `<tr><td><a href="#drill-${i}">${esc(d.scenario)}</a></td><td>${esc(d.profile)}</td><td>${verdict(d.passed)}</td><td>${secs(moveSeconds(d.moves, "vip"))}</td><td>${secs(d.recoveryS)}</td><td>${d.probes.find((p) => p.name === "sql")?.lostWrites ?? "—"}</td></tr>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>hacloud drills — ${esc(run.target)}</title>
<link rel="stylesheet" href="report.css"><style>${REPORT_CSS}</style></head>
<body>
<h1>hacloud drills on ${esc(run.target)}</h1>
<p>${esc(run.startedAt)} → ${esc(run.finishedAt)}: ${passed} of ${run.drills.length} passed.</p>
<div class="wide"><table class="summary"><tr><th>scenario</th><th>profile</th><th>verdict</th><th>VIP move</th><th>recovery</th><th>lost writes</th></tr>
${summary}
</table></div>
${run.drills.map(drillSection).join("\n")}${sla ? `\n${slaSection(sla)}` : ""}
</body></html>
`;
}
