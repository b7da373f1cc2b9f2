import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { reportFiles } from "../../drill/report/files.ts";
import { analyseSla } from "../../sla/analyse.ts";
import { parseMeasuredReport } from "../../sla/measured.ts";
import { slaSummary } from "../../sla/summary.ts";
import { renderJson } from "../../drill/report/json.ts";
import { renderText } from "../../drill/report/text.ts";
import { runDrills } from "../../drill/runner.ts";
import { PRODUCTION_FLAG } from "../../drill/safety.ts";
import { unmetRequirements } from "../../drill/requirements.ts";
import { isScenarioName, SCENARIO_NAMES, SCENARIOS, type ScenarioName } from "../../drill/scenarios.ts";
import { didYouMean } from "../../diagnostics/suggest.ts";
import { silentSink } from "../../events.ts";
import { PROFILES } from "../../spec/schema.ts";
import { CliFailure, info, UsageError } from "../io.ts";
import { formatHelp, formatOf, JSON_HELP } from "../output.ts";
import { progressSink } from "../progress.ts";
import type { RegisterCommand } from "./index.ts";
import { openTarget, targetOptionHelp } from "./target-open.ts";

/** Chooses the scenarios from the arguments and --all. */
export function chooseScenarios(names: readonly string[], all: boolean): ScenarioName[] {
  if (all && names.length > 0) throw new UsageError("give scenario names or --all, not both");
  if (all) return [...SCENARIO_NAMES];
  if (names.length === 0)
    throw new UsageError(`name a scenario or use --all; scenarios: ${SCENARIO_NAMES.join(", ")}`);
  const unknown = names.filter((n) => !isScenarioName(n));
  if (unknown.length > 0) {
    const guesses = unknown.map((n) => didYouMean(n, SCENARIO_NAMES)).join("");
    throw new UsageError(
      `unknown scenario ${unknown.join(", ")}; scenarios: ${SCENARIO_NAMES.join(", ")}.${guesses}`,
    );
  }
  return names as ScenarioName[];
}

/** `hacloud drill SCENARIO… | --all`: break the HA design on purpose and measure what users feel. */
export const registerDrill: RegisterCommand = (program, io, setExit) => {
  program
    .command("drill")
    .description(`inject failures while probing through the VIP; scenarios: ${SCENARIO_NAMES.join(", ")}`)
    .argument("[scenarios...]", "scenario names")
    .option("--all", "run every scenario this cloud can run (quorum loss last)")
    .option("--profile <profile>", `the failover profile the cloud must run (${PROFILES.join(", ")})`)
    .option("--format <format>", formatHelp(), "text")
    .option("--json", JSON_HELP)
    .option("--report <dir>", "write report.txt, report.json, junit.xml, report.html and report.css to DIR")
    .option("--target <name>", targetOptionHelp(), "lab")
    .option("--cloud <name>", "which lab, when several are up")
    .option(PRODUCTION_FLAG, "allow drills on a target that is not the lab")
    .action(async (names, opts) => {
      const format = formatOf(opts);
      const scenarios = chooseScenarios(names, opts.all ?? false);
      if (opts.profile !== undefined && !(PROFILES as readonly string[]).includes(opts.profile)) {
        throw new UsageError(
          `unknown profile ${opts.profile}; use one of: ${PROFILES.join(", ")}.${didYouMean(opts.profile, PROFILES)}`,
        );
      }
      // The target's own events stay quiet: a repair it runs as a recovery action (Galera's `lab up`)
      // is reported by the drill's recovery line and note, not step by step in the middle of a drill.
      const target = openTarget(opts.target, { cloud: opts.cloud }, silentSink);
      if (opts.profile !== undefined && opts.profile !== target.plan.profileName) {
        throw new CliFailure(
          `${target.name} runs the ${target.plan.profileName} profile, not ${opts.profile}\n` +
            `hint: set \`profile: ${opts.profile}\` in the topology, then \`hacloud lab down && hacloud lab up FILE\` (bench/drills.ts runs both profiles)`,
        );
      }
      // --all means every scenario that fits this cloud: an L3 HA cloud has no SNAT node to crash
      const runnable = opts.all
        ? scenarios.filter((n) => {
            const missing = unmetRequirements(target.plan, SCENARIOS[n].requires);
            if (missing.length > 0) io.err(`skipping ${n}: ${missing.join("; ")}\n`);
            return missing.length === 0;
          })
        : scenarios;
      const ac = new AbortController();
      const onSignal = (): void => {
        io.err("interrupted: undoing the fault, then stopping\n");
        ac.abort();
      };
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
      try {
        const run = await runDrills(target, {
          scenarios: runnable,
          allowProduction: (opts as Record<string, unknown>)["iKnowThisIsProduction"] === true,
          signal: ac.signal,
          sink: progressSink(io),
        });
        io.out(format === "json" ? renderJson(run) : renderText(run));
        if (opts.report !== undefined) {
          const dir = resolve(io.cwd, opts.report);
          mkdirSync(dir, { recursive: true });
          // The SLA model with the failover downtimes these drills measured.
          const measured = parseMeasuredReport("drill run", renderJson(run), target.plan.profileName).report;
          const sla = slaSummary(analyseSla(target.plan, { measured }));
          for (const [name, content] of Object.entries(reportFiles(run, sla)))
            writeFileSync(join(dir, name), content);
          info(io, `reports written to ${dir}\n`);
        }
        setExit(ac.signal.aborted ? 130 : run.drills.every((d) => d.passed) ? 0 : 1);
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    });
};
