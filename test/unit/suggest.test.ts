import { describe, expect, it } from "vitest";
import { closest, didYouMean, editDistance } from "../../src/diagnostics/suggest.ts";

describe("edit distance", () => {
  it("counts a swap of neighbours as one edit", () => {
    expect(editDistance("hap1", "hpa1")).toBe(1);
    expect(editDistance("relase", "release")).toBe(1);
  });
  it("counts insertions, deletions and substitutions", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });
  it("stops early above the limit", () => {
    expect(editDistance("abcdef", "uvwxyz", 2)).toBe(3);
  });
});

describe("did you mean", () => {
  it("suggests the closest known key", () => {
    expect(closest("adresses", ["roles", "addresses", "interfaces"])).toBe("addresses");
    expect(didYouMean("zzz", ["roles"])).toBe("");
  });
});
