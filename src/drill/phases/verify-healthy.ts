/**
 * Phase 6, verify healthy: after the undo (and recovery) the target must be
 * healthy again within the timeout; then a few more seconds of probing
 * show service after the drill.
 */
import { nowMs } from "../../probes/scheduler.ts";
import type { Target } from "../../targets/target.ts";
import type { DrillRecorder } from "../recorder.ts";
import { sleep } from "../sleep.ts";

/** How long after the undo a target still unhealthy gets its stopped daemons started once more. */
const RESTART_AFTER_MS = 30_000;

/** Seconds from the undo until healthy (null: not healthy within the timeout), after `afterMs` more probing. */
export async function verifyHealthy(
  target: Target,
  rec: DrillRecorder,
  undoAt: number,
  timing: { readonly healthTimeoutMs: number; readonly afterMs: number },
  signal?: AbortSignal,
): Promise<number | null> {
  rec.event("waiting until the target is healthy again");
  const deadline = nowMs() + timing.healthTimeoutMs;
  let h = await target.waitHealthy(Math.min(RESTART_AFTER_MS, timing.healthTimeoutMs), signal);
  if (!h.ok && !signal?.aborted && nowMs() < deadline) {
    // A daemon that died after (or during) the undo's own restart gets one more start, as an operator
    // would give it, not an endless loop: the drill reports it.
    rec.event(`still unhealthy (${h.problems.join("; ")}): recovery restart-stopped`);
    rec.note(`after the undo: ${await target.recover("restart-stopped", signal)}`);
    h = await target.waitHealthy(Math.max(0, deadline - nowMs()), signal);
  }
  let healthyAfterS: number | null = Math.round(((nowMs() - undoAt) / 1000) * 1000) / 1000;
  if (!h.ok) {
    rec.note(
      `not healthy ${Math.round(timing.healthTimeoutMs / 1000)} s after the undo: ${h.problems.join("; ")}`,
    );
    healthyAfterS = null;
  }
  await sleep(timing.afterMs, signal);
  return healthyAfterS;
}
