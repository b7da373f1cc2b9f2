import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstNearMisses, nearMiss, typoKind } from "../../src/rules/near-miss.ts";

/** HA604 as it was before the deletion index: every name against every earlier name. */
function allPairs(names: readonly string[]): number[] {
  return names.map((name, j) => names.slice(0, j).findIndex((n) => nearMiss(n, name)));
}

/** Every string one edit (of the kinds typoKind knows) away from s, over an alphabet. */
function oneEditAway(s: string, alphabet: string): string[] {
  const out: string[] = [];
  for (let i = 0; i <= s.length; i++) {
    for (const c of alphabet) out.push(s.slice(0, i) + c + s.slice(i));
    if (i < s.length) {
      out.push(s.slice(0, i) + s.slice(i + 1));
      for (const c of alphabet) out.push(s.slice(0, i) + c + s.slice(i + 1));
      if (i + 1 < s.length) out.push(s.slice(0, i) + s[i + 1]! + s[i]! + s.slice(i + 2));
    }
  }
  return out;
}

describe("near-miss index", () => {
  it("finds what comparing every pair finds, on random names over a small alphabet", () => {
    // A small alphabet makes collisions (and so near misses) common.
    const name = fc.stringMatching(/^[abAB1-]{0,8}$/);
    fc.assert(
      fc.property(fc.array(name, { maxLength: 60 }), (names) => {
        expect(firstNearMisses(names)).toEqual(allPairs(names));
      }),
      { numRuns: 400 },
    );
  });

  it("finds what comparing every pair finds, on names built as typos of each other", () => {
    const base = fc.stringMatching(/^[a-e0-9]{3,9}$/);
    const family = base.chain((b) =>
      fc.shuffledSubarray([b, ...oneEditAway(b, "ae9")], { minLength: 1, maxLength: 25 }),
    );
    fc.assert(
      fc.property(fc.array(family, { maxLength: 6 }), (families) => {
        const names = families.flat();
        expect(firstNearMisses(names)).toEqual(allPairs(names));
      }),
      { numRuns: 300 },
    );
  });

  it("finds what comparing every pair finds, on adversarial inputs", () => {
    const series = Array.from({ length: 400 }, (_, i) => `cmp${String(i).padStart(4, "0")}`);
    const everyOneEdit = ["storage1", ...oneEditAway("storage1", "aeg1")];
    const cases: string[][] = [
      series,
      everyOneEdit,
      [...series, "cpm0001", "cmp0001x", "storage1", "storge1", "Storage1", "STORAGE1"],
      ["aaaa", "aaaaa", "aaaaaa", "aaab", "aaba", "abaa", "baaa", "aa", "a", ""],
      ["hap1", "hpa1", "HPA1", "hap2", "ha1p", "ahp1", "hap12"],
      ["rack-a", "rack-b", "rakc-a", "rack_a", "rack-aa"],
      // Every pair here shares many keys and none is a near miss: a numbered series of one length.
      Array.from({ length: 300 }, (_, i) => `n${String(i).padStart(3, "0")}`),
    ];
    for (const names of cases) expect(firstNearMisses(names)).toEqual(allPairs(names));
  });

  it("reports the first earlier name, not any earlier name", () => {
    expect(firstNearMisses(["storge1", "storage2", "storage1"])).toEqual([-1, -1, 0]);
    expect(firstNearMisses(["hpa1", "hap1", "ahp1"])).toEqual([-1, 0, 1]);
  });

  it("classifies one typo", () => {
    expect(typoKind("hap1", "hpa1")).toBe("transposition");
    expect(typoKind("storage1", "storge1")).toBe("indel");
    expect(typoKind("rack-a", "rack-b")).toBeUndefined();
  });

  it("keeps 5,000 names far from all-pairs time", () => {
    const names = Array.from({ length: 5000 }, (_, i) => `cmp${String(i).padStart(4, "0")}`);
    names.push("cpm0042");
    const t0 = performance.now();
    const firsts = firstNearMisses(names);
    const ms = performance.now() - t0;
    expect(firsts.at(-1)).toBe(42);
    expect(firsts.filter((f) => f !== -1)).toHaveLength(1);
    // All pairs took seconds here; the index takes tens of milliseconds even on a busy machine.
    expect(ms).toBeLessThan(1500);
  });
});
