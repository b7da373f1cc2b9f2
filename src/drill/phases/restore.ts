/**
 * Phase 5, undo and recover: every registered undo runs (past failures),
 * then the scenario's recovery actions, by name, as an operator would run
 * kolla-ansible's playbooks once the hosts are back. Recovery is skipped
 * when the drill already failed or was interrupted: the undo alone must
 * leave the cloud as it found it.
 */
import type { Target } from "../../targets/target.ts";
import type { DrillRecorder } from "../recorder.ts";
import type { Scenario } from "../scenario.ts";
import type { UndoStack } from "../undo-stack.ts";

/** Undoes the faults, then runs the recovery actions unless the drill failed. */
export async function restore(
  target: Target,
  s: Scenario,
  undo: UndoStack,
  rec: DrillRecorder,
  failed: boolean,
  signal?: AbortSignal,
): Promise<void> {
  if (undo.pending().length > 0) rec.event("undo");
  const r = await undo.unwind();
  for (const f of r.failed) rec.note(`undo of ${f.label} failed: ${f.error}`);
  if (failed) return;
  for (const action of s.recovery) {
    rec.event(`recovery: ${action}`);
    try {
      rec.note(await target.recover(action, signal));
    } catch (e) {
      rec.note(`recovery ${action} failed: ${(e as Error).message}`);
    }
  }
}
