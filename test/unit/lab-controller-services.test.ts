/**
 * The controller services' pure parts: Galera's start decision (kolla's
 * mariadb-recovery choice), the configuration each daemon gets from the Plan
 * (profile timeouts, lab addresses, private directories) and the secrets
 * shaped for daemons (Fernet keys, Erlang cookie, SQL quoting).
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { buildPlan } from "../../src/plan/build.ts";
import { loadTopologyFile } from "../../src/spec/load.ts";
import { labLayout } from "../../src/targets/lab/layout.ts";
import type { LabHostContext, LabService } from "../../src/targets/lab/service.ts";
import { erlangCookie, fernetKey, sqlString } from "../../src/targets/lab/services/common.ts";
import {
  chooseGaleraStart,
  describeGaleraStart,
  markSafeToBootstrap,
  parseGrastate,
  parseRecoveredPosition,
  withSeqno,
  type GaleraNodeState,
} from "../../src/targets/lab/services/galera-state.ts";
import { proxiedEntries } from "../../src/targets/lab/runtime.ts";
import { CONTROL_TIER } from "../../src/targets/lab/services/index.ts";
import { unitHostContext } from "../support/lab-context.ts";
import { labHaproxyConfig } from "../../src/targets/lab/services/haproxy-config.ts";
import { keystoneConfig, keystoneService } from "../../src/targets/lab/services/keystone.ts";
import {
  MARIADB_START_SCRIPT,
  mariadbBootstrapSql,
  mariadbConfig,
  mariadbService,
} from "../../src/targets/lab/services/mariadb.ts";
import { memcachedService } from "../../src/targets/lab/services/memcached.ts";
import {
  rabbitmqConfig,
  rabbitmqEnv,
  rabbitmqEnvConf,
  rabbitmqService,
} from "../../src/targets/lab/services/rabbitmq.ts";

const SECRETS = {
  keystone_database_password: "ks'pass/with:odd@chars",
  hacloud_probe_database_password: "probe-pass",
  keystone_admin: "admin-pass",
  keystone_fernet_key: "fernet-seed",
  keystone_credential_key: "credential-seed",
  rabbitmq_password: "rabbit-pass",
  rabbitmq_cluster_cookie: "cookie-seed",
};

/** Every host's context as the engine builds it, with no way to run anything. */
function contexts(fixture: string, profile?: "kolla-default" | "fast-failover"): Map<string, LabHostContext> {
  const file = new URL(`../lab/fixtures/${fixture}`, import.meta.url).pathname;
  const loaded = loadTopologyFile(file);
  if (!loaded.topology) throw new Error("fixture is invalid");
  const plan = buildPlan(profile ? { ...loaded.topology, profile } : loaded.topology);
  const layout = labLayout(plan, "/lab");
  const out = new Map<string, LabHostContext>();
  for (const h of layout.hosts)
    out.set(h.name, unitHostContext(plan, layout, h.name, { secrets: SECRETS, services: CONTROL_TIER }));
  return out;
}

const ctxs = contexts("controllers.yaml");
const cc01 = ctxs.get("cc01")!;
const cc02 = ctxs.get("cc02")!;

function node(host: string, over: Partial<GaleraNodeState> = {}): GaleraNodeState {
  return {
    host,
    running: false,
    primary: false,
    initialized: true,
    seqno: -1,
    safeToBootstrap: false,
    ...over,
  };
}

