/**
 * One lab for a whole test file, as the tier tests share it: `lab down` then `lab up` before the
 * file's tests, the drill reports and `lab down` after them (even when they failed), and then the
 * proof that nothing of the lab is left on the machine. Call it inside the file's `describe`.
 */
import { cpSync, existsSync, readdirSync } from "node:fs";
import { afterAll, beforeAll, expect } from "vitest";
import { HacloudError } from "../../../src/errors.ts";
import type { DrillResult } from "../../../src/drill/result.ts";
import type { ScenarioName } from "../../../src/drill/scenarios.ts";
import type { Plan } from "../../../src/plan/types.ts";
import { cloudsYamlPath, labCloudName } from "../../../src/targets/lab/clouds-yaml.ts";
import { labDown } from "../../../src/targets/lab/down.ts";
import { recordTimings } from "../../../src/targets/lab/events.ts";
import { labLayout } from "../../../src/targets/lab/layout.ts";
import { hostArgv, loadSavedLab, runtimeOf } from "../../../src/targets/lab/runtime.ts";
import type { LabService } from "../../../src/targets/lab/service.ts";
import { LAB_SERVICES } from "../../../src/targets/lab/services/index.ts";
import { openLabTarget, type LabTarget } from "../../../src/targets/lab/target.ts";
import { labUp } from "../../../src/targets/lab/up.ts";
import { run } from "../../../src/util/run.ts";
import { DrillSession } from "./drills.ts";
import { journalPids, leftovers, rootLinks } from "./lab.ts";

/** What a test file's lab offers its tests. */
export interface LabFile {
  readonly layout: ReturnType<typeof labLayout>;
  /** The lab target, once `lab up` has run. */
  target(): LabTarget;
  /** Runs one drill (asserted to have run); the file's reports are written to `out` after the tests. */
  readonly drill: (name: ScenarioName) => Promise<DrillResult>;
  /** A command inside a lab host; the client namespace runs `openstack` with the lab's clouds.yaml. */
  readonly inHost: (host: string, argv: readonly string[]) => Promise<string>;
  /** The real `openstack` client in the client namespace, its JSON output parsed. */
  readonly openstack: (...args: string[]) => Promise<unknown>;
}

export function labForFile(opts: {
  readonly plan: Plan;
  readonly file: string;
  readonly services: readonly LabService[];
  /** Where the drill reports go, for CI to keep. */
  readonly out: string;
}): LabFile {
  const { plan } = opts;
  const layout = labLayout(plan);
  const seenPids: { pid: number; start?: number }[] = [];
  let linksBefore: ReadonlySet<string> = new Set();
  let target: LabTarget | undefined;
  const session = new DrillSession(() => lab.target());

  const inHost = async (host: string, argv: readonly string[]): Promise<string> => {
    const rt = runtimeOf(loadSavedLab(layout.stateDir)!, LAB_SERVICES);
    const [bin, ...rest] = hostArgv(rt, host, argv);
    const r = await run(bin!, rest, {
      env: { OS_CLIENT_CONFIG_FILE: cloudsYamlPath(layout.stateDir), PATH: "/usr/sbin:/usr/bin:/sbin:/bin" },
      timeoutMs: 120_000,
    });
    return r.stdout;
  };

  const lab: LabFile = {
    layout,
    target() {
      if (target === undefined) throw new Error("the lab is not up (its beforeAll failed)");
      return target;
    },
    drill: (name) => session.drill(name),
    inHost,
    openstack: async (...args) => {
      const out = await inHost(layout.client.name, [
        "openstack",
        "--os-cloud",
        labCloudName(plan.cloud),
        ...args,
        "-f",
        "json",
      ]);
      return JSON.parse(out) as unknown;
    },
  };

  beforeAll(async () => {
    linksBefore = await rootLinks();
    await labDown({ cloud: plan.cloud });
    const { sink, timings } = recordTimings();
    const started = performance.now();
    try {
      await labUp({ plan, topologyFile: opts.file, services: opts.services, gateTimeoutMs: 240_000, sink });
    } catch (e) {
      keepLabLogs(layout.stateDir, `${opts.out}lab-logs`, e);
      throw e;
    }
    // in CI's log: where a slow cold start spent its time (steps overlap: services start in parallel)
    const steps = timings.map((t) => `${t.step} ${(t.ms / 1000).toFixed(1)} s`).join(", ");
    process.stderr.write(`  lab up ${((performance.now() - started) / 1000).toFixed(1)} s: ${steps}\n`);
    target = openLabTarget(plan.cloud);
  });

  afterAll(async () => {
    try {
      session.writeReports(opts.out);
      seenPids.push(...journalPids(layout));
      // the kept workload goes before the lab: its tear-down is part of what the drills must do
      if (target !== undefined) await session.close();
    } finally {
      await labDown({ cloud: plan.cloud });
    }
    expect(await leftovers(layout, linksBefore, seenPids)).toEqual([]);
  });

  return lab;
}

/**
 * A failed `lab up` in CI is explained by the daemons' logs, which `lab down` deletes: the error's
 * log tails go to the test's output, and every host's log directory to `dir` (CI keeps out/).
 */
function keepLabLogs(stateDir: string, dir: string, e: unknown): void {
  if (e instanceof HacloudError)
    for (const t of e.details) process.stderr.write([`--- ${t.file}`, ...t.lines, ""].join("\n"));
  const hosts = `${stateDir}/hosts`;
  if (!existsSync(hosts)) return;
  for (const h of readdirSync(hosts))
    if (existsSync(`${hosts}/${h}/log`)) cpSync(`${hosts}/${h}/log`, `${dir}/${h}`, { recursive: true });
  process.stderr.write(`  the lab's logs are kept in ${dir}\n`);
}
