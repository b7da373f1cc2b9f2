/**
 * Phase 2, baseline: the probes start where the users are, the monitor
 * starts watching the infrastructure, and a few seconds of normal service
 * give each probe its "slow" limit. A watched probe that already fails
 * cannot show recovery: it is judged, but not waited for.
 */
import { DEFAULT_RATES, USER_PROBES, type ProbeRate, type UserProbe } from "../../probes/types.ts";
import type { ProbeEndpoints, Target } from "../../targets/target.ts";
import type { Monitor } from "../monitor.ts";
import type { DrillRecorder } from "../recorder.ts";
import type { Scenario } from "../scenario.ts";
import { sleep } from "../sleep.ts";
import { slowLimitMs, summarizeLatency } from "../stats.ts";
import { workerArgv, type WorkerProcess } from "../../probes/worker-process.ts";

/** What the baseline learnt. */
export interface Baseline {
  /** Per probe: a request slower than this (ms) counts as bad. */
  readonly slowMs: ReadonlyMap<UserProbe, number>;
  /** Watched probes that were failing before the fault. */
  readonly unjudgeable: ReadonlySet<UserProbe>;
}

/** How the probes are started. */
export interface ProbeSetup {
  readonly runId: string;
  readonly endpoints: ProbeEndpoints;
  readonly rates?: Readonly<Partial<Record<UserProbe, ProbeRate>>>;
  readonly deadlineMs: number;
  readonly worker?: { readonly file: string; readonly args: readonly string[] };
}

/** Starts probing and monitoring, then measures `baselineMs` of normal service. */
export async function baseline(
  target: Target,
  s: Scenario,
  rec: DrillRecorder,
  probes: { readonly worker: WorkerProcess; readonly monitor: Monitor; readonly setup: ProbeSetup },
  baselineMs: number,
  signal?: AbortSignal,
): Promise<Baseline> {
  const { worker, monitor, setup } = probes;
  const w = setup.worker ?? workerArgv();
  const site = target.probeSite();
  rec.event(`starting probes in ${site.description}`);
  await worker.start(site.worker(w), {
    mode: "probe",
    runId: setup.runId,
    endpoints: setup.endpoints,
    probes: Object.fromEntries(USER_PROBES.map((p) => [p, setup.rates?.[p] ?? DEFAULT_RATES[p]])),
    deadlineMs: setup.deadlineMs,
  });
  monitor.start();
  await sleep(baselineMs, signal);
  const slowMs = new Map(
    USER_PROBES.map((p) => [p, slowLimitMs(summarizeLatency(worker.samples.filter((x) => x.probe === p)))]),
  );
  const errors = worker.samples.filter((x) => !x.ok).length;
  if (errors > 0) rec.note(`${errors} request(s) failed during the baseline, before any fault`);
  const unjudgeable = new Set<UserProbe>();
  for (const p of s.watch) {
    const b = worker.samples.filter((x) => x.probe === p);
    const bad = b.filter((x) => !x.ok).length;
    if (b.length === 0 || bad / b.length > 0.5) {
      unjudgeable.add(p);
      rec.note(
        `${p} was failing before the fault (${bad} of ${b.length} requests): the cloud was not healthy under probe load`,
      );
    }
  }
  return { slowMs, unjudgeable };
}
