/**
 * What the lab's OpenStack API services (Glance, Placement, Nova, Masakari)
 * share: the port kolla gives them (the Plan's HAProxy entry), a health check
 * that asks the host's own API the way HAProxy does, and the set-up once on
 * the first host (the schema, then the Keystone registration at the VIP).
 */
import type { HaproxyService, Plan } from "../../../plan/types.ts";
import type { LabHostContext, LabProxied } from "../service.ts";
import { apiAddress } from "./common.ts";
import { registerInKeystone, type KeystoneRegistration } from "./ks-register.ts";

/** The port of a Plan HAProxy entry (the API's, on the VIP and on each host), or kolla's default. */
export function entryPort(plan: Plan, entry: string, kollaDefault: number): number {
  return plan.haproxy.find((e) => e.name === entry)?.port ?? kollaDefault;
}

/** The Plan's HAProxy entries with these names (and their `_external` twins), for `proxied`. */
export function entriesNamed(plan: Plan, ...names: readonly string[]): LabProxied[] {
  const wanted = new Set(names.flatMap((n) => [n, `${n}_external`]));
  return plan.haproxy.filter((e: HaproxyService) => wanted.has(e.name)).map((entry) => ({ entry }));
}

/** GETs `path` of the host's own API and calls it healthy on a status below 500 (HAProxy's check sees the same). */
export async function apiHealth(
  ctx: LabHostContext,
  port: number,
  path = "/",
): Promise<{ readonly ok: boolean; readonly detail: string }> {
  const url = `http://${apiAddress(ctx)}:${port}${path}`;
  try {
    const { stdout } = await ctx.exec(
      ["curl", "-sS", "-m", "5", "-o", "/dev/null", "-w", "%{http_code}", url],
      {
        timeoutMs: 15_000,
      },
    );
    const code = Number(stdout.trim());
    return code > 0 && code < 500
      ? { ok: true, detail: `GET ${url}: HTTP ${code}` }
      : { ok: false, detail: `GET ${url}: HTTP ${stdout.trim()}` };
  } catch {
    return { ok: false, detail: `GET ${url} does not answer yet` };
  }
}

/** What the first host's set-up of an API service runs: its schema migration, then its registration. */
export async function migrateAndRegister(
  ctx: LabHostContext,
  migrate: { readonly argv: readonly string[]; readonly user?: string },
  registration: KeystoneRegistration,
): Promise<void> {
  await ctx.exec(migrate.argv, {
    ...(migrate.user !== undefined ? { user: migrate.user } : {}),
    timeoutMs: 600_000,
  });
  await registerInKeystone(ctx, registration);
}
