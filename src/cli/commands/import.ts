import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { diagnosticRows, type Diagnostic } from "../../diagnostics/diagnostic.ts";
import { formatDiagnostics, summarize } from "../../diagnostics/format.ts";
import { CLOUD_NAME } from "../../import/codes.ts";
import { importKolla, type ImportInput } from "../../import/import-kolla.ts";
import { CliFailure, UsageError, errColor, info, type CliIO } from "../io.ts";
import type { InventorySource } from "../../import/inventory-sources.ts";
import { isUnreadable, readInput } from "../inputs.ts";
import { renderedProfile } from "../../render/kolla/profile-files.ts";
import { readConfigDir, readInventorySource } from "../read-inventory.ts";
import { formatHelp, formatOf, JSON_HELP, jsonDocument, type Format } from "../output.ts";
import type { RegisterCommand } from "./index.ts";

/**
 * `hacloud import -i INV [-i INV…] --globals GLOBALS [--out FILE]`: a topology
 * from an existing kolla-ansible deployment. Exit 0 when the topology was
 * written, 1 when it could not be, 2 for usage errors.
 */
export const registerImport: RegisterCommand = (program, io, setExit) => {
  program
    .command("import")
    .description("make a topology file from a kolla-ansible inventory and globals.yml")
    .requiredOption(
      "-i, --inventory <path>",
      "kolla-ansible inventory: INI (e.g. multinode), YAML, the JSON of `ansible-inventory --list`, or a directory of them with group_vars/ and host_vars/; repeat -i to merge several, as Ansible does",
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .requiredOption("--globals <file>", "kolla-ansible globals.yml")
    .option("--out <file>", "write the topology here (default: standard output)")
    .option("--hosts-file <file>", "/etc/hosts-style file giving the hosts' management addresses")
    .option(
      "--config-dir <dir>",
      "kolla's config directory (node_custom_config, e.g. /etc/kolla/config): the failover profile and the overrides to keep verbatim",
    )
    .option("--cloud <name>", "the cloud's name (default: from the inventory's file name)")
    .option("--lenient", "read past indentation slips in globals.yml, reporting each as a warning")
    .option("--format <format>", formatHelp(), "text")
    .option("--json", `${JSON_HELP} (the diagnostics and what was written)`)
    .action((opts) => {
      const format = formatOf(opts) as Format;
      if (opts.cloud !== undefined && !CLOUD_NAME.test(opts.cloud)) {
        throw new UsageError(`--cloud ${opts.cloud}: use lowercase letters, digits and inner hyphens`);
      }
      const inventoryPaths = opts.inventory;
      const read = inventoryPaths.map((p) => readInventorySource(io, p));
      const inventories = read.filter((r): r is InventorySource => !Array.isArray(r));
      const files = [opts.globals, ...(opts.hostsFile ? [opts.hostsFile] : [])].map((f) => readInput(io, f));
      const failed = [...read.filter((r) => Array.isArray(r)).flat(), ...files.filter(isUnreadable)];
      if (failed.length > 0) {
        // A file that cannot be read is a usage error, as in every command.
        report(io, format, failed, new Map(), true);
        setExit(2);
        return;
      }
      const [globals, hostsFile] = files as ImportInput[];
      const configFiles = opts.configDir === undefined ? undefined : readConfigDir(io, opts.configDir);
      if (opts.configDir !== undefined && configFiles === undefined)
        throw new UsageError(`--config-dir ${opts.configDir} is not a directory`);
      const inputs = [
        ...inventories.flatMap((s) => [...s.files, ...s.varsFiles]),
        ...(files as ImportInput[]),
      ];
      if (opts.out && inputs.some((i) => resolve(io.cwd, i.file) === resolve(io.cwd, opts.out!))) {
        throw new UsageError(`--out ${opts.out} would overwrite one of the input files`);
      }
      const result = importKolla({
        inventory: inventories,
        globals: globals!,
        hostsFile,
        configDir: configFiles && {
          dir: opts.configDir!,
          files: configFiles,
          renderProfile: renderedProfile,
        },
        lenient: opts.lenient ?? false,
        cloud: opts.cloud,
        outName: opts.out ?? "topology.yaml",
      });
      const sources = new Map([
        ...inputs.map((i): [string, string] => [i.file, i.text]),
        ...(configFiles ?? []).flatMap((f): [string, string][] =>
          f.text === undefined ? [] : [[f.file, f.text]],
        ),
      ]);
      if (result.yaml !== undefined && opts.out) {
        try {
          writeFileSync(resolve(io.cwd, opts.out), result.yaml);
        } catch (e) {
          report(io, format, result.diagnostics, sources, true);
          throw new CliFailure(
            `cannot write ${opts.out}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
            1,
            { code: "E-SYS-001", cause: e },
          );
        }
      }
      report(
        io,
        format,
        result.diagnostics,
        sources,
        Boolean(opts.out) || result.yaml === undefined,
        result.yaml !== undefined ? (opts.out ?? "-") : undefined,
      );
      if (result.yaml === undefined) {
        if (format === "text")
          io.err(`hacloud: import failed (${summarize(result.diagnostics)}); no topology written\n`);
        setExit(1);
        return;
      }
      if (opts.out) {
        if (format === "text") info(io, `wrote ${opts.out} (${summarize(result.diagnostics)})\n`);
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
  written?: string,
) {
  if (format === "json") {
    (stdoutFree ? io.out : io.err)(
      jsonDocument("import", { written: written ?? null, diagnostics: diagnosticRows(diagnostics) }),
    );
    return;
  }
  if (diagnostics.length > 0) io.err(formatDiagnostics(diagnostics, { color: errColor(io), sources }));
}
