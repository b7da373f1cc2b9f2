/**
 * Runs drills against a Target: for each scenario a healthy start, a
 * baseline under probe load, the fault, observation until the service
 * recovered (or the hold timed out), the undo, a wait for health, an
 * after-phase, and the check that no acknowledged write was lost. Undo runs
 * in `finally`, so an error or an abort (Ctrl-C) still restores the cloud.
 */
import { randomBytes } from "node:crypto";
import { nowMs } from "../probes/scheduler.ts";
import {
  DEFAULT_RATES,
  USER_PROBES,
  type ProbeRate,
  type SqlVerifyResult,
  type UserProbe,
} from "../probes/types.ts";
import { describeFault } from "../targets/fault.ts";
import type { Target } from "../targets/target.ts";
import { Monitor, MONITOR_INTERVALS, type MonitorIntervals } from "./monitor.ts";
import type { DrillEvent, DrillResult, DrillRun, ProbeResult } from "./result.ts";
import { quorumBreaches, targetRefusal } from "./safety.ts";
import { SCENARIOS, ScenarioError, type Scenario, type ScenarioName } from "./scenarios.ts";
import { probeStats, slowLimitMs, summarizeLatency, vipMoveSeconds, type Phases } from "./stats.ts";
import { judge, thresholdsFor, type Metric } from "./thresholds.ts";
import { UndoStack } from "./undo-stack.ts";
import { WorkerProcess, workerArgv, workerOnce } from "./worker-process.ts";

/** Progress messages for the CLI (the library never prints). */
export type DrillLog = (message: string) => void;

/** Options of a drill run. */
export interface DrillOptions {
  readonly scenarios: readonly ScenarioName[];
  /** Allow a target other than the lab. */
  readonly allowProduction?: boolean;
  readonly signal?: AbortSignal;
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
}

/** A drill run that was refused before it started (not the lab, no explicit flag). */
export class DrillRefused extends Error {
  override readonly name = "DrillRefused";
}

