import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runScenario, type DrillOptions } from "../../src/drill/runner.ts";
import {
  defineScenario,
  type Scenario,
  type Workload,
  type WorkloadHandle,
} from "../../src/drill/scenario.ts";
import { WorkloadKeeper } from "../../src/drill/workload-keeper.ts";
import { FakeTarget } from "../support/fake-target.ts";

const FAKE_WORKER = fileURLToPath(new URL("../support/fake-worker.mjs", import.meta.url));
const quick: Omit<DrillOptions, "scenarios"> = {
  worker: { file: process.execPath, args: [FAKE_WORKER] },
  baselineMs: 300,
  afterMs: 200,
  hold: { minMs: 500, maxMs: 1_500 },
  monitor: { vipMs: 50, backendsMs: 500, galeraMs: 1_000 },
};

/** A workload that records its set-up and teardown in the target's calls, and names a victim. */
function recordingWorkload(t: FakeTarget): Workload {
  return {
    description: "a test router",
    setUp: () => {
      t.calls.push("workload up");
      return Promise.resolve({
        facts: { master: "cc02" },
        tearDown: () => {
          t.calls.push("workload down");
          return Promise.resolve();
        },
      });
    },
  };
}

/** A scenario that kills a service on the host the workload names. */
function workloadScenario(t: FakeTarget, over: Partial<Scenario> = {}): Scenario {
  return defineScenario({
    name: "test-workload-kill",
    summary: "kills rabbitmq where the workload lives",
    expectation: "nothing much",
    requires: [],
    breaksQuorum: false,
    workload: recordingWorkload(t),
    faults: (ctx) => [{ kind: "service-kill", host: ctx.workload?.master ?? "?", service: "rabbitmq" }],
    expects: [],
    watch: ["rabbit"],
    hold: { minMs: 500, maxMs: 3_000 },
    recovery: [],
    thresholds: {},
    ...over,
  });
}

