/**
 * The chapter's post-deployment checks, automated: the health checks every
 * gate asks (src/observe/health.ts), and Keystone's catalog through the VIP.
 */
import {
  HEALTH_CHECK_IDS,
  healthChecks,
  result,
  type CheckResult,
  type HealthInput,
} from "../observe/health.ts";
import type { CatalogResult } from "../probes/types.ts";

/** Stable ids of the checks (JUnit test names, JSON keys). */
export const CHECK_IDS = [...HEALTH_CHECK_IDS, "keystone-catalog"] as const;
/** One of CHECK_IDS. */
export type CheckId = (typeof CHECK_IDS)[number];

/** The outcome of one check. */
export type { CheckResult };

/** Everything the checks look at. */
export interface VerifyInput extends HealthInput {
  readonly catalog: CatalogResult;
}

function keystoneCatalog(i: VerifyInput): CheckResult<CheckId> {
  const c = i.catalog;
  const problems: string[] = [];
  if (!c.ok) problems.push(`token issue through the VIP failed: ${c.error ?? "unknown error"}`);
  else {
    const identity = c.services.find((s) => s.type === "identity");
    if (identity === undefined) problems.push("the catalog has no identity service");
    else if (!identity.interfaces.includes("internal"))
      problems.push("the identity service has no internal endpoint");
  }
  return result(
    "keystone-catalog",
    "Keystone issues a token through the VIP and lists its catalog",
    problems,
    c.services.map((s) => `${s.type} (${s.name}): ${s.interfaces.join(", ")}`),
  );
}

/** Runs every check. */
export function verifyChecks(i: VerifyInput): CheckResult<CheckId>[] {
  return [...healthChecks(i), keystoneCatalog(i)];
}
