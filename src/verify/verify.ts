/** `verify` against a Target: gathers what the checks need, then runs them. */
import type { CatalogResult, ComputeResult, NetworkResult, WorkerTask } from "../probes/types.ts";
import type { Target } from "../targets/target.ts";
import { workerOnce } from "../probes/worker-process.ts";
import { verifyChecks, type CheckId, type CheckResult } from "./checks.ts";

/** The outcome of `verify`. */
export interface VerifyReport {
  readonly target: string;
  readonly at: string;
  readonly durationMs: number;
  readonly passed: boolean;
  readonly checks: readonly CheckResult<CheckId>[];
}

/** One question to the probe worker; a worker that fails answers as `failed` says, with its error. */
async function askWorker<T>(target: Target, task: WorkerTask, failed: (error: string) => T): Promise<T> {
  try {
    return await workerOnce<T>(target, task);
  } catch (e) {
    return failed((e as Error).message);
  }
}

/** Verifies a running cloud against its Plan. */
export async function verifyTarget(target: Target, signal?: AbortSignal): Promise<VerifyReport> {
  const started = performance.now();
  const at = new Date().toISOString();
  const state = await target.state(signal);
  const keepalived = await Promise.all(
    target.plan.vrrp.members.map(async (m) => ({
      host: m.host,
      file: await target.deployedConfig(m.host, "keepalived"),
    })),
  );
  const endpoints = await target.probeEndpoints();
  const catalog = await askWorker<CatalogResult>(target, { mode: "catalog", endpoints }, (error) => ({
    ok: false,
    services: [],
    error,
  }));
  const network = target.managedServices.includes("neutron-server")
    ? await askWorker<NetworkResult>(target, { mode: "network", endpoints }, (error) => ({
        ok: false,
        error,
      }))
    : undefined;
  const compute = ["nova-compute", "masakari-api"].some((s) => target.managedServices.includes(s))
    ? await askWorker<ComputeResult>(target, { mode: "compute", endpoints }, (error) => ({
        ok: false,
        error,
      }))
    : undefined;
  const checks = verifyChecks({
    plan: target.plan,
    managedServices: target.managedServices,
    services: state.services,
    observed: state.observed,
    keepalived,
    catalog,
    ...(network !== undefined ? { network } : {}),
    ...(compute !== undefined ? { compute } : {}),
  });
  return {
    target: target.name,
    at,
    durationMs: Math.round(performance.now() - started),
    passed: checks.every((c) => c.passed),
    checks,
  };
}
