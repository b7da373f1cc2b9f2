/**
 * The network tier against a real lab of the chapter's cloud (kolla's default
 * timers): userspace Open vSwitch on every network and compute node, three
 * neutron-servers behind the VIP, the OVS, L3 (HA), DHCP and metadata agents.
 * One `lab up` for the file: the chapter's own check with the real
 * `openstack` client, verify, the agents' children inside their hosts'
 * cgroups, then the router drills, each with a tenant workload it tears down
 * (router-link-cut runs in bench/drills.ts only: the suite's 30 minutes).
 * Reports land in out/lab-network/ for CI; `lab down` leaves nothing.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { moveSeconds, placeAfter } from "../../src/drill/moves.ts";
import { buildPlan } from "../../src/plan/build.ts";
import { loadTopologyFile } from "../../src/spec/load.ts";
import { hostCgroup } from "../../src/targets/lab/cgroups.ts";
import { allPids, commandLine } from "../../src/targets/lab/procfs.ts";
import { CONTROL_TIER, NETWORK_TIER } from "../../src/targets/lab/services/index.ts";
import { verifyTarget } from "../../src/verify/verify.ts";
import { skipReason } from "./support/lab.ts";
import { labForFile } from "./support/lab-file.ts";
import { probeOf } from "./support/drills.ts";

const FILE = new URL("../../examples/packtpub-prod.yaml", import.meta.url).pathname;
const OUT = new URL("../../out/lab-network/", import.meta.url).pathname;
const plan = buildPlan(loadTopologyFile(FILE).topology!);
const probe = probeOf;

describe.skipIf(skipReason !== undefined)("the lab's network tier (kolla-default)", () => {
  const lab = labForFile({ plan, file: FILE, services: [...CONTROL_TIER, ...NETWORK_TIER], out: OUT });
  const { drill, openstack } = lab;

  it("passes the chapter's check: `openstack network agent list` shows the L3 agents on net01 and net02, alive", async () => {
    const l3 = (await openstack("network", "agent", "list", "--agent-type", "l3")) as {
      Host: string;
      Alive: boolean;
    }[];
    expect(l3.map((a) => a.Host).sort()).toEqual(["net01", "net02"]);
    expect(l3.every((a) => a.Alive)).toBe(true);
    const all = (await openstack("network", "agent", "list")) as {
      Host: string;
      Binary: string;
      Alive: boolean;
    }[];
    const ovsHosts = all.filter((a) => a.Binary === "neutron-openvswitch-agent").map((a) => a.Host);
    expect(ovsHosts.sort()).toEqual(["cn01", "cn02", "net01", "net02"]);
    expect(all.filter((a) => !a.Alive)).toEqual([]);
    const ext = (await openstack("network", "show", "public1")) as { "router:external": boolean };
    expect(ext["router:external"]).toBe(true);
  });

  it("verify passes, with the network checks", async () => {
    const r = await verifyTarget(lab.target());
    expect(r.checks.filter((c) => !c.passed).map((c) => `${c.id}: ${c.details.join("; ")}`)).toEqual([]);
    expect(r.checks.map((c) => c.id)).toEqual(expect.arrayContaining(["neutron-agents", "l3-ha-routers"]));
  });

  it("router-host-crash moves the router to the other network node, and tenant traffic comes back", async () => {
    const d = await drill("router-host-crash");
    const before = d.placedBefore["router"];
    expect(before).toMatch(/^net0[12]$/);
    expect(placeAfter(d.placedBefore, d.moves, "router")).not.toBe(before);
    // a real failover: adverts stop, Master_Down_Interval passes (neutron's advert 2 s: ≈ 6.8 s)
    expect(moveSeconds(d.moves, "router")).toBeGreaterThan(2);
    // the API hears of it from the new node's agent, after the namespace has it
    const api = moveSeconds(d.moves, "router-api");
    expect(api).not.toBeNull();
    expect(api!).toBeGreaterThanOrEqual(moveSeconds(d.moves, "router")! - 1);
    expect(probe(d, "router-api").stats.total).toBeGreaterThan(10);
    expect(probe(d, "fip-icmp").stats.failed).toBeGreaterThan(0);
    expect(probe(d, "fip-icmp").stats.latency.after.count).toBeGreaterThan(0);
    expect(probe(d, "instance-upstream").stats.latency.after.count).toBeGreaterThan(0);
  });

  it("l3-agent-kill loses no tenant traffic: the agent is not the data plane", async () => {
    const d = await drill("l3-agent-kill");
    expect(probe(d, "fip-icmp").stats.total).toBeGreaterThan(100);
    expect(probe(d, "fip-icmp").stats.failed).toBe(0);
    expect(probe(d, "instance-upstream").stats.failed).toBe(0);
  });

  it("keeps every process the agents fork inside its host's cgroup", () => {
    // after the drills: the agents, their privsep daemons, and whatever they still run
    const hostOf = new Map<number, string>();
    for (const pid of allPids()) {
      const cmd = commandLine(pid);
      const m = /\/hosts\/(net0[12]|cn0[12])\//.exec(cmd);
      if (m === null) continue;
      hostOf.set(pid, m[1]!);
    }
    expect(hostOf.size).toBeGreaterThan(8);
    const outside: string[] = [];
    for (const [pid, host] of hostOf) {
      let cgroup: string;
      try {
        cgroup = readFileSync(`/proc/${pid}/cgroup`, "utf8");
      } catch {
        continue;
      }
      if (!cgroup.includes(`/${hostCgroup(lab.layout.prefix, host)}/`))
        outside.push(`${pid} ${commandLine(pid).slice(0, 80)}`);
    }
    expect(outside).toEqual([]);
  });

  it("router-keepalived-kill keeps the router active on one node once neutron respawns keepalived", async () => {
    const d = await drill("router-keepalived-kill");
    expect(d.notes.some((n) => /router is active on net0[12] only/.test(n))).toBe(true);
    expect(probe(d, "fip-icmp").stats.latency.after.count).toBeGreaterThan(0);
  });
});
