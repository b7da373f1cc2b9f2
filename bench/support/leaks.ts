/**
 * What a soak compares after each drill: a snapshot of everything a lab can
 * leave behind (processes, namespaces, cgroups, links, open files, lab files,
 * undone faults) and its resident memory, and a pure diff of a snapshot
 * against the baseline taken before the first drill.
 *
 * A drill's repair legitimately replaces daemons it killed, so a process is
 * judged by what it stands for, not by its PID: a journalled daemon that
 * came back under a new PID (same host, service and name) is no leak, nor is
 * a new child in a service's cgroup as long as that cgroup holds no more
 * processes of that name than at the baseline. Anything else new is.
 *
 * Transient processes and files (keepalived's track script every 2 s, the
 * restart loop's back-off `sleep`) can be caught by any one snapshot, so the
 * soak takes two a few seconds apart and keeps only what both show
 * (`persistent`, `stableBaseline`).
 */
import { readdirSync, readFileSync } from "node:fs";
import { describeFault } from "../../src/targets/fault.ts";
import { FaultJournal } from "../../src/targets/fault-journal.ts";
import { hostDirs } from "../../src/targets/lab/anchor.ts";
import { cgroup2Mount, cgroupPids, labCgroup } from "../../src/targets/lab/cgroups.ts";
import { pidsInNetns } from "../../src/targets/lab/fabric.ts";
import { currentProcesses, journalPath, readJournal } from "../../src/targets/lab/journal.ts";
import { allLabHosts, type LabLayout } from "../../src/targets/lab/layout.ts";
import { rssKb } from "../../src/targets/lab/procfs.ts";
import { faultJournalPath } from "../../src/targets/lab/target.ts";
import { run } from "../../src/util/run.ts";

/** One process of the lab: in its cgroup tree or in one of its network namespaces. */
export interface LabProcess {
  readonly pid: number;
  /** Start time in clock ticks since boot: with the PID, the process's identity. */
  readonly start: number;
  readonly comm: string;
  /** Its cgroup relative to the lab's group ("cc01/svc/mariadb"); undefined when it escaped the lab's tree. */
  readonly group?: string;
}

/** A journalled process (a daemon, or an anchor: service "lab") as it runs now. */
export interface LabDaemon {
  readonly host: string;
  readonly service: string;
  readonly name: string;
  /** Undefined when the journalled process is not alive. */
  readonly pid?: number;
  readonly start?: number;
  /** Open file descriptors of the process and everything it forked. */
  readonly fds: number;
}

/** Links of one namespace: name -> administratively up; null when the namespace could not be read. */
export type LinkTable = Readonly<Record<string, boolean>> | null;

/** Everything of one moment that a drill could leave behind. */
export interface Snapshot {
  readonly at: string;
  readonly processes: readonly LabProcess[];
  /** By `daemonKey`. */
  readonly daemons: Readonly<Record<string, LabDaemon>>;
  /** Processes outside every lab's cgroup, by comm (kernel threads left out). */
  readonly machineComms: Readonly<Record<string, number>>;
  /** `ip netns list` of the machine. */
  readonly netns: readonly string[];
  /** Host name -> the namespaces in its private /run/netns. */
  readonly hostNetns: Readonly<Record<string, readonly string[]>>;
  /** Directories under the lab's cgroup, relative to it. */
  readonly cgroups: readonly string[];
  /** Namespace ("" for the machine's own) -> its links. */
  readonly links: Readonly<Record<string, LinkTable>>;
  /** Open file descriptors of this process (hacloud runs the drills in-process). */
  readonly selfFds: number;
  /** Allocated file handles of the whole machine (first field of /proc/sys/fs/file-nr); informational. */
  readonly machineFiles: number;
  /** Files under the lab's state directory, relative to it, minus those that legitimately come and go. */
  readonly files: readonly string[];
  /** Faults in the fault journal whose undo never completed. */
  readonly faultLeftovers: readonly string[];
  /** Sum of VmRSS over the lab's cgroup tree. */
  readonly rssKb: number;
}

/** What kind of thing a leak is. */
export type LeakKind =
  | "process"
  | "group"
  | "machine-process"
  | "netns"
  | "host-netns"
  | "cgroup"
  | "link"
  | "fd"
  | "file"
  | "fault";

/** One thing left behind, with a key stable across snapshots (for `persistent`). */
export interface Leak {
  readonly kind: LeakKind;
  readonly key: string;
  /** Short, for a table cell: "cc01/svc/mariadb +1 sleep (4711)". */
  readonly text: string;
}

