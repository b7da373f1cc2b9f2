/**
 * Neutron (Debian's Zed packages) as kolla places it: `neutron-server` on the
 * controllers behind the VIP (ML2 with Open vSwitch, VXLAN tenant networks, L3
 * HA routers), the Open vSwitch agent on every host of the `openvswitch`
 * group, and the L3, DHCP and metadata agents on the network nodes. Every
 * agent runs as root inside its host, with the host's own `host=`, state
 * path, lock path and /run/netns (the host's private /run): the namespaces,
 * keepalived, neutron-keepalived-state-change, dnsmasq, haproxy and privsep
 * daemons it forks are the host's, in its cgroup. The L2 agent is up before
 * the L3 agent starts (LP#1597461: an L3 agent first can make an isolated HA
 * router active).
 */
import type { Plan } from "../../../plan/types.ts";
import type { LabHostContext, LabProcess, LabService } from "../service.ts";
import { apiAddress, placedHosts, readLog, succeeds } from "./common.ts";
import { migrateAndRegister } from "./api-service.ts";
import { asLabAdmin } from "./ks-register.ts";
import { EXTERNAL_PHYSNET } from "./openvswitch.ts";
import {
  dhcpAgentConfig,
  l3AgentConfig,
  metadataAgentConfig,
  ml2Config,
  NEUTRON_PORT,
  neutronAgentConfig,
  neutronPaths,
  neutronServerConfig,
  ovsAgentConfig,
} from "./neutron-config.ts";

/** Secrets Neutron reads (with RabbitMQ's password, which the broker lists). */
export const NEUTRON_SECRETS = [
  "neutron_database_password",
  "neutron_keystone_password",
  "metadata_secret",
  "rabbitmq_password",
] as const;

/** kolla's HAProxy entries of neutron-server. */
const NEUTRON_ENTRIES = new Set(["neutron_server", "neutron_server_external"]);

/** The directories and the bind every Neutron process of a host needs. */
function neutronDirectories(ctx: LabHostContext) {
  const p = neutronPaths(ctx);
  return [
    { path: p.etc, mode: 0o750 },
    { path: p.lib, mode: 0o755 },
    { path: p.lock, mode: 0o755 },
    { path: p.log, mode: 0o755 },
  ];
}

/** True when the agent's log, since its latest start ("Logging enabled!"), says it has started. */
export function startedSinceLastStart(log: string, marker: string): boolean {
  const from = log.lastIndexOf("Logging enabled!");
  return from >= 0 && log.indexOf(marker, from) > from;
}

/** An agent process: neutron.conf plus its own ini files, its own log. */
function agentProcess(ctx: LabHostContext, name: string, inis: readonly string[]): LabProcess {
  const p = neutronPaths(ctx);
  return {
    name,
    argv: [
      `/usr/bin/${name}`,
      "--config-file",
      p.conf,
      ...inis.flatMap((f) => ["--config-file", f]),
      "--log-file",
      `${p.log}/${name}.log`,
    ],
    stopTimeoutMs: 10_000,
  };
}

/** A health check that reads the agent's log for the line it writes once it runs. */
function agentHealth(name: string, marker: string) {
  return (ctx: LabHostContext): Promise<{ ok: boolean; detail: string }> => {
    const ok = startedSinceLastStart(readLog(`${neutronPaths(ctx).log}/${name}.log`), marker);
    return Promise.resolve({ ok, detail: ok ? `${name} started` : `${name} has not logged "${marker}" yet` });
  };
}

const agentFiles = (ctx: LabHostContext, extra: readonly { path: string; content: string }[]) => [
  { path: neutronPaths(ctx).conf, content: neutronAgentConfig(ctx), mode: 0o600 },
  ...extra.map((f) => ({ ...f, mode: 0o600 })),
];

/** The server's URL on one controller. */
function serverUrl(ctx: LabHostContext): string {
  return `http://${apiAddress(ctx)}:${NEUTRON_PORT}`;
}

/** kolla's init-runonce names for the external (provider) network and its subnet. */
export const EXTERNAL_NETWORK = "public1";
export const EXTERNAL_SUBNET = "public1-subnet";

