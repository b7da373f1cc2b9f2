/**
 * The tenant workloads of the network drills: what a tenant of the chapter's
 * cloud has, made through the Neutron API found in the Keystone catalogue
 * (as the admin, from the probe site): tenant networks and subnets, an HA
 * router with its gateway on the external network, a security group letting
 * ICMP and TCP in, and instances plugged into ports on the compute hosts.
 * With L3 HA: one subnet, one instance with a floating IP on each compute.
 * With DVR: a distributed HA router over two subnets, a floating-IP instance
 * on each compute (one per subnet, so traffic between them is routed from
 * compute to compute) and one without a floating IP, whose way out is the
 * SNAT on a network node.
 * Everything is named `hacloud-drill-…`; the tear-down deletes every such
 * resource, so a drill that died leaves nothing the next one does not remove.
 */
import { run } from "../../util/run.ts";
import { siteAction } from "./site-action.ts";
import { activeHosts } from "../../observe/routers.ts";
import type {
  InstancePort,
  NetworkProbeEndpoints,
  PluggedInstance,
  Target,
  WorkerCommand,
} from "../../targets/target.ts";
import { sleep } from "../sleep.ts";
import { ScenarioError, type Workload, type WorkloadHandle } from "../scenario.ts";

/** The tenant subnets, inside the lab range (overlapping IPs: every tenant may use them). */
export const TENANT_CIDRS = ["198.19.10.0/24", "198.19.11.0/24"] as const;

/** Shared by every action: Neutron from the catalogue, small helpers (after the admin session). */
const PRELUDE = String.raw`
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
from concurrent.futures import ThreadPoolExecutor
def each(fn, items):
    # A Neutron call takes seconds on a loaded lab: independent ones go out together (HAProxy spreads
    # them over the servers), in order of the results; the first failure is raised here.
    with ThreadPoolExecutor(max_workers=4) as ex:
        return list(ex.map(fn, items))
`;

const CREATE = String.raw`
ext = call("GET", "/v2.0/networks?name=" + req["external"])["networks"]
if not ext:
    raise SystemExit("no external network " + req["external"])
sg = call("POST", "/v2.0/security-groups", {"security_group": {"name": P + "-sg"}})["security_group"]
each(lambda proto: call("POST", "/v2.0/security-group-rules", {"security_group_rule": {
    "security_group_id": sg["id"], "direction": "ingress", "protocol": proto, "ethertype": "IPv4"}}),
    ("icmp", "tcp"))
body = {"name": P + "-router", "ha": True, "external_gateway_info": {"network_id": ext[0]["id"]}}
if req["distributed"]:
    body["distributed"] = True
router = call("POST", "/v2.0/routers", {"router": body})["router"]
nets = []
for i, cidr in enumerate(req["cidrs"]):
    net = call("POST", "/v2.0/networks", {"network": {"name": "%s-net%d" % (P, i)}})["network"]
    sub = call("POST", "/v2.0/subnets", {"subnet": {"name": "%s-subnet%d" % (P, i), "network_id": net["id"],
        "ip_version": 4, "cidr": cidr, "enable_dhcp": True}})["subnet"]
    call("PUT", "/v2.0/routers/%s/add_router_interface" % router["id"], {"subnet_id": sub["id"]})
    nets.append((net, sub))
def make_port(numbered):
    i, inst = numbered
    net, sub = nets[inst["subnet"]]
    device = str(uuid.uuid4())
    p = call("POST", "/v2.0/ports", {"port": {"name": "%s-%s-%d" % (P, inst["host"], i), "network_id": net["id"],
        "binding:host_id": inst["host"], "device_owner": "compute:nova", "device_id": device,
        "security_groups": [sg["id"]]}})["port"]
    return {"host": inst["host"], "id": p["id"], "mac": p["mac_address"],
        "address": p["fixed_ips"][0]["ip_address"], "prefix": int(sub["cidr"].split("/")[1]),
        "gateway": sub["gateway_ip"], "mtu": net.get("mtu") or 1450, "deviceId": device}
ports = each(make_port, list(enumerate(req["instances"])))
print(json.dumps({"router": router["id"], "distributed": bool(router.get("distributed")),
    "external": ext[0]["id"], "ports": ports}))
`;