/** Growth of open descriptors below which a drill's churn is noise. */
export interface FdLimits {
  readonly perDaemon: number;
  readonly self: number;
}

/**
 * A few descriptors come and go with connections, and a connection pool
 * (Keystone's to the database and memcached) refills after a failover up to
 * its size: a daemon leaks when its descriptors grow by more than this and
 * more than doubled.
 */
export const FD_LIMITS: FdLimits = { perDaemon: 16, self: 64 };

/** The identity of a journalled process across restarts. */
export function daemonKey(d: Pick<LabDaemon, "host" | "service" | "name">): string {
  return `${d.host}/${d.service}/${d.name}`;
}

const pidKey = (p: { readonly pid: number; readonly start: number }): string => `${p.pid}:${p.start}`;

/** A service's cgroup ("cc01/svc/mariadb"): where daemons are replaced by a repair. */
function isServiceGroup(group: string | undefined): group is string {
  return group !== undefined && /^[^/]+\/svc\/[^/]+$/.test(group);
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of items) out.set(key(t), (out.get(key(t)) ?? 0) + 1);
  return out;
}

/** Everything `now` holds that `base` did not, or that did not come back; empty when nothing leaked. */
export function diffSnapshots(base: Snapshot, now: Snapshot, limits: FdLimits = FD_LIMITS): Leak[] {
  return [
    ...processLeaks(base, now),
    ...machineProcessLeaks(base, now),
    ...newNames("netns", base.netns, now.netns, (n) => `netns ${n}`),
    ...Object.entries(now.hostNetns).flatMap(([host, names]) =>
      newNames("host-netns", base.hostNetns[host] ?? [], names, (n) => `${host}: netns ${n}`),
    ),
    ...newNames("cgroup", base.cgroups, now.cgroups, (g) => `cgroup ${g}`),
    ...linkLeaks(base, now),
    ...fdLeaks(base, now, limits),
    ...newNames("file", base.files, now.files, (f) => `file ${f}`),
    // the baseline is taken on a clean lab: any leftover is the drills', whatever the baseline held
    ...now.faultLeftovers.map((f) => ({
      kind: "fault" as const,
      key: `fault:${f}`,
      text: `fault not undone: ${f}`,
    })),
  ];
}

function newNames(
  kind: LeakKind,
  before: readonly string[],
  after: readonly string[],
  text: (name: string) => string,
): Leak[] {
  const had = new Set(before);
  return after.filter((n) => !had.has(n)).map((n) => ({ kind, key: `${kind}:${n}`, text: text(n) }));
}

/**
 * Helpers a daemon keeps as a pool that it grows and shrinks on demand: the
 * Erlang VM's resolver workers (`inet_gethost`, two to three per RabbitMQ
 * node in the first soak). Their count says nothing about what a drill left.
 */
const POOLED_HELPERS = new Set(["inet_gethost"]);

