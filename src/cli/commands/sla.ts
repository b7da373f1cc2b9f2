import { hasErrors, type Diagnostic } from "../../diagnostics/diagnostic.ts";
import { formatDiagnostics } from "../../diagnostics/format.ts";
import { buildPlan } from "../../plan/build.ts";
import { locate } from "../../check.ts";
import { analyseSla, unknownHosts } from "../../sla/analyse.ts";
import { parseMeasuredReport, type MeasuredReport } from "../../sla/measured.ts";
import { validateSlaRates } from "../../sla/rates.ts";
import { slaJson } from "../../sla/report-json.ts";
import { slaText } from "../../sla/report-text.ts";
import { CliFailure, UsageError, errColor, type CliIO } from "../io.ts";
import { readInputOrFail } from "../inputs.ts";
import { formatHelp, formatOf, JSON_HELP, jsonDocument } from "../output.ts";
import { loadTopology, validTopology } from "../load-topology.ts";
import type { RegisterCommand } from "./index.ts";

function positiveInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${flag} takes a whole number ≥ 1, not \`${value}\``);
  return n;
}

function printDiagnostics(
  io: CliIO,
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
): void {
  if (diagnostics.length > 0) io.err(formatDiagnostics(diagnostics, { color: errColor(io), sources }));
}

function readMeasured(
  io: CliIO,
  file: string,
  profile: Parameters<typeof parseMeasuredReport>[2],
): MeasuredReport {
  const read = readInputOrFail(io, file);
  const parsed = parseMeasuredReport(file, read.text, profile);
  printDiagnostics(io, parsed.diagnostics, new Map([[file, read.text]]));
  if (!parsed.report || hasErrors(parsed.diagnostics)) {
    throw new CliFailure(`${file} is not a usable drill report (see above)`);
  }
  return parsed.report;
}

/** `hacloud sla FILE [--json] [--fail HOST,…] [--measured REPORT.json]`: the availability model. */
export const registerSla: RegisterCommand = (program, io) => {
  program
    .command("sla")
    .description(
      "availability of a topology per service and overall, downtime per 30-day month, error budget, single points of failure, cut sets, what-if",
    )
    .argument("<file>", "topology file (`-` for standard input)")
    .option("--format <format>", formatHelp(), "text")
    .option("--json", JSON_HELP)
    .option("--fail <hosts>", "comma-separated hosts to treat as failed: which services survive, and why")
    .option(
      "--measured <report>",
      "drill report (JSON) whose measured failover downtimes replace the predicted ones",
    )
    .option("--max-order <n>", "largest cut set to search, in hosts (default 3)")
    .option("--min-backends <k>", "backends a stateless API needs to carry its load (default 1)")
    .action((file, opts) => {
      const format = formatOf(opts);
      const loaded = loadTopology(file, io);
      const topology = validTopology(loaded, io);
      const maxOrder = positiveInt("--max-order", opts.maxOrder, 3);
      const apiMinBackends = positiveInt("--min-backends", opts.minBackends, 1);
      const plan = buildPlan(topology);
      if (loaded.source) {
        const zones = plan.hosts.map((h) => h.zone);
        const rateProblems = validateSlaRates(topology.sla?.rates, zones).map((f) =>
          locate(loaded.source!, f),
        );
        printDiagnostics(io, rateProblems, new Map([[file, loaded.source.text]]));
        if (hasErrors(rateProblems)) throw new CliFailure(`${file}: fix sla.rates first (see above)`);
      }
      const failed = (opts.fail ?? "")
        .split(",")
        .map((h) => h.trim())
        .filter((h) => h !== "");
      if (opts.fail !== undefined && failed.length === 0)
        throw new UsageError("--fail needs host names, e.g. --fail cc01,cc02");
      const unknown = unknownHosts(plan, failed);
      if (unknown.length > 0) throw new UsageError(`--fail: ${unknown.join("; ")}`);
      const measured =
        opts.measured === undefined ? undefined : readMeasured(io, opts.measured, plan.profileName);
      const analysis = analyseSla(plan, { failed, measured, maxOrder, apiMinBackends });
      io.out(
        format === "json" ? jsonDocument("sla", slaJson(analysis)) : slaText(analysis, { color: io.color }),
      );
    });
};