const ACTIVATE = String.raw`
fips = each(lambda port: call("POST", "/v2.0/floatingips", {"floatingip": {"floating_network_id": req["externalId"],
    "port_id": port, "description": P}})["floatingip"]["floating_ip_address"], req["floating"])
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
each(lambda f: call("DELETE", "/v2.0/floatingips/" + f["id"]),
    [f for f in call("GET", "/v2.0/floatingips")["floatingips"] if f.get("description") == P])
for r in named("routers", P):
    for p in call("GET", "/v2.0/ports?device_id=" + r["id"])["ports"]:
        # an HA router's interfaces are network:ha_router_replicated_interface
        if "interface" in p["device_owner"]:
            call("PUT", "/v2.0/routers/%s/remove_router_interface" % r["id"], {"port_id": p["id"]}, ok=(200, 404))
    call("DELETE", "/v2.0/routers/" + r["id"])
each(lambda p: call("DELETE", "/v2.0/ports/" + p["id"]), named("ports", P))
each(lambda n: call("DELETE", "/v2.0/networks/" + n["id"], ok=(204, 409)), named("networks", P))
for g in named("security-groups", P):
    call("DELETE", "/v2.0/security-groups/" + g["id"], ok=(204, 409))
print(json.dumps({"ok": True}))
`;

/** Runs one action of the workload's Python at the target's probe site; returns its JSON. */
function neutronAction<T>(
  target: Target,
  script: string,
  request: Readonly<Record<string, unknown>>,
  timeoutMs = 180_000,
): Promise<T> {
  return siteAction<T>(target, PRELUDE + script, request, "network workload", timeoutMs);
}

/** One path the set-up waits for: a ping to `address`, from the probe site or from inside an instance. */
interface PathCheck {
  readonly address: string;
  readonly from?: WorkerCommand;
  /** For the error: "floating IP 198.18.2.210 from the probe site". */
  readonly what: string;
}

/** Waits until every path answers a ping (the probes' baseline must start on a working cloud). */
async function waitAnswering(target: Target, paths: readonly PathCheck[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const p of paths) {
    for (;;) {
      const ping = ["ping", "-n", "-c", "1", "-W", "1", p.address];
      const argv = p.from === undefined ? ping : [p.from.file, ...p.from.args, ...ping];
      const cmd = target.probeSite().worker({ file: argv[0]!, args: argv.slice(1) });
      const r = await run(cmd.file, cmd.args, { timeoutMs: 10_000, allowFailure: true });
      if (r.exitCode === 0) break;
      if (Date.now() > deadline) throw new ScenarioError(`${p.what} does not answer`);
      await sleep(500);
    }
  }
}

/** Where an HA router's keepalived can run: L3 agents not on a compute (DVR's `dvr` agents have none). */
function vrrpHosts(target: Target): string[] {
  const l3 = target.plan.services.find((s) => s.name === "neutron-l3-agent")?.hosts ?? [];
  const computes = target.plan.services.find((s) => s.name === "nova-compute")?.hosts ?? [];
  return l3.filter((h) => !computes.includes(h));
}

/**
 * Waits until the router is active on exactly one host by the ground truth (the addresses in its
 * namespace), its keepalived running on every network node, the same host active for a whole
 * Master_Down_Interval, and returns that host: the API's ha_state can name another one (it did
 * for a DVR router here), and a drill must break the node that forwards, not the one neutron
 * believes in. A router's election is not over while one of its nodes has no keepalived yet: a
 * new router's, or one whose node came back and whose L3 agent is still syncing (minutes on a
 * loaded machine); that keepalived starts without hearing the master, becomes master too, and
 * one of the two steps back — a move no fault caused.
 */
