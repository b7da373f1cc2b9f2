/** The soak's leak diff: what a drill's repair may replace, what it must not leave, and RSS figures. */
import { describe, expect, it } from "vitest";
import {
  diffSnapshots,
  isTrackedLabFile,
  leastSquaresSlope,
  parseIpLinks,
  persistent,
  rssMb,
  rssRatio,
  stableBaseline,
  type LabDaemon,
  type LabProcess,
  type Snapshot,
} from "../../bench/support/leaks.ts";

const mariadb: LabDaemon = {
  host: "cc01",
  service: "mariadb",
  name: "mariadbd",
  pid: 100,
  start: 10,
  fds: 40,
};
const haproxy: LabDaemon = {
  host: "hap1",
  service: "haproxy",
  name: "haproxy",
  pid: 200,
  start: 20,
  fds: 12,
};

const proc = (pid: number, start: number, comm: string, group?: string): LabProcess => ({
  pid,
  start,
  comm,
  ...(group === undefined ? {} : { group }),
});

/** A lab of two daemons (mariadbd under its start script, haproxy) and an anchor. */
function base(): Snapshot {
  return {
    at: "2026-12-01T00:00:00Z",
    processes: [
      proc(100, 10, "mariadb-start.s", "cc01/svc/mariadb"),
      proc(101, 11, "mariadbd", "cc01/svc/mariadb"),
      proc(200, 20, "haproxy", "hap1/svc/haproxy"),
      proc(300, 5, "sleep", "cc01/anchor"),
    ],
    daemons: {
      "cc01/mariadb/mariadbd": mariadb,
      "hap1/haproxy/haproxy": haproxy,
    },
    machineComms: { sshd: 2, bash: 3 },
    netns: ["hc-pp-cc01", "hc-pp-sw"],
    hostNetns: { cc01: [] },
    cgroups: ["cc01", "cc01/anchor", "cc01/svc", "cc01/svc/mariadb"],
    links: { "": { lo: true, eth0: true }, "hc-pp-cc01": { lo: true, mgmt: true } },
    selfFds: 30,
    machineFiles: 5000,
    files: ["lab.json", "hosts/cc01/etc/mysql/my.cnf"],
    faultLeftovers: [],
    rssKb: 512 * 1024,
  };
}

const texts = (a: Snapshot, b: Snapshot): string[] => diffSnapshots(a, b).map((l) => l.text);

