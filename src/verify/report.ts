/** `verify` output: text, JSON and JUnit XML (for Jenkins). Pure. */
import { junitXml } from "../report/junit.ts";
import type { VerifyReport } from "./verify.ts";

/** One line per check, details indented under failures. */
export function verifyText(r: VerifyReport): string {
  const out: string[] = [];
  for (const c of r.checks) {
    out.push(`${c.passed ? "ok  " : "FAIL"} ${c.id}: ${c.title}`);
    if (!c.passed) for (const d of c.details) out.push(`       ${d}`);
  }
  const passed = r.checks.filter((c) => c.passed).length;
  out.push(`${r.target}: ${passed} passed, ${r.checks.length - passed} failed`);
  return out.join("\n") + "\n";
}

/** The report as JSON text. */
export function verifyJson(r: VerifyReport): string {
  return (
    JSON.stringify(
      {
        schema: VERIFY_JSON_SCHEMA,
        target: r.target,
        at: r.at,
        duration_ms: r.durationMs,
        passed: r.passed,
        checks: r.checks.map((c) => ({ id: c.id, title: c.title, passed: c.passed, details: c.details })),
      },
      null,
      2,
    ) + "\n"
  );
}

/** The `schema` of `hacloud verify --json`. */
export const VERIFY_JSON_SCHEMA = "hacloud-verify/1";

/** The report as JUnit XML, one test case per check. */
export function verifyJunit(r: VerifyReport): string {
  return junitXml(
    "hacloud verify",
    r.checks.map((c) => ({
      classname: "hacloud.verify",
      name: c.id,
      time: 0,
      ...(c.passed ? { output: c.details.join("\n") } : { failure: `${c.title}: ${c.details.join("; ")}` }),
    })),
    r.at,
  );
}