describe("Galera start decision", () => {
  it("joins a running Primary component, whatever the others' seqnos", () => {
    const s = chooseGaleraStart([
      node("cc01", { seqno: 90 }),
      node("cc02", { running: true, primary: true, seqno: 10 }),
    ]);
    expect(s).toEqual({ kind: "join", donor: "cc02" });
  });

  it("starts a new cluster on the first host when no data exists anywhere", () => {
    const fresh = ["cc01", "cc02", "cc03"].map((h) => node(h, { initialized: false }));
    expect(chooseGaleraStart(fresh)).toEqual({ kind: "new", bootstrap: "cc01" });
  });

  it("recovers from the highest seqno, the first host winning ties", () => {
    const s = chooseGaleraStart([
      node("cc01", { seqno: 17 }),
      node("cc02", { seqno: 18 }),
      node("cc03", { seqno: 18 }),
    ]);
    expect(s).toEqual({ kind: "recover", bootstrap: "cc02", seqno: 18 });
  });

  it("prefers the node marked safe_to_bootstrap on equal or unknown seqnos", () => {
    expect(
      chooseGaleraStart([node("cc01", { seqno: 5 }), node("cc02", { seqno: 5, safeToBootstrap: true })]),
    ).toMatchObject({
      bootstrap: "cc02",
    });
    expect(chooseGaleraStart([node("cc01"), node("cc02", { safeToBootstrap: true })])).toMatchObject({
      kind: "recover",
      bootstrap: "cc02",
    });
  });

  it("ignores nodes without data and promotes a running non-Primary node that is ahead", () => {
    const s = chooseGaleraStart([
      node("cc01", { initialized: false, seqno: 99 }),
      node("cc02", { running: true, seqno: 40 }),
      node("cc03", { seqno: 12 }),
    ]);
    expect(s).toEqual({ kind: "promote", bootstrap: "cc02", seqno: 40 });
  });

  it("says what it decided and from which seqnos, in one line", () => {
    const nodes = [
      node("cc01", { seqno: 17 }),
      node("cc02", { seqno: -1, safeToBootstrap: true }),
      node("cc03", { initialized: false }),
    ];
    expect(describeGaleraStart(chooseGaleraStart(nodes), nodes)).toBe(
      "Galera: no Primary component (cc01 seqno 17; cc02 seqno unknown, safe_to_bootstrap; cc03 no data); " +
        "cc01 bootstraps it (--wsrep-new-cluster), the others join",
    );
    const running = [node("cc01", { seqno: 3 }), node("cc02", { running: true, seqno: 9 })];
    expect(describeGaleraStart(chooseGaleraStart(running), running)).toBe(
      "Galera: no Primary component (cc01 seqno 3; cc02 seqno 9, running non-Primary); " +
        "cc02 is promoted (pc.bootstrap=YES), the others join",
    );
    expect(describeGaleraStart({ kind: "join", donor: "cc03" }, [])).toBe(
      "Galera: cc03 runs the Primary component; the stopped nodes join it",
    );
  });
});

describe("grastate.dat and --wsrep-recover output", () => {
  const gra =
    "# GALERA saved state\nversion: 2.1\nuuid:    a2ca012c-e8cb-11f1-8f30-87bfeebf7684\nseqno:   -1\nsafe_to_bootstrap: 0\n";

  it("parses, marks safe to bootstrap and records a recovered seqno", () => {
    expect(parseGrastate(gra)).toEqual({
      uuid: "a2ca012c-e8cb-11f1-8f30-87bfeebf7684",
      seqno: -1,
      safeToBootstrap: false,
    });
    expect(parseGrastate(markSafeToBootstrap(gra))?.safeToBootstrap).toBe(true);
    expect(parseGrastate(markSafeToBootstrap("uuid: x\nseqno: 3\n"))?.safeToBootstrap).toBe(true);
    expect(parseGrastate(withSeqno(gra, 124))?.seqno).toBe(124);
    expect(parseGrastate("not a grastate")).toBeUndefined();
  });

  it("takes the last recovered position from the log", () => {
    const log = [
      "2026-11-25 12:44:12 0 [Note] WSREP: Recovered position: 00000000-0000-0000-0000-000000000000:-1",
      "2026-11-25 12:44:13 0 [Note] WSREP: Recovered position: a2ca012c-e8cb-11f1-8f30-87bfeebf7684:124",
    ].join("\n");
    expect(parseRecoveredPosition(log)).toEqual({ uuid: "a2ca012c-e8cb-11f1-8f30-87bfeebf7684", seqno: 124 });
    expect(parseRecoveredPosition("InnoDB: nothing here")).toBeUndefined();
  });

  it("ships a start script that the shell accepts", () => {
    expect(() => execFileSync("sh", ["-n"], { input: MARIADB_START_SCRIPT })).not.toThrow();
    expect(MARIADB_START_SCRIPT).toContain("--wsrep_start_position=");
  });
});

