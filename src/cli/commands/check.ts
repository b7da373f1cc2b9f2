import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { checkTopologyText, type TextInput } from "../../check.ts";
import { diagnosticRows, sortDiagnostics, type Diagnostic } from "../../diagnostics/diagnostic.ts";
import { formatDiagnostics, summarize } from "../../diagnostics/format.ts";
import { sarifLog, type SarifRule } from "../../diagnostics/sarif.ts";
import { junitXml } from "../../report/junit.ts";
import { ALL_CODES } from "../../rules/registry.ts";
import { isUnreadable, readInput } from "../inputs.ts";
import { UsageError } from "../io.ts";
import { VERSION } from "../version.ts";
import { formatHelp, formatOf, JSON_HELP, jsonDocument } from "../output.ts";
import type { RegisterCommand } from "./index.ts";

const CHECK_FORMATS = ["text", "json", "sarif"] as const;

/** Titles and hints of every code, for SARIF's rule table. */
function sarifRules(): Map<string, SarifRule> {
  return new Map(ALL_CODES.map((c) => [c.code, { title: c.title, hint: c.hint }]));
}

/** The check as JUnit XML: one test case per file, failed when it has errors (or too many warnings). */
function checkJunit(
  files: readonly string[],
  diagnostics: readonly Diagnostic[],
  failing: (file: string) => boolean,
): string {
  return junitXml(
    "hacloud check",
    files.map((file) => {
      const own = diagnostics.filter((d) => d.file === file);
      const lines = own.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code} ${d.message}`);
      return {
        classname: "hacloud.check",
        name: file,
        time: 0,
        ...(failing(file) ? { failure: `${summarize(own)}\n${lines.join("\n")}` } : {}),
        ...(own.length > 0 ? { output: lines.join("\n") } : {}),
      };
    }),
    new Date().toISOString(),
  );
}

function nonNegativeInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`${flag} takes a whole number ≥ 0, not \`${value}\``);
  return n;
}

/**
 * `hacloud check FILE… [--peer FILE…] [--format text|json|sarif] [--junit
 * OUT] [--max-warnings N]`: every problem of every file at once (`-` reads
 * standard input); exit 0 without errors (and within --max-warnings), 1 with
 * errors or too many warnings, 2 on usage errors (bad flags, or a file that
 * cannot be read).
 */
export const registerCheck: RegisterCommand = (program, io, setExit) => {
  program
    .command("check")
    .description("check topology files against the HA rules (docs/rules.md lists every code)")
    .argument("<files...>", "topology files (`-` for standard input)")
    .option(
      "--peer <file>",
      "another cloud's topology that shares layer-2 segments with these (repeatable)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option("--format <format>", formatHelp(CHECK_FORMATS), "text")
    .option("--json", JSON_HELP)
    .option("--junit <file>", "also write the result as JUnit XML (one test case per file) to FILE")
    .option("--max-warnings <n>", "fail (exit 1) when there are more than N warnings, as CI gates do")
    .action((files, opts) => {
      const format = formatOf(opts, CHECK_FORMATS);
      const maxWarnings = nonNegativeInt("--max-warnings", opts.maxWarnings);
      const abs = (f: string) => resolve(io.cwd, f);
      if (files.filter((f) => f === "-").length > 1)
        throw new UsageError("`-` (standard input) can be read once");
      for (const p of opts.peer)
        if (files.some((f) => f !== "-" && abs(p) === abs(f)))
          throw new UsageError(`--peer ${p} names a file being checked; peers are the other clouds`);
      const unreadable: Diagnostic[] = [];
      const read = (f: string): TextInput | undefined => {
        const r = readInput(io, f);
        if (!isUnreadable(r)) return r;
        unreadable.push(r);
        return undefined;
      };
      const peers = opts.peer.map(read).filter((p): p is TextInput => p !== undefined);
      const inputs = files.map(read).filter((t): t is TextInput => t !== undefined);
      const sources = new Map<string, string>();
      const found: Diagnostic[] = [...unreadable];
      for (const t of inputs) {
        const result = checkTopologyText(t.file, t.text, { peers });
        for (const [f, text] of result.sources) sources.set(f, text);
        found.push(...result.diagnostics);
      }
      const diagnostics = sortDiagnostics(found);
      const names = [...inputs.map((t) => t.file), ...unreadable.map((d) => d.file)];
      const errors = diagnostics.filter((d) => d.severity === "error").length;
      const warnings = diagnostics.filter((d) => d.severity === "warning").length;
      const tooManyWarnings = maxWarnings !== undefined && warnings > maxWarnings;
      if (format === "json") {
        io.out(
          jsonDocument("check", {
            files: names,
            passed: errors === 0 && !tooManyWarnings,
            errors,
            warnings,
            max_warnings: maxWarnings ?? null,
            diagnostics: diagnosticRows(diagnostics),
          }),
        );
      } else if (format === "sarif") {
        io.out(sarifLog(diagnostics, { version: VERSION, rules: sarifRules() }));
      } else {
        if (diagnostics.length > 0) io.out(formatDiagnostics(diagnostics, { color: io.color, sources }));
        const where = names.length === 1 ? names[0]! : `${names.length} files`;
        io.out(`${summarize(diagnostics)} in ${where}\n`);
        if (tooManyWarnings) io.out(`${warnings} warnings, more than --max-warnings ${maxWarnings}\n`);
      }
      if (opts.junit !== undefined) {
        const failing = (f: string) =>
          diagnostics.some((d) => d.file === f && d.severity === "error") || tooManyWarnings;
        writeFileSync(abs(opts.junit), checkJunit(names, diagnostics, failing));
      }
      // Nothing was checked when an input file could not be read: that is a usage error.
      setExit(unreadable.length > 0 ? 2 : errors > 0 || tooManyWarnings ? 1 : 0);
    });
};
