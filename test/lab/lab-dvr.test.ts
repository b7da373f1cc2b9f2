/**
 * The chapter's DVR variant against a real lab, under the fast-failover profile (neutron's
 * advert 1 s): L3 agents in `dvr` mode on the computes and `dvr_snat` on the network nodes,
 * metadata agents beside them, br-ex on every one of them. One `lab up` for the file: the
 * agents as the chapter lists them, verify (with each L3 agent's mode), then a crash of the
 * SNAT node and of a compute, each with a distributed HA router over two subnets, a
 * floating-IP instance on each compute and one without. Reports land in out/lab-dvr/ for CI;
 * `lab down` leaves nothing.
 */
import { CONTROL_TIER, NETWORK_TIER } from "../../src/targets/lab/services/index.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { moveSeconds, placeAfter } from "../../src/drill/moves.ts";
import type { DrillResult } from "../../src/drill/result.ts";
import type { ScenarioName } from "../../src/drill/scenarios.ts";
import { buildPlan } from "../../src/plan/build.ts";
import { loadTopologyFile } from "../../src/spec/load.ts";
import { labDown } from "../../src/targets/lab/down.ts";
import { labLayout, type LabLayout } from "../../src/targets/lab/layout.ts";
import { openLabTarget, type LabTarget } from "../../src/targets/lab/target.ts";
import { labUp } from "../../src/targets/lab/up.ts";
import { verifyTarget } from "../../src/verify/verify.ts";
import { journalPids, leftovers, rootLinks, skipReason } from "./support/lab.ts";
import { DrillSession, probeOf } from "./support/drills.ts";

const FILE = new URL("../../examples/packtpub-dvr.yaml", import.meta.url).pathname;
const OUT = new URL("../../out/lab-dvr/", import.meta.url).pathname;
const plan = buildPlan({ ...loadTopologyFile(FILE).topology!, profile: "fast-failover" });
const seenPids: { pid: number; start?: number }[] = [];
let target: LabTarget;
let layout: LabLayout;
let linksBefore: ReadonlySet<string>;

const session = new DrillSession(() => target);
const drill = (name: ScenarioName): Promise<DrillResult> => session.drill(name);
const probe = probeOf;
/** What one path of a tenant probe lost ("cn01", "cn01>cn02"). */
const lostOn = (d: DrillResult, name: string, path: string): number | undefined =>
  probe(d, name).targets?.find((t) => t.target === path)?.failed;

describe.skipIf(skipReason !== undefined)("the lab's DVR variant (fast-failover)", () => {
  beforeAll(async () => {
    layout = labLayout(plan);
    linksBefore = await rootLinks();
    await labDown({ cloud: plan.cloud });
    await labUp({
      plan,
      topologyFile: FILE,
      services: [...CONTROL_TIER, ...NETWORK_TIER],
      gateTimeoutMs: 240_000,
    });
    target = openLabTarget(plan.cloud);
  });

  afterAll(async () => {
    try {
      session.writeReports(OUT);
      seenPids.push(...journalPids(layout));
    } finally {
      await labDown({ cloud: plan.cloud });
    }
    expect(await leftovers(layout, linksBefore, seenPids)).toEqual([]);
  });

  it("verify passes: L3 and metadata agents on the computes too, each L3 agent in kolla's mode", async () => {
    const r = await verifyTarget(target);
    expect(r.checks.filter((c) => !c.passed).map((c) => `${c.id}: ${c.details.join("; ")}`)).toEqual([]);
    const agents = r.checks.find((c) => c.id === "neutron-agents")!;
    expect(agents.details).toContain("L3 agent modes: dvr on cn01, cn02; dvr_snat on net01, net02");
    expect(agents.details).toContain("metadata agent: net01, net02, cn01, cn02, alive");
  });

  it("snat-host-crash: only the SNAT-only instance loses its way out, until the other node takes the SNAT", async () => {
    const d = await drill("snat-host-crash");
    const before = d.placedBefore["router"];
    expect(before).toMatch(/^net0[12]$/);
    expect(placeAfter(d.placedBefore, d.moves, "router")).not.toBe(before);
    expect(moveSeconds(d.moves, "router")).toBeGreaterThan(1);
    expect(probe(d, "snat-upstream").stats.failed).toBeGreaterThan(0);
    expect(probe(d, "snat-upstream").stats.latency.after.count).toBeGreaterThan(0);
    // routed on the computes: floating IPs both ways and traffic between the subnets
    for (const p of ["fip-icmp", "instance-upstream", "east-west"]) {
      expect(probe(d, p).stats.total, p).toBeGreaterThan(100);
      expect(probe(d, p).stats.failed, p).toBe(0);
    }
  });

  it("dvr-compute-crash: the dead compute's instance is cut off, the other compute's instances are not", async () => {
    const d = await drill("dvr-compute-crash");
    const victim = d.faults[0]!.match(/host-crash (\S+)/)![1]!;
    const survivor = victim === "cn01" ? "cn02" : "cn01";
    expect(lostOn(d, "fip-icmp", victim)).toBeGreaterThan(0);
    expect(lostOn(d, "east-west", `${survivor}>${victim}`)).toBeGreaterThan(0);
    expect(lostOn(d, "fip-icmp", survivor)).toBe(0);
    expect(lostOn(d, "instance-upstream", survivor)).toBe(0);
    // the SNAT-only instance is on the survivor: its way out never stops (a few pings of the
    // lab's DVR SNAT get lost now and then without any fault, so the bound is on the gap)
    expect(probe(d, "snat-upstream").stats.longestGapS).toBeLessThan(2);
    expect(moveSeconds(d.moves, "router")).toBeNull();
  });
});