describe("MariaDB configuration", () => {
  it("clusters the controllers' lab addresses with the profile's Galera timeouts", () => {
    const fast = mariadbConfig(cc01);
    expect(fast).toContain("bind-address = 198.18.0.100");
    expect(fast).toContain(
      "wsrep_cluster_address = gcomm://198.18.0.100:4567,198.18.0.101:4567,198.18.0.102:4567",
    );
    expect(fast).toContain("evs.suspect_timeout=PT2S; evs.inactive_timeout=PT6S");
    const kolla = mariadbConfig(contexts("controllers.yaml", "kolla-default").get("cc01")!);
    expect(kolla).toContain("evs.suspect_timeout=PT5S; evs.inactive_timeout=PT15S");
  });

  it("creates Keystone's and the probe's users with quoted passwords, the probe from the load balancers", () => {
    const sql = mariadbBootstrapSql(cc01);
    expect(sql).toContain(`IDENTIFIED BY ${sqlString(SECRETS.keystone_database_password)}`);
    expect(sqlString("a'b\\c")).toBe("'a''b\\\\c'");
    expect(sql).toContain("'hacloud_probe'@'198.18.0.20'");
    expect(sql).toContain("'hacloud_probe'@'198.18.0.21'");
    expect(sql).toMatch(/CREATE TABLE IF NOT EXISTS hacloud_probe\.heartbeat/);
  });
});

