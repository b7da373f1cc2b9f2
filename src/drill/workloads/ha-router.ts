/**
 * The tenant workload of the network drills: what a tenant of the chapter's
 * cloud has, made through the Neutron API found in the Keystone catalogue
 * (as the admin, from the probe site): a tenant network and subnet, an HA
 * router with its gateway on the external network, a security group letting
 * ICMP and TCP in, and on each compute host one instance with a floating IP.
 * Everything is named `hacloud-drill-…`; the tear-down deletes every such
 * resource, so a drill that died leaves nothing the next one does not remove.
 */
import { run } from "../../util/run.ts";
import type { PluggedInstance, Target } from "../../targets/target.ts";
import { ScenarioError, type Workload, type WorkloadHandle } from "../scenario.ts";

/** The prefix of everything the workload names. */
export const WORKLOAD_PREFIX = "hacloud-drill";

/** The tenant subnet, inside the lab range (overlapping IPs: every tenant may use it). */
export const TENANT_CIDR = "198.19.10.0/24";

/** Shared by every action: the admin session, Neutron from the catalogue, small helpers. */
const PRELUDE = String.raw`
import json, sys, time, uuid
from keystoneauth1 import session
from keystoneauth1.identity import v3
req = json.load(sys.stdin)
ep = req["endpoints"]
a = ep["admin"]
auth = v3.Password(auth_url=ep["keystoneUrl"] + "/v3", username=a["username"], password=a["password"],
                   project_name=a["project"], user_domain_name=a["domain"], project_domain_name=a["domain"])
sess = session.Session(auth=auth, timeout=30)
neutron = sess.get_endpoint(service_type="network", interface="internal").rstrip("/")
def call(method, path, body=None, ok=(200, 201, 204)):
    r = sess.request(neutron + path, method, json=body, raise_exc=False)
    if r.status_code == 404 and method == "DELETE":
        return {}
    if r.status_code not in ok:
        raise SystemExit("%s %s: HTTP %d %s" % (method, path, r.status_code, r.text[:300]))
    return r.json() if r.text else {}
def named(kind, prefix):
    items = call("GET", "/v2.0/%s" % kind)[kind.replace("-", "_")]
    return [x for x in items if (x.get("name") or "").startswith(prefix)]
P = req["prefix"]
`;

const CREATE = String.raw`
ext = call("GET", "/v2.0/networks?name=" + req["external"])["networks"]
if not ext:
    raise SystemExit("no external network " + req["external"])
sg = call("POST", "/v2.0/security-groups", {"security_group": {"name": P + "-sg"}})["security_group"]
for proto in ("icmp", "tcp"):
    call("POST", "/v2.0/security-group-rules", {"security_group_rule": {
        "security_group_id": sg["id"], "direction": "ingress", "protocol": proto, "ethertype": "IPv4"}})
net = call("POST", "/v2.0/networks", {"network": {"name": P + "-net"}})["network"]
sub = call("POST", "/v2.0/subnets", {"subnet": {"name": P + "-subnet", "network_id": net["id"],
    "ip_version": 4, "cidr": req["cidr"], "enable_dhcp": True}})["subnet"]
router = call("POST", "/v2.0/routers", {"router": {"name": P + "-router", "ha": True,
    "external_gateway_info": {"network_id": ext[0]["id"]}}})["router"]
call("PUT", "/v2.0/routers/%s/add_router_interface" % router["id"], {"subnet_id": sub["id"]})
ports = []
for host in req["hosts"]:
    device = str(uuid.uuid4())
    p = call("POST", "/v2.0/ports", {"port": {"name": "%s-%s" % (P, host), "network_id": net["id"],
        "binding:host_id": host, "device_owner": "compute:nova", "device_id": device,
        "security_groups": [sg["id"]]}})["port"]
    ports.append({"host": host, "id": p["id"], "mac": p["mac_address"],
        "address": p["fixed_ips"][0]["ip_address"], "prefix": int(req["cidr"].split("/")[1]),
        "gateway": sub["gateway_ip"], "mtu": net.get("mtu") or 1450, "deviceId": device})
print(json.dumps({"router": router["id"], "external": ext[0]["id"], "ports": ports}))
`;

const ACTIVATE = String.raw`
fips = []
for port in req["ports"]:
    f = call("POST", "/v2.0/floatingips", {"floatingip": {"floating_network_id": req["externalId"],
        "port_id": port, "description": P}})["floatingip"]
    fips.append(f["floating_ip_address"])
deadline = time.time() + req["waitS"]
state = {}
while time.time() < deadline:
    down = [p for p in req["ports"] if call("GET", "/v2.0/ports/" + p)["port"]["status"] != "ACTIVE"]
    agents = call("GET", "/v2.0/routers/%s/l3-agents" % req["router"])["agents"]
    state = {x["host"]: x.get("ha_state") for x in agents}
    if not down and list(state.values()).count("active") == 1 and len(state) >= 2:
        break
    time.sleep(1)
else:
    raise SystemExit("the router did not settle: ports down %s, HA states %s" % (down, state))
active = [h for h, s in state.items() if s == "active"][0]
print(json.dumps({"fips": fips, "active": active, "standby": sorted(h for h in state if h != active)}))
`;

