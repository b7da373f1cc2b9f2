/**
 * JUnit XML for Jenkins: one testsuite per run, one testcase per drill and
 * threshold, so a failing limit shows up by name in the CI's test view. Pure.
 */
import type { DrillRun } from "../result.ts";
import { limitText } from "./format.ts";

/** Escapes text for XML attributes and content. */
export function xmlEscape(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** A JUnit case: name, class, seconds, and a failure message when it failed. */
export interface JunitCase {
  readonly classname: string;
  readonly name: string;
  readonly time: number;
  readonly failure?: string;
  readonly output?: string;
}

/** Renders JUnit XML for a suite of cases (shared with `hacloud verify --junit`). */
export function junitXml(suite: string, cases: readonly JunitCase[], timestamp: string): string {
  const failures = cases.filter((c) => c.failure !== undefined).length;
  const total = cases.reduce((s, c) => s + c.time, 0);
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="${xmlEscape(suite)}" tests="${cases.length}" failures="${failures}" time="${total.toFixed(3)}">`,
    `  <testsuite name="${xmlEscape(suite)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${total.toFixed(3)}" timestamp="${xmlEscape(timestamp)}">`,
  ];
  for (const c of cases) {
    const head = `    <testcase classname="${xmlEscape(c.classname)}" name="${xmlEscape(c.name)}" time="${c.time.toFixed(3)}"`;
    if (c.failure === undefined && c.output === undefined) {
      lines.push(`${head}/>`);
      continue;
    }
    lines.push(`${head}>`);
    if (c.failure !== undefined) {
      lines.push(`      <failure message="${xmlEscape(c.failure)}">${xmlEscape(c.failure)}</failure>`);
    }
    if (c.output !== undefined) lines.push(`      <system-out>${xmlEscape(c.output)}</system-out>`);
    lines.push(`    </testcase>`);
  }
  lines.push(`  </testsuite>`, `</testsuites>`);
  return lines.join("\n") + "\n";
}

/** The drill run as JUnit XML. */
export function renderJunit(run: DrillRun): string {
  const cases: JunitCase[] = [];
  for (const d of run.drills) {
    const classname = `hacloud.drill.${d.profile}.${d.scenario}`;
    const time = d.phases ? (d.phases.end - d.phases.start) / 1000 : 0;
    if (d.error !== undefined) cases.push({ classname, name: "runs", time, failure: d.error });
    else cases.push({ classname, name: "runs", time });
    for (const c of d.checks) {
      const name = `${c.metric}${c.probe ? ` ${c.probe}` : ""}`;
      cases.push({
        classname,
        name,
        time: 0,
        ...(c.passed ? {} : { failure: `${limitText(c.measured, c.max, c.min)} (${c.why})` }),
      });
    }
  }
  return junitXml("hacloud drill", cases, run.startedAt);
}
