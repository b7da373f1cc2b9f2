/** `verify` against a Target: gathers what the checks need, then runs them. */
import type { CatalogResult, NetworkResult } from "../probes/types.ts";
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
  let catalog: CatalogResult;
  try {
    catalog = await workerOnce<CatalogResult>(target, {
      mode: "catalog",
      endpoints: await target.probeEndpoints(),
    });
  } catch (e) {
    catalog = { ok: false, services: [], error: (e as Error).message };
  }
  let network: NetworkResult | undefined;
  if (target.managedServices.includes("neutron-server")) {
    try {
      network = await workerOnce<NetworkResult>(target, {
        mode: "network",
        endpoints: await target.probeEndpoints(),
      });
    } catch (e) {
      network = { ok: false, error: (e as Error).message };
    }
  }
  const checks = verifyChecks({
    plan: target.plan,
    managedServices: target.managedServices,
    services: state.services,
    observed: state.observed,
    keepalived,
    catalog,
    ...(network !== undefined ? { network } : {}),
  });
  return {
    target: target.name,
    at,
    durationMs: Math.round(performance.now() - started),
    passed: checks.every((c) => c.passed),
    checks,
  };
}
