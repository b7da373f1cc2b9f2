/**
 * Phase 1, prepare: a healthy start, the scenario's requirements, its
 * workload, and the faults chosen from the live state, refused when they
 * would break a quorum the scenario does not mean to break. Nothing is
 * broken yet; a workload set up here is torn down by the runner whatever
 * happens next.
 */
import { activeHosts } from "../../observe/routers.ts";
import type { Fault } from "../../targets/fault.ts";
import type { Target, TargetState } from "../../targets/target.ts";
import type { DrillRecorder } from "../recorder.ts";
import { unmetRequirements } from "../requirements.ts";
import { quorumBreaches } from "../safety.ts";
import { ScenarioError, type Scenario, type WorkloadHandle } from "../scenario.ts";
import type { WorkloadKeeper } from "../workload-keeper.ts";

/** What the later phases start from, or why the drill cannot run. */
export type Prepared =
  | { readonly ok: true; readonly state: TargetState; readonly faults: readonly Fault[] }
  | { readonly ok: false; readonly error: string };

/** Holds the workload a drill set up, so the runner can tear it down even when preparing failed. */
export interface WorkloadSlot {
  /** Gives the workload: the previous drill's when it may be used again, else a new one. */
  readonly keeper: WorkloadKeeper;
  handle?: WorkloadHandle;
  /** The faults the drill injected (a workload on a host they hit is not kept). */
  faults?: readonly Fault[];
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
    workload.handle = await workload.keeper.take(target, s.workload, rec, signal);
    for (const n of workload.handle.notes ?? []) rec.note(n);
    const { active, apiActive } = workload.handle.facts;
    if (apiActive !== undefined && active !== undefined && apiActive !== active)
      rec.note(
        `at the start Neutron's API said the router was active on ${apiActive}, its addresses were on ${active}: the drill breaks ${active}`,
      );
  }

  const state = await target.state(signal);
  const chosen = chooseFaults(target, s, state, workload.handle?.facts ?? {}, rec);
  return chosen.ok ? { ok: true, state, faults: chosen.faults } : chosen;
}

/** The scenario's faults for this state, refused when they would break a quorum it does not mean to. */
function chooseFaults(
  target: Target,
  s: Scenario,
  state: TargetState,
  facts: Readonly<Record<string, string>>,
  rec: DrillRecorder,
): { readonly ok: true; readonly faults: readonly Fault[] } | { readonly ok: false; readonly error: string } {
  let faults: readonly Fault[];
  try {
    faults = s.faults({ plan: target.plan, state, workload: facts });
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
  return { ok: true, faults };
}

/** The faults as chosen again just before the inject, and the workload's facts they were chosen from. */
export type Rechosen =
  | { readonly ok: true; readonly faults: readonly Fault[]; readonly facts: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly error: string };

/**
 * Where the workload's HA router is active may change between its set-up and the fault: VRRP
 * re-elects when adverts are late (1 s adverts on a loaded machine), and a drill that then
 * breaks the former master breaks nothing that matters. Read the ground truth once more just
 * before the inject and, when the router moved, choose the faults again from where it is now.
 */
export async function followRouter(
  target: Target,
  s: Scenario,
  rec: DrillRecorder,
  faults: readonly Fault[],
  facts: Readonly<Record<string, string>>,
  signal?: AbortSignal,
): Promise<Rechosen> {
  const { router, active } = facts;
  if (router === undefined || active === undefined) return { ok: true, faults, facts };
  const now = activeHosts(await target.observe("routers", signal), router);
  if (now.length !== 1 || now[0] === active) return { ok: true, faults, facts };
  rec.note(
    `the router moved from ${active} to ${now[0]!} between the workload's set-up and the fault (a VRRP re-election): the faults were chosen again from where it is active now`,
  );
  const moved = { ...facts, active: now[0]! };
  const chosen = chooseFaults(target, s, await target.state(signal), moved, rec);
  return chosen.ok ? { ok: true, faults: chosen.faults, facts: moved } : chosen;
}
