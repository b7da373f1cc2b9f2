/** The terminal report: one block per drill, a probe table, the checks. Pure. */
import type { DrillResult, DrillRun } from "../result.ts";
import { timelineLines } from "../evacuation.ts";
import { limitText, ms, pathsText, placementText, secs, table } from "./format.ts";

function drillText(d: DrillResult): string[] {
  const verdict = d.passed ? "PASS" : "FAIL";
  const vip = placementText(d);
  const lines = [
    `${d.scenario} (${d.profile})  ${verdict}  ${vip}; recovered in ${secs(d.recoveryS)}; healthy ${secs(d.healthyAfterS)} after the undo`,
  ];
  if (d.faults.length > 0) lines.push(`  fault: ${d.faults.join("; ")}`);
  if (d.error !== undefined) lines.push(`  error: ${d.error}`);
  if (d.probes.length > 0) {
    const rows: string[][] = [
      [
        "  probe",
        "total",
        "failed",
        "downtime",
        "longest gap",
        "longest req",
        "p50/p99 ms before",
        "during",
        "after",
        "lost writes",
      ],
    ];
    for (const p of d.probes) {
      const l = p.stats.latency;
      rows.push([
        `  ${p.name}`,
        String(p.stats.total),
        String(p.stats.failed),
        secs(p.stats.downtimeS),
        secs(p.stats.longestGapS),
        secs(p.stats.longestRequestS),
        `${ms(l.before.p50)}/${ms(l.before.p99)}`,
        `${ms(l.during.p50)}/${ms(l.during.p99)}`,
        `${ms(l.after.p50)}/${ms(l.after.p99)}`,
        p.name === "sql"
          ? p.lostWrites === null || p.lostWrites === undefined
            ? "unchecked"
            : `${p.lostWrites}/${p.checkedWrites ?? 0}`
          : "",
      ]);
    }
    lines.push(...table(rows));
    for (const p of d.probes) {
      const paths = pathsText(p);
      if (paths !== undefined) lines.push(`  ${p.name} by path: ${paths}`);
    }
  }
  if (d.evacuation !== undefined)
    for (const l of timelineLines(d.evacuation)) lines.push(`  instance HA: ${l}`);
  for (const c of d.checks) {
    lines.push(
      `  ${c.passed ? "ok  " : "FAIL"} ${c.metric}${c.probe ? ` ${c.probe}` : ""}: ${limitText(c.measured, c.max, c.min, c.metric)}  (${c.why})`,
    );
  }
  for (const n of d.notes) lines.push(`  note: ${n}`);
  return lines;
}

/** The whole run as text, ending with a one-line summary. */
export function renderText(run: DrillRun): string {
  const out: string[] = [];
  for (const d of run.drills) out.push(...drillText(d), "");
  const passed = run.drills.filter((d) => d.passed).length;
  out.push(
    `${run.drills.length} drill(s) on ${run.target}: ${passed} passed, ${run.drills.length - passed} failed`,
  );
  return out.join("\n") + "\n";
}
