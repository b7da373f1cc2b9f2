import { describe, expect, it } from "vitest";
import { percentile, probeStats, slowLimitMs, summarizeLatency } from "../../src/drill/stats.ts";
import { holderMoves, moveSeconds, type HolderSample } from "../../src/drill/moves.ts";
import { PHASES, series, T0, VIP } from "../support/drill-fixture.ts";

describe("probe statistics", () => {
  it("takes nearest-rank percentiles", () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).toBe(10);
    expect(percentile([], 50)).toBeNull();
  });

  it("measures downtime from the first error's start to the last error's end", () => {
    const s = probeStats(series("keystone-get", 50, { failFrom: 5_000, failTo: 8_400 }), PHASES);
    expect(s.failed).toBe(170);
    expect(s.total).toBe(1250);
    // last failing request starts at 8380 ms and takes 1 ms
    expect(s.downtimeS).toBeCloseTo(3.381, 3);
  });

  it("measures the longest gap between successful answers, not between errors", () => {
    const s = probeStats(series("keystone-get", 50, { failFrom: 5_000, failTo: 8_400 }), PHASES);
    // last success before the outage completes at 4980+~7 ms, the next at 8400+~3 ms
    expect(s.longestGapS).toBeGreaterThan(3.39);
    expect(s.longestGapS).toBeLessThan(3.43);
  });

  it("counts a hanging request as a gap and as the longest request even when it succeeds", () => {
    const s = probeStats(
      series("token-issue", 5, { slowFrom: 5_000, slowTo: 5_001, slowMs: 12_000 }),
      PHASES,
    );
    expect(s.failed).toBe(0);
    expect(s.downtimeS).toBe(0);
    expect(s.longestRequestS).toBe(12);
    expect(s.recoveryS).toBe(12);
  });

  it("reports zero downtime and a baseline-sized gap for a clean run", () => {
    const s = probeStats(series("sql", 10), PHASES);
    expect(s.failed).toBe(0);
    expect(s.downtimeS).toBe(0);
    expect(s.longestGapS).toBeLessThan(0.2);
    expect(s.recoveryS).toBe(0);
    expect(s.recoveredBeforeUndo).toBe(true);
  });

  it("ends the last gap when probing stopped, not when the worker finished shutting down", () => {
    const samples = series("sql", 10);
    const s = probeStats(samples, { ...PHASES, end: samples.at(-1)!.t + 50 });
    expect(s.longestGapS).toBeLessThan(0.15);
  });

  it("starts the first gap at the probe's first request, not when the worker was launched", () => {
    const samples = series("sql", 10);
    // the worker took 700 ms to start before its first request
    const s = probeStats(samples, { ...PHASES, start: samples[0]!.t - 700 });
    expect(s.longestGapS).toBeLessThan(0.15);
    // a first request that fails still counts: the wait begins when the user first asked
    const failingFirst = samples.map((x, i) => (i < 5 ? { ...x, ok: false, err: "ECONNREFUSED" } : x));
    expect(probeStats(failingFirst, PHASES).longestGapS).toBeGreaterThan(0.45);
  });

  it("splits latency into before, during and after the fault", () => {
    const s = probeStats(series("token-issue", 5, { slowFrom: 5_000, slowTo: 15_000, slowMs: 800 }), PHASES);
    expect(s.latency.before.p99).toBeLessThan(10);
    expect(s.latency.during.p50).toBe(800);
    expect(s.latency.after.max).toBeLessThan(10);
    expect(s.recoveredBeforeUndo).toBe(false);
  });

  it("does not call 7 ms slow when the baseline is 2 ms", () => {
    expect(slowLimitMs(summarizeLatency([{ probe: "sql", t: 0, ms: 2, ok: true }]))).toBe(102);
  });

  it("groups errors by class, most frequent first", () => {
    const s = probeStats(
      [
        ...series("sql", 10, { failFrom: 5_000, failTo: 6_000, err: "A" }),
        ...series("sql", 10, { failFrom: 5_000, failTo: 5_500, err: "B" }).filter((x) => !x.ok),
      ],
      PHASES,
    );
    expect(s.errors).toEqual([
      { err: "A", count: 10 },
      { err: "B", count: 5 },
    ]);
  });
});

const vipMoveSeconds = (samples: readonly HolderSample[], faultAt: number) =>
  moveSeconds(holderMoves("vip", samples, faultAt).moves, "vip");

describe("VIP move time", () => {
  it("is the time until one other load balancer holds the VIP alone", () => {
    expect(vipMoveSeconds(VIP, PHASES.faultAt)).toBe(3.4);
  });

  it("is null when the VIP never moved", () => {
    expect(
      vipMoveSeconds(
        [
          { t: T0, holders: ["hap2"] },
          { t: T0 + 9_000, holders: ["hap2"] },
        ],
        PHASES.faultAt,
      ),
    ).toBeNull();
  });

  it("does not count a split brain (two holders) as a move", () => {
    const samples = [
      { t: T0, holders: ["hap2"] },
      { t: T0 + 6_000, holders: ["hap1", "hap2"] },
      { t: T0 + 7_000, holders: ["hap1"] },
    ];
    expect(vipMoveSeconds(samples, PHASES.faultAt)).toBe(2);
  });
});
