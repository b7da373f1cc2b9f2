/**
 * Every drill scenario against a real lab of the chapter's cloud (kolla's
 * default timers): one `lab up` for the file, the scenarios in `--all`
 * order, `lab down` in afterAll, which leaves nothing. The reports land in
 * out/lab-drills/ for CI.
 */
import { describe, expect, it } from "vitest";
import { moveSeconds, placeAfter } from "../../src/drill/moves.ts";
import { buildPlan } from "../../src/plan/build.ts";
import { loadTopologyFile } from "../../src/spec/load.ts";
import { CONTROL_TIER } from "../../src/targets/lab/services/index.ts";
import { verifyTarget } from "../../src/verify/verify.ts";
import { skipReason } from "./support/lab.ts";
import { labForFile } from "./support/lab-file.ts";
import { probeOf } from "./support/drills.ts";

const FILE = new URL("../../examples/packtpub-prod.yaml", import.meta.url).pathname;
const OUT = new URL("../../out/lab-drills/", import.meta.url).pathname;
const plan = buildPlan(loadTopologyFile(FILE).topology!);
const probe = probeOf;

describe.skipIf(skipReason !== undefined)("drills in the lab (kolla-default)", () => {
  const lab = labForFile({ plan, file: FILE, services: CONTROL_TIER, out: OUT });
  const { drill } = lab;

  it("verify passes on the freshly built lab", async () => {
    const r = await verifyTarget(lab.target());
    expect(r.checks.filter((c) => !c.passed).map((c) => `${c.id}: ${c.details.join("; ")}`)).toEqual([]);
  });

  it("lb-master-crash moves the VIP and loses no acknowledged write", async () => {
    const d = await drill("lb-master-crash");
    expect(placeAfter(d.placedBefore, d.moves, "vip")).not.toBe(d.placedBefore["vip"]);
    expect(moveSeconds(d.moves, "vip")).toBeGreaterThan(0);
    // Requests in flight during the VIP move may hang and then succeed (TCP
    // retransmits reach the new master) rather than fail: the user sees a gap.
    expect(probe(d, "keystone-get").stats.longestGapS).toBeGreaterThan(0.5);
    expect(probe(d, "sql").lostWrites).toBe(0);
  });

  it("lb-master-keepalived-stop hands the VIP over at once", async () => {
    const d = await drill("lb-master-keepalived-stop");
    expect(placeAfter(d.placedBefore, d.moves, "vip")).not.toBe(d.placedBefore["vip"]);
    expect(moveSeconds(d.moves, "vip")).toBeLessThan(2);
    expect(probe(d, "sql").lostWrites).toBe(0);
  });

  it("lb-master-haproxy-kill moves the VIP once keepalived's check_alive fails", async () => {
    const d = await drill("lb-master-haproxy-kill");
    expect(placeAfter(d.placedBefore, d.moves, "vip")).not.toBe(d.placedBefore["vip"]);
    // kolla: the track script needs interval 2 s × fall 2 before it gives up the VIP
    expect(moveSeconds(d.moves, "vip")).toBeGreaterThan(1);
    expect(probe(d, "sql").lostWrites).toBe(0);
  });

  it("lb-master-link-cut moves the VIP to the backup", async () => {
    const d = await drill("lb-master-link-cut");
    expect(placeAfter(d.placedBefore, d.moves, "vip")).not.toBe(d.placedBefore["vip"]);
    expect(probe(d, "sql").lostWrites).toBe(0);
  });

  it("controller-crash keeps Keystone answering and reports the longest single request", async () => {
    const d = await drill("controller-crash");
    expect(moveSeconds(d.moves, "vip")).toBeNull();
    expect(probe(d, "keystone-get").stats.latency.after.count).toBeGreaterThan(0);
    expect(probe(d, "token-issue").stats.longestRequestS).toBeGreaterThan(0);
    expect(probe(d, "sql").lostWrites).toBe(0);
  });

  it("galera-node-kill moves SQL to another node without losing an acknowledged write", async () => {
    const d = await drill("galera-node-kill");
    const sql = probe(d, "sql");
    expect(sql.stats.latency.after.count).toBeGreaterThan(0);
    expect(sql.lostWrites).toBe(0);
    expect(sql.checkedWrites).toBeGreaterThan(50);
  });

  it("rabbit-node-kill keeps messages flowing through another node", async () => {
    const d = await drill("rabbit-node-kill");
    const rabbit = probe(d, "rabbit");
    expect(rabbit.stats.total).toBeGreaterThan(20);
    expect(rabbit.stats.latency.after.count).toBeGreaterThan(0);
    expect(d.checks.find((c) => c.metric === "downtime_s")?.passed).toBe(true);
  });

  it("controller-pair-crash stops writes rather than split, then recovers the cluster", async () => {
    const d = await drill("controller-pair-crash");
    expect(d.checks.find((c) => c.metric === "outage_confirmed")).toMatchObject({
      measured: 1,
      passed: true,
    });
    expect(d.healthyAfterS).not.toBeNull();
    expect(probe(d, "sql").lostWrites).toBe(0);
    // The report says how Galera got its Primary component back: re-formed by itself once the crashed
    // nodes returned (pc.recovery), or bootstrapped from the node with the highest seqno.
    const galera = d.notes.find((n) => n.startsWith("Galera repair"));
    expect(galera).toMatch(/after 3\/3 nodes Primary\. /);
    expect(galera).toMatch(
      /re-formed its Primary component by itself|Galera: no Primary component \(cc01 [^)]*\); cc0\d (bootstraps it|is promoted)/,
    );
  });

  it("verify passes again after every drill was undone", async () => {
    const r = await verifyTarget(lab.target());
    expect(r.checks.filter((c) => !c.passed).map((c) => `${c.id}: ${c.details.join("; ")}`)).toEqual([]);
  });
});
