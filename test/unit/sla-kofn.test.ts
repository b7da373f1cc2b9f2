import { describe, expect, it } from "vitest";
import {
  downtimeMinPerMonth,
  kOfN,
  kOfNIdentical,
  nines,
  parallel,
  series,
  steadyState,
} from "../../src/sla/kofn.ts";
import { expectedLongest } from "../../src/sla/failover-term.ts";
import { failoverProfile } from "../../src/plan/profile.ts";
import {
  haproxySeconds,
  isoSeconds,
  predictedMechanisms,
  skewSeconds,
  tcpGiveUpSeconds,
} from "../../src/sla/failover.ts";

describe("availability arithmetic", () => {
  it("2-of-3 at 0.99 is 0.999702 (3a² − 2a³)", () => {
    expect(kOfNIdentical(2, 3, 0.99)).toBeCloseTo(0.999702, 12);
    expect(kOfNIdentical(2, 3, 0.999)).toBeCloseTo(3 * 0.999 ** 2 - 2 * 0.999 ** 3, 14);
  });

  it("series multiplies: two 99.999% modules give 99.998%", () => {
    expect(series([0.99999, 0.99999])).toBeCloseTo(0.9999800001, 12);
    expect(series([0.999, 0.999, 0.999])).toBeCloseTo(0.997002999, 12);
  });

  it("parallel: 1-of-2 at 0.99 is 0.9999, 1-of-3 is 0.999999", () => {
    expect(parallel([0.99, 0.99])).toBeCloseTo(0.9999, 14);
    expect(kOfNIdentical(1, 3, 0.99)).toBeCloseTo(0.999999, 14);
  });

  it("k-of-n is series at k = n and parallel at k = 1, with different members", () => {
    const p = [0.9, 0.95, 0.99, 0.8];
    expect(kOfN(4, p)).toBeCloseTo(series(p), 14);
    expect(kOfN(1, p)).toBeCloseTo(parallel(p), 14);
    expect(kOfN(0, p)).toBe(1);
    expect(kOfN(5, p)).toBe(0);
  });

  it("Poisson-binomial matches brute-force enumeration for every k, both DP directions", () => {
    const p = [0.9, 0.7, 0.95, 0.6, 0.99, 0.85, 0.5];
    for (let k = 0; k <= p.length; k++) {
      let brute = 0;
      for (let mask = 0; mask < 1 << p.length; mask++) {
        let pr = 1;
        let up = 0;
        p.forEach((a, i) => {
          const on = (mask >> i) & 1;
          pr *= on ? a : 1 - a;
          up += on;
        });
        if (up >= k) brute += pr;
      }
      expect(kOfN(k, p)).toBeCloseTo(brute, 13);
    }
  });

  it("a 2-of-5000 gate is cheap and near 1; a 4999-of-5000 gate counts failures", () => {
    expect(kOfNIdentical(2, 5000, 0.999)).toBeCloseTo(1, 12);
    expect(kOfNIdentical(4999, 5000, 0.9999)).toBeCloseTo(
      0.9999 ** 5000 + 5000 * 0.0001 * 0.9999 ** 4999,
      12,
    );
  });

  it("steady state, nines and 30-day downtime", () => {
    expect(steadyState(999, 1)).toBe(0.999);
    expect(nines(0.999)).toBeCloseTo(3, 10);
    expect(downtimeMinPerMonth(0.999)).toBeCloseTo(43.2, 9);
    expect(downtimeMinPerMonth(0.9995)).toBeCloseTo(21.6, 9);
    expect(downtimeMinPerMonth(0.9999)).toBeCloseTo(4.32, 9);
  });
});

describe("failover timer arithmetic", () => {
  it("parses ISO and HAProxy durations", () => {
    expect(isoSeconds("PT5S")).toBe(5);
    expect(isoSeconds("PT0.5S")).toBe(0.5);
    expect(isoSeconds("PT1M30S")).toBe(90);
    expect(haproxySeconds("3600s")).toBe(3600);
    expect(haproxySeconds("1m")).toBe(60);
    expect(haproxySeconds("500")).toBe(0.5);
  });

  it("TCP gives up after 924.6 s with tcp_retries2 15 and 25.4 s with 6", () => {
    expect(tcpGiveUpSeconds(15)).toBeCloseTo(924.6, 9);
    expect(tcpGiveUpSeconds(6)).toBeCloseTo(25.4, 9);
  });

  it("a crashed backend costs each HAProxy check its connect timeout; a refused connect does not", () => {
    const detect = (p: "kolla-default" | "fast-failover") => {
      const m = predictedMechanisms(failoverProfile(p));
      return [m["backend-detect"].seconds, m["db-kill"].seconds];
    };
    // kolla: inter 2 + 5 × min(connect 10, inter 2) + 4 × inter 2 (the lab measured a 22 s gap); refused: 2 + 4 × 2
    expect(detect("kolla-default")).toEqual([20, 10]);
    // fast-failover: inter 1 + 2 × min(connect 1, inter 1) + fastinter 0.2; refused: 1 + 0.2
    expect(detect("fast-failover")).toEqual([3.2, 1.2]);
  });

  it("RFC 5798 skew: priority 1 at advert 1 s is 255/256 s", () => {
    expect(skewSeconds(1, 1)).toBeCloseTo(0.99609375, 12);
  });

  it("expected longest of independent failovers", () => {
    expect(expectedLongest([{ p: 1, seconds: 10 }])).toBe(10);
    // 0.5 × 100 + 0.5 × 10
    expect(
      expectedLongest([
        { p: 1, seconds: 10 },
        { p: 0.5, seconds: 100 },
      ]),
    ).toBeCloseTo(55, 12);
    expect(expectedLongest([])).toBe(0);
  });
});