/** Makes the external network and subnet exist as the lab's layout says (idempotent). */
const ENSURE_EXTERNAL = String.raw`
def get(path):
    return sess.get(req["neutron"] + path, raise_exc=True).json()
def post(path, body):
    return sess.post(req["neutron"] + path, json=body, raise_exc=True).json()
nets = get("/v2.0/networks?name=" + req["network"])["networks"]
if nets:
    net = nets[0]
else:
    net = post("/v2.0/networks", {"network": {"name": req["network"], "router:external": True, "shared": False,
        "provider:network_type": "flat", "provider:physical_network": req["physnet"]}})["network"]
subs = get("/v2.0/subnets?name=" + req["subnet"] + "&network_id=" + net["id"])["subnets"]
if not subs:
    post("/v2.0/subnets", {"subnet": {"name": req["subnet"], "network_id": net["id"], "ip_version": 4,
        "cidr": req["cidr"], "gateway_ip": req["gateway"], "enable_dhcp": False,
        "allocation_pools": [{"start": req["pool"][0], "end": req["pool"][1]}]}})
print(net["id"])
`;

/** neutron-server on the controllers. */
export const neutronServerService: LabService = {
  name: "neutron-server",
  phase: 40,
  after: ["haproxy", "keepalived", "mariadb", "rabbitmq", "memcached", "keystone"],
  // the first host migrates the schema before the others start on it
  hosts: (plan) => placedHosts(plan, "neutron-server"),
  packages: ["neutron-server", "python3-pymysql", "python3-memcache", "curl"],
  debconf: [
    "neutron-common neutron/configure_db boolean false",
    "neutron-server neutron/configure_db boolean false",
    "neutron-server neutron/register-endpoint boolean false",
  ],
  secrets: NEUTRON_SECRETS,
  databases: [{ name: "neutron", user: "neutron", passwordSecret: "neutron_database_password" }],
  healthTimeoutMs: 180_000,
  directories: neutronDirectories,
  files: (ctx) => {
    const p = neutronPaths(ctx);
    return [
      { path: p.conf, content: neutronServerConfig(ctx), mode: 0o600 },
      { path: p.ml2, content: ml2Config(), mode: 0o644 },
    ];
  },
  async setup(ctx, first) {
    if (!first) return;
    const p = neutronPaths(ctx);
    const migrate = [
      "neutron-db-manage",
      "--config-file",
      p.conf,
      "--config-file",
      p.ml2,
      "upgrade",
      "heads",
    ];
    await migrateAndRegister(
      ctx,
      { argv: migrate },
      {
        name: "neutron",
        type: "network",
        description: "OpenStack Networking",
        url: `http://${ctx.vip.internal}:${NEUTRON_PORT}`,
        user: "neutron",
        passwordSecret: "neutron_keystone_password",
      },
    );
  },
  processes: (ctx) => {
    const p = neutronPaths(ctx);
    return [
      {
        name: "neutron-server",
        argv: [
          "/usr/bin/neutron-server",
          "--config-file",
          p.conf,
          "--config-file",
          p.ml2,
          "--log-file",
          `${p.log}/neutron-server.log`,
        ],
        stopTimeoutMs: 15_000,
      },
    ];
  },
  async health(ctx) {
    const url = serverUrl(ctx);
    const ok = await succeeds(ctx, ["curl", "-sSf", "-m", "5", "-o", "/dev/null", `${url}/`], {
      timeoutMs: 15_000,
    });
    return { ok, detail: ok ? `GET ${url}/ answers` : `GET ${url}/ does not answer yet` };
  },
  // what an operator makes right after deploying (kolla's init-runonce): the provider network
  async afterStart(ctx, first) {
    const ext = ctx.external;
    if (!first || ext === undefined || ctx.plan.neutron.externalBridgeHosts.length === 0) return;
    await asLabAdmin(ctx, ENSURE_EXTERNAL, {
      neutron: serverUrl(ctx),
      network: EXTERNAL_NETWORK,
      subnet: EXTERNAL_SUBNET,
      physnet: EXTERNAL_PHYSNET,
      cidr: ext.cidr,
      gateway: ext.gateway,
      pool: [ext.pool.start, ext.pool.end],
    });
  },
  proxied: (plan: Plan) =>
    plan.haproxy.filter((e) => NEUTRON_ENTRIES.has(e.name)).map((entry) => ({ entry })),
};

