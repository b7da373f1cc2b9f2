/**
 * Probe statistics as the OpenStack reliability test plan defines them
 * (downtime = first to last error; recovery against the pre-fault baseline),
 * plus what users feel most: the longest gap between two successful answers
 * and the longest single request. Pure.
 */
import type { ProbeSample } from "../probes/types.ts";

/** The drill's phases in epoch ms: before = [start, faultAt), during = [faultAt, undoAt), after = [undoAt, end]. */
export interface Phases {
  readonly start: number;
  readonly faultAt: number;
  readonly undoAt: number;
  readonly end: number;
}

/** Latency percentiles of one phase, in milliseconds (null when the phase had no successful request). */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number | null;
  readonly p99: number | null;
  readonly max: number | null;
}

/** Everything measured for one probe in one drill. */
export interface ProbeStats {
  readonly total: number;
  readonly failed: number;
  /** First error's start to last error's end, seconds (0 without errors). */
  readonly downtimeS: number;
  /** Longest time without a successful answer, seconds (between completions; from start/to end included). */
  readonly longestGapS: number;
  /** The slowest single request, successful or not, seconds. */
  readonly longestRequestS: number;
  /** Fault start to the end of the last bad request (error or latency far above baseline), seconds; 0 when nothing was bad. */
  readonly recoveryS: number;
  /** True when the probe was back to baseline before the fault was undone. */
  readonly recoveredBeforeUndo: boolean;
  readonly latency: {
    readonly before: LatencySummary;
    readonly during: LatencySummary;
    readonly after: LatencySummary;
  };
  /** Errors by class, most frequent first. */
  readonly errors: readonly { readonly err: string; readonly count: number }[];
}

/** The p-th percentile (0..100) of sorted values, nearest-rank. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** Percentiles of the successful requests' latencies. */
export function summarizeLatency(samples: readonly ProbeSample[]): LatencySummary {
  const ms = samples
    .filter((s) => s.ok)
    .map((s) => s.ms)
    .sort((a, b) => a - b);
  return {
    count: ms.length,
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    max: ms.length ? ms[ms.length - 1]! : null,
  };
}

/**
 * A request is "bad" when it failed or took far longer than the baseline:
 * more than 3× the baseline p99 and at least 100 ms over it (so that a
 * 2 ms baseline does not make 7 ms jitter look like an incident).
 */
export function slowLimitMs(baseline: LatencySummary): number {
  const p99 = baseline.p99 ?? 50;
  return Math.max(3 * p99, p99 + 100);
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Statistics of one probe's samples over a drill's phases. */
export function probeStats(samples: readonly ProbeSample[], phases: Phases): ProbeStats {
  const sorted = [...samples].sort((a, b) => a.t - b.t);
  const failed = sorted.filter((s) => !s.ok);
  const before = sorted.filter((s) => s.t < phases.faultAt);
  const during = sorted.filter((s) => s.t >= phases.faultAt && s.t < phases.undoAt);
  const after = sorted.filter((s) => s.t >= phases.undoAt);

  const downtimeMs =
    failed.length === 0
      ? 0
      : Math.max(...failed.map((s) => s.t + s.ms)) - Math.min(...failed.map((s) => s.t));

  // Requests still in flight when probing stopped finish during the worker's shutdown: they count up to `end`.
  const completions = sorted
    .filter((s) => s.ok)
    .map((s) => Math.min(s.t + s.ms, phases.end))
    .sort((a, b) => a - b);
  // From the probe's first request, not from `phases.start`: starting the worker (a Node process in
  // the client namespace, ~0.5 s) is no time a user waited.
  let gap = 0;
  let prev = sorted[0]?.t ?? phases.start;
  for (const c of completions) {
    gap = Math.max(gap, c - prev);
    prev = Math.max(prev, c);
  }
  gap = Math.max(gap, phases.end - prev);

  const baseline = summarizeLatency(before);
  const slow = slowLimitMs(baseline);
  const isBad = (s: ProbeSample): boolean => !s.ok || s.ms > slow;
  const badDuring = during.filter(isBad);
  const lastBadDuringEnd =
    badDuring.length === 0 ? phases.faultAt : Math.max(...badDuring.map((s) => s.t + s.ms));
  const recoveredBeforeUndo =
    lastBadDuringEnd <= phases.undoAt && during.some((s) => s.ok && s.t >= lastBadDuringEnd && !isBad(s));
  // A probe that never came back while the fault held recovers only after the undo.
  const badAll = sorted.filter((s) => s.t >= phases.faultAt && isBad(s));
  const lastBadEnd =
    recoveredBeforeUndo || badDuring.length === 0
      ? lastBadDuringEnd
      : Math.max(...badAll.map((s) => s.t + s.ms));

  const errorCounts = new Map<string, number>();
  for (const s of failed) errorCounts.set(s.err ?? "error", (errorCounts.get(s.err ?? "error") ?? 0) + 1);

  return {
    total: sorted.length,
    failed: failed.length,
    downtimeS: round3(downtimeMs / 1000),
    longestGapS: round3(gap / 1000),
    longestRequestS: round3(sorted.reduce((m, s) => Math.max(m, s.ms), 0) / 1000),
    recoveryS: round3(Math.max(0, lastBadEnd - phases.faultAt) / 1000),
    recoveredBeforeUndo: badDuring.length === 0 || recoveredBeforeUndo,
    latency: { before: baseline, during: summarizeLatency(during), after: summarizeLatency(after) },
    errors: [...errorCounts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([err, count]) => ({ err, count })),
  };
}
