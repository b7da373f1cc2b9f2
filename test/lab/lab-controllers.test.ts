/**
 * The controller services on real daemons (2 load balancers, 3 controllers):
 * one Fernet key repository (a token from the VIP validates on every node),
 * the drill probe's database and RabbitMQ's user reachable through the VIP,
 * no daemon file or stray process outside the lab, and Galera brought back by
 * `lab up` the way kolla's mariadb-recovery does it: a crashed node rejoins
 * by IST, a cluster that crashed entirely restarts from the node with the
 * highest seqno, one stopped cleanly from the node marked safe_to_bootstrap.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labDown } from "../../src/targets/lab/down.ts";
import { recordTimings } from "../../src/targets/lab/events.ts";
import {
  currentProcesses,
  journalPath,
  readJournal,
  type JournalProcess,
} from "../../src/targets/lab/journal.ts";
import { labLayout, type LabLayout } from "../../src/targets/lab/layout.ts";
import { cgroupPids, servicesCgroup } from "../../src/targets/lab/cgroups.ts";
import { isAlive } from "../../src/targets/lab/procfs.ts";
import {
  hostArgv,
  hostContext,
  loadSavedLab,
  runtimeOf,
  type LabRuntime,
} from "../../src/targets/lab/runtime.ts";
import { run } from "../../src/util/run.ts";
import { readSecrets } from "../../src/targets/lab/secrets.ts";
import type { LabHostContext } from "../../src/targets/lab/service.ts";
import { mariadbPaths, wsrepStatus } from "../../src/targets/lab/services/mariadb.ts";
import { rabbitmqService } from "../../src/targets/lab/services/rabbitmq.ts";
import { LAB_SERVICES } from "../../src/targets/lab/services/index.ts";
import { stopProcesses } from "../../src/targets/lab/supervisor.ts";
import { CONTROL_TIER } from "../../src/targets/lab/services/index.ts";
import { labUp } from "../../src/targets/lab/up.ts";
import { fixturePlan, journalPids, leftovers, rootLinks, skipReason } from "./support/lab.ts";

const { plan, file } = fixturePlan("controllers.yaml");
const CONTROLLERS = ["cc01", "cc02", "cc03"] as const;

/** Python run in the client namespace; secrets arrive on stdin as JSON, never on a command line. */
const CLIENT_CHECKS = String.raw`
import base64, json, sys, urllib.request
import pymysql
s = json.load(sys.stdin)
vip, nodes = sys.argv[1], sys.argv[2:]
auth = {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin",
        "domain": {"name": "Default"}, "password": s["keystone_admin"]}}},
        "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}}
r = urllib.request.urlopen(urllib.request.Request("http://%s:5000/v3/auth/tokens" % vip,
    data=json.dumps(auth).encode(), headers={"Content-Type": "application/json"}), timeout=20)
token = r.headers["X-Subject-Token"]
out = {"issued": r.status, "validated": {}}
for n in nodes:
    q = urllib.request.Request("http://%s:5000/v3/auth/tokens" % n, headers={"X-Auth-Token": token, "X-Subject-Token": token})
    out["validated"][n] = urllib.request.urlopen(q, timeout=20).status
basic = base64.b64encode(("openstack:" + s["rabbitmq_password"]).encode()).decode()
q = urllib.request.Request("http://%s:15672/api/whoami" % vip, headers={"Authorization": "Basic " + basic})
out["rabbit_user"] = json.load(urllib.request.urlopen(q, timeout=20))["name"]
db = pymysql.connect(host=vip, user="hacloud_probe", password=s["hacloud_probe_database_password"],
                     database="hacloud_probe", connect_timeout=10)
with db.cursor() as c:
    c.execute("INSERT INTO heartbeat (writer) VALUES ('lab-controllers-test')")
    c.execute("SELECT COUNT(*) FROM heartbeat WHERE writer = 'lab-controllers-test'")
    out["probe_rows"] = c.fetchone()[0]
db.commit()
print(json.dumps(out))
`;