describe("RabbitMQ configuration", () => {
  it("lists every controller for classic_config and uses pause_minority and the profile's net_ticktime", () => {
    const conf = rabbitmqConfig(cc02);
    for (const h of ["cc01", "cc02", "cc03"]) expect(conf).toContain(`= rabbit@${h}`);
    expect(conf).toContain("cluster_partition_handling = pause_minority");
    expect(conf).toContain("net_ticktime = 15");
    expect(conf).toContain("listeners.tcp.1 = 198.18.0.101:5672");
    expect(conf).toContain("management.tcp.ip = 198.18.0.101");
  });

  it("keeps every broker file under the host's private directories", () => {
    const env = rabbitmqEnv(cc02);
    for (const [k, v] of Object.entries(env)) {
      if (v.startsWith("/")) expect(v, k).toMatch(/^\/lab\/svc-ctl\/hosts\/cc02\//);
    }
    expect(env.RABBITMQ_NODENAME).toBe("rabbit@cc02");
  });

  it("never lets an Erlang VM of the broker or its CLI start a detached epmd", () => {
    expect(rabbitmqEnv(cc02).ERL_FLAGS).toBe("-start_epmd false");
    expect(rabbitmqEnvConf(cc02)).toMatch(/^ERL_FLAGS="-start_epmd false"$/m);
  });

  it("derives one Erlang cookie for all hosts, upper-case letters and digits", () => {
    expect(erlangCookie("seed")).toMatch(/^[A-Z0-9]{32}$/);
    expect(erlangCookie("seed")).not.toBe(erlangCookie("other"));
  });
});

describe("HAProxy's check of the RabbitMQ management API", () => {
  const lb = ctxs.get("hap1")!;
  const rabbitBackend = (plan: ReturnType<typeof buildPlan>): string => {
    const cfg = labHaproxyConfig(plan, {
      vip: lb.vip,
      apiAddress: lb.addresses.management!,
      addressOf: (h) => lb.addressOf(h, "management"),
      socketPath: "/lab/haproxy.sock",
      statsPassword: "stats",
      proxied: proxiedEntries({ plan, secrets: SECRETS, services: CONTROL_TIER }),
    });
    const from = cfg.indexOf("\nbackend rabbitmq_management_back");
    return cfg.slice(from, cfg.indexOf("\n\n", from));
  };

  it("authenticates as the openstack user on master, as kolla's rabbitmq_management entry does", () => {
    const t = loadTopologyFile(
      new URL("../lab/fixtures/controllers.yaml", import.meta.url).pathname,
    ).topology!;
    const master = buildPlan({ ...t, kolla: { ...t.kolla, release: "master" } });
    const basic = Buffer.from(`openstack:${SECRETS.rabbitmq_password}`).toString("base64");
    expect(rabbitBackend(master)).toMatch(
      new RegExp(`option httpchk GET /api/overview\\n\\s+http-check send hdr Authorization "Basic ${basic}"`),
    );
  });

  it("checks the port only on 2025.1, whose entry has no HTTP check, and sends no credentials", () => {
    expect(lb.plan.release).toBe("2025.1");
    const backend = rabbitBackend(lb.plan);
    expect(backend).toContain("server cc01");
    expect(backend).not.toContain("httpchk");
    expect(backend).not.toContain("Authorization");
  });
});

describe("Keystone configuration", () => {
  it("reaches the database through the VIP with the password URL-encoded, and caches in every memcached", () => {
    const conf = keystoneConfig(cc01);
    const encoded = encodeURIComponent(SECRETS.keystone_database_password);
    expect(conf).toContain(`connection = mysql+pymysql://keystone:${encoded}@198.18.0.47:3306/keystone`);
    expect(conf).toContain("memcache_servers = 198.18.0.100:11211,198.18.0.101:11211,198.18.0.102:11211");
    // bcrypt's minimum cost, in the [identity] section (see docs/lab.md)
    expect(conf).toMatch(/\[identity\]\n(?:#.*\n)*password_hash_rounds = 4\n/);
  });

  it("writes identical Fernet and credential key repositories on every host, 0600, valid 32-byte keys", () => {
    const keyFiles = (c: LabHostContext) => keystoneService.files(c).filter((f) => /-keys\/\d$/.test(f.path));
    const a = keyFiles(cc01);
    const b = keyFiles(cc02);
    expect(a).toHaveLength(4);
    expect(a.map((f) => f.content)).toEqual(b.map((f) => f.content));
    expect(new Set(a.map((f) => f.content)).size).toBe(4);
    for (const f of a) {
      expect(f.mode).toBe(0o600);
      expect(f.owner).toBe("keystone");
      expect(f.content).toMatch(/^[A-Za-z0-9_-]{43}=$/);
      expect(Buffer.from(f.content, "base64url")).toHaveLength(32);
    }
    expect(fernetKey("s", "x")).not.toBe(fernetKey("s", "y"));
  });
});

describe("every controller service", () => {
  const services: readonly LabService[] = [
    mariadbService,
    rabbitmqService,
    memcachedService,
    keystoneService,
  ];

  it("runs on the control hosts and declares its packages", () => {
    for (const s of services) {
      expect(s.hosts(cc01.plan), s.name).toEqual(["cc01", "cc02", "cc03"]);
      expect(s.packages.length, s.name).toBeGreaterThan(0);
    }
  });

  it("writes files and directories only under the host's private directories, secrets unreadable by others", async () => {
    for (const s of services) {
      const paths = [
        ...(s.directories?.(cc03()) ?? []).map((d) => d.path),
        ...s.files(cc03()).map((f) => f.path),
      ];
      for (const p of paths) expect(p, s.name).toMatch(/^\/lab\/svc-ctl\/hosts\/cc03\/(etc|lib|run|log)\//);
      for (const f of s.files(cc03())) {
        const secretInside = Object.values(SECRETS).some(
          (v) => f.content.includes(v) || f.content.includes(encodeURIComponent(v)),
        );
        if (secretInside) expect((f.mode ?? 0o644) & 0o007, `${s.name} ${f.path}`).toBe(0);
      }
      for (const p of await s.processes(cc03(), false)) {
        const argv = p.argv.join(" ");
        for (const v of Object.values(SECRETS)) expect(argv, `${s.name} ${p.name}`).not.toContain(v);
      }
    }
  });

  it("binds memcached to the management address only, without UDP", async () => {
    const [p] = await memcachedService.processes(cc01, true);
    expect(p!.argv).toEqual(expect.arrayContaining(["-l", "198.18.0.100", "-U", "0"]));
  });
});

function cc03(): LabHostContext {
  return ctxs.get("cc03")!;
}

describe("what the load balancers proxy", () => {
  const plan = ctxs.get("hap1")!.plan;
  const names = (services: readonly LabService[]): string[] =>
    proxiedEntries({ plan, secrets: SECRETS, services }).map((p) => p.entry.name);

  it("is each service's own declaration, in the Plan's order, MariaDB's entry last", () => {
    expect(names(CONTROL_TIER)).toEqual(["keystone_internal", "rabbitmq_management", "mariadb"]);
  });

  it("follows the declaration, never a service's name", () => {
    const named = (name: string, entry?: string): LabService => ({
      ...memcachedService,
      name,
      ...(entry !== undefined
        ? {
            proxied: (p: typeof plan) => p.haproxy.filter((e) => e.name === entry).map((e) => ({ entry: e })),
          }
        : {}),
    });
    // a module called "keystone" that declares nothing is not proxied (the Plan's entry says service "keystone")
    expect(names([named("keystone")])).toEqual([]);
    // a module called "nova-api" is proxied under the entry it names, though the Plan's entry says service "nova"
    expect(names([named("nova-api", "nova_api")])).toEqual(["nova_api"]);
  });
});
