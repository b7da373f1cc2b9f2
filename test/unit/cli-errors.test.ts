/** Every failure reaches the operator through one mapping: a code, a message, a hint, the lines that explain it. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CliFailure, UsageError } from "../../src/cli/io.ts";
import { reportError } from "../../src/cli/report-error.ts";
import { DrillRefused } from "../../src/drill/runner.ts";
import { ScenarioError } from "../../src/drill/scenario.ts";
import { ERROR_CODES, HacloudError } from "../../src/errors.ts";
import { ProbeWorkerError } from "../../src/probes/worker-process.ts";
import { UnsafePathError, WriteConflictError } from "../../src/render/write.ts";
import { LabError } from "../../src/targets/lab/errors.ts";
import { CommandError, run } from "../../src/util/run.ts";

describe("reportError", () => {
  it("shows a failing command as the machine's problem, with the pasteable command and its last lines", async () => {
    const e = await run("sh", ["-c", "echo 'Cannot find device \"eth9\"' >&2; exit 1"]).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(CommandError);
    const r = reportError(e);
    expect(r).toMatchObject({ code: "E-CMD-001", source: "environment", exitCode: 1 });
    expect(r.text).toBe(
      `hacloud: error E-CMD-001 exit code 1: sh -c 'echo '\\''Cannot find device "eth9"'\\'' >&2; exit 1'\n` +
        `  Cannot find device "eth9"\n`,
    );
    expect(r.text).not.toContain("internal error");
  });

  it("keeps a lab error's hint and the tails of the logs that explain it", () => {
    const e = new LabError("keystone on cc01 did not become healthy", "see its log", [
      { file: "/var/lib/hacloud/lab/x/hosts/cc01/keystone.log", lines: ["boom", "bang"] },
      { file: "/empty.log", lines: [] },
    ]);
    const r = reportError(e);
    expect(r.exitCode).toBe(1);
    expect(r.text).toBe(
      [
        "hacloud: error E-LAB-001 keystone on cc01 did not become healthy",
        "hint: see its log",
        "--- last lines of /var/lib/hacloud/lab/x/hosts/cc01/keystone.log:",
        "    boom",
        "    bang",
        "",
      ].join("\n"),
    );
  });

  it("says what a wrapped error adds, once", () => {
    const cause = new CommandError(
      "ip link show",
      1,
      "",
      "RTNETLINK answers: Operation not permitted",
      "exit code 1",
    );
    const r = reportError(new LabError("cannot create the lab's links", "run as root", [], { cause }));
    expect(r.text).toContain(
      "caused by: exit code 1: ip link show\n    RTNETLINK answers: Operation not permitted",
    );
    const repeated = reportError(
      new LabError(`preflight failed: ${cause.message}`, undefined, [], { cause }),
    );
    expect(repeated.text).not.toContain("caused by");
  });

  it("gives usage errors exit code 2 and points at --help", () => {
    const r = reportError(new UsageError("--format must be text or json, not xml"));
    expect(r).toMatchObject({ code: "E-USAGE-001", source: "user", exitCode: 2 });
    expect(r.text).toBe(
      "hacloud: error E-USAGE-001 --format must be text or json, not xml\n(run `hacloud --help` for usage)\n",
    );
  });

  it("keeps a CliFailure's exit code and code", () => {
    expect(reportError(new CliFailure("no", 4))).toMatchObject({ code: "E-CLI-001", exitCode: 4 });
    expect(reportError(new CliFailure("bad.yaml: 2 errors", 1, { code: "E-TOPOLOGY-001" })).code).toBe(
      "E-TOPOLOGY-001",
    );
  });

  it("maps the library's own errors by their code", () => {
    expect(reportError(new WriteConflictError("out", ["globals.yml"]))).toMatchObject({
      code: "E-RENDER-001",
      exitCode: 1,
    });
    expect(reportError(new WriteConflictError("out", ["globals.yml"])).text).toContain("hint: hacloud never");
    expect(reportError(new UnsafePathError("../x")).code).toBe("E-RENDER-002");
    expect(reportError(new ScenarioError("needs three controllers"))).toMatchObject({
      code: "E-DRILL-001",
      source: "environment",
    });
    expect(reportError(new DrillRefused("not the lab")).code).toBe("E-DRILL-002");
    expect(reportError(new ProbeWorkerError("probe worker (catalog) printed no result"))).toMatchObject({
      code: "E-PROBE-001",
      source: "environment",
      exitCode: 1,
    });
  });

  it("treats an error of a system call as the machine's", () => {
    const e = Object.assign(new Error("EACCES: permission denied, open '/root/x'"), {
      code: "EACCES",
      syscall: "open",
    });
    expect(reportError(e)).toMatchObject({ code: "E-SYS-001", source: "environment", exitCode: 1 });
  });

  it("says that anything else is a bug, with the stack only on request", () => {
    const r = reportError(new TypeError("x is undefined"));
    expect(r).toMatchObject({ code: "E-INTERNAL-001", source: "internal", exitCode: 3 });
    expect(r.text).toBe(
      "hacloud: internal error E-INTERNAL-001 x is undefined\n(set HACLOUD_DEBUG=1 for the stack trace, and please report it)\n",
    );
    expect(reportError(new TypeError("x"), true).text).toContain("at ");
    expect(reportError("thrown text").text).toContain("internal error E-INTERNAL-001 thrown text");
    expect(reportError(new HacloudError("unclassified")).exitCode).toBe(3);
  });

  it("keeps the standard cause", () => {
    const cause = new Error("inner");
    expect(new HacloudError("outer", { cause }).cause).toBe(cause);
  });
});

describe("docs/errors.md", () => {
  const doc = readFileSync(new URL("../../docs/errors.md", import.meta.url), "utf8");

  it("lists every code with its source, meaning and hint", () => {
    for (const [code, d] of Object.entries(ERROR_CODES)) {
      expect(doc, code).toContain(`| \`${code}\` | ${d.source} | ${d.meaning} | ${d.hint} |`);
    }
  });

  it("lists no code the registry does not have", () => {
    const listed = [...doc.matchAll(/^\| `(E-[A-Z]+-\d{3})`/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });
});
