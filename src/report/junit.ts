/**
 * JUnit XML for Jenkins, shared by `hacloud drill --report` and `hacloud
 * verify --junit`: one testsuite per run, so a failing case shows up by
 * name in the CI's test view. Pure.
 */
import { xmlEscape } from "./xml.ts";

/** A JUnit case: name, class, seconds, and a failure message when it failed. */
export interface JunitCase {
  readonly classname: string;
  readonly name: string;
  readonly time: number;
  readonly failure?: string;
  readonly output?: string;
}

/** Renders JUnit XML for a suite of cases. */
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
