/**
 * Nova (Debian's Zed packages, 26.2) as kolla places it: nova-api (the
 * compute and metadata APIs), nova-scheduler and nova-conductor on the
 * controllers behind the VIP, nova-compute with the fake virt driver on the
 * computes (no libvirt: the instances live in nova-compute's memory, and the
 * fake driver supports evacuation). The first controller migrates the
 * databases and maps cell0 and the cell as kolla's bootstrap does, and
 * maps the computes once they run (kolla's discover_hosts, once per deploy).
 * Health is Nova's own rule for a service being up: its heartbeat in the
 * database is younger than service_down_time.
 */
import { DRILL_FLAVOR } from "../../target.ts";
import type { LabHostContext, LabProcess, LabService } from "../service.ts";
import { asLabAdmin, registerInKeystone } from "./ks-register.ts";
import { apiAddress, placedHosts, sqlString } from "./common.ts";
import { apiHealth, entriesNamed } from "./api-service.ts";
import { hostContext, type LabRuntime } from "../runtime.ts";
import {
  novaComputeConfig,
  novaControllerConfig,
  novaHealthCnf,
  novaPaths,
  novaPorts,
} from "./nova-config.ts";

/** Secrets every Nova process reads (with RabbitMQ's, Placement's and Neutron's). */
const NOVA_SECRETS = [
  "nova_database_password",
  "nova_keystone_password",
  "placement_keystone_password",
  "neutron_keystone_password",
  "metadata_secret",
  "rabbitmq_password",
] as const;

function novaDirectories(ctx: LabHostContext) {
  const p = novaPaths(ctx);
  return [
    { path: p.etc, mode: 0o750, owner: "nova" },
    { path: p.lib, mode: 0o750, owner: "nova" },
    { path: p.lock, mode: 0o750, owner: "nova" },
    { path: p.instances, mode: 0o750, owner: "nova" },
    { path: p.log, mode: 0o750, owner: "nova" },
  ];
}

function novaFiles(ctx: LabHostContext, config: string) {
  const p = novaPaths(ctx);
  return [
    { path: p.conf, content: config, mode: 0o640, owner: "nova" },
    { path: p.healthCnf, content: novaHealthCnf(ctx), mode: 0o600 },
  ];
}

/** A Nova daemon with the host's nova.conf and its own log, as the nova user. */
function novaProcess(ctx: LabHostContext, name: string, argv0: readonly string[]): LabProcess {
  const p = novaPaths(ctx);
  return {
    name,
    argv: [...argv0, "--config-file", p.conf, "--log-file", `${p.log}/${name}.log`],
    user: "nova",
    cwd: p.lib,
    stopTimeoutMs: 15_000,
  };
}

/**
 * Nova's servicegroup rule, read from its database through the VIP: the service is up when its
 * heartbeat (updated_at, or created_at before the first) is younger than service_down_time.
 */
export async function novaServiceHealth(
  ctx: LabHostContext,
  binary: string,
): Promise<{ readonly ok: boolean; readonly detail: string }> {
  const sql =
    "SELECT TIMESTAMPDIFF(SECOND, COALESCE(updated_at, created_at), UTC_TIMESTAMP()) FROM services " +
    `WHERE host = ${sqlString(ctx.host.name)} AND \`binary\` = ${sqlString(binary)} AND deleted = 0`;
  try {
    const { stdout } = await ctx.exec(
      ["mysql", `--defaults-file=${novaPaths(ctx).healthCnf}`, "-N", "-B", "-e", sql],
      { timeoutMs: 10_000 },
    );
    const age = Number(stdout.trim().split("\n")[0]);
    const limit = ctx.plan.profile.masakari.novaServiceDownTime;
    if (stdout.trim() === "" || !Number.isFinite(age))
      return { ok: false, detail: `${binary} has not registered yet` };
    return age <= limit
      ? { ok: true, detail: `${binary} heartbeat ${age} s ago` }
      : { ok: false, detail: `${binary} heartbeat ${age} s ago (down after ${limit} s)` };
  } catch {
    return { ok: false, detail: `Nova's database does not answer through the VIP` };
  }
}