const DELETE = String.raw`
for f in call("GET", "/v2.0/floatingips")["floatingips"]:
    if f.get("description") == P:
        call("DELETE", "/v2.0/floatingips/" + f["id"])
for r in named("routers", P):
    for p in call("GET", "/v2.0/ports?device_id=" + r["id"])["ports"]:
        # an HA router's interfaces are network:ha_router_replicated_interface
        if "interface" in p["device_owner"]:
            call("PUT", "/v2.0/routers/%s/remove_router_interface" % r["id"], {"port_id": p["id"]}, ok=(200, 404))
    call("DELETE", "/v2.0/routers/" + r["id"])
for p in named("ports", P):
    call("DELETE", "/v2.0/ports/" + p["id"])
for n in named("networks", P):
    call("DELETE", "/v2.0/networks/" + n["id"], ok=(204, 409))
for g in named("security-groups", P):
    call("DELETE", "/v2.0/security-groups/" + g["id"], ok=(204, 409))
print(json.dumps({"ok": True}))
`;

/** Runs one action of the workload's Python at the target's probe site; returns its JSON. */
async function neutronAction<T>(
  target: Target,
  script: string,
  request: Readonly<Record<string, unknown>>,
  timeoutMs = 180_000,
): Promise<T> {
  const cmd = target.probeSite().worker({ file: "/usr/bin/python3", args: ["-c", PRELUDE + script] });
  const endpoints = await target.probeEndpoints();
  const r = await run(cmd.file, cmd.args, {
    input: JSON.stringify({ ...request, prefix: WORKLOAD_PREFIX, endpoints }),
    timeoutMs,
    allowFailure: true,
  });
  if (r.exitCode !== 0)
    throw new ScenarioError(`the network workload failed: ${r.stderr.trim().split("\n").slice(-1)[0] ?? ""}`);
  return JSON.parse(r.stdout.trim().split("\n").slice(-1)[0] ?? "{}") as T;
}

/** Waits until every address answers a ping from the probe site. */
async function waitReachable(target: Target, addresses: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const a of addresses) {
    for (;;) {
      const cmd = target.probeSite().worker({ file: "ping", args: ["-n", "-c", "1", "-W", "1", a] });
      const r = await run(cmd.file, cmd.args, { timeoutMs: 10_000, allowFailure: true });
      if (r.exitCode === 0) break;
      if (Date.now() > deadline)
        throw new ScenarioError(`floating IP ${a} does not answer from the probe site`);
      await new Promise((res) => setTimeout(res, 500));
    }
  }
}

/** Compute hosts that run the L2 agent, at most two (one instance each). */
function computeHosts(target: Target): string[] {
  const ovs = target.plan.services.find((s) => s.name === "neutron-openvswitch-agent")?.hosts ?? [];
  const computes = target.plan.services.find((s) => s.name === "nova-compute")?.hosts ?? [];
  return computes
    .filter((h) => ovs.includes(h) && target.managedServices.includes("neutron-openvswitch-agent"))
    .slice(0, 2);
}

/** An HA router with an instance and a floating IP on each compute host. */
export const haRouterWorkload: Workload = {
  description: "a tenant network behind an HA router, an instance with a floating IP on each compute host",
  async setUp(target, signal) {
    const external = target.externalNetwork();
    const hosts = computeHosts(target);
    if (external === undefined || hosts.length === 0)
      throw new ScenarioError("the target runs no external network or no compute host with the L2 agent");
    const instances: PluggedInstance[] = [];
    const tearDown = async (): Promise<void> => {
      for (const i of instances) await target.unplugInstance(i);
      await neutronAction(target, DELETE, {});
    };
    // what an earlier drill that died left behind
    await neutronAction(target, DELETE, {});
    try {
      const made = await neutronAction<{
        router: string;
        external: string;
        ports: {
          host: string;
          id: string;
          mac: string;
          address: string;
          prefix: number;
          gateway: string;
          mtu: number;
          deviceId: string;
        }[];
      }>(target, CREATE, { external: external.name, hosts, cidr: TENANT_CIDR });
      for (const p of made.ports) {
        signal?.throwIfAborted();
        instances.push(await target.plugInstance(p.host, p));
      }
      const active = await neutronAction<{ fips: string[]; active: string; standby: string[] }>(
        target,
        ACTIVATE,
        {
          router: made.router,
          externalId: made.external,
          ports: made.ports.map((p) => p.id),
          waitS: 120,
        },
      );
      await waitReachable(target, active.fips, 60_000);
      const handle: WorkloadHandle = {
        facts: {
          router: made.router,
          active: active.active,
          standby: active.standby.join(","),
          floatingIps: active.fips.join(","),
        },
        probes: {
          network: {
            floatingIps: active.fips,
            echoPort: instances[0]!.echoPort,
            upstream: external.gateway,
            inside: instances.map((i) => i.inside([])),
            router: made.router,
          },
        },
        tearDown,
      };
      return handle;
    } catch (e) {
      await tearDown().catch(() => undefined);
      throw e;
    }
  },
};
