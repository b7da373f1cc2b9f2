import { describe, expect, it } from "vitest";
import { judge, slaIncidentAllowance, thresholdsFor } from "../../src/drill/thresholds.ts";
import { SCENARIO_NAMES, SCENARIOS } from "../../src/drill/scenarios.ts";
import { PROFILES } from "../../src/spec/schema.ts";
import { packtpubPlan } from "../support/drill-fixture.ts";

describe("thresholds", () => {
  const plan = packtpubPlan();

  it("derive the per-incident allowance from the SLA target, window and host count", () => {
    const a = slaIncidentAllowance(plan);
    // 99.95% of 30 d = 1296 s; half for failures; 10 hosts × 720 h / 8760 h = 0.82, counted as at least 1 incident
    expect(a.seconds).toBe(648);
    expect(a.derivation).toContain("99.95% over 30 d = 1296 s budget");
  });

  it("tighten the profile's limits when the SLA is stricter", () => {
    const strict = { ...plan, sla: { ...plan.sla, target: 0.99999 } };
    const th = thresholdsFor(SCENARIOS["controller-crash"], "kolla-default", strict).find(
      (t) => t.metric === "downtime_s" && t.probe === "keystone-get",
    );
    // 99.999% of 30 d = 25.9 s; half of it for the one expected incident
    expect(th?.max).toBe(13);
    expect(th?.why).toMatch(/^SLA: /);
    const stricter = { ...plan, sla: { ...plan.sla, target: 0.999999 } };
    const th2 = thresholdsFor(SCENARIOS["controller-crash"], "kolla-default", stricter).find(
      (t) => t.metric === "downtime_s",
    );
    expect(th2?.max).toBeLessThan(2);
    expect(th2?.why).toMatch(/^SLA: /);
  });

  it("demand zero lost writes in every scenario and profile", () => {
    for (const s of SCENARIO_NAMES) {
      for (const p of PROFILES) {
        expect(thresholdsFor(SCENARIOS[s], p, plan)).toContainEqual(
          expect.objectContaining({ metric: "lost_writes", max: 0 }),
        );
      }
    }
  });

  it("hold fast-failover to its targets: a 0.3 s gap on an LB crash, no failure on a graceful stop, 1 s of errors on a controller crash", () => {
    const crash = thresholdsFor(SCENARIOS["lb-master-crash"], "fast-failover", plan);
    expect(crash).toContainEqual(
      expect.objectContaining({ metric: "longest_gap_s", probe: "keystone-get", max: 0.3 }),
    );
    const stop = thresholdsFor(SCENARIOS["lb-master-keepalived-stop"], "fast-failover", plan);
    expect(stop.filter((t) => t.metric === "failed").every((t) => t.max === 0)).toBe(true);
    const cc = thresholdsFor(SCENARIOS["controller-crash"], "fast-failover", plan);
    expect(cc.filter((t) => t.metric === "downtime_s").map((t) => t.max)).toEqual([1, 1, 1]);
  });

  it("pass a measurement at the limit and fail one above it or a missing one", () => {
    const th = { metric: "longest_gap_s" as const, max: 5, why: "x" };
    expect(judge(th, 5).passed).toBe(true);
    expect(judge(th, 5.01).passed).toBe(false);
    expect(judge(th, null).passed).toBe(false);
    expect(judge({ metric: "outage_confirmed", min: 1, why: "y" }, 0).passed).toBe(false);
  });
});