/** Creates the lab's flavor unless it exists (idempotent), through this host's own API. */
const ENSURE_FLAVOR = String.raw`
url = req["nova"]
h = {"OpenStack-API-Version": "compute 2.55"}
have = sess.get(url + "/flavors?is_public=None", headers=h, raise_exc=True).json()["flavors"]
if not any(f["name"] == req["name"] for f in have):
    sess.post(url + "/flavors", headers=h, raise_exc=True, json={"flavor": {"name": req["name"],
        "id": "1", "ram": 512, "vcpus": 1, "disk": 1}})
`;

/** The cell of the `nova` database, unless one is mapped already (kolla: create_cell without a name). */
async function ensureCell(ctx: LabHostContext, conf: string): Promise<void> {
  const { stdout } = await ctx.exec(
    ["nova-manage", "--config-file", conf, "cell_v2", "list_cells", "--verbose"],
    {
      user: "nova",
      timeoutMs: 120_000,
    },
  );
  if (/\/nova(\?|\s|\|)/.test(stdout.replace(/nova_cell0/g, ""))) return;
  await ctx.exec(["nova-manage", "--config-file", conf, "cell_v2", "create_cell"], {
    user: "nova",
    timeoutMs: 120_000,
  });
}

const CONTROL_AFTER = ["haproxy", "keepalived", "mariadb", "rabbitmq", "memcached", "keystone"];

/** nova-api on the controllers: the compute API and the metadata API, one worker each. */
export const novaApiService: LabService = {
  name: "nova-api",
  phase: 45,
  // Its migrations need only the database, and nova-api itself asks Placement and Glance nothing
  // until a request comes: its setup, the longest of the lab's (3 databases), runs beside theirs.
  after: CONTROL_AFTER,
  hosts: (plan) => placedHosts(plan, "nova-api"),
  packages: ["nova-api", "python3-nova", "python3-pymysql", "python3-memcache", "mariadb-client", "curl"],
  debconf: ["nova-common nova/configure_db boolean false", "nova-api nova/register-endpoint boolean false"],
  secrets: NOVA_SECRETS,
  databases: (["nova_api", "nova", "nova_cell0"] as const).map((name) => ({
    name,
    user: "nova",
    passwordSecret: "nova_database_password",
  })),
  healthTimeoutMs: 180_000,
  directories: novaDirectories,
  files: (ctx) => novaFiles(ctx, novaControllerConfig(ctx)),
  async setup(ctx, first) {
    if (!first) return;
    const conf = novaPaths(ctx).conf;
    const manage = (...args: string[]) =>
      ctx.exec(["nova-manage", "--config-file", conf, ...args], { user: "nova", timeoutMs: 600_000 });
    await manage("api_db", "sync");
    // cell0's URL is the cell database's with "_cell0" (no password on a command line)
    await manage("cell_v2", "map_cell0");
    await ensureCell(ctx, conf);
    await manage("db", "sync");
    await registerInKeystone(ctx, {
      name: "nova",
      type: "compute",
      description: "OpenStack Compute",
      url: `http://${ctx.vip.internal}:${novaPorts(ctx).api}/v2.1`,
      user: "nova",
      passwordSecret: "nova_keystone_password",
    });
  },
  processes: (ctx) => [novaProcess(ctx, "nova-api", ["/usr/bin/nova-api"])],
  health: (ctx) => apiHealth(ctx, novaPorts(ctx).api),
  async afterStart(ctx, first) {
    if (first)
      await asLabAdmin(ctx, ENSURE_FLAVOR, {
        nova: `http://${apiAddress(ctx)}:${novaPorts(ctx).api}/v2.1`,
        name: DRILL_FLAVOR,
      });
  },
  proxied: (plan) => entriesNamed(plan, "nova_api", "nova_metadata"),
  configFile: (dirs) => novaPaths({ dirs }).conf,
};

