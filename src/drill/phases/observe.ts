/**
 * Phase 4, observe: hold the fault at least the scenario's minimum, then
 * until its expectations are met and the watched probes recovered (or, for
 * an expected outage, until the outage is confirmed), at most its maximum.
 */
import { nowMs } from "../../probes/scheduler.ts";
import type { UserProbe } from "../../probes/types.ts";
import { allMet, expectsOutage, type HoldView } from "../expectations.ts";
import type { Monitor } from "../monitor.ts";
import type { DrillRecorder } from "../recorder.ts";
import type { Scenario } from "../scenario.ts";
import { sleep } from "../sleep.ts";
import type { WorkerProcess } from "../../probes/worker-process.ts";
import type { Baseline } from "./baseline.ts";

/** A watched probe has recovered once it answered well for this long with nothing hanging. */
const QUIET_MS = 3_000;

/** True when every probe has answered well for `quietMs` and nothing is hanging. */
function recovered(
  worker: WorkerProcess,
  watch: readonly UserProbe[],
  faultAt: number,
  slowMs: ReadonlyMap<UserProbe, number>,
  quietMs: number,
): boolean {
  const now = nowMs();
  for (const p of watch) {
    const slow = slowMs.get(p) ?? 1_000;
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

/** Holds the fault until the scenario's end condition or its maximum hold time. */
export async function observe(
  s: Scenario,
  rec: DrillRecorder,
  seen: {
    readonly worker: WorkerProcess;
    readonly monitor: Monitor;
    readonly baseline: Baseline;
    /** Who held each tracked thing when the fault came. */
    readonly placedBefore: Readonly<Record<string, string | null>>;
  },
  faultAt: number,
  signal?: AbortSignal,
): Promise<void> {
  const outage = expectsOutage(s.expects);
  const view: HoldView = {
    faultAt,
    get samples() {
      return seen.worker.samples;
    },
    watch: s.watch,
    holders: (what) => seen.monitor.currentHolders(what),
    holderBefore: (what) => seen.placedBefore[what] ?? null,
  };
  const judged = s.watch.filter((p) => !seen.baseline.unjudgeable.has(p));
  for (;;) {
    await sleep(250, signal);
    const held = nowMs() - faultAt;
    if (held >= s.hold.maxMs) {
      rec.event(outage ? "hold time over" : "not recovered within the hold time");
      return;
    }
    if (held < s.hold.minMs || !allMet(s.expects, view)) continue;
    if (outage) {
      rec.event("outage confirmed");
      return;
    }
    if (recovered(seen.worker, judged, faultAt, seen.baseline.slowMs, QUIET_MS)) {
      rec.event("recovered");
      return;
    }
  }
}
