/**
 * Phase 3, inject: each fault's undo goes on the stack before the fault is
 * injected, so a failure half-way still leaves something that restores the
 * cloud.
 */
import { nowMs } from "../../probes/scheduler.ts";
import { describeFault, type Fault } from "../../targets/fault.ts";
import type { Target, UndoHandle } from "../../targets/target.ts";
import type { DrillRecorder } from "../recorder.ts";
import type { UndoStack } from "../undo-stack.ts";

/** Injects the faults in order; returns when the first one took effect (epoch ms). */
export async function inject(
  target: Target,
  faults: readonly Fault[],
  undo: UndoStack,
  rec: DrillRecorder,
  onFaultAt: (t: number) => void,
): Promise<void> {
  onFaultAt(nowMs());
  for (const [i, f] of faults.entries()) {
    // Registered before the inject: a fault whose inject failed half-way has no handle, but the
    // target journalled its undo before acting, and undoLeftovers() replays it.
    const slot: { handle?: UndoHandle } = {};
    undo.push(describeFault(f), async () => {
      if (slot.handle) await slot.handle.undo();
      else await target.undoLeftovers();
    });
    rec.event(`inject ${describeFault(f)}`);
    slot.handle = await target.inject(f);
    if (i === 0) onFaultAt(slot.handle.injectedAt);
  }
}