describe("drill phases (fake target)", () => {
  let dir = "";
  let flag = "";
  beforeEach(() => {
    dir = mkdtempSync(`${tmpdir()}/hacloud-phases-`);
    flag = `${dir}/fault`;
    process.env.FAKE_FAULT_FLAG = flag;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("sets the workload up before the fault, gives its facts to the faults, and tears it down last", async () => {
    const t = new FakeTarget(flag);
    const d = await runScenario(t, workloadScenario(t), quick);
    expect(d.error).toBeUndefined();
    expect(d.faults).toEqual(["service-kill rabbitmq@cc02"]);
    expect(t.calls).toEqual(["workload up", "inject service-kill", "undo service-kill", "workload down"]);
    const labels = d.timeline!.events.map((e) => e.label);
    expect(labels.indexOf("setting up the workload: a test router")).toBeLessThan(
      labels.indexOf("inject service-kill rabbitmq@cc02"),
    );
    expect(labels.at(-1)).toBe("tearing down the workload");
  }, 20_000);

  it("tears the workload down when choosing the faults fails", async () => {
    const t = new FakeTarget(flag);
    const s = workloadScenario(t, {
      faults: () => {
        throw new Error("no router master found");
      },
    });
    const d = await runScenario(t, s, quick);
    expect(d.error).toBe("no router master found");
    expect(d.passed).toBe(false);
    expect(t.calls).toEqual(["workload up", "workload down"]);
  }, 20_000);

  it("tears the workload down and skips recovery when interrupted during the hold", async () => {
    const t = new FakeTarget(flag);
    const ac = new AbortController();
    const s = workloadScenario(t, { hold: { minMs: 10_000, maxMs: 20_000 }, recovery: ["galera-recovery"] });
    const p = runScenario(t, s, { ...quick, hold: undefined, signal: ac.signal });
    for (let i = 0; i < 200 && !t.calls.includes("inject service-kill"); i++)
      await new Promise((r) => setTimeout(r, 50));
    ac.abort();
    const d = await p;
    expect(d.error).toBe("interrupted");
    expect(t.calls).toEqual(["workload up", "inject service-kill", "undo service-kill", "workload down"]);
  }, 20_000);

  it("fails the drill when the workload cannot be removed", async () => {
    const t = new FakeTarget(flag);
    const s = workloadScenario(t, {
      workload: {
        description: "a stuck router",
        setUp: () =>
          Promise.resolve({ facts: { master: "cc01" }, tearDown: () => Promise.reject(new Error("busy")) }),
      },
    });
    const d = await runScenario(t, s, quick);
    expect(d.error).toBeUndefined();
    expect(d.passed).toBe(false);
    expect(d.notes).toContain("workload teardown failed: busy");
  }, 20_000);

  it("chooses the faults again when the workload's router moved before the fault", async () => {
    const t = new FakeTarget(flag);
    const s = workloadScenario(t, {
      workload: {
        description: "an HA router",
        setUp: () => {
          // set up with the router active on net01; keepalived re-elects net02 before the inject
          t.routers = [
            { router: "r1", host: "net02", state: "primary", keepalived: true, vips: ["198.18.8.1/24"] },
          ];
          return Promise.resolve({
            facts: { router: "r1", active: "net01" },
            tearDown: () => Promise.resolve(),
          });
        },
      },
      faults: (ctx) => [{ kind: "host-crash", host: ctx.workload?.active ?? "?" }],
    });
    const d = await runScenario(t, s, quick);
    expect(d.faults).toEqual(["host-crash net02"]);
    expect(d.placedBefore["router"]).toBe("net02");
    expect(d.notes.join()).toMatch(
      /the router moved from net01 to net02 between the workload's set-up and the fault/,
    );
  }, 20_000);

  it("keeps the faults when the router is still where the set-up found it", async () => {
    const t = new FakeTarget(flag);
    t.routers = [
      { router: "r1", host: "net01", state: "primary", keepalived: true, vips: ["198.18.8.1/24"] },
    ];
    const s = workloadScenario(t, {
      workload: {
        description: "an HA router",
        setUp: () =>
          Promise.resolve({ facts: { router: "r1", active: "net01" }, tearDown: () => Promise.resolve() }),
      },
      faults: (ctx) => [{ kind: "host-crash", host: ctx.workload?.active ?? "?" }],
    });
    const d = await runScenario(t, s, quick);
    expect(d.faults).toEqual(["host-crash net01"]);
    expect(d.notes.join()).not.toMatch(/router moved/);
  }, 20_000);

  it("puts what the workload's set-up waited for in the drill's notes", async () => {
    const t = new FakeTarget(flag);
    const s = workloadScenario(t, {
      workload: {
        description: "instances",
        setUp: () =>
          Promise.resolve({
            facts: { master: "cc01" },
            notes: ["waited 42 s before the fault"],
            tearDown: () => Promise.resolve(),
          }),
      },
    });
    const d = await runScenario(t, s, quick);
    expect(d.error).toBeUndefined();
    expect(d.notes).toContain("waited 42 s before the fault");
  }, 20_000);

  /** A workload that can be kept, its set-ups, checks and tear-downs counted in the target's calls. */
  function keptWorkload(t: FakeTarget, hosts: readonly string[], refreshFails = false): Workload {
    const handle = (n: number): WorkloadHandle => ({
      facts: { master: "cc02", made: String(n) },
      tearDown: () => {
        t.calls.push("workload down");
        return Promise.resolve();
      },
      reuse: {
        hosts,
        refresh: () => {
          t.calls.push("workload check");
          return refreshFails ? Promise.reject(new Error("its ports are DOWN")) : Promise.resolve(handle(n));
        },
      },
    });
    let made = 0;
    return {
      description: "a kept router",
      setUp: () => {
        t.calls.push("workload up");
        return Promise.resolve(handle(++made));
      },
    };
  }

  it("keeps the workload for the next drill that uses it, checked again, and tears it down after the last", async () => {
    const t = new FakeTarget(flag);
    const w = keptWorkload(t, ["cn01"]);
    const s = workloadScenario(t, { workload: w });
    const keeper = new WorkloadKeeper();
    const first = await runScenario(t, s, quick, { keeper, next: w });
    const second = await runScenario(t, s, quick, { keeper, next: undefined });
    expect([first.error, second.error]).toEqual([undefined, undefined]);
    expect(t.calls).toEqual([
      "workload up",
      "inject service-kill",
      "undo service-kill",
      "workload check",
      "inject service-kill",
      "undo service-kill",
      "workload down",
    ]);
    expect(second.notes).toContain("the workload is the previous drill's, checked again before this one");
  }, 30_000);

  it("makes the workload anew when the faults hit a host it lives on, or its check fails", async () => {
    const hit = new FakeTarget(flag);
    const w = keptWorkload(hit, ["cc02"]);
    const keeper = new WorkloadKeeper();
    await runScenario(hit, workloadScenario(hit, { workload: w }), quick, { keeper, next: w });
    await runScenario(hit, workloadScenario(hit, { workload: w }), quick, { keeper, next: undefined });
    expect(hit.calls.filter((c) => c.startsWith("workload"))).toEqual([
      "workload up",
      "workload down",
      "workload up",
      "workload down",
    ]);

    const bad = new FakeTarget(flag);
    const v = keptWorkload(bad, ["cn01"], true);
    await runScenario(bad, workloadScenario(bad, { workload: v }), quick, { keeper, next: "unknown" });
    const d = await runScenario(bad, workloadScenario(bad, { workload: v }), quick, {
      keeper,
      next: "unknown",
    });
    expect(d.notes.join()).toMatch(
      /the previous drill's workload failed its check \(its ports are DOWN\): made anew/,
    );
    await keeper.close();
    expect(bad.calls.filter((c) => c.startsWith("workload"))).toEqual([
      "workload up",
      "workload check",
      "workload down",
      "workload up",
      "workload down",
    ]);
  }, 40_000);

  it("runs the scenario's recovery actions by name after the undo", async () => {
    const t = new FakeTarget(flag);
    const d = await runScenario(t, workloadScenario(t, { recovery: ["galera-recovery"] }), quick);
    expect(t.calls).toEqual([
      "workload up",
      "inject service-kill",
      "undo service-kill",
      "recover galera-recovery",
      "workload down",
    ]);
    expect(d.notes).toContain("bootstrapped cc02");
  }, 20_000);

  it("does not start when the Plan lacks what the scenario requires", async () => {
    const t = new FakeTarget(flag);
    const s = workloadScenario(t, { requires: [{ kind: "quorum", group: "galera", min: 5 }] });
    const d = await runScenario(t, s, quick);
    expect(d.error).toBe("cannot run on this cloud: needs a Galera cluster of at least 5 nodes");
    expect(t.calls).toEqual([]);
  });

  it("holds a vip-moves scenario until the VIP moved, and records the move", async () => {
    const t = new FakeTarget(flag);
    const s = workloadScenario(t, {
      workload: undefined,
      faults: () => [{ kind: "host-crash", host: "hap2" }],
      expects: [{ kind: "vip-moves" }],
    });
    // The watched probe must answer well for 3 s after the fault's 0.4 s outage before the hold ends.
    const d = await runScenario(t, s, { ...quick, hold: { minMs: 500, maxMs: 8_000 } });
    expect(d.placedBefore).toEqual({ vip: "hap2" });
    expect(d.moves.map((m) => `${m.what} ${m.from}→${m.to}`)).toEqual(["vip hap2→hap1"]);
    expect(d.timeline!.events.map((e) => e.label)).toContain("recovered");
  }, 20_000);
});
