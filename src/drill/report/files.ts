/** Every report of a run as a `{file name: content}` map, for one writer to put in --report DIR. Pure. */
import type { SlaSummary } from "../../sla/summary.ts";
import type { DrillRun } from "../result.ts";
import { renderHtml, REPORT_CSS } from "./html.ts";
import { renderJson } from "./json.ts";
import { renderJunit } from "./junit.ts";
import { renderText } from "./text.ts";

/** report.txt, report.json, junit.xml, report.html (with the SLA model when given) and its report.css. */
export function reportFiles(run: DrillRun, sla?: SlaSummary): Record<string, string> {
  return {
    "report.txt": renderText(run),
    "report.json": renderJson(run),
    "junit.xml": renderJunit(run),
    "report.html": renderHtml(run, sla),
    "report.css": REPORT_CSS,
  };
}
