/**
 * Phase 6, verify healthy: after the undo (and recovery) the target must be
 * healthy again within the timeout; then a few more seconds of probing
 * show service after the drill.
 */
import { nowMs } from "../../probes/scheduler.ts";
import type { Target } from "../../targets/target.ts";
import type { DrillRecorder } from "../recorder.ts";
import { sleep } from "../sleep.ts";

/** Seconds from the undo until healthy (null: not healthy within the timeout), after `afterMs` more probing. */
export async function verifyHealthy(
  target: Target,
  rec: DrillRecorder,
  undoAt: number,
  timing: { readonly healthTimeoutMs: number; readonly afterMs: number },
  signal?: AbortSignal,
): Promise<number | null> {
  rec.event("waiting until the target is healthy again");
  const h = await target.waitHealthy(timing.healthTimeoutMs, signal);
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
