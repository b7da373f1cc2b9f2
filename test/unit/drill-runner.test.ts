import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DrillRefused, runDrills, type DrillOptions } from "../../src/drill/runner.ts";
import { recordingSink } from "../../src/events.ts";
import { FakeTarget } from "../support/fake-target.ts";

const FAKE_WORKER = fileURLToPath(new URL("../support/fake-worker.mjs", import.meta.url));
const quick: Omit<DrillOptions, "scenarios"> = {
  worker: { file: process.execPath, args: [FAKE_WORKER] },
  baselineMs: 400,
  afterMs: 300,
  hold: { minMs: 600, maxMs: 4_000 },
  monitor: { vipMs: 50, backendsMs: 500, galeraMs: 1_000 },
};

describe("drill runner (fake target)", () => {
  let dir = "";
  let flag = "";
  beforeEach(() => {
    dir = mkdtempSync(`${tmpdir()}/hacloud-drill-`);
    flag = `${dir}/fault`;
    process.env.FAKE_FAULT_FLAG = flag;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("lb-master-crash measures the outage, sees the VIP move and undoes the fault", async () => {
    const t = new FakeTarget(flag);
    const rec = recordingSink();
    const lines: string[] = [];
    const run = await runDrills(t, {
      ...quick,
      scenarios: ["lb-master-crash"],
      sink: rec.sink,
      log: (m) => lines.push(m),
    });
    const d = run.drills[0]!;
    expect(d.error).toBeUndefined();
    const labels = rec.of("drill-event").map((e) => e.label);
    expect(labels[0]).toBe("waiting until the target is healthy");
    expect(labels).toContain("undo");
    expect(labels.at(-1)).toBe("probes stopped");
    expect(rec.of("drill-event").every((e) => e.scenario === "lb-master-crash")).toBe(true);
    // The timeline and the text log see the same events as the sink.
    expect(d.timeline?.events.map((e) => e.label)).toEqual(labels);
    expect(lines).toEqual(labels.map((l) => `lb-master-crash: ${l}`));
    expect(t.calls).toEqual(["inject host-crash", "undo host-crash"]);
    expect(existsSync(flag)).toBe(false);
    expect(d.placedBefore).toEqual({ vip: "hap2" });
    expect(d.moves).toHaveLength(1);
    expect(d.moves[0]).toMatchObject({ what: "vip", from: "hap2", to: "hap1" });
    expect(d.moves[0]!.afterS).toBeGreaterThan(0.25);
    expect(d.moves[0]!.afterS).toBeLessThan(1);
    const ks = d.probes.find((p) => p.name === "keystone-get")!;
    expect(ks.stats.failed).toBeGreaterThan(5);
    expect(ks.stats.downtimeS).toBeGreaterThan(0.3);
    expect(ks.stats.downtimeS).toBeLessThan(0.6);
    expect(d.probes.find((p) => p.name === "sql")!.lostWrites).toBe(0);
    expect(d.checks.find((c) => c.metric === "lost_writes")?.passed).toBe(true);
    expect(d.passed).toBe(true);
  }, 20_000);

  it("undoes the fault when interrupted (Ctrl-C) in the middle of the hold", async () => {
    const t = new FakeTarget(flag);
    const ac = new AbortController();
    const p = runDrills(t, {
      ...quick,
      hold: { minMs: 10_000, maxMs: 20_000 },
      signal: ac.signal,
      scenarios: ["controller-crash"],
    });
    for (let i = 0; i < 200 && !existsSync(flag); i++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(flag)).toBe(true);
    ac.abort();
    const run = await p;
    expect(run.drills[0]!.error).toBe("interrupted");
    expect(run.drills[0]!.passed).toBe(false);
    expect(t.calls).toEqual(["inject host-crash", "undo host-crash"]);
    expect(existsSync(flag)).toBe(false);
  }, 20_000);

  it("refuses a target that is not the lab without the explicit flag", async () => {
    const t = new FakeTarget(flag, "kolla");
    await expect(runDrills(t, { ...quick, scenarios: ["lb-master-crash"] })).rejects.toThrow(DrillRefused);
    expect(t.calls).toEqual([]);
  });

  it("refuses a scenario that would break quorum when a controller is already down", async () => {
    const t = new FakeTarget(flag);
    t.downHosts = ["cc03"];
    const run = await runDrills(t, { ...quick, scenarios: ["galera-node-kill"] });
    expect(run.drills[0]!.error).toMatch(/refused: it would break quorum \(galera 1\/2/);
    expect(t.calls).toEqual([]);
  });

  it("controller-pair-crash confirms the expected outage and recovers Galera", async () => {
    const t = new FakeTarget(flag);
    process.env.FAKE_OUTAGE_MS = "100000";
    try {
      const run = await runDrills(t, { ...quick, scenarios: ["controller-pair-crash"] });
      const d = run.drills[0]!;
      expect(t.calls).toEqual([
        "inject host-crash",
        "inject host-crash",
        "undo host-crash",
        "undo host-crash",
        "recover galera-recovery",
      ]);
      expect(d.checks.find((c) => c.metric === "outage_confirmed")).toMatchObject({
        measured: 1,
        passed: true,
      });
      expect(d.notes).toContain("bootstrapped cc02");
    } finally {
      delete process.env.FAKE_OUTAGE_MS;
    }
  }, 20_000);
});