/** The Debian paths the packaged daemons would use on the machine itself: the lab's must leave them alone. */
const GLOBAL_PATHS = [
  "/var/lib/mysql",
  "/run/mysqld",
  "/var/log/mysql",
  "/etc/mysql",
  "/var/lib/rabbitmq",
  "/var/lib/rabbitmq/mnesia",
  "/var/log/rabbitmq",
  "/etc/rabbitmq",
  "/etc/keystone",
  "/var/lib/keystone",
  "/var/log/keystone",
];

/** Entries of the global paths with their modification times. */
function globalState(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const dir of GLOBAL_PATHS) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) out[`${dir}/${name}`] = String(statSync(`${dir}/${name}`).mtimeMs);
  }
  return out;
}

describe.skipIf(skipReason !== undefined)(`lab controller services ${skipReason ?? ""}`, () => {
  let layout: LabLayout;
  let linksBefore: Set<string>;
  let globalBefore: Record<string, string>;
  const seenPids: { pid: number; start?: number }[] = [];
  const rt = (): LabRuntime => runtimeOf(loadSavedLab(layout.stateDir)!, LAB_SERVICES);
  const ctx = (host: string): LabHostContext => hostContext(rt(), host);
  const proc = (host: string, name: string): JournalProcess => {
    const p = currentProcesses(readJournal(journalPath(layout.stateDir))).get(`${host}/${name}`);
    if (p?.pid === undefined) throw new Error(`no ${name} on ${host} in the journal`);
    return p;
  };
  const killHard = async (host: string, name: string): Promise<void> => {
    const p = proc(host, name);
    seenPids.push(...journalPids(layout));
    process.kill(p.pid!, "SIGKILL");
    for (let i = 0; i < 100 && isAlive(p.pid!, p.start); i++) await new Promise((r) => setTimeout(r, 50));
    expect(isAlive(p.pid!, p.start)).toBe(false);
  };
  const sql = async (host: string, query: string): Promise<string> =>
    (
      await ctx(host).exec([
        "mariadb",
        `--defaults-file=${mariadbPaths(ctx(host)).cnf}`,
        "-N",
        "-B",
        "-e",
        query,
      ])
    ).stdout;
  const cmdline = (host: string, name: string): string =>
    readFileSync(`/proc/${proc(host, name).pid}/cmdline`, "latin1")
      .split("\0")
      .join(" ");
  const expectGalera = async (): Promise<void> => {
    for (const h of CONTROLLERS) {
      const s = await wsrepStatus(ctx(h));
      expect(s, h).toMatchObject({ wsrep_cluster_status: "Primary", wsrep_local_state_comment: "Synced" });
      expect(s?.wsrep_cluster_size, h).toBe("3");
    }
  };

  beforeAll(async () => {
    layout = labLayout(plan);
    linksBefore = await rootLinks();
    globalBefore = globalState();
    await labDown({ cloud: plan.cloud });
    const { sink, timings } = recordTimings();
    const started = performance.now();
    await labUp({ plan, topologyFile: file, services: CONTROL_TIER, sink });
    const steps = timings.map((t) => `${t.step} ${(t.ms / 1000).toFixed(1)} s`).join(", ");
    console.log(`cold start ${((performance.now() - started) / 1000).toFixed(1)} s: ${steps}`);
  });

  afterAll(async () => {
    if (layout === undefined) return;
    if (existsSync(layout.stateDir)) seenPids.push(...journalPids(layout));
    await labDown({ cloud: plan.cloud });
    expect(await leftovers(layout, linksBefore, seenPids)).toEqual([]);
  });

  it("validates a token issued through the VIP on every controller, and serves the probe and RabbitMQ users", async () => {
    const nodes = CONTROLLERS.map((h) => ctx(h).addresses.management!);
    const secrets = readSecrets(layout.stateDir);
    // Debian's python3 (with pymysql), whatever python3 comes first in the caller's PATH.
    const [bin, ...args] = hostArgv(rt(), layout.client.name, [
      "/usr/bin/python3",
      "-c",
      CLIENT_CHECKS,
      layout.vip.internal,
      ...nodes,
    ]);
    const out = await run(bin!, args, { input: JSON.stringify(secrets), timeoutMs: 120_000 });
    const result = JSON.parse(out.stdout) as {
      issued: number;
      validated: Record<string, number>;
      rabbit_user: string;
      probe_rows: number;
    };
    expect(result.issued).toBe(201);
    expect(Object.values(result.validated)).toEqual([200, 200, 200]);
    expect(result.rabbit_user).toBe("openstack");
    expect(result.probe_rows).toBeGreaterThanOrEqual(1);
    // the admin password was hashed at the lab's bcrypt cost (docs/lab.md), which the token above checked
    expect((await sql("cc01", "SELECT password_hash FROM keystone.password")).trim()).toMatch(/^\$2b\$04\$/);
  });

  it("keeps key files private and every daemon inside the lab: no stray process, nothing in the global paths", () => {
    for (const h of CONTROLLERS) {
      const dirs = ctx(h).dirs;
      for (const k of ["fernet-keys/0", "fernet-keys/1", "credential-keys/0", "credential-keys/1"]) {
        expect(statSync(`${dirs.etc}/keystone/${k}`).mode & 0o777, `${h} ${k}`).toBe(0o600);
      }
      expect(statSync(`${dirs.lib}/rabbitmq/.erlang.cookie`).mode & 0o777).toBe(0o400);
    }
    // Each process of the hosts' service groups is a journalled daemon or one of its children (an
    // `epmd -daemon` would be reparented to init, out of its daemon's tree, yet still in its cgroup).
    const journalled = new Set(journalPids(layout).map((p) => p.pid));
    const stray: string[] = [];
    const inServices = layout.hosts.flatMap((h) => cgroupPids(servicesCgroup(layout.prefix, h.name)));
    expect(inServices.length).toBeGreaterThan(CONTROLLERS.length);
    for (const pid of inServices) {
      let p = pid;
      for (let i = 0; i < 20 && p > 1 && !journalled.has(p); i++) {
        p = Number(readFileSync(`/proc/${p}/stat`, "latin1").split(") ")[1]!.split(" ")[1]);
      }
      if (!journalled.has(p)) stray.push(`${pid} ${readFileSync(`/proc/${pid}/comm`, "latin1").trim()}`);
    }
    expect(stray).toEqual([]);
    expect(globalState()).toEqual(globalBefore);
  });

  it("rejoins a crashed Galera node by IST with a second `lab up`", async () => {
    await sql("cc01", "INSERT INTO hacloud_probe.heartbeat (writer) VALUES ('before-crash')");
    await killHard("cc03", "mariadbd");
    await sql("cc01", "INSERT INTO hacloud_probe.heartbeat (writer) VALUES ('while-cc03-down')");
    await labUp({ plan, topologyFile: file, services: CONTROL_TIER });
    await expectGalera();
    const log = readFileSync(`${ctx("cc03").dirs.log}/mysql/mariadb.err`, "utf8");
    expect(log.slice(log.lastIndexOf("Starting MariaDB"))).toMatch(/IST received/);
    expect(cmdline("cc03", "mariadbd")).toMatch(/--wsrep_start_position=[0-9a-f-]+:\d+/);
  });

  it("restarts a cluster that crashed entirely from the node with the highest seqno, keeping its writes", async () => {
    await killHard("cc01", "mariadbd");
    await sql("cc02", "INSERT INTO hacloud_probe.heartbeat (writer) VALUES ('after-cc01-crashed')");
    // The insert's seqno: cc01 never saw it, so cc01 must not bootstrap.
    const inserted = Number(
      (
        await sql(
          "cc02",
          "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_LAST_COMMITTED'",
        )
      ).trim(),
    );
    await killHard("cc02", "mariadbd");
    await killHard("cc03", "mariadbd");
    const decisions: string[] = [];
    await labUp({
      plan,
      topologyFile: file,
      services: CONTROL_TIER,
      sink: (e) => {
        if (e.kind === "info" && e.message.startsWith("Galera:")) decisions.push(e.message);
      },
    });
    await expectGalera();
    // Exactly one node bootstrapped, the one lab up named; cc02 and cc03 both hold the insert (the
    // writeset reached cc03 before cc02 died), so either may be ahead by what was in flight.
    const bootstrapped = CONTROLLERS.filter((h) => cmdline(h, "mariadbd").includes("--wsrep-new-cluster"));
    expect(bootstrapped).toHaveLength(1);
    const lead = bootstrapped[0]!;
    expect(lead).not.toBe("cc01");
    expect(decisions).toHaveLength(1);
    console.log(`after the full crash (the insert was seqno ${inserted}): ${decisions[0]}`);
    expect(decisions[0]).toMatch(new RegExp(`; ${lead} bootstraps it \\(--wsrep-new-cluster\\)`));
    // The server's own account of the state it started from: at least the insert's seqno.
    const log = readFileSync(`${ctx(lead).dirs.log}/mysql/mariadb.err`, "utf8");
    const saved = /WSREP: Found saved state: [0-9a-f-]+:(\d+)/.exec(
      log.slice(log.lastIndexOf("Starting MariaDB")),
    );
    expect(saved, `${lead} log`).not.toBeNull();
    expect(Number(saved![1])).toBeGreaterThanOrEqual(inserted);
    // …and the highest of the three the decision compared.
    const seqnos = [...decisions[0]!.matchAll(/(cc0\d) seqno (\d+)/g)].map(
      (m) => [m[1], Number(m[2])] as const,
    );
    expect(seqnos.map(([h]) => h)).toEqual([...CONTROLLERS]);
    expect(Math.max(...seqnos.map(([, n]) => n))).toBe(Number(saved![1]));
    for (const h of CONTROLLERS) {
      expect(
        await sql(h, "SELECT COUNT(*) FROM hacloud_probe.heartbeat WHERE writer = 'after-cc01-crashed'"),
      ).toBe("1\n");
    }
  });

  it("restarts a cluster stopped cleanly one node after the other from the last one, marked safe_to_bootstrap", async () => {
    seenPids.push(...journalPids(layout));
    for (const h of CONTROLLERS) await stopProcesses([proc(h, "mariadbd")], 120_000);
    const grastate = (h: string): string => readFileSync(`${ctx(h).dirs.lib}/mysql/grastate.dat`, "utf8");
    expect(grastate("cc03")).toMatch(/^safe_to_bootstrap: 1$/m);
    expect(grastate("cc01")).toMatch(/^safe_to_bootstrap: 0$/m);
    await labUp({ plan, topologyFile: file, services: CONTROL_TIER });
    await expectGalera();
    expect(cmdline("cc03", "mariadbd")).toContain("--wsrep-new-cluster");
    expect(await sql("cc01", "SELECT COUNT(*) >= 3 FROM hacloud_probe.heartbeat")).toBe("1\n");
  });

  it("brings a killed RabbitMQ node back into the cluster with a second `lab up`", async () => {
    await killHard("cc02", "rabbitmq-server");
    await labUp({ plan, topologyFile: file, services: CONTROL_TIER });
    const cluster = await rabbitmqService.cluster!(ctx("cc02"));
    expect([...cluster.members].sort()).toEqual([...CONTROLLERS]);
    expect(cluster.primary).toBe(true);
  });

  it("restarts a node whose broker and epmd were killed, even after a cluster query while it was down", async () => {
    await killHard("cc03", "rabbitmq-server");
    await killHard("cc03", "epmd");
    // What the gate and the drills' snapshots do while the node is down: ask it for the cluster. The
    // management API is gone, so this runs rabbitmqctl, which must not start a detached epmd.
    expect((await rabbitmqService.cluster!(ctx("cc03"))).members).toEqual([]);
    expect((await ctx("cc03").exec(["ss", "-Hltn", "sport = :4369"])).stdout.trim()).toBe("");
    await labUp({ plan, topologyFile: file, services: CONTROL_TIER });
    const cluster = await rabbitmqService.cluster!(ctx("cc03"));
    expect([...cluster.members].sort()).toEqual([...CONTROLLERS]);
  });
});
