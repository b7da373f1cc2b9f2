/**
 * Runs drills against a Target, one scenario after the other, each through
 * the same phases (src/drill/phases/): prepare (healthy start,
 * requirements, workload, faults), baseline, inject, observe, undo and
 * recover, verify healthy, teardown, measure. The undo runs in `finally`,
 * so an error or an abort (Ctrl-C) still restores the cloud, and a
 * workload is torn down whatever happened. Nothing here names a scenario.
 */
import { randomBytes } from "node:crypto";
import { HacloudError } from "../errors.ts";
import { silentSink, teeSink, type EventSink } from "../events.ts";
import { nowMs } from "../probes/scheduler.ts";
import type { ProbeRate, UserProbe } from "../probes/types.ts";
import { describeFault } from "../targets/fault.ts";
import type { Target } from "../targets/target.ts";
import { Monitor, MONITOR_INTERVALS, type MonitorIntervals } from "./monitor.ts";
import { baseline } from "./phases/baseline.ts";
import { inject } from "./phases/inject.ts";
import { isolatedHostNote } from "./evacuation.ts";
import { measureDrill } from "./phases/measure.ts";
import { observe } from "./phases/observe.ts";
import { followRouter, prepare, type WorkloadSlot } from "./phases/prepare.ts";
import { restore } from "./phases/restore.ts";
import { verifyHealthy } from "./phases/verify-healthy.ts";
import { DrillRecorder, drillLogSink, type DrillLog } from "./recorder.ts";
import type { DrillResult, DrillRun } from "./result.ts";
import { targetRefusal } from "./safety.ts";
import { ScenarioError, type Scenario, type Workload } from "./scenario.ts";
import { WorkloadKeeper } from "./workload-keeper.ts";
import { SCENARIOS, type ScenarioName } from "./scenarios.ts";
import { errorText, sleep } from "./sleep.ts";
import { UndoStack } from "./undo-stack.ts";
import { WorkerProcess } from "../probes/worker-process.ts";
import { activeHosts, stateDisagreements } from "../observe/routers.ts";

/** Options of a drill run. */
export interface DrillOptions {
  readonly scenarios: readonly ScenarioName[];
  /** Allow a target other than the lab. */
  readonly allowProduction?: boolean;
  readonly signal?: AbortSignal;
  /** Receives the drills' progress: each phase, fault and end of hold (`drill-event`), leftovers undone. */
  readonly sink?: EventSink;
  /** The same progress as lines of text (callers written before `sink`); both may be given. */
  readonly log?: DrillLog;
  readonly baselineMs?: number;
  readonly afterMs?: number;
  /** How long to wait for the target to be healthy before and after each drill. */
  readonly healthTimeoutMs?: number;
  readonly rates?: Readonly<Partial<Record<UserProbe, ProbeRate>>>;
  /** Overrides every scenario's hold (quick runs, tests). */
  readonly hold?: { readonly minMs: number; readonly maxMs: number };
  readonly monitor?: MonitorIntervals;
  /** The probe worker's command line (tests put a fake here); default: src/probes/worker.ts under tsx. */
  readonly worker?: { readonly file: string; readonly args: readonly string[] };
  /** Keep the raw samples in the result (the HTML report needs them). */
  readonly keepTimeline?: boolean;
  /**
   * Keeps the last drill's workload for drills given in later calls (a test file's drills, one per
   * test); its owner tears it down with `close()`. Without it, a run tears down what it made.
   */
  readonly keeper?: WorkloadKeeper;
}

/** A drill run that was refused before it started (not the lab, no explicit flag). */
export class DrillRefused extends HacloudError {
  override readonly name = "DrillRefused";
  override readonly code = "E-DRILL-002";
}

/** Runs the scenarios one after the other; never throws for a failing drill (it is a result). */
export async function runDrills(target: Target, opts: DrillOptions): Promise<DrillRun> {
  const refusal = targetRefusal(target.kind, opts.allowProduction ?? false);
  if (refusal !== undefined) throw new DrillRefused(refusal);
  const sink = drillSink(opts);
  const startedAt = new Date().toISOString();
  const leftovers = await target.undoLeftovers();
  for (const fault of leftovers) sink({ kind: "leftover-undone", fault });
  const drills: DrillResult[] = [];
  // Drills in a row over the same workload make it once (src/drill/workload-keeper.ts).
  const keeper = opts.keeper ?? new WorkloadKeeper();
  for (const [i, name] of opts.scenarios.entries()) {
    if (opts.signal?.aborted) break;
    const following = opts.scenarios[i + 1];
    const next =
      opts.keeper !== undefined
        ? "unknown"
        : following !== undefined
          ? SCENARIOS[following].workload
          : undefined;
    // `sink` already carries the log: each line once.
    drills.push(
      await runScenario(target, SCENARIOS[name], { ...opts, sink, log: undefined }, { keeper, next }),
    );
  }
  // A workload kept for a drill that did not come (interrupted, or refused before its set-up).
  if (opts.keeper === undefined) {
    try {
      await keeper.close();
    } catch (e) {
      const last = drills.at(-1);
      if (last !== undefined)
        drills[drills.length - 1] = {
          ...last,
          passed: false,
          notes: [...last.notes, `workload teardown failed: ${errorText(e)}`],
        };
    }
  }
  return { target: target.name, startedAt, finishedAt: new Date().toISOString(), drills };
}

