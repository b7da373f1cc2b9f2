/**
 * The observers on real output of the daemons (captured from a lab:
 * test/unit/testdata/observe/), and their collection through a HostAccess
 * that answers as a host would.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseShowStat } from "../../src/observe/backends.ts";
import { galeraNode, parseStatusTable } from "../../src/observe/galera.ts";
import { healthProblems } from "../../src/observe/health.ts";
import { observeAll } from "../../src/observe/index.ts";
import { parseApiNodes } from "../../src/observe/rabbitmq.ts";
import type { HostAccess, ObserveContext } from "../../src/observe/types.ts";
import { holdsOnLiveLink, parseVrrpState } from "../../src/observe/vip.ts";
import { packtpubPlan } from "../support/drill-fixture.ts";

const data = (f: string): string => readFileSync(new URL(`testdata/observe/${f}`, import.meta.url), "utf8");
const VIP = "198.18.0.47";

describe("the VIP observer's parsers", () => {
  it("finds the VIP on the master's live eth0 and not on the backup", () => {
    expect(holdsOnLiveLink(data("ip-addr-master.json"), VIP)).toBe(true);
    expect(holdsOnLiveLink(data("ip-addr-backup.json"), VIP)).toBe(false);
  });

  it("does not count the VIP on a link that is down (a pulled cable, a crashed master)", () => {
    const down = data("ip-addr-master.json").replace(/"operstate":"UP"/g, '"operstate":"DOWN"');
    expect(holdsOnLiveLink(down, VIP)).toBe(false);
    expect(holdsOnLiveLink("not json", VIP)).toBe(false);
  });

  it("trusts a VRRP record only from the running VRRP process", () => {
    expect(parseVrrpState("MASTER 19101\n", 19101)).toBe("MASTER");
    expect(parseVrrpState("MASTER 19101\n", 20202)).toBe("UNKNOWN");
    expect(parseVrrpState(undefined, 19101)).toBe("UNKNOWN");
  });
});

describe("the HAProxy backends observer's parser", () => {
  it("reads every server of every kolla backend from `show stat`, summaries and stats proxies left out", () => {
    const s = parseShowStat("hap1", data("haproxy-show-stat.csv"));
    expect(s.map((b) => `${b.proxy}/${b.server} ${b.status}${b.backup ? " backup" : ""}`)).toEqual([
      "keystone_internal/cc01 UP",
      "keystone_internal/cc02 UP",
      "keystone_internal/cc03 UP",
      "rabbitmq_management/cc01 UP",
      "rabbitmq_management/cc02 UP",
      "rabbitmq_management/cc03 UP",
      "mariadb/cc01 UP",
      "mariadb/cc02 UP backup",
      "mariadb/cc03 UP backup",
    ]);
  });
});

describe("the Galera observer's parser", () => {
  it("reads a Synced node of a Primary component of three", () => {
    expect(galeraNode("cc01", parseStatusTable(data("mariadb-wsrep-status.tsv")))).toEqual({
      host: "cc01",
      reachable: true,
      clusterSize: 3,
      clusterStatus: "Primary",
      ready: true,
      localState: "Synced",
    });
  });
});

describe("the RabbitMQ observer's parser", () => {
  it("reads the running members by host from the management API", () => {
    expect(parseApiNodes(data("rabbitmq-api-nodes.json"))).toEqual({
      running: ["cc01", "cc02", "cc03"],
      partitions: [],
    });
  });

  it("reports the nodes a member is partitioned from", () => {
    const nodes = JSON.parse(data("rabbitmq-api-nodes.json")) as { name: string; partitions: string[] }[];
    nodes[0]!.partitions = ["rabbit@cc03"];
    expect(parseApiNodes(JSON.stringify(nodes)).partitions).toEqual(["cc03"]);
  });
});

/** A cloud whose hosts answer with the captured output; hap1 holds the VIP, cc03's MariaDB is down. */
function cloud(): { ctx: ObserveContext; asked: string[] } {
  const asked: string[] = [];
  const access: HostAccess = {
    exec(host, argv, opts) {
      asked.push(`${host} ${argv[0]}${opts?.container ? ` in ${opts.container}` : ""}`);
      const ok = (stdout: string) => Promise.resolve({ stdout, stderr: "", exitCode: 0 });
      if (argv[0] === "ip") return ok(data(host === "hap1" ? "ip-addr-master.json" : "ip-addr-backup.json"));
      if (argv[0] === "mariadb") return ok(data("mariadb-wsrep-status.tsv"));
      if (argv[0] === "curl") {
        // the management user comes on stdin, never on the command line
        expect(argv.join(" ")).not.toContain("secret-password");
        expect(opts?.input).toContain("secret-password");
        return ok(data("rabbitmq-api-nodes.json"));
      }
      return Promise.resolve({ stdout: "", stderr: "unknown command", exitCode: 127 });
    },
    readFile: (host, path) =>
      Promise.resolve(path.endsWith("state") ? `${host === "hap1" ? "MASTER" : "BACKUP"} 7\n` : "7\n"),
    unixSocket: (host) => Promise.resolve(data("haproxy-show-stat.csv").replaceAll("hap1", host)),
  };
  const ctx: ObserveContext = {
    plan: packtpubPlan(),
    access,
    vip: VIP,
    locate: (service, host, what) =>
      (<Record<string, string>>{
        "haproxy stats-socket": `/run/${host}/haproxy.sock`,
        "keepalived vrrp-state": `/run/${host}/vrrp.state`,
        "keepalived vrrp-pid": `/run/${host}/vrrp.pid`,
        "mariadb client-options": "--defaults-file=/etc/mysql/my.cnf",
        "rabbitmq management-url": `http://${host}:15672`,
        "rabbitmq management-user": "openstack:secret-password",
      })[`${service} ${what}`],
    running: (service, host) => !(service === "mariadb" && host === "cc03"),
  };
  return { ctx, asked };
}

describe("observing a cloud through its hosts", () => {
  it("collects every kind, asking each daemon where it runs, and skips what does not run", async () => {
    const { ctx, asked } = cloud();
    const o = await observeAll(ctx);
    expect(o.vip).toEqual({
      address: VIP,
      holders: ["hap1"],
      vrrp: [
        { host: "hap1", state: "MASTER" },
        { host: "hap2", state: "BACKUP" },
      ],
    });
    expect(o.backends.errors).toEqual([]);
    expect(o.backends.states).toHaveLength(18);
    expect(o.galera.map((n) => `${n.host} ${n.reachable ? n.clusterStatus : "down"}`)).toEqual([
      "cc01 Primary",
      "cc02 Primary",
      "cc03 down",
    ]);
    expect(o.rabbitmq.every((n) => n.running.length === 3)).toBe(true);
    expect(asked).toContain("cc01 mariadb in mariadb");
    expect(asked).toContain("cc01 curl in rabbitmq");
    expect(asked.filter((a) => a.startsWith("cc03 mariadb"))).toEqual([]);
  });

  it("gives the health checks what they need: a Galera node down is a problem, not a crash", async () => {
    const { ctx } = cloud();
    const plan = ctx.plan;
    const managed = ["haproxy", "keepalived", "mariadb", "rabbitmq"];
    const problems = healthProblems({
      plan,
      managedServices: managed,
      services: [],
      observed: await observeAll(ctx),
      keepalived: [],
    });
    expect(problems).toContain("galera-primary: cc03: not reachable");
    expect(problems).toContain("keepalived-config: no load balancer in the Plan");
  });
});
