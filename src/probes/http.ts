/**
 * Keystone probes over plain HTTP through the VIP: GET /v3 and a token
 * issue. Every request opens its own connection (no keep-alive) so a
 * sample measures the path a new client takes — VIP, HAProxy, a backend.
 */
import { request } from "node:http";
import type { ProbeEndpoints } from "../targets/target.ts";
import type { Attempt } from "./scheduler.ts";

/** One HTTP exchange; resolves with status and body (bodies are small here). */
export function httpRequest(
  url: string,
  opts: {
    readonly method: "GET" | "POST";
    readonly body?: string;
    readonly signal: AbortSignal;
    readonly headers?: Readonly<Record<string, string>>;
  },
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: opts.method,
        agent: false,
        signal: opts.signal,
        headers: {
          connection: "close",
          accept: "application/json",
          ...opts.headers,
          ...(opts.body !== undefined
            ? { "content-type": "application/json", "content-length": Buffer.byteLength(opts.body) }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            headers: res.headers,
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

/** GET /v3: Keystone's version document, no database involved. */
export async function keystoneGet(ep: ProbeEndpoints, signal: AbortSignal): Promise<Attempt> {
  const r = await httpRequest(`${ep.keystoneUrl}/v3`, { method: "GET", signal });
  return r.status === 200 ? { ok: true } : { ok: false, err: `HTTP ${r.status}` };
}

/** The password-auth body for the lab admin (project-scoped, like `openstack token issue`). */
export function tokenBody(ep: ProbeEndpoints): string {
  return JSON.stringify({
    auth: {
      identity: {
        methods: ["password"],
        password: {
          user: { name: ep.admin.username, domain: { name: ep.admin.domain }, password: ep.admin.password },
        },
      },
      scope: { project: { name: ep.admin.project, domain: { name: ep.admin.domain } } },
    },
  });
}

/** POST /v3/auth/tokens: reads the user, project and roles from the database and writes nothing (fernet). */
export async function tokenIssue(ep: ProbeEndpoints, signal: AbortSignal): Promise<Attempt> {
  const r = await httpRequest(`${ep.keystoneUrl}/v3/auth/tokens`, {
    method: "POST",
    body: tokenBody(ep),
    signal,
  });
  return r.status === 201 ? { ok: true } : { ok: false, err: `HTTP ${r.status}` };
}

/** A catalogue entry as a token issue returns it. */
export interface CatalogEntry {
  readonly type: string;
  readonly name: string;
  readonly endpoints?: readonly { readonly interface: string; readonly url: string }[];
}

/** One token issue as the lab's admin: the token and the service catalogue that came with it. */
export async function issueToken(
  ep: ProbeEndpoints,
  signal: AbortSignal,
): Promise<{ token: string; catalog: readonly CatalogEntry[] }> {
  const r = await httpRequest(`${ep.keystoneUrl}/v3/auth/tokens`, {
    method: "POST",
    body: tokenBody(ep),
    signal,
  });
  if (r.status !== 201) throw new Error(`token issue answered HTTP ${r.status}`);
  const doc = JSON.parse(r.body) as { token?: { catalog?: CatalogEntry[] } };
  return { token: String(r.headers["x-subject-token"] ?? ""), catalog: doc.token?.catalog ?? [] };
}

/** The service catalog from a token issue (for verify). */
export async function keystoneCatalog(
  ep: ProbeEndpoints,
  signal: AbortSignal,
): Promise<{ type: string; name: string; interfaces: string[] }[]> {
  const { catalog } = await issueToken(ep, signal);
  return catalog.map((s) => ({
    type: s.type,
    name: s.name,
    interfaces: [...new Set((s.endpoints ?? []).map((e) => e.interface))].sort(),
  }));
}

/** What the Networking API says: its agents and, per HA router, each hosting agent's HA state. */
export interface NetworkApiState {
  readonly agents: readonly {
    readonly binary: string;
    readonly host: string;
    readonly alive: boolean;
    /** An L3 agent's configurations.agent_mode (legacy, dvr, dvr_snat…). */
    readonly mode?: string;
  }[];
  readonly routers: readonly {
    readonly id: string;
    readonly name: string;
    readonly agents: readonly { readonly host: string; readonly haState: string; readonly alive: boolean }[];
  }[];
}

/** Neutron's agents and HA routers, through the endpoint the Keystone catalogue lists (undefined: none). */
export async function networkApiState(
  ep: ProbeEndpoints,
  signal: AbortSignal,
): Promise<NetworkApiState | undefined> {
  const at = await catalogEndpoint(ep, "network", signal);
  if (at === undefined) return undefined;
  const { url, token } = at;
  const get = async <T>(path: string): Promise<T> => {
    const res = await httpRequest(`${url}${path}`, {
      method: "GET",
      signal,
      headers: { "x-auth-token": token },
    });
    if (res.status !== 200) throw new Error(`GET ${path} answered HTTP ${res.status}`);
    return JSON.parse(res.body) as T;
  };
  const agents = await get<{
    agents: { binary: string; host: string; alive: boolean; configurations?: { agent_mode?: string } }[];
  }>("/v2.0/agents");
  const routers = await get<{ routers: { id: string; name: string; ha?: boolean }[] }>("/v2.0/routers");
  const ha = await Promise.all(
    routers.routers
      .filter((x) => x.ha === true)
      .map(async (x) => {
        const hosting = await get<{ agents: { host: string; ha_state?: string; alive: boolean }[] }>(
          `/v2.0/routers/${x.id}/l3-agents`,
        );
        return {
          id: x.id,
          name: x.name,
          agents: hosting.agents.map((a) => ({
            host: a.host,
            haState: a.ha_state ?? "unknown",
            alive: a.alive,
          })),
        };
      }),
  );
  return {
    agents: agents.agents.map((a) => ({
      binary: a.binary,
      host: a.host,
      alive: a.alive,
      ...(a.configurations?.agent_mode !== undefined ? { mode: a.configurations.agent_mode } : {}),
    })),
    routers: ha,
  };
}

/**
 * A token and the internal endpoint of a service type from one token issue (a probe's set-up):
 * undefined when the catalogue lists no such service.
 */
export async function catalogEndpoint(
  ep: ProbeEndpoints,
  type: string,
  signal: AbortSignal,
): Promise<{ url: string; token: string } | undefined> {
  const { token, catalog } = await issueToken(ep, signal);
  const url = internalUrl(catalog, type);
  return url === undefined ? undefined : { url, token };
}

/** The internal endpoint of a service type in a catalogue, without a trailing slash (undefined: none). */
export function internalUrl(catalog: readonly CatalogEntry[], type: string): string | undefined {
  return catalog
    .find((s) => s.type === type)
    ?.endpoints?.find((e) => e.interface === "internal")
    ?.url.replace(/\/$/, "");
}

/** GET of an API path with the token (and e.g. a microversion header): ok on HTTP 200. */
export async function apiGet(
  at: { readonly url: string; readonly token: string },
  path: string,
  headers: Readonly<Record<string, string>>,
  signal: AbortSignal,
): Promise<Attempt> {
  const r = await httpRequest(`${at.url}${path}`, {
    method: "GET",
    signal,
    headers: { "x-auth-token": at.token, ...headers },
  });
  return r.status === 200 ? { ok: true } : { ok: false, err: `HTTP ${r.status}` };
}

/** The network-get probe's request. */
export const NETWORK_READ = "/v2.0/networks?limit=1&fields=id";

/** GET /v2.0/networks (one row): Neutron's API through the VIP, its database behind it. */
export function networkGet(
  at: { readonly url: string; readonly token: string },
  signal: AbortSignal,
): Promise<Attempt> {
  return apiGet(at, NETWORK_READ, {}, signal);
}

/**
 * GET /v2.0/routers/<id>/l3-agents: the hosts whose agent Neutron reports `active` for the router
 * (what `openstack network agent list --router <id> --long` shows), as the sample's holders.
 */
export async function routerHaHosts(
  at: { readonly url: string; readonly token: string },
  router: string,
  signal: AbortSignal,
): Promise<Attempt> {
  const r = await httpRequest(`${at.url}/v2.0/routers/${encodeURIComponent(router)}/l3-agents`, {
    method: "GET",
    signal,
    headers: { "x-auth-token": at.token },
  });
  if (r.status !== 200) return { ok: false, err: `HTTP ${r.status}` };
  const doc = JSON.parse(r.body) as { agents?: { host: string; ha_state?: string }[] };
  const holders = (doc.agents ?? []).filter((a) => a.ha_state === "active").map((a) => a.host);
  return { ok: true, holders: holders.sort() };
}