/** The one sink of a run: the caller's sink and log together, or nothing. */
function drillSink(opts: Pick<DrillOptions, "sink" | "log">): EventSink {
  if (opts.sink === undefined && opts.log === undefined) return silentSink;
  return teeSink(opts.sink, opts.log !== undefined ? drillLogSink(opts.log) : undefined);
}

/** How a drill is chained to the others of its run: who keeps the workload, and what comes next. */
export interface DrillChain {
  readonly keeper: WorkloadKeeper;
  /** The next drill's workload; "unknown" when drills are given one by one (the keeper's owner closes it). */
  readonly next: Workload | undefined | "unknown";
}

/** Runs one scenario (registered or not) through every phase; a failure is a result, never a throw. */
export async function runScenario(
  target: Target,
  scenario: Scenario,
  opts: Omit<DrillOptions, "scenarios">,
  chain: DrillChain = { keeper: new WorkloadKeeper(), next: undefined },
): Promise<DrillResult> {
  const s: Scenario = opts.hold ? { ...scenario, hold: opts.hold } : scenario;
  const rec = new DrillRecorder(s.name, drillSink(opts));
  const workload: WorkloadSlot = { keeper: chain.keeper };
  let result: DrillResult;
  try {
    result = await runPhases(target, s, opts, rec, workload);
  } catch (e) {
    // The phases undo their own faults; what reaches here failed before or after them.
    result = failedResult(target, s, rec, errorText(e));
  }
  if (workload.handle !== undefined && s.workload !== undefined) {
    const clean = result.error === undefined && result.healthyAfterS !== null;
    try {
      await chain.keeper.settle(
        s.workload,
        workload.handle,
        { clean, faults: workload.faults ?? [], next: chain.next },
        rec,
      );
    } catch (e) {
      // What the drill made is still there: the cloud is not as the drill found it.
      rec.note(`workload teardown failed: ${errorText(e)}`);
      result = { ...result, passed: false };
    }
  }
  return result;
}

function failedResult(target: Target, s: Scenario, rec: DrillRecorder, error: string): DrillResult {
  return {
    scenario: s.name,
    profile: target.plan.profileName,
    target: target.name,
    startedAt: new Date().toISOString(),
    passed: false,
    error,
    faults: [],
    recoveryS: null,
    healthyAfterS: null,
    placedBefore: {},
    moves: [],
    probes: [],
    checks: [],
    notes: rec.notes,
  };
}

/**
 * After the recovery the workload's router must be active on exactly one node again (no split
 * brain, LP#2083609): waits up to a minute for it; returns the drill's error when it is not.
 */
async function singleActiveRouter(
  target: Target,
  router: string,
  rec: DrillRecorder,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const deadline = nowMs() + 60_000;
  let seen = await target.observe("routers", signal);
  while (activeHosts(seen, router).length !== 1 && nowMs() < deadline) {
    await sleep(500, signal);
    seen = await target.observe("routers", signal);
  }
  const hosts = activeHosts(seen, router);
  const disagree = stateDisagreements(seen, router);
  if (disagree.length > 0)
    rec.note(`neutron's record of the router disagrees with its addresses: ${disagree.join("; ")}`);
  if (hosts.length === 1) {
    rec.note(`after the recovery the router is active on ${hosts[0]!} only`);
    return undefined;
  }
  return `after the recovery the router is active on ${hosts.length === 0 ? "no node" : hosts.join(" and ")}`;
}

