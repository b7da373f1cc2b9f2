/**
 * Running drills from a lab test: one scenario at a time, each asserted to have run (no error),
 * every run kept for the reports the file writes in afterAll (CI keeps them).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { expect } from "vitest";
import { reportFiles } from "../../../src/drill/report/files.ts";
import type { DrillResult, DrillRun } from "../../../src/drill/result.ts";
import { runDrills } from "../../../src/drill/runner.ts";
import { WorkloadKeeper } from "../../../src/drill/workload-keeper.ts";
import type { ScenarioName } from "../../../src/drill/scenarios.ts";
import { DEFAULT_RATES } from "../../../src/probes/types.ts";
import type { Target } from "../../../src/targets/target.ts";

// CI shares 2 cores with everything else: Keystone probes at 20/s and 2/s (the CLI's defaults are the
// issue's 50/s and 5/s) keep three single-process Keystones out of congestion collapse, and so do the
// catalogue probes at 1/s for Neutron, Nova and Placement: with the whole plane up, neutron-server
// answered the network-get probe's 5/s in 6-11 s, and nova-compute's own Neutron calls during an
// evacuation queued behind them for minutes. The other probes run at their full rates. The
// assertions are about behaviour, not the profile's timing targets.
const RATES = {
  "keystone-get": { ...DEFAULT_RATES["keystone-get"], perSecond: 20 },
  "token-issue": { ...DEFAULT_RATES["token-issue"], perSecond: 2 },
  "network-get": { ...DEFAULT_RATES["network-get"], perSecond: 1 },
  "compute-get": { ...DEFAULT_RATES["compute-get"], perSecond: 1 },
  "placement-get": { ...DEFAULT_RATES["placement-get"], perSecond: 1 },
};

/** The drills of one lab test file. */
export class DrillSession {
  private readonly runs: DrillRun[] = [];
  /** Drills of the file in a row over the same workload make it once, as `hacloud drill a b` does. */
  private readonly keeper = new WorkloadKeeper();

  constructor(private readonly target: () => Target) {}

  /** Runs one scenario; fails the test when the drill could not run. */
  async drill(name: ScenarioName): Promise<DrillResult> {
    const run = await runDrills(this.target(), {
      scenarios: [name],
      rates: RATES,
      healthTimeoutMs: 180_000,
      // 3 s of normal service before the fault and after the recovery, not the CLI's 5 s: at 20/s
      // that is 60 samples for the slow limit, and 17 drills in the suite save a minute
      baselineMs: 3_000,
      afterMs: 3_000,
      keeper: this.keeper,
      // the time of day on each line: CI's log then shows where a slow drill spent its time
      log: (m) => process.stderr.write(`  [${new Date().toISOString().slice(11, 19)}] ${m}\n`),
    });
    this.runs.push(run);
    const d = run.drills[0]!;
    expect(d.error, d.notes.join("; ")).toBeUndefined();
    return d;
  }

  /** Tears down the workload the last drill left for the next (the file's afterAll, before `lab down`). */
  close(): Promise<void> {
    return this.keeper.close();
  }

  /** Writes one report of every drill run so far (text, JSON, JUnit, HTML) into `dir`. */
  writeReports(dir: string): void {
    if (this.runs.length === 0) return;
    mkdirSync(dir, { recursive: true });
    const all: DrillRun = {
      ...this.runs[0]!,
      finishedAt: this.runs.at(-1)!.finishedAt,
      drills: this.runs.flatMap((r) => r.drills),
    };
    for (const [name, content] of Object.entries(reportFiles(all))) writeFileSync(`${dir}${name}`, content);
  }
}

/** One probe's result in a drill. */
export const probeOf = (d: DrillResult, name: string) => d.probes.find((p) => p.name === name)!;
