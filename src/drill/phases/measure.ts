/**
 * The last phase, measure: read back the acknowledged SQL writes, compute
 * each probe's statistics and every tracked thing's moves, and judge the
 * scenario's thresholds through the metric registry.
 */
import { USER_PROBES, type ProbeSample, type SqlVerifyResult } from "../../probes/types.ts";
import type { ProbeEndpoints, Target } from "../../targets/target.ts";
import { evacuationTimeline, type EvacuationTimeline } from "../evacuation.ts";
import { measure, type Measurements } from "../metrics.ts";
import type { Monitor } from "../monitor.ts";
import { firstElsewhere, holderMoves, sampledHolders, type Move } from "../moves.ts";
import type { DrillRecorder } from "../recorder.ts";
import type { ProbeResult, TargetStats } from "../result.ts";
import type { Scenario } from "../scenario.ts";
import { probeStats, type Phases } from "../stats.ts";
import { judge, thresholdsFor, type ThresholdCheck } from "../thresholds.ts";
import { workerOnce, type WorkerProcess } from "../../probes/worker-process.ts";

/** What the drill measured, ready for its result. */
export interface Measured {
  readonly probes: readonly ProbeResult[];
  readonly placedBefore: Readonly<Record<string, string | null>>;
  readonly moves: readonly Move[];
  readonly recoveryS: number | null;
  readonly checks: readonly ThresholdCheck[];
  readonly evacuation?: EvacuationTimeline;
}

/** Each labelled path's share of a probe's samples, in label order. */
function targetStats(samples: readonly ProbeSample[], phases: Phases): TargetStats[] {
  const labels = [...new Set(samples.flatMap((x) => (x.target !== undefined ? [x.target] : [])))].sort();
  return labels.map((target) => {
    const st = probeStats(
      samples.filter((x) => x.target === target),
      phases,
    );
    return { target, total: st.total, failed: st.failed, longestGapS: st.longestGapS };
  });
}

/** Everything measured in one drill; thresholds are judged only when the drill ran to its end (`judged`). */
export async function measureDrill(
  target: Target,
  s: Scenario,
  rec: DrillRecorder,
  seen: {
    readonly worker: WorkerProcess;
    readonly monitor: Monitor;
    readonly phases: Phases;
    readonly runId: string;
    readonly endpoints: ProbeEndpoints;
    readonly workerCommand?: { readonly file: string; readonly args: readonly string[] };
    /** The hosts the drill's faults hit. */
    readonly faultHosts: readonly string[];
    /** Who held each tracked thing in the state the faults were chosen from (used when the monitor saw none). */
    readonly placedAtStart: Readonly<Record<string, string | null>>;
    /** The compute the workload booted its instances on (the evacuation timeline's host). */
    readonly computeHost?: string;
  },
  outcome: { readonly interrupted: boolean; readonly judged: boolean },
): Promise<Measured> {
  const { worker, monitor, phases } = seen;
  const acked = worker.samples.flatMap((x) => (x.seq !== undefined ? [x.seq] : []));
  let lost: number | null = null;
  if (!outcome.interrupted) {
    try {
      const v = await workerOnce<SqlVerifyResult>(
        target,
        { mode: "sql-verify", runId: seen.runId, endpoints: seen.endpoints, acked },
        60_000,
        seen.workerCommand,
      );
      lost = v.missing.length;
      if (lost > 0)
        rec.note(`acknowledged writes missing: ${v.missing.slice(0, 20).join(", ")}${lost > 20 ? " …" : ""}`);
    } catch (e) {
      rec.note(`could not check the acknowledged writes: ${(e as Error).message}`);
    }
  }

  // a probe that did not run here (no instances for the tenant probes, no network service) has no row
  const ran = USER_PROBES.filter((p) => s.watch.includes(p) || worker.samples.some((x) => x.probe === p));
  const probes: ProbeResult[] = ran.map((p) => {
    const mine = worker.samples.filter((x) => x.probe === p);
    const stats = probeStats(mine, phases);
    const targets = targetStats(mine, phases);
    return {
      name: p,
      stats,
      ...(p === "sql" ? { lostWrites: lost, checkedWrites: acked.length } : {}),
      ...(targets.length > 0 ? { targets } : {}),
    };
  });
  const placedBefore: Record<string, string | null> = {};
  const moves: Move[] = [];
  for (const t of monitor.tracked()) {
    const seenMoves = holderMoves(t.what, t.samples, phases.faultAt);
    placedBefore[t.what] = seenMoves.before ?? seen.placedAtStart[t.what] ?? null;
    moves.push(...seenMoves.moves);
  }
  // what Neutron's API said about the workload's router, beside the ground truth the monitor read
  const apiSaw = sampledHolders(worker.samples, "router-api");
  if (apiSaw.length > 0) {
    const api = firstElsewhere("router-api", apiSaw, phases.faultAt);
    placedBefore["router-api"] = api.before ?? seen.placedAtStart["router-api"] ?? null;
    moves.push(...api.moves);
    if (api.severalS > 0)
      rec.note(
        `Neutron's API reported the router active on two hosts for ${api.severalS} s after the fault: a dead agent's router stays active until the agent is declared dead (agent_down_time); Zed can also show it after recovery (LP#1837635)`,
      );
  }
  const watched = probes.filter((p) => s.watch.includes(p.name));
  const recoveryS = watched.length ? Math.max(...watched.map((p) => p.stats.recoveryS)) : null;
  const evacuation =
    seen.computeHost === undefined
      ? undefined
      : evacuationTimeline(worker.samples, monitor.remotes, phases.faultAt, seen.computeHost);
  const m: Measurements = {
    phases,
    probes,
    samples: worker.samples,
    moves,
    lostWrites: lost,
    recoveryS,
    faultHosts: seen.faultHosts,
    ...(evacuation !== undefined ? { evacuation } : {}),
  };
  const checks = outcome.judged
    ? thresholdsFor(s, target.plan.profileName, target.plan).map((th) =>
        judge(th, measure(th.metric, m, th.probe)),
      )
    : [];
  return {
    probes,
    placedBefore,
    moves,
    recoveryS,
    checks,
    ...(evacuation !== undefined ? { evacuation } : {}),
  };
}
