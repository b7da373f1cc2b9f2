/**
 * The lab's load balancers on real daemons: HAProxy + Keepalived on two
 * namespaced hosts hold the VIP exactly once and proxy to the controllers
 * (a stand-in database here), a standby whose HAProxy died shows as VRRP
 * FAULT until it is repaired, `lab up` again repairs a killed daemon, a
 * host crash ends what a daemon forked into a child namespace (as Neutron's
 * L3 agent does), and `lab down` leaves nothing behind, not even such a child.
 */
import { readFileSync, readlinkSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FaultJournal } from "../../src/targets/fault-journal.ts";
import { cgroupPids, serviceCgroup, servicesCgroup } from "../../src/targets/lab/cgroups.ts";
import { labDown } from "../../src/targets/lab/down.ts";
import { labHealthProblems, observeLab } from "../../src/targets/lab/observe.ts";
import { applyUndo, injectLabFault } from "../../src/targets/lab/faults.ts";
import { currentProcesses, Journal, journalPath, readJournal } from "../../src/targets/lab/journal.ts";
import { labLayout, type LabLayout } from "../../src/targets/lab/layout.ts";
import { isAlive, processStartTime } from "../../src/targets/lab/procfs.ts";
import { hostContext, loadSavedLab, runtimeOf } from "../../src/targets/lab/runtime.ts";
import { haproxyService } from "../../src/targets/lab/services/haproxy.ts";
import { keepalivedService } from "../../src/targets/lab/services/keepalived.ts";
import { labStatus } from "../../src/targets/lab/status.ts";
import { startProcess } from "../../src/targets/lab/supervisor.ts";
import { labUp } from "../../src/targets/lab/up.ts";
import { run } from "../../src/util/run.ts";
import { fixturePlan, journalPids, leftovers, rootLinks, skipReason, stubDatabase } from "./support/lab.ts";

const { plan, file } = fixturePlan("lb-pair.yaml");
const services = [haproxyService, keepalivedService, stubDatabase];

/**
 * A daemon that does what Neutron's agents do through rootwrap: it creates a
 * namespace of its own inside the host and starts a process there that leaves
 * its session and process group and runs with an empty environment
 * (`env -i`, as sudo and rootwrap clean it), then it waits.
 */
function childNamespaceAgent(netns: string, mark: number) {
  return {
    name: `agent-${mark}`,
    argv: [
      "sh",
      "-c",
      `ip netns add ${netns} && ip netns exec ${netns} setsid -f env -i sleep ${mark} && exec sleep infinity`,
    ],
  };
}

/** The process `sleep MARK` inside a cgroup, once it runs. */
async function sleeper(group: string, mark: number): Promise<{ pid: number; start?: number }> {
  for (let i = 0; i < 100; i++) {
    for (const pid of cgroupPids(group)) {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, "latin1") === `sleep\0${mark}\0`)
          return { pid, start: processStartTime(pid) };
      } catch {
        // gone meanwhile
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no \`sleep ${mark}\` in ${group}`);
}

/** Session id (stat field 6) of a process. */
const sessionOf = (pid: number): number =>
  Number(readFileSync(`/proc/${pid}/stat`, "latin1").split(") ")[1]!.split(" ")[3]);