async function forwardingHost(
  target: Target,
  router: string,
  /** The agents Neutron's API says host the router. */
  hosting: readonly string[],
  timeoutMs: number,
): Promise<string> {
  // 3 adverts and the skew (at most one more) without a change: no backup is about to take over
  const stableMs = 4 * target.plan.profile.neutron.haVrrpAdvertInt * 1000;
  const expected = vrrpHosts(target).filter((h) => hosting.includes(h));
  const deadline = Date.now() + timeoutMs;
  let since: { host: string; at: number } | undefined;
  for (;;) {
    const seen = await target.observe("routers");
    const hosts = activeHosts(seen, router);
    const waiting = expected.filter(
      (h) => !seen.instances.some((i) => i.router === router && i.host === h && i.keepalived),
    );
    const now = Date.now();
    if (hosts.length !== 1 || waiting.length > 0) since = undefined;
    else if (since?.host !== hosts[0]) since = { host: hosts[0]!, at: now };
    if (since !== undefined && now - since.at >= stableMs) return since.host;
    if (now > deadline)
      throw new ScenarioError(
        waiting.length > 0
          ? `the router's keepalived does not run on ${waiting.join(", ")}`
          : hosts.length === 1
            ? `the router did not stay active on one host for ${stableMs / 1000} s by the addresses its namespaces hold`
            : `the router is active on ${hosts.length === 0 ? "no host" : hosts.join(" and ")} by the addresses its namespaces hold`,
      );
    await sleep(500);
  }
}

/** Compute hosts that run the L2 agent, at most two. */
function computeHosts(target: Target): string[] {
  const ovs = target.plan.services.find((s) => s.name === "neutron-openvswitch-agent")?.hosts ?? [];
  const computes = target.plan.services.find((s) => s.name === "nova-compute")?.hosts ?? [];
  return computes
    .filter((h) => ovs.includes(h) && target.managedServices.includes("neutron-openvswitch-agent"))
    .slice(0, 2);
}

/** One instance of a layout: on which of the compute hosts, on which subnet, with a floating IP or not. */
export interface InstanceSpec {
  readonly compute: number;
  readonly subnet: number;
  readonly floatingIp: boolean;
}

/** What a workload makes: the router's kind, its subnets (TENANT_CIDRS) and instances. */
interface TenantLayout {
  readonly description: string;
  readonly distributed: boolean;
  readonly subnets: number;
  /** The instances, given the compute hosts there are (one or two). */
  readonly instances: (computes: number) => readonly InstanceSpec[];
  /** How many compute hosts it needs. */
  readonly computes: number;
}

/** A port the workload made, and the compute host it is bound to. */
export interface MadePort extends InstancePort {
  readonly host: string;
}

/** The probes' view of what was made: who is reached how, labelled by instance host. */
export function tenantProbeEndpoints(
  specs: readonly InstanceSpec[],
  ports: readonly MadePort[],
  instances: readonly PluggedInstance[],
  fips: readonly string[],
  upstream: string,
  router: string,
): NetworkProbeEndpoints {
  const withFip = specs.flatMap((s, i) => (s.floatingIp ? [i] : []));
  const without = specs.flatMap((s, i) => (s.floatingIp ? [] : [i]));
  // routed pairs: floating-IP instances on different subnets, each way
  const eastWest = withFip.flatMap((a) =>
    withFip
      .filter((b) => b !== a && specs[b]!.subnet !== specs[a]!.subnet)
      .map((b) => ({
        inside: instances[a]!.inside([]),
        address: ports[b]!.address,
        from: ports[a]!.host,
        to: ports[b]!.host,
      })),
  );
  return {
    floatingIps: fips,
    floatingIpHosts: withFip.map((i) => ports[i]!.host),
    echoPort: instances[0]!.echoPort,
    upstream,
    inside: withFip.map((i) => instances[i]!.inside([])),
    insideHosts: withFip.map((i) => ports[i]!.host),
    ...(without.length > 0
      ? { snat: without.map((i) => ({ inside: instances[i]!.inside([]), host: ports[i]!.host })) }
      : {}),
    ...(eastWest.length > 0 ? { eastWest } : {}),
    router,
  };
}

