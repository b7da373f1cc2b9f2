/**
 * Keeps a drill's workload for the next drill that uses the same one. Setting up a tenant's
 * networks, router and instances and taking them down again is most of a network drill's time
 * (a DVR workload took 143 s up and 67 s down under the whole plane); a run of drills over the
 * same workload makes it once. It is kept only when the drill ended without an error and with a
 * healthy cloud, and its faults spared the hosts where the workload has what a fault destroys;
 * before it is used again it is checked (`refresh`), and a workload that fails that check is
 * torn down and made anew.
 */
import type { Fault } from "../targets/fault.ts";
import type { Target } from "../targets/target.ts";
import type { DrillRecorder } from "./recorder.ts";
import type { Workload, WorkloadHandle } from "./scenario.ts";
import { errorText } from "./sleep.ts";

/** How a drill ended, as far as keeping its workload goes. */
export interface DrillEnd {
  /** No error, and the cloud was healthy again after the undo. */
  readonly clean: boolean;
  readonly faults: readonly Fault[];
  /** The workload of the drill that comes next; "unknown" when the caller runs drills one by one. */
  readonly next: Workload | undefined | "unknown";
}

/** Holds at most one workload between drills. */
export class WorkloadKeeper {
  private kept: { readonly workload: Workload; readonly handle: WorkloadHandle } | undefined;

  /**
   * The workload for the next drill: the kept one when it is `workload`, checked again; else a
   * new one (what was kept is torn down first: two workloads' resources share a name prefix).
   */
  async take(
    target: Target,
    workload: Workload,
    rec: DrillRecorder,
    signal?: AbortSignal,
  ): Promise<WorkloadHandle> {
    const kept = this.kept;
    this.kept = undefined;
    if (kept !== undefined && kept.workload === workload && kept.handle.reuse !== undefined) {
      rec.event(`checking the previous drill's workload: ${workload.description}`);
      try {
        const handle = await kept.handle.reuse.refresh(signal);
        rec.note("the workload is the previous drill's, checked again before this one");
        return handle;
      } catch (e) {
        rec.note(`the previous drill's workload failed its check (${errorText(e)}): made anew`);
      }
    }
    if (kept !== undefined)
      await tearDown(kept.handle, rec).catch((e: unknown) =>
        rec.note(`the previous drill's workload could not be torn down: ${errorText(e)}`),
      );
    rec.event(`setting up the workload: ${workload.description}`);
    return workload.setUp(target, signal);
  }

  /** After a drill: keeps its workload when the next drill may use it, else tears it down. */
  async settle(workload: Workload, handle: WorkloadHandle, end: DrillEnd, rec: DrillRecorder): Promise<void> {
    const hit = end.faults.flatMap((f) => ("host" in f ? [f.host] : []));
    const reuse = handle.reuse;
    const wanted = end.next === "unknown" || end.next === workload;
    if (end.clean && wanted && reuse !== undefined && !hit.some((h) => reuse.hosts.includes(h))) {
      this.kept = { workload, handle };
      rec.event("keeping the workload for the next drill");
      return;
    }
    await tearDown(handle, rec);
  }

  /** Tears down what is kept (the end of a run of drills given one by one); throws when it cannot. */
  async close(rec?: DrillRecorder): Promise<void> {
    const kept = this.kept;
    this.kept = undefined;
    if (kept !== undefined) await tearDown(kept.handle, rec);
  }
}

async function tearDown(handle: WorkloadHandle, rec?: DrillRecorder): Promise<void> {
  rec?.event("tearing down the workload");
  // No signal: an interrupted drill must still remove what it made, as it undoes its faults.
  await handle.tearDown();
}
