/**
 * The lab's network fabric: a switch namespace holding one bridge per
 * network, one namespace per host, and one veth pair per host per network
 * (the host end named as the topology names the interface, the other end on
 * the bridge). Nothing is created in the machine's own namespace: veths are
 * born directly inside their namespaces, so deleting the namespaces deletes
 * everything. Idempotent; every creation is journalled first.
 */
import { existsSync, statSync } from "node:fs";
import { run } from "../../util/run.ts";
import type { Journal } from "./journal.ts";
import { allLabHosts, type LabLayout } from "./layout.ts";
import { allPids, netnsOf } from "./procfs.ts";

/** True when the named network namespace exists. */
export function netnsExists(name: string): boolean {
  return existsSync(`/run/netns/${name}`);
}

/** Interface names present in a namespace. */
async function linkNames(netns: string): Promise<Set<string>> {
  const { stdout } = await run("ip", ["-n", netns, "-o", "link", "show"], { timeoutMs: 10_000 });
  return new Set(
    stdout
      .split("\n")
      .map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1])
      .filter((n): n is string => n !== undefined),
  );
}

/** IPv4 addresses (with prefix) per interface in a namespace. */
async function addresses(netns: string): Promise<Set<string>> {
  const { stdout } = await run("ip", ["-n", netns, "-o", "-4", "addr", "show"], { timeoutMs: 10_000 });
  return new Set(
    stdout
      .split("\n")
      .map((l) => /^\d+:\s+(\S+)\s+inet\s+(\S+)/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `${m[1]} ${m[2]}`),
  );
}

/** Runs `ip` commands in one process (in a namespace, or the machine's for `netns add` and veth creation). */
async function batch(netns: string | undefined, commands: readonly string[]): Promise<void> {
  if (commands.length === 0) return;
  await run("ip", [...(netns ? ["-n", netns] : []), "-batch", "-"], {
    input: commands.join("\n") + "\n",
    timeoutMs: 60_000,
  });
}

/** Runs `fn` on every item, `width` at a time. */
async function pool<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async (): Promise<void> => {
    for (let it = queue.shift(); it !== undefined; it = queue.shift()) await fn(it);
  };
  await Promise.all(Array.from({ length: width }, worker));
}

/**
 * Builds the whole fabric; safe to run again on a partly built or damaged lab.
 * A handful of `ip -batch` runs do the work (each `ip` costs a process start,
 * which a busy machine makes slow); namespaces that already existed are
 * inspected so that only what is missing gets created.
 */
export async function ensureFabric(layout: LabLayout, journal: Journal): Promise<void> {
  const hosts = allLabHosts(layout);
  const all = [layout.switchNs, ...hosts.map((h) => h.netns)];
  const existed = new Set(all.filter(netnsExists));
  const present = new Map<string, Set<string>>();
  const addrs = new Map<string, Set<string>>();
  await pool([...existed], 4, async (ns) => {
    present.set(ns, await linkNames(ns));
    addrs.set(ns, await addresses(ns));
  });
  const missingNs = all.filter((ns) => !existed.has(ns));
  for (const name of missingNs) journal.append({ op: "netns", name });
  await batch(
    undefined,
    missingNs.map((ns) => `netns add ${ns}`),
  );

  const sw = present.get(layout.switchNs) ?? new Set<string>();
  const swCmds = ["link set lo up"];
  for (const n of layout.networks) {
    if (!sw.has(n.bridge)) {
      journal.append({ op: "link", name: n.bridge, netns: layout.switchNs, peer: "", peerNetns: "" });
      // no STP, no forwarding delay: ports forward as soon as they are up
      swCmds.push(`link add ${n.bridge} type bridge forward_delay 0 stp_state 0`);
    }
    swCmds.push(`link set ${n.bridge} up`);
  }
  await batch(layout.switchNs, swCmds);

  // veths are born inside their namespaces: nothing ever appears in the machine's own
  const vethCmds: string[] = [];
  for (const h of hosts) {
    const have = present.get(h.netns) ?? new Set<string>();
    for (const l of h.links) {
      if (have.has(l.ifname)) continue;
      journal.append({
        op: "link",
        name: l.ifname,
        netns: h.netns,
        peer: l.switchIf,
        peerNetns: layout.switchNs,
      });
      vethCmds.push(
        `link add name ${l.ifname} netns ${h.netns} type veth peer name ${l.switchIf} netns ${layout.switchNs}`,
      );
    }
  }
  await batch(undefined, vethCmds);

  await pool(hosts, 4, async (h) => {
    const have = addrs.get(h.netns) ?? new Set<string>();
    const cmds = ["link set lo up"];
    for (const l of h.links) {
      // the host's Open vSwitch puts this address on its bridge when it starts
      if (l.ovsBridge === undefined && !have.has(`${l.ifname} ${l.address}/${l.prefix}`))
        cmds.push(`addr add ${l.address}/${l.prefix} dev ${l.ifname}`);
      cmds.push(`link set ${l.ifname} up`);
    }
    await batch(h.netns, cmds);
    for (const l of h.links.filter((x) => x.txChecksumInSoftware === true))
      await run("ip", ["netns", "exec", h.netns, "ethtool", "-K", l.ifname, "tx", "off"], {
        timeoutMs: 10_000,
      });
  });
  await batch(
    layout.switchNs,
    hosts.flatMap((h) => h.links.map((l) => `link set ${l.switchIf} master ${l.bridge} up`)),
  );
}

/** PIDs inside any of the named network namespaces, found in one pass over /proc (no `ip` per namespace). */
export function pidsInNetns(names: readonly string[]): number[] {
  const inodes = new Set<string>();
  for (const n of names) {
    try {
      if (netnsExists(n)) inodes.add(`net:[${statSync(`/run/netns/${n}`).ino}]`);
    } catch {
      // deleted meanwhile
    }
  }
  if (inodes.size === 0) return [];
  return allPids().filter((pid) => pid !== process.pid && inodes.has(netnsOf(pid) ?? ""));
}

/** Deletes the named network namespaces that exist, in one `ip -batch` run; returns how many. */
export async function deleteNetnsAll(names: readonly string[]): Promise<number> {
  const existing = names.filter(netnsExists);
  await batch(
    undefined,
    existing.map((n) => `netns del ${n}`),
  );
  return existing.length;
}