/** A workload that makes `layout` on the target's compute hosts and removes it afterwards. */
function tenantWorkload(layout: TenantLayout): Workload {
  return {
    description: layout.description,
    async setUp(target, signal) {
      const external = target.externalNetwork();
      const hosts = computeHosts(target);
      if (external === undefined || hosts.length < layout.computes)
        throw new ScenarioError(
          `the target runs no external network or fewer than ${layout.computes} compute host(s) with the L2 agent`,
        );
      const specs = layout.instances(hosts.length);
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
          distributed: boolean;
          external: string;
          ports: MadePort[];
        }>(target, CREATE, {
          external: external.name,
          distributed: layout.distributed,
          cidrs: TENANT_CIDRS.slice(0, layout.subnets),
          instances: specs.map((x) => ({ host: hosts[x.compute]!, subnet: x.subnet })),
        });
        if (made.distributed !== layout.distributed)
          throw new ScenarioError(
            `Neutron made the router ${made.distributed ? "distributed" : "centralized"}, the drill needs it ${layout.distributed ? "distributed (DVR)" : "centralized"}`,
          );
        for (const p of made.ports) {
          signal?.throwIfAborted();
          instances.push(await target.plugInstance(p.host, p));
        }
        /** Waits until the router has settled and every path answers; its facts as they are now. */
        const settled = async (floating: readonly string[], fips: readonly string[]) => {
          const active = await neutronAction<{ fips: string[]; active: string; standby: string[] }>(
            target,
            ACTIVATE,
            {
              router: made.router,
              externalId: made.external,
              ports: made.ports.map((p) => p.id),
              floating,
              waitS: 120,
            },
          );
          const allFips = [...fips, ...active.fips];
          const network = tenantProbeEndpoints(
            specs,
            made.ports,
            instances,
            allFips,
            external.gateway,
            made.router,
          );
          const forwarding = await forwardingHost(
            target,
            made.router,
            [active.active, ...active.standby],
            120_000,
          );
          await waitAnswering(
            target,
            [
              ...allFips.map((a) => ({ address: a, what: `floating IP ${a} from the probe site` })),
              ...(network.snat ?? []).map((x) => ({
                address: external.gateway,
                from: x.inside,
                what: `the upstream gateway from the SNAT-only instance on ${x.host}`,
              })),
              ...(network.eastWest ?? []).map((x) => ({
                address: x.address,
                from: x.inside,
                what: `the instance ${x.address} on ${x.to} from ${x.from}`,
              })),
            ],
            60_000,
          );
          const handle: WorkloadHandle = {
            facts: {
              router: made.router,
              distributed: String(made.distributed),
              active: forwarding,
              // where the API said it was active when the set-up began (the reports compare)
              apiActive: active.active,
              standby: [...active.standby, active.active].filter((h) => h !== forwarding).join(","),
              floatingIps: allFips.join(","),
              // the compute hosts in the order the layout placed instances on them
              computes: [...new Set(made.ports.map((p) => p.host))].join(","),
            },
            probes: { network },
            tearDown,
            // the instances' processes live on the computes: a fault there ends them
            reuse: { hosts: made.ports.map((p) => p.host), refresh: () => settled([], allFips) },
          };
          return handle;
        };
        return await settled(
          made.ports.filter((_, i) => specs[i]!.floatingIp).map((p) => p.id),
          [],
        );
      } catch (e) {
        await tearDown().catch(() => undefined);
        throw e;
      }
    },
  };
}

/** An HA router with an instance and a floating IP on each compute host. */
export const haRouterWorkload: Workload = tenantWorkload({
  description: "a tenant network behind an HA router, an instance with a floating IP on each compute host",
  distributed: false,
  subnets: 1,
  computes: 1,
  instances: (n) => Array.from({ length: n }, (_, compute) => ({ compute, subnet: 0, floatingIp: true })),
});

/**
 * A distributed HA router over two subnets: on the first compute a floating-IP instance and one
 * without (SNAT only), both on the first subnet; on the second a floating-IP instance on the second.
 */
export const dvrRouterWorkload: Workload = tenantWorkload({
  description:
    "two tenant subnets behind a distributed HA router: a floating-IP instance on each compute, one SNAT-only",
  distributed: true,
  subnets: 2,
  computes: 2,
  instances: () => [
    { compute: 0, subnet: 0, floatingIp: true },
    { compute: 1, subnet: 1, floatingIp: true },
    { compute: 0, subnet: 0, floatingIp: false },
  ],
});
