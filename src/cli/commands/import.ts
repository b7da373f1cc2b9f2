import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Option } from "@commander-js/extra-typings";
import { diagnosticsJson, type Diagnostic } from "../../diagnostics/diagnostic.ts";
import { formatDiagnostics, summarize } from "../../diagnostics/format.ts";
import { CLOUD_NAME } from "../../import/codes.ts";
import { importKolla, type ImportInput } from "../../import/import-kolla.ts";
import { readTextFile } from "../../spec/input.ts";
import { CliFailure, UsageError, type CliIO } from "../io.ts";
import type { RegisterCommand } from "./index.ts";

/**
 * `hacloud import --inventory INV --globals GLOBALS [--out FILE]`: a topology
 * from an existing kolla-ansible deployment. Exit 0 when the topology was
 * written, 1 when it could not be, 2 for usage errors.
 */
export const registerImport: RegisterCommand = (program, io, setExit) => {
  program
    .command("import")
    .description("make a topology file from a kolla-ansible inventory (INI) and globals.yml")
    .requiredOption("--inventory <file>", "kolla-ansible inventory in INI format (e.g. multinode)")
    .requiredOption("--globals <file>", "kolla-ansible globals.yml")
    .option("--out <file>", "write the topology here (default: standard output)")
    .option("--hosts-file <file>", "/etc/hosts-style file giving the hosts' management addresses")
    .option("--cloud <name>", "the cloud's name (default: from the inventory's file name)")
    .option("--lenient", "read past indentation slips in globals.yml, reporting each as a warning")
    .addOption(
      new Option("--format <format>", "diagnostics format")
        .choices(["text", "json"] as const)
        .default("text"),
    )
    .action((opts) => {
      if (opts.cloud !== undefined && !CLOUD_NAME.test(opts.cloud)) {
        throw new UsageError(`--cloud ${opts.cloud}: use lowercase letters, digits and inner hyphens`);
      }
      const paths = [opts.inventory, opts.globals, ...(opts.hostsFile ? [opts.hostsFile] : [])];
      if (opts.out && paths.some((p) => resolve(io.cwd, p) === resolve(io.cwd, opts.out!))) {
        throw new UsageError(`--out ${opts.out} would overwrite one of the input files`);
      }
      const read = (f: string): ImportInput | Diagnostic => {
        const abs = resolve(io.cwd, f);
        const r = readTextFile(abs);
        // Diagnostics name the file as the operator wrote it, not its absolute path.
        return r.ok
          ? { file: f, text: r.text }
          : { ...r.diagnostic, file: f, message: r.diagnostic.message.replaceAll(abs, f) };
      };
      const inputs = paths.map(read);
      const failed = inputs.filter((i): i is Diagnostic => "code" in i);
      if (failed.length > 0) {
        report(io, opts.format, failed, new Map(), true);
        setExit(1);
        return;
      }
      const [inventory, globals, hostsFile] = inputs as ImportInput[];
      const result = importKolla({
        inventory: inventory!,
        globals: globals!,
        hostsFile,
        lenient: opts.lenient ?? false,
        cloud: opts.cloud,
        outName: opts.out ?? "topology.yaml",
      });
      const sources = new Map((inputs as ImportInput[]).map((i) => [i.file, i.text]));
      if (result.yaml !== undefined && opts.out) {
        try {
          writeFileSync(resolve(io.cwd, opts.out), result.yaml);
        } catch (e) {
          report(io, opts.format, result.diagnostics, sources, true);
          throw new CliFailure(
            `cannot write ${opts.out}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
            1,
            { code: "E-SYS-001", cause: e },
          );
        }
      }
      report(io, opts.format, result.diagnostics, sources, Boolean(opts.out) || result.yaml === undefined);
      if (result.yaml === undefined) {
        if (opts.format === "text")
          io.err(`hacloud: import failed (${summarize(result.diagnostics)}); no topology written\n`);
        setExit(1);
        return;
      }
      if (opts.out) {
        if (opts.format === "text") io.err(`wrote ${opts.out} (${summarize(result.diagnostics)})\n`);
      } else io.out(result.yaml);
    });
};

/**
 * Diagnostics go to stderr in text form. As JSON they go to stdout, unless
 * stdout carries the topology (no --out), then to stderr.
 */
function report(
  io: CliIO,
  format: "text" | "json",
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  stdoutFree: boolean,
) {
  if (format === "json") {
    (stdoutFree ? io.out : io.err)(diagnosticsJson(diagnostics));
    return;
  }
  if (diagnostics.length > 0) io.err(formatDiagnostics(diagnostics, { color: io.color, sources }));
}
