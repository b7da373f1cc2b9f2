/**
 * Phase 1, prepare: a healthy start, the scenario's requirements, its
 * workload, and the faults chosen from the live state, refused when they
 * would break a quorum the scenario does not mean to break. Nothing is
 * broken yet; a workload set up here is torn down by the runner whatever
 * happens next.
 */
import type { Fault } from "../../targets/fault.ts";
import type { Target, TargetState } from "../../targets/target.ts";
import type { DrillRecorder } from "../recorder.ts";
import { unmetRequirements } from "../requirements.ts";
import { quorumBreaches } from "../safety.ts";
import { ScenarioError, type Scenario, type WorkloadHandle } from "../scenario.ts";

/** What the later phases start from, or why the drill cannot run. */
export type Prepared =
  | { readonly ok: true; readonly state: TargetState; readonly faults: readonly Fault[] }
  | { readonly ok: false; readonly error: string };

/** Holds the workload a drill set up, so the runner can tear it down even when preparing failed. */
export interface WorkloadSlot {
  handle?: WorkloadHandle;
}

/** Prepares a drill; returns why not when the cloud is unhealthy, lacks something, or would lose quorum. */
export async function prepare(
  target: Target,
  s: Scenario,
  rec: DrillRecorder,
  workload: WorkloadSlot,
  healthTimeoutMs: number,
  signal?: AbortSignal,
): Promise<Prepared> {
  rec.event("waiting until the target is healthy");
  const pre = await target.waitHealthy(healthTimeoutMs, signal);
  if (!pre.ok)
    return { ok: false, error: `the target is not healthy before the drill: ${pre.problems.join("; ")}` };
  const missing = unmetRequirements(target.plan, s.requires);
  if (missing.length > 0) return { ok: false, error: `cannot run on this cloud: ${missing.join("; ")}` };

  if (s.workload !== undefined) {
    rec.event(`setting up the workload: ${s.workload.description}`);
    workload.handle = await s.workload.setUp(target, signal);
    for (const n of workload.handle.notes ?? []) rec.note(n);
    const { active, apiActive } = workload.handle.facts;
    if (apiActive !== undefined && active !== undefined && apiActive !== active)
      rec.note(
        `at the start Neutron's API said the router was active on ${apiActive}, its addresses were on ${active}: the drill breaks ${active}`,
      );
  }

  const state = await target.state(signal);
  let faults: readonly Fault[];
  try {
    faults = s.faults({ plan: target.plan, state, workload: workload.handle?.facts ?? {} });
  } catch (e) {
    if (e instanceof ScenarioError) return { ok: false, error: `cannot run on this cloud: ${e.message}` };
    throw e;
  }
  const breaches = quorumBreaches(target.plan, faults, state);
  if (breaches.length > 0 && !s.breaksQuorum) {
    return {
      ok: false,
      error: `refused: it would break quorum (${breaches.map((b) => `${b.group} ${b.remaining}/${b.majority}`).join(", ")})`,
    };
  }
  if (breaches.length > 0)
    rec.note(
      `expected quorum loss: ${breaches.map((b) => `${b.group} keeps ${b.remaining} of a needed ${b.majority}`).join("; ")}`,
    );
  return { ok: true, state, faults };
}
