/**
 * Victim choosers shared by the scenarios: they read the live state, so a
 * drill hits what matters now (the load balancer holding the VIP, the
 * controller behind the active MariaDB backend), not a host chosen when the
 * cloud was planned. Pure.
 */
import type { Plan, QuorumGroup } from "../../plan/types.ts";
import { ScenarioError, type ScenarioContext } from "../scenario.ts";

/** The load balancer that holds the VIP now. */
export function vipHolder(ctx: ScenarioContext): string {
  const holders = ctx.state.observed.vip.holders;
  if (holders.length !== 1) {
    throw new ScenarioError(
      `expected exactly one VIP holder, found ${holders.length ? holders.join(", ") : "none"}`,
    );
  }
  return holders[0]!;
}

/**
 * The controller whose MariaDB is the active (non-backup) HAProxy server and
 * UP on the VIP holder: where Keystone's pooled connections go.
 */
export function activeDatabaseHost(ctx: ScenarioContext): string {
  const lb = ctx.state.observed.vip.holders[0];
  const up = ctx.state.observed.backends.states.filter(
    (b) =>
      b.proxy === ctx.plan.databaseHaproxy.name &&
      b.status.startsWith("UP") &&
      (lb === undefined || b.lb === lb),
  );
  const active = up.find((b) => !b.backup) ?? up[0];
  if (active !== undefined) return active.server;
  const planned = ctx.plan.databaseHaproxy.servers.find((s) => !s.backup);
  if (planned === undefined) throw new ScenarioError("the Plan has no MariaDB backend");
  return planned.host;
}

/** The members of a quorum group, in the Plan's order (the scenario's requirements checked its size). */
export function quorumMembers(plan: Plan, group: QuorumGroup["name"]): readonly string[] {
  return plan.quorum.find((q) => q.name === group)?.members ?? [];
}

/** The network node where the workload's HA router is active (the API said so, exactly one, at set-up). */
export function activeRouterHost(ctx: ScenarioContext): string {
  const host = ctx.workload?.active;
  if (host === undefined || host === "")
    throw new ScenarioError("the workload did not report where its HA router is active");
  return host;
}

/** The workload's HA router id. */
export function workloadRouter(ctx: ScenarioContext): string {
  const router = ctx.workload?.router;
  if (router === undefined || router === "") throw new ScenarioError("the workload made no router");
  return router;
}

/**
 * The compute host of the workload's last-placed instances: with the DVR workload the host of the
 * second subnet's floating-IP instance alone, so the first compute's instances show what survives.
 */
export function lastInstanceCompute(ctx: ScenarioContext): string {
  const host = ctx.workload?.computes
    ?.split(",")
    .filter((h) => h !== "")
    .at(-1);
  if (host === undefined) throw new ScenarioError("the workload placed no instances");
  return host;
}

/** The compute the workload booted its instances on. */
export function workloadCompute(ctx: ScenarioContext): string {
  const host = ctx.workload?.compute;
  if (host === undefined || host === "")
    throw new ScenarioError("the workload booted no instances on a compute");
  return host;
}