/** A Nova RPC service (scheduler, conductor, compute): its daemon, health by heartbeat. */
function rpcService(
  name: "nova-scheduler" | "nova-conductor" | "nova-compute",
  o: Pick<LabService, "phase" | "after" | "hosts" | "packages"> & {
    readonly config: (ctx: LabHostContext) => string;
    readonly argv: readonly string[];
    readonly gate?: LabService["gate"];
    readonly afterHosts?: LabService["afterHosts"];
  },
): LabService {
  return {
    name,
    phase: o.phase,
    after: o.after,
    start: "parallel",
    hosts: o.hosts,
    packages: [...o.packages, "python3-nova", "python3-pymysql", "mariadb-client"],
    secrets: NOVA_SECRETS,
    healthTimeoutMs: 180_000,
    directories: novaDirectories,
    files: (ctx) => novaFiles(ctx, o.config(ctx)),
    processes: (ctx) => [novaProcess(ctx, name, o.argv)],
    health: (ctx) => novaServiceHealth(ctx, name),
    configFile: (dirs) => novaPaths({ dirs }).conf,
    ...(o.gate !== undefined ? { gate: o.gate } : {}),
    ...(o.afterHosts !== undefined ? { afterHosts: o.afterHosts } : {}),
  };
}

/** nova-scheduler on the controllers (Placement must answer through the VIP first, or it exits). */
export const novaSchedulerService = rpcService("nova-scheduler", {
  phase: 50,
  after: ["nova-api", "placement-api"],
  hosts: (plan) => placedHosts(plan, "nova-scheduler"),
  packages: ["nova-scheduler"],
  config: novaControllerConfig,
  argv: ["/usr/bin/nova-scheduler"],
});

/** nova-conductor on the controllers. */
export const novaConductorService = rpcService("nova-conductor", {
  phase: 50,
  after: ["nova-api"],
  hosts: (plan) => placedHosts(plan, "nova-conductor"),
  packages: ["nova-conductor"],
  config: novaControllerConfig,
  argv: ["/usr/bin/nova-conductor"],
});

/** Every compute's service up and its hypervisor mapped to the cell (what kolla's deploy waits for). */
const COMPUTES_READY = String.raw`
url = req["nova"]
h = {"OpenStack-API-Version": "compute 2.53"}
svcs = sess.get(url + "/os-services?binary=nova-compute", headers=h, raise_exc=True).json()["services"]
hyps = sess.get(url + "/os-hypervisors", headers=h, raise_exc=True).json()["hypervisors"]
up = {s["host"] for s in svcs if s["state"] == "up"}
mapped = {x["hypervisor_hostname"] for x in hyps}
for c in req["computes"]:
    if c not in up:
        print("nova-compute on %s is not up in the compute API" % c)
    elif c not in mapped:
        print("hypervisor %s is not mapped to a cell yet" % c)
`;

async function computesReady(rt: LabRuntime): Promise<readonly string[]> {
  const computes = placedHosts(rt.plan, "nova-compute");
  const controller = placedHosts(rt.plan, "nova-api")[0];
  if (computes.length === 0 || controller === undefined) return [];
  const ctx = hostContext(rt, controller);
  try {
    const out = await asLabAdmin(ctx, COMPUTES_READY, {
      nova: `http://${rt.layout.vip.internal}:${novaPorts(ctx).api}/v2.1`,
      computes,
    });
    return out
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => `nova-compute: ${l}`);
  } catch (e) {
    return [
      `nova-compute: the compute API does not answer through the VIP (${(e as Error).message.split("\n")[0]})`,
    ];
  }
}

/** nova-compute with the fake virt driver on the computes: its node name is the host's name. */
export const novaComputeService = rpcService("nova-compute", {
  phase: 55,
  after: ["nova-conductor", "nova-scheduler", "placement-api", "neutron-openvswitch-agent"],
  hosts: (plan) => placedHosts(plan, "nova-compute"),
  // Debian's nova-compute package pulls in libvirt and QEMU; the fake driver needs python3-nova only
  packages: [],
  config: novaComputeConfig,
  argv: [
    "/usr/bin/python3",
    "-c",
    "import sys; from nova.cmd.compute import main; sys.argv[0] = 'nova-compute'; sys.exit(main())",
  ],
  // kolla's discover_computes.yml, from the first controller: map the computes to their cell
  async afterHosts(rt) {
    const controller = placedHosts(rt.plan, "nova-api")[0];
    if (controller === undefined) return;
    const ctx = hostContext(rt, controller);
    await ctx.exec(
      ["nova-manage", "--config-file", novaPaths(ctx).conf, "cell_v2", "discover_hosts", "--by-service"],
      { user: "nova", timeoutMs: 120_000 },
    );
  },
  gate: computesReady,
});