describe.skipIf(skipReason !== undefined)(`lab load balancers ${skipReason ?? ""}`, () => {
  let layout: LabLayout;
  let linksBefore: Set<string>;
  const pids: { pid: number; start?: number }[] = [];

  beforeAll(async () => {
    layout = labLayout(plan);
    linksBefore = await rootLinks();
    await labDown({ cloud: plan.cloud }); // a previous run that died
    await labUp({ plan, topologyFile: file, services });
  });

  afterAll(async () => {
    if (layout === undefined) return;
    pids.push(...journalPids(layout));
    await labDown({ cloud: plan.cloud });
    expect(await leftovers(layout, linksBefore, pids)).toEqual([]);
  });

  it("holds the VIP on exactly one load balancer, reachable from the client", async () => {
    const rt = runtimeOf(loadSavedLab(layout.stateDir)!, services);
    expect((await observeLab(rt, "vip")).holders).toHaveLength(1);
    const client = hostContext(rt, "hap1"); // any host reaches the VIP over the management bridge
    const { stdout } = await client.exec([
      "curl",
      "-s",
      "-o",
      "/dev/null",
      "-w",
      "%{http_code}",
      `http://${layout.vip.internal}:61313/`,
    ]);
    expect(stdout).toBe("200");
  });

  it("lists the controllers as MariaDB backends, first active, the others backup, all UP", async () => {
    const rt = runtimeOf(loadSavedLab(layout.stateDir)!, services);
    const { states, errors } = await observeLab(rt, "backends");
    expect(errors).toEqual([]);
    const db = states.filter((b) => b.proxy === "mariadb");
    expect(db.map((b) => `${b.lb} ${b.server} ${b.backup ? "backup" : "active"} ${b.status}`)).toEqual([
      "hap1 cc01 active UP",
      "hap1 cc02 backup UP",
      "hap1 cc03 backup UP",
      "hap2 cc01 active UP",
      "hap2 cc02 backup UP",
      "hap2 cc03 backup UP",
    ]);
  });

  it("reports status with addresses, service states and the VIP holder", async () => {
    const s = await labStatus({ cloud: plan.cloud });
    expect(s.vip.address).toBe("198.18.0.47");
    expect(s.vip.holder === "hap1" || s.vip.holder === "hap2").toBe(true);
    const hap1 = s.hosts.find((h) => h.name === "hap1")!;
    expect(hap1.addresses).toEqual({ management: "198.18.0.20", external: "198.18.1.20" });
    expect(hap1.services.map((x) => `${x.name} ${x.state}`)).toEqual([
      "haproxy running",
      "keepalived running",
    ]);
    expect(s.hosts.find((h) => h.name === "cn01")!.services).toEqual([]);
    // no identity service in this lab: nothing to authenticate against, so no clouds.yaml
    expect(s.clouds_yaml).toBeNull();
    expect(s.keystone_url).toBeNull();
  });

  it("reports a standby whose HAProxy died as VRRP FAULT, and the gate waits for it to be BACKUP again", async () => {
    const rt = runtimeOf(loadSavedLab(layout.stateDir)!, services);
    const holders = (await observeLab(rt, "vip")).holders;
    expect(holders).toHaveLength(1);
    const holder = holders[0]!;
    const standby = holder === "hap1" ? "hap2" : "hap1";
    const expected = { [holder]: "MASTER", [standby]: "BACKUP" };
    expect((await observeLab(rt, "vip")).vrrp).toEqual(
      ["hap1", "hap2"].map((host) => ({ host, state: expected[host] })),
    );
    const victim = currentProcesses(readJournal(journalPath(layout.stateDir))).get(`${standby}/haproxy`)!;
    pids.push(...journalPids(layout));
    process.kill(victim.pid!, "SIGKILL");
    // fast-failover: check_alive every 1 s, fall 1
    let state = "";
    for (let i = 0; i < 100 && state !== "FAULT"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = (await observeLab(rt, "vip")).vrrp.find((v) => v.host === standby)!.state;
    }
    expect(state).toBe("FAULT");
    expect((await observeLab(rt, "vip")).holders).toEqual([holder]);
    expect(await labHealthProblems(rt)).toContain(
      `vrrp-standby-ready: ${standby} is VRRP FAULT: it cannot take the VIP over (track script or link failing)`,
    );
    const status = await labStatus({ cloud: plan.cloud });
    const keepalived = status.hosts
      .find((h) => h.name === standby)!
      .services.find((s) => s.name === "keepalived");
    expect(keepalived?.state).toBe("unhealthy");
    expect(keepalived?.detail).toContain("VRRP FAULT");
    // the repair restarts HAProxy and returns only once the standby can take over again
    await labUp({ plan, topologyFile: file, services });
    expect(
      (await observeLab(runtimeOf(loadSavedLab(layout.stateDir)!, services), "vip")).vrrp.find(
        (v) => v.host === standby,
      )!.state,
    ).toBe("BACKUP");
  });

  it("runs commands inside a host with its own hostname and /etc/hosts", async () => {
    const rt = runtimeOf(loadSavedLab(layout.stateDir)!, services);
    const cc01 = hostContext(rt, "cc01");
    expect((await cc01.exec(["hostname"])).stdout.trim()).toBe("cc01");
    expect((await cc01.exec(["getent", "hosts", "cc02"])).stdout).toMatch(/^198\.18\.0\.101\s/);
    expect((await cc01.exec(["ip", "-o", "-4", "addr", "show", "eth0"])).stdout).toContain("198.18.0.100/24");
  });

  it("repairs a killed daemon with a second `lab up`, leaving the others alone", async () => {
    const before = currentProcesses(readJournal(journalPath(layout.stateDir)));
    const victim = before.get("hap1/haproxy")!;
    const bystander = before.get("hap2/keepalived")!;
    await run("kill", ["-KILL", String(victim.pid)]);
    await new Promise((r) => setTimeout(r, 200));
    expect(isAlive(victim.pid!, victim.start)).toBe(false);
    pids.push(...journalPids(layout));
    await labUp({ plan, topologyFile: file, services });
    const after = currentProcesses(readJournal(journalPath(layout.stateDir)));
    const reborn = after.get("hap1/haproxy")!;
    expect(reborn.pid).not.toBe(victim.pid);
    expect(isAlive(reborn.pid!, reborn.start)).toBe(true);
    expect(after.get("hap2/keepalived")!.pid).toBe(bystander.pid);
  });

  it("ends what a daemon forked into a child namespace, out of its session and environment, when its host crashes", async () => {
    const rt = runtimeOf(loadSavedLab(layout.stateDir)!, services);
    const journal = new Journal(journalPath(layout.stateDir));
    const agent = startProcess(rt, journal, "agent", "cc02", childNamespaceAgent("qrouter-hc-test", 4242));
    const child = await sleeper(serviceCgroup(layout.prefix, "cc02", "agent"), 4242);
    pids.push({ pid: agent.pid!, start: agent.start }, child);
    // what a namespace scan, a process group or an environment tag could not find
    expect(readlinkSync(`/proc/${child.pid}/ns/net`)).not.toBe(readlinkSync(`/proc/${agent.pid}/ns/net`));
    expect(sessionOf(child.pid)).not.toBe(sessionOf(agent.pid!));
    expect(readFileSync(`/proc/${child.pid}/environ`, "latin1")).toBe("");

    const faults = new FaultJournal(`${layout.stateDir}/test-faults.jsonl`);
    const ctx = {
      rt,
      journal: faults,
      repair: async () => void (await labUp({ plan, topologyFile: file, services })),
    };
    const anchor = rt.anchors.get("cc02")!;
    const crash = await injectLabFault({ kind: "host-crash", host: "cc02" }, ctx);
    try {
      expect(isAlive(child.pid, child.start)).toBe(false);
      expect(isAlive(agent.pid!, agent.start)).toBe(false);
      expect(cgroupPids(servicesCgroup(layout.prefix, "cc02"))).toEqual([]);
      // the anchor is the lab's, not the host's: the host's namespaces outlive the crash
      expect(isAlive(anchor, undefined)).toBe(true);
    } finally {
      for (const u of [...crash.undo].reverse()) await applyUndo(u, ctx, crash.id);
    }
    const db = currentProcesses(readJournal(journalPath(layout.stateDir))).get("cc02/stub-db")!;
    expect(isAlive(db.pid!, db.start)).toBe(true);
  });

  it("leaves a daemon's detached child in a child namespace to `lab down`, which ends it", async () => {
    const rt = runtimeOf(loadSavedLab(layout.stateDir)!, services);
    const journal = new Journal(journalPath(layout.stateDir));
    const agent = startProcess(rt, journal, "agent", "cc03", childNamespaceAgent("qdhcp-hc-test", 4343));
    const child = await sleeper(serviceCgroup(layout.prefix, "cc03", "agent"), 4343);
    // afterAll's `lab down` must end both: leftovers() reports any of these still alive
    pids.push({ pid: agent.pid!, start: agent.start }, child);
    expect(isAlive(child.pid, child.start)).toBe(true);
  });

  it("restarts an `unless-stopped` daemon that crashed, and leaves it stopped once the lab stops it", async () => {
    const rt = runtimeOf(loadSavedLab(layout.stateDir)!, services);
    const journal = new Journal(journalPath(layout.stateDir));
    const loop = startProcess(rt, journal, "looped", "cc01", {
      name: "looped",
      argv: ["sleep", "4444"],
      restart: "unless-stopped",
    });
    pids.push({ pid: loop.pid!, start: loop.start });
    const group = serviceCgroup(layout.prefix, "cc01", "looped");
    const first = await sleeper(group, 4444);
    const ctx = {
      rt,
      journal: new FaultJournal(`${layout.stateDir}/test-faults.jsonl`),
      repair: async () => {},
    };

    await injectLabFault({ kind: "service-kill", host: "cc01", service: "looped" }, ctx);
    let second = first;
    for (let i = 0; i < 50 && second.pid === first.pid; i++) {
      await new Promise((r) => setTimeout(r, 100));
      second = await sleeper(group, 4444).catch(() => first);
    }
    expect(isAlive(first.pid, first.start)).toBe(false);
    expect(second.pid).not.toBe(first.pid);
    expect(isAlive(loop.pid!, loop.start)).toBe(true);
    pids.push(second);
    expect(
      readFileSync(`${rt.layout.hosts.find((h) => h.name === "cc01")!.dir}/log/looped.log`, "utf8"),
    ).toMatch(/sleep exited \(137\); restarting it in 100 ms \(restart: unless-stopped\)/);

    await injectLabFault({ kind: "service-stop", host: "cc01", service: "looped" }, ctx);
    for (let i = 0; i < 50 && isAlive(loop.pid!, loop.start); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(loop.pid!, loop.start)).toBe(false);
    expect(isAlive(second.pid, second.start)).toBe(false);
    await new Promise((r) => setTimeout(r, 500));
    expect(cgroupPids(group)).toEqual([]);
  });
});