async function runPhases(
  target: Target,
  s: Scenario,
  opts: Omit<DrillOptions, "scenarios">,
  rec: DrillRecorder,
  workload: WorkloadSlot,
): Promise<DrillResult> {
  const signal = opts.signal;
  const healthTimeoutMs = opts.healthTimeoutMs ?? 300_000;
  const baselineMs = opts.baselineMs ?? 5_000;
  const afterMs = opts.afterMs ?? 5_000;

  const prepared = await prepare(target, s, rec, workload, healthTimeoutMs, signal);
  if (!prepared.ok) return failedResult(target, s, rec, prepared.error);
  const { state } = prepared;
  let faults = prepared.faults;

  const runId = `${s.name}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
  const endpoints = { ...(await target.probeEndpoints()), ...workload.handle?.probes };
  const deadlineMs = baselineMs + s.hold.maxMs + healthTimeoutMs + afterMs + 120_000;
  const worker = new WorkerProcess();
  const monitor = new Monitor(
    target,
    opts.monitor ?? MONITOR_INTERVALS,
    workload.handle?.facts.router,
    workload.handle?.facts.compute,
  );
  const undo = new UndoStack();
  const holders = state.observed.vip.holders;
  const facts = workload.handle?.facts;
  const router = facts?.router;
  const placedAtStart: Record<string, string | null> = {
    vip: holders.length === 1 ? holders[0]! : null,
    ...(router !== undefined ? { router: facts?.active ?? null, "router-api": facts?.active ?? null } : {}),
  };
  const start = nowMs();
  let faultAt = start;
  let undoAt = start;
  let healthyAfterS: number | null = null;
  let stopAt: number | undefined;
  let error: string | undefined;
  /** What still ran on the workload's compute when a link fault was undone. */
  let runningAtUndo: readonly string[] = [];

  try {
    try {
      const setup = { runId, endpoints, rates: opts.rates, deadlineMs, worker: opts.worker };
      const base = await baseline(target, s, rec, { worker, monitor, setup }, baselineMs, signal);
      const followed = await followRouter(target, s, rec, faults, facts ?? {}, signal);
      if (!followed.ok) throw new ScenarioError(followed.error);
      faults = followed.faults;
      if (router !== undefined && followed.facts.active !== facts?.active)
        placedAtStart["router"] = placedAtStart["router-api"] = followed.facts.active ?? null;
      workload.faults = faults;
      await inject(target, faults, undo, rec, (t) => (faultAt = t));
      await observe(
        s,
        rec,
        { worker, monitor, baseline: base, placedBefore: placedAtStart },
        faultAt,
        signal,
      );
      const compute = facts?.compute;
      if (compute !== undefined && faults.some((f) => f.kind === "link-cut" || f.kind === "partition"))
        runningAtUndo = (await target.state(signal)).services
          .filter((x) => x.host === compute && x.running)
          .map((x) => x.service);
    } catch (e) {
      error = errorText(e);
    } finally {
      undoAt = nowMs();
      await restore(target, s, undo, rec, error !== undefined, signal);
    }
    if (error === undefined)
      healthyAfterS = await verifyHealthy(target, rec, undoAt, { healthTimeoutMs, afterMs }, signal);
    if (error === undefined && router !== undefined)
      error = await singleActiveRouter(target, router, rec, signal);
  } catch (e) {
    error ??= errorText(e);
  } finally {
    // The drill ends when probing stops, not when the worker has exited: its shutdown is no gap.
    stopAt = nowMs();
    await worker.stop();
    monitor.stop();
  }
  const end = stopAt;
  rec.event("probes stopped");
  if (worker.errors.length > 0) rec.note(`probe worker: ${worker.errors.join("; ")}`);

  const phases = { start, faultAt, undoAt, end };
  const m = await measureDrill(
    target,
    s,
    rec,
    {
      worker,
      monitor,
      phases,
      runId,
      endpoints,
      workerCommand: opts.worker,
      placedAtStart,
      faultHosts: faults.flatMap((f) => ("host" in f ? [f.host] : [])),
      ...(facts?.compute !== undefined ? { computeHost: facts.compute } : {}),
    },
    { interrupted: error === "interrupted", judged: error === undefined },
  );
  const isolated = m.evacuation === undefined ? undefined : isolatedHostNote(m.evacuation, runningAtUndo);
  if (isolated !== undefined) rec.note(isolated);
  return {
    scenario: s.name,
    profile: target.plan.profileName,
    target: target.name,
    startedAt: new Date(start).toISOString(),
    passed: error === undefined && m.checks.every((c) => c.passed),
    ...(error !== undefined ? { error } : {}),
    faults: faults.map(describeFault),
    phases,
    recoveryS: m.recoveryS,
    healthyAfterS,
    placedBefore: m.placedBefore,
    moves: m.moves,
    probes: m.probes,
    checks: m.checks,
    ...(m.evacuation !== undefined ? { evacuation: m.evacuation } : {}),
    notes: rec.notes,
    ...(opts.keepTimeline !== false
      ? {
          timeline: {
            samples: worker.samples,
            vip: monitor.vip,
            backends: monitor.backends,
            galera: monitor.galera,
            events: rec.events,
          },
        }
      : {}),
  };
}
