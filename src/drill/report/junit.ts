/**
 * The drill run as JUnit XML: one testcase per drill and threshold, so a
 * failing limit shows up by name in the CI's test view. Pure.
 */
import { junitXml, type JunitCase } from "../../report/junit.ts";
import type { DrillRun } from "../result.ts";
import { limitText } from "./format.ts";

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
        ...(c.passed ? {} : { failure: `${limitText(c.measured, c.max, c.min, c.metric)} (${c.why})` }),
      });
    }
  }
  return junitXml("hacloud drill", cases, run.startedAt);
}