class Aborted extends Error {
  override readonly name = "Aborted";
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Aborted("interrupted"));
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new Aborted("interrupted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Runs the scenarios one after the other; never throws for a failing drill (it is a result). */
export async function runDrills(target: Target, opts: DrillOptions): Promise<DrillRun> {
  const refusal = targetRefusal(target.kind, opts.allowProduction ?? false);
  if (refusal !== undefined) throw new DrillRefused(refusal);
  const log = opts.log ?? (() => undefined);
  const startedAt = new Date().toISOString();
  const leftovers = await target.undoLeftovers();
  for (const l of leftovers) log(`undid a fault left by an earlier run: ${l}`);
  const drills: DrillResult[] = [];
  for (const name of opts.scenarios) {
    if (opts.signal?.aborted) break;
    try {
      drills.push(await runOne(target, SCENARIOS[name], opts, log));
    } catch (e) {
      // runOne undoes its own faults; what reaches here failed before or after them
      drills.push(failedResult(target, SCENARIOS[name], e instanceof Error ? e.message : String(e)));
    }
  }
  return { target: target.name, startedAt, finishedAt: new Date().toISOString(), drills };
}

function failedResult(
  target: Target,
  s: Scenario,
  error: string,
  extra: Partial<DrillResult> = {},
): DrillResult {
  return {
    scenario: s.name,
    profile: target.plan.profileName,
    target: target.name,
    startedAt: new Date().toISOString(),
    passed: false,
    error,
    faults: [],
    vipMoveS: null,
    recoveryS: null,
    healthyAfterS: null,
    vipBefore: null,
    vipAfter: null,
    probes: [],
    checks: [],
    notes: [],
    ...extra,
  };
}

/** True when every watched probe has answered well for `quietMs` and nothing is hanging. */
function recovered(
  worker: WorkerProcess,
  s: Scenario,
  faultAt: number,
  baselineSlow: ReadonlyMap<UserProbe, number>,
  quietMs: number,
): boolean {
  const now = nowMs();
  for (const p of s.watch) {
    const slow = baselineSlow.get(p) ?? 1_000;
    const samples = worker.samples.filter((x) => x.probe === p && x.t >= faultAt);
    const lastBad = samples
      .filter((x) => !x.ok || x.ms > slow)
      .reduce((m, x) => Math.max(m, x.t + x.ms), faultAt);
    if (now - lastBad < quietMs) return false;
    if (!samples.some((x) => x.ok && x.t > lastBad)) return false;
    const fl = worker.inflight[p];
    if (fl?.oldest !== null && fl?.oldest !== undefined && now - fl.oldest > slow) return false;
  }
  return true;
}

function outageConfirmed(worker: WorkerProcess, s: Scenario, faultAt: number): boolean {
  return s.watch.every((p) => worker.samples.some((x) => x.probe === p && x.t >= faultAt && !x.ok));
}

async function runOne(
  target: Target,
  scenario: Scenario,
  opts: DrillOptions,
  log: DrillLog,
): Promise<DrillResult> {
  const s: Scenario = opts.hold ? { ...scenario, hold: opts.hold } : scenario;
  const signal = opts.signal;
  const healthTimeout = opts.healthTimeoutMs ?? 300_000;
  const baselineMs = opts.baselineMs ?? 5_000;
  const afterMs = opts.afterMs ?? 5_000;
  const events: DrillEvent[] = [];
  const event = (label: string): void => {
    events.push({ t: nowMs(), label });
    log(`${s.name}: ${label}`);
  };
  const notes: string[] = [];

  event("waiting until the target is healthy");
  const pre = await target.waitHealthy(healthTimeout, signal);
  if (!pre.ok)
    return failedResult(target, s, `the target is not healthy before the drill: ${pre.problems.join("; ")}`);

  const state = await target.state(signal);
  let faults;
  try {
    faults = s.faults({ plan: target.plan, state });
  } catch (e) {
    if (e instanceof ScenarioError) return failedResult(target, s, `cannot run on this cloud: ${e.message}`);
    throw e;
  }
  const breaches = quorumBreaches(target.plan, faults, state);
  if (breaches.length > 0 && !s.breaksQuorum) {
    return failedResult(
      target,
      s,
      `refused: it would break quorum (${breaches.map((b) => `${b.group} ${b.remaining}/${b.majority}`).join(", ")})`,
    );
  }
  if (breaches.length > 0)
    notes.push(
      `expected quorum loss: ${breaches.map((b) => `${b.group} keeps ${b.remaining} of a needed ${b.majority}`).join("; ")}`,
    );

  const runId = `${s.name}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
  const endpoints = await target.probeEndpoints();
  const rates = Object.fromEntries(USER_PROBES.map((p) => [p, opts.rates?.[p] ?? DEFAULT_RATES[p]]));
  const deadlineMs = baselineMs + s.hold.maxMs + healthTimeout + afterMs + 120_000;
  const worker = new WorkerProcess();
  const monitor = new Monitor(target, opts.monitor ?? MONITOR_INTERVALS);
  const undo = new UndoStack();
  const unjudgeable = new Set<UserProbe>();
  const vipBefore = state.vip.holders.length === 1 ? state.vip.holders[0]! : null;
  const start = nowMs();
  let faultAt = start;
  let undoAt = start;
  let healthyAfterS: number | null = null;
  let stopAt: number | undefined;
  let error: string | undefined;

  try {
    const w = opts.worker ?? workerArgv();
    event("starting probes in the client namespace");
    await worker.start(target.clientCommand(w.file, w.args), {
      mode: "probe",
      runId,
      endpoints,
      probes: rates,
      deadlineMs,
    });
    monitor.start();
    await sleep(baselineMs, signal);
    const baselineSlow = new Map(
      USER_PROBES.map((p) => [p, slowLimitMs(summarizeLatency(worker.samples.filter((x) => x.probe === p)))]),
    );
    const baselineErrors = worker.samples.filter((x) => !x.ok).length;
    if (baselineErrors > 0)
      notes.push(`${baselineErrors} request(s) failed during the baseline, before any fault`);
    // A probe that was already failing cannot tell recovery apart; judge it, but do not wait for it.
    for (const p of s.watch) {
      const b = worker.samples.filter((x) => x.probe === p);
      const bad = b.filter((x) => !x.ok).length;
      if (b.length === 0 || bad / b.length > 0.5) {
        unjudgeable.add(p);
        notes.push(
          `${p} was failing before the fault (${bad} of ${b.length} requests): the cloud was not healthy under probe load`,
        );
      }
    }

    faultAt = nowMs();
    for (const f of faults) {
      // Registered before the inject: a fault whose inject failed half-way has no handle, but the
      // target journalled its undo before acting, and undoLeftovers() replays it.
      const slot: { handle?: Awaited<ReturnType<Target["inject"]>> } = {};
      undo.push(describeFault(f), async () => {
        if (slot.handle) await slot.handle.undo();
        else await target.undoLeftovers();
      });
      event(`inject ${describeFault(f)}`);
      slot.handle = await target.inject(f);
      if (faults.indexOf(f) === 0) faultAt = slot.handle.injectedAt;
    }

    // Hold the fault: at least minMs, then until recovered (or the outage is confirmed), at most maxMs.
    for (;;) {
      await sleep(250, signal);
      const held = nowMs() - faultAt;
      if (held >= s.hold.maxMs) {
        event(s.expectsOutage ? "hold time over" : "not recovered within the hold time");
        break;
      }
      if (held < s.hold.minMs) continue;
      if (s.expectsOutage) {
        if (outageConfirmed(worker, s, faultAt)) {
          event("outage confirmed");
          break;
        }
        continue;
      }
      const vipOk =
        !s.movesVip || (monitor.currentHolders().length === 1 && monitor.currentHolders()[0] !== vipBefore);
      const judged = { ...s, watch: s.watch.filter((p) => !unjudgeable.has(p)) };
      if (vipOk && recovered(worker, judged, faultAt, baselineSlow, 3_000)) {
        event("recovered");
        break;
      }
    }
  } catch (e) {
    error = e instanceof Aborted ? "interrupted" : e instanceof Error ? e.message : String(e);
  } finally {
    undoAt = nowMs();
    if (undo.pending().length > 0) event("undo");
    const r = await undo.unwind();
    for (const f of r.failed) notes.push(`undo of ${f.label} failed: ${f.error}`);
    if (s.recoverGalera && error === undefined) {
      event("recovering Galera (mariadb-recovery)");
      try {
        notes.push(await target.recoverGalera(signal));
      } catch (e) {
        notes.push(`Galera recovery failed: ${(e as Error).message}`);
      }
    }
  }

  try {
    if (error === undefined) {
      event("waiting until the target is healthy again");
      const h = await target.waitHealthy(healthTimeout, signal);
      healthyAfterS = Math.round(((nowMs() - undoAt) / 1000) * 1000) / 1000;
      if (!h.ok) {
        notes.push(
          `not healthy ${Math.round(healthTimeout / 1000)} s after the undo: ${h.problems.join("; ")}`,
        );
        healthyAfterS = null;
      }
      await sleep(afterMs, signal);
    }
  } catch (e) {
    error ??= e instanceof Aborted ? "interrupted" : (e as Error).message;
  } finally {
    // The drill ends when probing stops, not when the worker has exited: its shutdown is no gap.
    stopAt = nowMs();
    await worker.stop();
    monitor.stop();
  }
  const end = stopAt ?? nowMs();
  event("probes stopped");
  if (worker.errors.length > 0) notes.push(`probe worker: ${worker.errors.join("; ")}`);

  const phases: Phases = { start, faultAt, undoAt, end };
  const acked = worker.samples.flatMap((x) => (x.seq !== undefined ? [x.seq] : []));
  let lost: number | null = null;
  if (error !== "interrupted") {
    try {
      const v = await workerOnce<SqlVerifyResult>(
        target,
        { mode: "sql-verify", runId, endpoints, acked },
        60_000,
        opts.worker,
      );
      lost = v.missing.length;
      if (lost > 0)
        notes.push(
          `acknowledged writes missing: ${v.missing.slice(0, 20).join(", ")}${lost > 20 ? " …" : ""}`,
        );
    } catch (e) {
      notes.push(`could not check the acknowledged writes: ${(e as Error).message}`);
    }
  }

  const probes: ProbeResult[] = USER_PROBES.map((p) => {
    const stats = probeStats(
      worker.samples.filter((x) => x.probe === p),
      phases,
    );
    return p === "sql"
      ? { name: p, stats, lostWrites: lost, checkedWrites: acked.length }
      : { name: p, stats };
  });
  const vipMoveS = vipMoveSeconds(monitor.vip, faultAt);
  const watched = probes.filter((p) => s.watch.includes(p.name));
  const recoveryS = watched.length ? Math.max(...watched.map((p) => p.stats.recoveryS)) : null;
  const byName = new Map(probes.map((p) => [p.name, p]));
  const measured = (metric: Metric, probe?: UserProbe): number | null => {
    const p = probe !== undefined ? byName.get(probe) : undefined;
    switch (metric) {
      case "longest_gap_s":
        return p?.stats.longestGapS ?? null;
      case "downtime_s":
        return p?.stats.downtimeS ?? null;
      case "failed":
        return p?.stats.failed ?? null;
      case "longest_request_s":
        return p?.stats.longestRequestS ?? null;
      case "lost_writes":
        return lost;
      case "vip_move_s":
        return vipMoveS;
      case "recovery_s":
        return recoveryS;
      case "outage_confirmed":
        return worker.samples.some((x) => x.probe === probe && x.t >= faultAt && x.t < undoAt && !x.ok)
          ? 1
          : 0;
    }
  };
  const checks =
    error === undefined
      ? thresholdsFor(s.name, target.plan.profileName, target.plan).map((th) =>
          judge(th, measured(th.metric, th.probe)),
        )
      : [];
  const vipAfter = monitor.vip.at(-1)?.holders.length === 1 ? monitor.vip.at(-1)!.holders[0]! : null;

  return {
    scenario: s.name,
    profile: target.plan.profileName,
    target: target.name,
    startedAt: new Date(start).toISOString(),
    passed: error === undefined && checks.every((c) => c.passed),
    ...(error !== undefined ? { error } : {}),
    faults: faults.map(describeFault),
    phases,
    vipMoveS,
    recoveryS,
    healthyAfterS,
    vipBefore,
    vipAfter,
    probes,
    checks,
    notes,
    ...(opts.keepTimeline !== false
      ? {
          timeline: {
            samples: worker.samples,
            vip: monitor.vip,
            backends: monitor.backends,
            galera: monitor.galera,
            events,
          },
        }
      : {}),
  };
}
