/**
 * The lab's network fabric: a switch namespace holding one bridge per
 * network, one namespace per host, and one veth pair per host per network
 * (the host end named as the topology names the interface, the other end on
 * the bridge). Nothing is created in the machine's own namespace: veths are
 * born directly inside their namespaces, so deleting the namespaces deletes
 * everything. Idempotent; every creation is journalled first.
 */
import { existsSync } from "node:fs";
import { run } from "../../util/run.ts";
import type { Journal } from "./journal.ts";
import { allLabHosts, type LabHostLayout, type LabLayout } from "./layout.ts";

/** True when the named network namespace exists. */
export function netnsExists(name: string): boolean {
  return existsSync(`/run/netns/${name}`);
}

async function ensureNetns(name: string, journal: Journal): Promise<void> {
  if (netnsExists(name)) return;
  journal.append({ op: "netns", name });
  await run("ip", ["netns", "add", name], { timeoutMs: 10_000 });
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

async function batch(netns: string, commands: readonly string[]): Promise<void> {
  if (commands.length === 0) return;
  await run("ip", ["-n", netns, "-batch", "-"], { input: commands.join("\n") + "\n", timeoutMs: 30_000 });
}

/** Creates (or completes) the switch namespace and its bridges. */
async function ensureSwitch(layout: LabLayout, journal: Journal): Promise<void> {
  await ensureNetns(layout.switchNs, journal);
  const present = await linkNames(layout.switchNs);
  const cmds = ["link set lo up"];
  for (const n of layout.networks) {
    if (!present.has(n.bridge)) {
      journal.append({ op: "link", name: n.bridge, netns: layout.switchNs, peer: "", peerNetns: "" });
      // no STP, no forwarding delay: ports forward as soon as they are up
      cmds.push(`link add ${n.bridge} type bridge forward_delay 0 stp_state 0`);
    }
    cmds.push(`link set ${n.bridge} up`);
  }
  await batch(layout.switchNs, cmds);
}

/** Creates (or completes) one host's namespace, veths and addresses. */
async function ensureHost(layout: LabLayout, host: LabHostLayout, journal: Journal): Promise<void> {
  await ensureNetns(host.netns, journal);
  const present = await linkNames(host.netns);
  for (const l of host.links) {
    if (present.has(l.ifname)) continue;
    journal.append({
      op: "link",
      name: l.ifname,
      netns: host.netns,
      peer: l.switchIf,
      peerNetns: layout.switchNs,
    });
    await run(
      "ip",
      [
        "link",
        "add",
        "name",
        l.ifname,
        "netns",
        host.netns,
        "type",
        "veth",
        "peer",
        "name",
        l.switchIf,
        "netns",
        layout.switchNs,
      ],
      { timeoutMs: 10_000 },
    );
  }
  const have = await addresses(host.netns);
  const cmds = ["link set lo up"];
  for (const l of host.links) {
    if (!have.has(`${l.ifname} ${l.address}/${l.prefix}`))
      cmds.push(`addr add ${l.address}/${l.prefix} dev ${l.ifname}`);
    cmds.push(`link set ${l.ifname} up`);
  }
  await batch(host.netns, cmds);
  await batch(
    layout.switchNs,
    host.links.map((l) => `link set ${l.switchIf} master ${l.bridge} up`),
  );
}

/** Builds the whole fabric; safe to run again on a partly built or damaged lab. */
export async function ensureFabric(layout: LabLayout, journal: Journal): Promise<void> {
  await ensureSwitch(layout, journal);
  // a few hosts at a time: `ip` calls are short, but a busy machine makes each one wait for a CPU
  const hosts = [...allLabHosts(layout)];
  const worker = async (): Promise<void> => {
    for (let h = hosts.shift(); h !== undefined; h = hosts.shift()) await ensureHost(layout, h, journal);
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

/** PIDs of processes inside a network namespace (`ip netns pids`). */
export async function netnsPids(name: string): Promise<number[]> {
  if (!netnsExists(name)) return [];
  const { stdout } = await run("ip", ["netns", "pids", name], { timeoutMs: 10_000, allowFailure: true });
  return stdout
    .split("\n")
    .map((l) => Number(l.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

/** Deletes a network namespace if it exists (its veths and bridges go with it). */
export async function deleteNetns(name: string): Promise<void> {
  if (!netnsExists(name)) return;
  await run("ip", ["netns", "del", name], { timeoutMs: 10_000 });
}