function processLeaks(base: Snapshot, now: Snapshot): Leak[] {
  const counted = (s: Snapshot): Snapshot => ({
    ...s,
    processes: s.processes.filter((p) => !(isServiceGroup(p.group) && POOLED_HELPERS.has(p.comm))),
  });
  [base, now] = [counted(base), counted(now)];
  const before = new Set(base.processes.map(pidKey));
  // a repair's restart of a daemon the baseline had: the journal names its new PID
  const restarted = new Set(
    Object.entries(now.daemons)
      .filter(([key, d]) => base.daemons[key] !== undefined && d.pid !== undefined && d.start !== undefined)
      .map(([, d]) => pidKey({ pid: d.pid!, start: d.start! })),
  );
  const fresh = now.processes.filter((p) => !before.has(pidKey(p)) && !restarted.has(pidKey(p)));
  const leaks: Leak[] = [];

  // In a service's cgroup, a new process stands in for one that died unless the group now holds
  // more of that name than it did: one leak per (group, name), with the new PIDs as evidence.
  const baseCount = countBy(
    base.processes.filter((p) => isServiceGroup(p.group)),
    (p) => `${p.group}\0${p.comm}`,
  );
  const nowCount = countBy(
    now.processes.filter((p) => isServiceGroup(p.group)),
    (p) => `${p.group}\0${p.comm}`,
  );
  const leakyGroups = new Set<string>();
  for (const [k, pids] of groupBy(
    fresh.filter((p) => isServiceGroup(p.group)),
    (p) => `${p.group}\0${p.comm}`,
  )) {
    const delta = (nowCount.get(k) ?? 0) - (baseCount.get(k) ?? 0);
    if (delta <= 0) continue;
    const [group, comm] = k.split("\0") as [string, string];
    leakyGroups.add(group);
    leaks.push({
      kind: "process",
      key: `process:${group}/${comm}`,
      text: `${group} +${delta} ${comm} (${pids.map((p) => p.pid).join(",")})`,
    });
  }
  // Anywhere else (an anchor's or exec group, a host's root, outside the tree): every new process.
  for (const p of fresh.filter((x) => !isServiceGroup(x.group))) {
    leaks.push({
      kind: "process",
      key: `process:${pidKey(p)}`,
      text: `${p.group ?? "outside the lab's cgroup"}: ${p.comm} (${p.pid})`,
    });
  }
  // A service group must hold as many processes as at the baseline: fewer is a daemon that did not
  // come back, more without a new name is an old daemon still alive beside its journalled successor.
  const groupsBefore = countBy(
    base.processes.filter((p) => isServiceGroup(p.group)),
    (p) => p.group!,
  );
  const groupsNow = countBy(
    now.processes.filter((p) => isServiceGroup(p.group)),
    (p) => p.group!,
  );
  for (const group of new Set([...groupsBefore.keys(), ...groupsNow.keys()])) {
    const b = groupsBefore.get(group) ?? 0;
    const n = groupsNow.get(group) ?? 0;
    if (n === b || (n > b && leakyGroups.has(group))) continue;
    leaks.push({ kind: "group", key: `group:${group}`, text: `${group}: ${n} processes, ${b} at baseline` });
  }
  return leaks;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of items) out.set(key(t), [...(out.get(key(t)) ?? []), t]);
  return out;
}

function machineProcessLeaks(base: Snapshot, now: Snapshot): Leak[] {
  return Object.entries(now.machineComms)
    .map(([comm, n]) => [comm, n - (base.machineComms[comm] ?? 0)] as const)
    .filter(([, delta]) => delta > 0)
    .map(([comm, delta]) => ({
      kind: "machine-process",
      key: `machine:${comm}`,
      text: `machine +${delta} ${comm}`,
    }));
}

function linkLeaks(base: Snapshot, now: Snapshot): Leak[] {
  const leaks: Leak[] = [];
  for (const ns of new Set([...Object.keys(base.links), ...Object.keys(now.links)])) {
    const b = base.links[ns];
    const n = now.links[ns];
    const where = ns === "" ? "machine" : ns;
    if (b === undefined || b === null) continue; // nothing to compare with
    if (n === undefined || n === null) {
      leaks.push({ kind: "link", key: `link:${ns}`, text: `${where}: links unreadable` });
      continue;
    }
    for (const [name, up] of Object.entries(n)) {
      if (!(name in b))
        leaks.push({ kind: "link", key: `link:${ns}/${name}`, text: `${where}: new link ${name}` });
      else if (b[name] !== up)
        leaks.push({
          kind: "link",
          key: `link:${ns}/${name}`,
          text: `${where}: ${name} ${up ? "up" : "down"}`,
        });
    }
    // the machine's own namespace is shared with other work: only what appears there is ours to report
    if (ns === "") continue;
    for (const name of Object.keys(b).filter((x) => !(x in n)))
      leaks.push({ kind: "link", key: `link:${ns}/${name}`, text: `${where}: ${name} gone` });
  }
  return leaks;
}

function fdLeaks(base: Snapshot, now: Snapshot, limits: FdLimits): Leak[] {
  const leaks: Leak[] = [];
  if (now.selfFds - base.selfFds > limits.self)
    leaks.push({ kind: "fd", key: "fd:self", text: `hacloud +${now.selfFds - base.selfFds} fds` });
  for (const [key, d] of Object.entries(now.daemons)) {
    const b = base.daemons[key];
    if (b === undefined || d.pid === undefined) continue;
    if (d.fds - b.fds > Math.max(limits.perDaemon, b.fds))
      leaks.push({ kind: "fd", key: `fd:${key}`, text: `${d.host}/${d.name} +${d.fds - b.fds} fds` });
  }
  return leaks;
}

/** The leaks both of two consecutive diffs report (what a second look a few seconds later still sees). */
export function persistent(first: readonly Leak[], second: readonly Leak[]): Leak[] {
  const seen = new Set(first.map((l) => l.key));
  return second.filter((l) => seen.has(l.key));
}

