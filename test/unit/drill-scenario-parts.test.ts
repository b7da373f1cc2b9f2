import { describe, expect, it } from "vitest";
import { allMet, expectsOutage, type HoldView } from "../../src/drill/expectations.ts";
import { measure, METRICS, type Measurements } from "../../src/drill/metrics.ts";
import { holderMoves, placeAfter } from "../../src/drill/moves.ts";
import { unmetRequirements } from "../../src/drill/requirements.ts";
import { SCENARIO_NAMES, SCENARIOS } from "../../src/drill/scenarios.ts";
import { thresholdsFor } from "../../src/drill/thresholds.ts";
import { PROFILES } from "../../src/spec/schema.ts";
import { packtpubPlan, PHASES, T0 } from "../support/drill-fixture.ts";

const plan = packtpubPlan();

describe("moves", () => {
  it("lists every change of holder after the fault, the way back included", () => {
    const t = holderMoves(
      "vip",
      [
        { t: T0, holders: ["hap2"] },
        { t: T0 + 6_000, holders: [] },
        { t: T0 + 8_000, holders: ["hap1"] },
        { t: T0 + 20_000, holders: ["hap1", "hap2"] },
        { t: T0 + 21_000, holders: ["hap2"] },
      ],
      PHASES.faultAt,
    );
    expect(t.before).toBe("hap2");
    expect(t.moves).toEqual([
      { what: "vip", from: "hap2", to: "hap1", afterS: 3 },
      { what: "vip", from: "hap1", to: "hap2", afterS: 16 },
    ]);
    expect(placeAfter({ vip: t.before }, t.moves, "vip")).toBe("hap2");
  });

  it("says nothing moved when no single holder was seen before the fault", () => {
    const t = holderMoves("vip", [{ t: T0 + 8_000, holders: ["hap1"] }], PHASES.faultAt);
    expect(t).toEqual({ before: null, moves: [] });
  });
});

describe("requirements", () => {
  it("are met by the chapter's cloud for every registered scenario but the DVR ones", () => {
    const dvr = (n: string) =>
      SCENARIOS[n as keyof typeof SCENARIOS].requires.some(
        (r) => r.kind === "routing" && r.routing.includes("dvr"),
      );
    expect(SCENARIO_NAMES.filter(dvr)).toEqual(["snat-host-crash", "dvr-compute-crash"]);
    for (const n of SCENARIO_NAMES.filter((x) => !dvr(x)))
      expect(unmetRequirements(plan, SCENARIOS[n].requires)).toEqual([]);
  });

  it("say what is missing, one sentence each", () => {
    expect(
      unmetRequirements(plan, [
        { kind: "vrrp", min: 3 },
        { kind: "group", group: "compute", min: 50 },
        { kind: "profile", profiles: ["fast-failover"] },
      ]),
    ).toEqual([
      "needs 3 load balancers sharing the VIP, the Plan has 2",
      expect.stringMatching(/^needs 50 hosts in the compute group, the Plan has \d+$/),
      "runs only under the fast-failover profile, the cloud runs kolla-default",
    ]);
  });
});

describe("expectations", () => {
  const view = (holders: string[], failed: boolean): HoldView => ({
    faultAt: PHASES.faultAt,
    samples: [{ probe: "sql", t: PHASES.faultAt + 10, ms: 1, ok: !failed }],
    watch: ["sql"],
    holders: () => holders,
    holderBefore: () => "hap2",
  });

  it("see the VIP move only when one other load balancer holds it", () => {
    expect(allMet([{ kind: "vip-moves" }], view(["hap1"], false))).toBe(true);
    expect(allMet([{ kind: "vip-moves" }], view(["hap2"], false))).toBe(false);
    expect(allMet([{ kind: "vip-moves" }], view(["hap1", "hap2"], false))).toBe(false);
  });

  it("confirm an outage when every watched probe failed, and mark it as one", () => {
    expect(allMet([{ kind: "outage-confirmed" }], view([], true))).toBe(true);
    expect(allMet([{ kind: "outage-confirmed" }], view([], false))).toBe(false);
    expect(expectsOutage([{ kind: "outage-confirmed" }])).toBe(true);
    expect(expectsOutage([{ kind: "vip-moves" }])).toBe(false);
  });
});

describe("metrics", () => {
  it("can compute every metric any scenario's thresholds bound", () => {
    for (const n of SCENARIO_NAMES)
      for (const p of PROFILES)
        for (const th of thresholdsFor(SCENARIOS[n], p, plan)) expect(METRICS).toHaveProperty(th.metric);
  });

  it("read the VIP move from the moves and a probe's figure from its stats", () => {
    const m: Measurements = {
      phases: PHASES,
      probes: [],
      samples: [],
      moves: [{ what: "vip", from: "hap2", to: "hap1", afterS: 3.34 }],
      lostWrites: 0,
      recoveryS: null,
      faultHosts: [],
    };
    expect(measure("vip_move_s", m)).toBe(3.34);
    expect(measure("longest_gap_s", m, "sql")).toBeNull();
    expect(measure("lost_writes", m)).toBe(0);
  });
});