describe("soak leak diff", () => {
  it("finds nothing when nothing changed", () => {
    expect(diffSnapshots(base(), base())).toEqual([]);
  });

  it("does not count a daemon the repair restarted under a new PID (same host, service, name)", () => {
    const b = base();
    const now: Snapshot = {
      ...b,
      // service-kill mariadbd@cc01, then the repair: new start script and a new mariadbd
      processes: [
        proc(400, 90, "mariadb-start.s", "cc01/svc/mariadb"),
        proc(401, 91, "mariadbd", "cc01/svc/mariadb"),
        ...b.processes.slice(2),
      ],
      daemons: { ...b.daemons, "cc01/mariadb/mariadbd": { ...mariadb, pid: 400, start: 90, fds: 38 } },
    };
    expect(diffSnapshots(b, now)).toEqual([]);
  });

  it("does not count the Erlang VM's resolver pool, which grows and shrinks by itself", () => {
    const b = {
      ...base(),
      processes: [...base().processes, proc(700, 50, "inet_gethost", "cc02/svc/rabbitmq")],
    };
    const fewer = { ...b, processes: b.processes.filter((p) => p.comm !== "inet_gethost") };
    const more = { ...b, processes: [...b.processes, proc(701, 96, "inet_gethost", "cc02/svc/rabbitmq")] };
    expect(diffSnapshots(b, fewer)).toEqual([]);
    expect(diffSnapshots(b, more)).toEqual([]);
  });

  it("reports a new sleep in a service cgroup", () => {
    const b = base();
    const now = { ...b, processes: [...b.processes, proc(500, 95, "sleep", "cc01/svc/mariadb")] };
    expect(diffSnapshots(b, now)).toEqual([
      { kind: "process", key: "process:cc01/svc/mariadb/sleep", text: "cc01/svc/mariadb +1 sleep (500)" },
    ]);
  });

  it("reports an old daemon still alive beside its journalled successor as a group count", () => {
    const b = base();
    const now: Snapshot = {
      ...b,
      processes: [...b.processes, proc(600, 99, "haproxy", "hap1/svc/haproxy")],
      daemons: { ...b.daemons, "hap1/haproxy/haproxy": { ...haproxy, pid: 600, start: 99 } },
    };
    expect(texts(b, now)).toEqual(["hap1/svc/haproxy: 2 processes, 1 at baseline"]);
  });

  it("reports a daemon that did not come back", () => {
    const b = base();
    const now = { ...b, processes: b.processes.filter((p) => p.comm !== "haproxy") };
    expect(texts(b, now)).toEqual(["hap1/svc/haproxy: 0 processes, 1 at baseline"]);
  });

  it("reports a process in a host's namespace that escaped the lab's cgroup, and one in an exec group", () => {
    const b = base();
    const now = {
      ...b,
      processes: [...b.processes, proc(700, 100, "nft"), proc(701, 101, "curl", "cc01/exec")],
    };
    expect(texts(b, now)).toEqual(["outside the lab's cgroup: nft (700)", "cc01/exec: curl (701)"]);
  });

  it("reports machine-wide growth by comm, not shrinkage", () => {
    const b = base();
    const now = { ...b, machineComms: { sshd: 1, bash: 3, epmd: 1 } };
    expect(texts(b, now)).toEqual(["machine +1 epmd"]);
  });

  it("reports a new network namespace, on the machine and inside a host", () => {
    const b = base();
    const now = { ...b, netns: [...b.netns, "hc-pp-x"], hostNetns: { cc01: ["qrouter-1"] } };
    expect(texts(b, now)).toEqual(["netns hc-pp-x", "cc01: netns qrouter-1"]);
  });

  it("reports a cgroup directory left behind", () => {
    const b = base();
    const now = { ...b, cgroups: [...b.cgroups, "cc01/svc/stray"] };
    expect(diffSnapshots(b, now)).toEqual([
      { kind: "cgroup", key: "cgroup:cc01/svc/stray", text: "cgroup cc01/svc/stray" },
    ]);
  });

  it("reports a new veth, a link left down, a link gone, but only new links on the machine", () => {
    const b = base();
    const now = {
      ...b,
      links: { "": { eth0: true, veth9: true }, "hc-pp-cc01": { lo: true, mgmt: false, ext: true } },
    };
    expect(texts(b, now)).toEqual([
      "machine: new link veth9",
      "hc-pp-cc01: mgmt down",
      "hc-pp-cc01: new link ext",
    ]);
    const gone = { ...b, links: { ...b.links, "hc-pp-cc01": { lo: true } } };
    expect(texts(b, gone)).toEqual(["hc-pp-cc01: mgmt gone"]);
  });

  it("reports open descriptors beyond the noise only", () => {
    const b = base();
    const few = {
      ...b,
      selfFds: 90,
      daemons: { ...b.daemons, "hap1/haproxy/haproxy": { ...haproxy, fds: 28 } },
    };
    expect(diffSnapshots(b, few)).toEqual([]);
    const many = {
      ...b,
      selfFds: 95,
      daemons: { ...b.daemons, "hap1/haproxy/haproxy": { ...haproxy, fds: 29 } },
    };
    expect(texts(b, many)).toEqual(["hacloud +65 fds", "hap1/haproxy +17 fds"]);
  });

  it("reports new lab files and faults never undone", () => {
    const b = base();
    const now = {
      ...b,
      files: [...b.files, "hosts/cc01/run/stray.pid"],
      faultLeftovers: ["link-cut hap1/api (t)"],
    };
    expect(texts(b, now)).toEqual([
      "file hosts/cc01/run/stray.pid",
      "fault not undone: link-cut hap1/api (t)",
    ]);
  });

  it("keeps only what a second look still sees", () => {
    const b = base();
    const first = diffSnapshots(b, { ...b, processes: [...b.processes, proc(800, 1, "sh", "hap1/anchor")] });
    const second = diffSnapshots(b, { ...b, cgroups: [...b.cgroups, "x"] });
    expect(persistent(first, second)).toEqual([]);
    expect(persistent(second, second)).toEqual(second);
  });

  it("takes a baseline of the processes alive in both samples", () => {
    const a = base();
    // a track script caught by the second sample only must not raise the baseline count of sh
    const b = { ...a, processes: [...a.processes, proc(900, 50, "sh", "hap1/svc/keepalived")] };
    const stable = stableBaseline(a, b);
    expect(stable.processes).toEqual(a.processes);
    const leak = { ...a, processes: [...a.processes, proc(901, 60, "sh", "hap1/svc/keepalived")] };
    expect(texts(stable, leak)).toEqual(["hap1/svc/keepalived +1 sh (901)"]);
  });
});

describe("soak figures", () => {
  it("computes RSS in MB and its ratio to the baseline", () => {
    expect(rssMb({ rssKb: 1536 })).toBe(1.5);
    expect(rssRatio({ rssKb: 1000 }, { rssKb: 1100 })).toBeCloseTo(1.1);
    expect(rssRatio({ rssKb: 0 }, { rssKb: 1 })).toBeNaN();
  });

  it("fits the slope of RSS over the drills by least squares", () => {
    expect(leastSquaresSlope([10, 12, 14, 16])).toBeCloseTo(2);
    expect(leastSquaresSlope([5, 5, 5])).toBe(0);
    expect(leastSquaresSlope([7])).toBe(0);
    expect(leastSquaresSlope([1, 3, 2, 4])).toBeCloseTo(0.8);
  });

  it("parses ip -o link, with veth peers, and its admin state", () => {
    const out = [
      "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT",
      "5: mgmt@if6: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP",
      "7: api@if8: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN",
    ].join("\n");
    expect(parseIpLinks(out)).toEqual({ lo: true, mgmt: true, api: false });
  });

  it("leaves logs, database data and namespace mount points out of the lab files", () => {
    expect(isTrackedLabFile("hosts/cc01/log/mariadbd.log")).toBe(false);
    expect(isTrackedLabFile("hosts/cc01/lib/mysql/ibdata1")).toBe(false);
    expect(isTrackedLabFile("hosts/cc01/lib/rabbitmq/mnesia/x")).toBe(false);
    expect(isTrackedLabFile("hosts/net01/run/netns/qrouter-1")).toBe(false);
    expect(isTrackedLabFile("hosts/cc01/lib/rabbitmq/.erlang.cookie")).toBe(true);
    expect(isTrackedLabFile("hosts/cc01/run/mysqld/mysqld.pid")).toBe(true);
  });
});
