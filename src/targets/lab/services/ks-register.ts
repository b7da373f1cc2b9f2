/**
 * kolla's service-ks-register role for the lab: a service's Keystone user
 * (admin and service in the `service` project), its catalogue entry and its endpoints at
 * the VIP, made idempotently in one Python process (Debian's keystoneclient)
 * from inside a host. The admin's and the service user's passwords go on
 * stdin, never in arguments.
 */
import type { LabHostContext } from "../service.ts";
import { retry, secret } from "./common.ts";

/** A service to register: what `openstack service create` and `endpoint create` get. */
export interface KeystoneRegistration {
  /** The catalogue name (e.g. "neutron") and type (e.g. "network"). */
  readonly name: string;
  readonly type: string;
  readonly description: string;
  /** The endpoint URL, the same for the internal, admin and public interfaces in the lab. */
  readonly url: string;
  /** The service user and the lab secret holding its password. */
  readonly user: string;
  readonly passwordSecret: string;
}

/** The region the lab's Keystone bootstraps. */
export const LAB_REGION = "RegionOne";

/** Python that reads a JSON request on stdin and opens a keystoneauth session as the lab's admin (`sess`). */
const ADMIN_SESSION = String.raw`
import json, sys
from keystoneauth1 import session
from keystoneauth1.identity import v3

req = json.load(sys.stdin)
a = req["admin"]
auth = v3.Password(auth_url=req["auth_url"], username=a["username"], password=a["password"],
                   project_name=a["project"], user_domain_name=a["domain"], project_domain_name=a["domain"])
sess = session.Session(auth=auth, timeout=30)
`;

/**
 * Runs Python as the lab's admin inside `ctx`'s host: `script` finds `req` (the request, with the
 * admin's credentials) and `sess` (a keystoneauth session); what it prints is returned.
 */
export async function asLabAdmin(
  ctx: LabHostContext,
  script: string,
  request: Readonly<Record<string, unknown>>,
  timeoutMs = 120_000,
): Promise<string> {
  const identity = ctx.identity;
  if (identity === undefined) throw new Error("this needs the lab's identity service (keystone)");
  const { stdout } = await ctx.exec(["/usr/bin/python3", "-c", ADMIN_SESSION + script], {
    input: JSON.stringify({ ...request, auth_url: identity.authUrl, admin: identity.admin }),
    timeoutMs,
  });
  return stdout;
}

const REGISTER = String.raw`
from keystoneclient.v3 import client
ks = client.Client(session=sess, interface="internal")

def one(items):
    return items[0] if items else None

domain = one(ks.domains.list(name="Default"))
project = one(ks.projects.list(name="service", domain=domain)) or ks.projects.create("service", domain)
user = one(ks.users.list(name=req["user"], domain=domain))
if user is None:
    user = ks.users.create(req["user"], domain=domain, password=req["password"], default_project=project)
else:
    ks.users.update(user, password=req["password"])
admin = one(ks.roles.list(name="admin"))
ks.roles.grant(admin, user=user, project=project)
# keystonemiddleware accepts a service token (Nova's to Neutron, with service_token_roles_required)
# only from a user holding the "service" role
service = one(ks.roles.list(name="service")) or ks.roles.create("service")
ks.roles.grant(service, user=user, project=project)
svc = one(ks.services.list(name=req["name"], type=req["type"]))
if svc is None:
    svc = ks.services.create(req["name"], type=req["type"], description=req["description"])
for interface in ("internal", "admin", "public"):
    have = ks.endpoints.list(service=svc, interface=interface, region=req["region"])
    if have and have[0].url != req["url"]:
        ks.endpoints.update(have[0], url=req["url"])
    elif not have:
        ks.endpoints.create(svc, req["url"], interface=interface, region=req["region"])
`;

/**
 * Registers a service in the lab's Keystone from inside `ctx`'s host (needs the identity service).
 * Idempotent, so it is tried again: while the whole plane starts on two cores, Keystone through the
 * VIP dropped a connection mid-registration ("Remote end closed connection without response").
 */
export async function registerInKeystone(ctx: LabHostContext, r: KeystoneRegistration): Promise<void> {
  await retry(`registering ${r.name} in Keystone`, () => register(ctx, r), {
    timeoutMs: 180_000,
    intervalMs: 5_000,
  });
}

async function register(ctx: LabHostContext, r: KeystoneRegistration): Promise<void> {
  await asLabAdmin(ctx, REGISTER, {
    name: r.name,
    type: r.type,
    description: r.description,
    url: r.url,
    user: r.user,
    password: secret(ctx, r.passwordSecret),
    region: LAB_REGION,
  });
}

/** The `[keystone_authtoken]` section of a service that validates tokens against the lab's Keystone. */
export function keystoneAuthtoken(
  ctx: LabHostContext,
  user: string,
  passwordSecret: string,
  memcachedServers: string,
): string[] {
  const identity = ctx.identity;
  if (identity === undefined) throw new Error(`${user} needs the lab's identity service (keystone)`);
  return [
    "[keystone_authtoken]",
    `www_authenticate_uri = ${identity.url}`,
    `auth_url = ${identity.url}`,
    "auth_type = password",
    "project_domain_id = default",
    "user_domain_id = default",
    "project_name = service",
    `username = ${user}`,
    `password = ${secret(ctx, passwordSecret)}`,
    `memcached_servers = ${memcachedServers}`,
    "service_token_roles_required = true",
    "",
  ];
}
