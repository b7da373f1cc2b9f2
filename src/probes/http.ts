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
  opts: { readonly method: "GET" | "POST"; readonly body?: string; readonly signal: AbortSignal },
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

/** The service catalog from a token issue (for verify). */
export async function keystoneCatalog(
  ep: ProbeEndpoints,
  signal: AbortSignal,
): Promise<{ type: string; name: string; interfaces: string[] }[]> {
  const r = await httpRequest(`${ep.keystoneUrl}/v3/auth/tokens`, {
    method: "POST",
    body: tokenBody(ep),
    signal,
  });
  if (r.status !== 201) throw new Error(`token issue answered HTTP ${r.status}`);
  const doc = JSON.parse(r.body) as {
    token?: { catalog?: { type: string; name: string; endpoints?: { interface: string }[] }[] };
  };
  return (doc.token?.catalog ?? []).map((s) => ({
    type: s.type,
    name: s.name,
    interfaces: [...new Set((s.endpoints ?? []).map((e) => e.interface))].sort(),
  }));
}