/**
 * A baseline from two snapshots a few seconds apart: processes alive in both
 * (a track script caught by one would let a leak of its name pass), the
 * smaller count per machine comm, and every name either saw (what was there
 * at all was there before).
 */
export function stableBaseline(a: Snapshot, b: Snapshot): Snapshot {
  const inA = new Set(a.processes.map(pidKey));
  const union = (x: readonly string[], y: readonly string[]): string[] => [...new Set([...x, ...y])].sort();
  const hosts = new Set([...Object.keys(a.hostNetns), ...Object.keys(b.hostNetns)]);
  return {
    ...b,
    processes: b.processes.filter((p) => inA.has(pidKey(p))),
    machineComms: Object.fromEntries(
      Object.entries(b.machineComms).map(([c, n]) => [c, Math.min(n, a.machineComms[c] ?? 0)]),
    ),
    netns: union(a.netns, b.netns),
    hostNetns: Object.fromEntries(
      [...hosts].map((h) => [h, union(a.hostNetns[h] ?? [], b.hostNetns[h] ?? [])]),
    ),
    cgroups: union(a.cgroups, b.cgroups),
    files: union(a.files, b.files),
  };
}

/** RSS of a snapshot in MB. */
export function rssMb(s: Pick<Snapshot, "rssKb">): number {
  return s.rssKb / 1024;
}

/** RSS of `now` over the baseline's (1 = flat); NaN when the baseline had none. */
export function rssRatio(base: Pick<Snapshot, "rssKb">, now: Pick<Snapshot, "rssKb">): number {
  return base.rssKb > 0 ? now.rssKb / base.rssKb : Number.NaN;
}

/** Least-squares slope of ys over their index (units of y per step); 0 for fewer than two points. */
export function leastSquaresSlope(ys: readonly number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  const mx = (n - 1) / 2;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

/** Links of `ip -o link show` output: name (without its @peer) -> administratively up. */
export function parseIpLinks(stdout: string): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const line of stdout.split("\n")) {
    const m = /^\d+:\s+([^:@\s]+)(?:@\S+)?:\s+<([^>]*)>/.exec(line);
    if (m) out[m[1]!] = m[2]!.split(",").includes("UP");
  }
  return out;
}

/**
 * Lab files whose coming and going is the daemons' business, relative to the
 * state directory: logs, the databases' data (MariaDB's files, RabbitMQ's
 * Mnesia), the hosts' namespace mount points (reported as namespaces), and
 * the fault journal, append-only by design, whose unfinished faults are
 * checked on their own.
 */
const UNTRACKED = [
  /^faults\.jsonl$/,
  /^hosts\/[^/]+\/log(\/|$)/,
  /^hosts\/[^/]+\/lib\/mysql(\/|$)/,
  /^hosts\/[^/]+\/lib\/rabbitmq\/mnesia(\/|$)/,
  /^hosts\/[^/]+\/run\/netns(\/|$)/,
];

/** True for a lab file (relative to the state directory) that a soak checks for leftovers. */
export function isTrackedLabFile(rel: string): boolean {
  return !UNTRACKED.some((re) => re.test(rel));
}

// ---- collecting (effects: /proc, cgroupfs, the state directory, `ip`) ----

/** One row of /proc, read once per snapshot so that every part sees the same processes. */
interface ProcRow {
  readonly pid: number;
  readonly ppid: number;
  readonly start: number;
  readonly comm: string;
  readonly kthread: boolean;
  /** The process's cgroup v2 path ("/hacloud/hc-pp/cc01/svc/mariadb"). */
  readonly cgroup: string;
}

/** PF_KTHREAD in /proc/PID/stat's flags: kernel threads come and go on their own. */
const PF_KTHREAD = 0x00200000;

function procTable(): Map<number, ProcRow> {
  const rows = new Map<number, ProcRow>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cg = readFileSync(`/proc/${d}/cgroup`, "utf8")
        .split("\n")
        .find((l) => l.startsWith("0::"));
      rows.set(Number(d), {
        pid: Number(d),
        // fields 4, 9 and 22 of proc(5); f[0] is field 3
        ppid: Number(f[1]),
        kthread: (Number(f[6]) & PF_KTHREAD) !== 0,
        start: Number(f[19]),
        comm: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")),
        cgroup: cg?.slice(3) ?? "",
      });
    } catch {
      // ended while we read
    }
  }
  return rows;
}

function fdCount(pid: number | "self"): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
}

function treeOf(pid: number, rows: ReadonlyMap<number, ProcRow>): number[] {
  const children = new Map<number, number[]>();
  for (const r of rows.values()) children.set(r.ppid, [...(children.get(r.ppid) ?? []), r.pid]);
  const out: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return out;
}