/** What sets one Neutron agent apart; the rest (files, process, secrets, start) they share. */
interface AgentSpec {
  readonly name: string;
  readonly phase: number;
  readonly after: readonly string[];
  readonly hosts?: LabService["hosts"];
  /** Debian packages beyond the agent's own and sudo (its root helper). */
  readonly packages?: readonly string[];
  /** Its ini file, read after neutron.conf. */
  readonly ini: (p: ReturnType<typeof neutronPaths>) => string;
  readonly config: (ctx: LabHostContext) => string;
  readonly health: LabService["health"];
  readonly directories?: LabService["directories"];
  readonly locate?: LabService["locate"];
}

/** A Neutron agent as the lab runs it: neutron.conf + its ini, as root, its own log. */
function agentService(a: AgentSpec): LabService {
  return {
    name: a.name,
    phase: a.phase,
    after: a.after,
    start: "parallel",
    hosts: a.hosts ?? ((plan) => placedHosts(plan, a.name)),
    packages: [a.name, ...(a.packages ?? []), "sudo"],
    secrets: NEUTRON_SECRETS,
    directories: a.directories ?? neutronDirectories,
    files: (ctx) => agentFiles(ctx, [{ path: a.ini(neutronPaths(ctx)), content: a.config(ctx) }]),
    processes: (ctx) => [agentProcess(ctx, a.name, [a.ini(neutronPaths(ctx))])],
    health: a.health,
    ...(a.locate !== undefined ? { locate: a.locate } : {}),
  };
}

/** The Open vSwitch agent on every host of the `openvswitch` group. */
export const neutronOvsAgentService = agentService({
  name: "neutron-openvswitch-agent",
  phase: 45,
  // it waits for a live server before it builds its bridges (has_alive_neutron_server)
  after: ["openvswitch", "neutron-server"],
  hosts: (plan) =>
    plan.neutron.plugin === "openvswitch" ? placedHosts(plan, "neutron-openvswitch-agent") : [],
  ini: (p) => p.ovsAgent,
  config: ovsAgentConfig,
  health: agentHealth("neutron-openvswitch-agent", "Agent initialized successfully"),
});

/** The L3 agent on the network nodes (and, with DVR, the computes). */
export const neutronL3AgentService = agentService({
  name: "neutron-l3-agent",
  phase: 50,
  after: ["neutron-openvswitch-agent", "neutron-server"],
  packages: ["keepalived", "haproxy", "iputils-arping", "iputils-ping", "conntrack"],
  ini: (p) => p.l3Agent,
  config: l3AgentConfig,
  directories: (ctx) => [...neutronDirectories(ctx), { path: neutronPaths(ctx).haConfs, mode: 0o755 }],
  health: agentHealth("neutron-l3-agent", "L3 agent started"),
  locate: (ctx, what) => (what === "ha-confs" ? neutronPaths(ctx).haConfs : undefined),
});

/** The DHCP agent on the network nodes. */
export const neutronDhcpAgentService = agentService({
  name: "neutron-dhcp-agent",
  phase: 50,
  after: ["neutron-openvswitch-agent", "neutron-server"],
  packages: ["dnsmasq-base", "dnsmasq-utils"],
  ini: (p) => p.dhcpAgent,
  config: dhcpAgentConfig,
  health: agentHealth("neutron-dhcp-agent", "DHCP agent started"),
});

/** The metadata agent on the network nodes. */
export const neutronMetadataAgentService = agentService({
  name: "neutron-metadata-agent",
  phase: 50,
  after: ["neutron-server"],
  ini: (p) => p.metadataAgent,
  config: metadataAgentConfig,
  // it listens on the UNIX socket the routers' and DHCP's metadata proxies forward to
  async health(ctx) {
    const socket = neutronPaths(ctx).metadataSocket;
    const ok = await succeeds(ctx, ["test", "-S", socket]);
    return { ok, detail: ok ? `listening on ${socket}` : `${socket} not there yet` };
  },
});