function listDir(path: string): string[] {
  try {
    return readdirSync(path).sort();
  } catch {
    return [];
  }
}

/** Relative paths below `root` of every entry that is not a directory (or of every directory with `dirs`). */
function walk(root: string, dirs: boolean, keep: (rel: string) => boolean = () => true): string[] {
  const out: string[] = [];
  const visit = (rel: string): void => {
    let entries;
    try {
      entries = readdirSync(rel === "" ? root : `${root}/${rel}`, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel === "" ? e.name : `${rel}/${e.name}`;
      if (!keep(r)) continue;
      if (e.isDirectory()) {
        if (dirs) out.push(r);
        visit(r);
      } else if (!dirs) out.push(r);
    }
  };
  visit("");
  return out.sort();
}

async function links(netns: string | undefined): Promise<LinkTable> {
  const args = [...(netns === undefined ? [] : ["-n", netns]), "-o", "link", "show"];
  const r = await run("ip", args, { timeoutMs: 10_000, allowFailure: true });
  return r.exitCode === 0 ? parseIpLinks(r.stdout) : null;
}

/** Takes a snapshot of a lab and of the machine around it (root; reads only, runs `ip` a few times). */
export async function collectSnapshot(layout: LabLayout): Promise<Snapshot> {
  const at = new Date().toISOString();
  // Processes first, before this process runs any `ip -n`, which would itself sit in a lab namespace.
  const rows = procTable();
  const lab = labCgroup(layout.prefix);
  const hosts = allLabHosts(layout);
  const inTree = cgroupPids(lab);
  const labPids = new Set([...inTree, ...pidsInNetns([layout.switchNs, ...hosts.map((h) => h.netns)])]);
  const processes: LabProcess[] = [...labPids].flatMap((pid) => {
    const r = rows.get(pid);
    if (r === undefined) return [];
    const inLab = r.cgroup.startsWith(`/${lab}/`);
    return [
      { pid, start: r.start, comm: r.comm, ...(inLab ? { group: r.cgroup.slice(lab.length + 2) } : {}) },
    ];
  });
  const machineComms: Record<string, number> = {};
  for (const r of rows.values()) {
    // every lab's tree is left out: this lab's is judged above, another lab's is another run's business
    if (r.kthread || r.pid === process.pid || r.cgroup.startsWith("/hacloud/")) continue;
    machineComms[r.comm] = (machineComms[r.comm] ?? 0) + 1;
  }

  const daemons: Record<string, LabDaemon> = {};
  for (const p of currentProcesses(readJournal(journalPath(layout.stateDir))).values()) {
    const r = p.pid === undefined ? undefined : rows.get(p.pid);
    const alive = r !== undefined && r.start === p.start;
    daemons[daemonKey(p)] = {
      host: p.host,
      service: p.service,
      name: p.name,
      ...(alive ? { pid: r.pid, start: r.start } : {}),
      fds: alive ? treeOf(r.pid, rows).reduce((s, pid) => s + fdCount(pid), 0) : 0,
    };
  }

  const mount = cgroup2Mount();
  const selfFds = fdCount("self");
  const machineFiles = Number(readFileSync("/proc/sys/fs/file-nr", "utf8").split(/\s+/)[0]);
  const rss = inTree.reduce((s, pid) => s + rssKb(pid), 0);

  const netnsList = await run("ip", ["netns", "list"], { timeoutMs: 10_000, allowFailure: true });
  const linkTables: Record<string, LinkTable> = { "": await links(undefined) };
  for (const ns of [layout.switchNs, ...hosts.map((h) => h.netns)]) linkTables[ns] = await links(ns);

  return {
    at,
    processes,
    daemons,
    machineComms,
    netns: netnsList.stdout
      .split("\n")
      .map((l) => l.split(" ")[0] ?? "")
      .filter(Boolean)
      .sort(),
    hostNetns: Object.fromEntries(hosts.map((h) => [h.name, listDir(`${hostDirs(h).run}/netns`)])),
    cgroups: mount === undefined ? [] : walk(`${mount}/${lab}`, true),
    links: linkTables,
    selfFds,
    machineFiles,
    files: walk(layout.stateDir, false, isTrackedLabFile),
    faultLeftovers: new FaultJournal(faultJournalPath(layout.stateDir))
      .leftovers()
      .map((e) => `${describeFault(e.fault)} (${e.at})`),
    rssKb: rss,
  };
}
