import { describe, expect, it } from "vitest";
import { checkTopologyText } from "../../src/check.ts";
import { demo } from "../../src/rules/example.ts";
import { typoKind } from "../../src/rules/near-miss.ts";

describe("near-miss names", () => {
  it("classify one typo", () => {
    expect(typoKind("hap1", "hpa1")).toBe("transposition");
    expect(typoKind("storage1", "storge1")).toBe("indel");
    expect(typoKind("storage1", "stxrage1")).toBe("substitution");
    expect(typoKind("rack-a", "rack-b")).toBeUndefined(); // last character: a series
    expect(typoKind("hap1", "hap1")).toBeUndefined();
    expect(typoKind("hap1", "xyz1")).toBeUndefined();
  });

  it("flag the chapter's hap1/hpa1, not numbered series or role prefixes", () => {
    const codes = (hosts: Record<string, string | null>) =>
      checkTopologyText("t.yaml", demo({ hosts })).diagnostics.map((d) => `${d.code} ${d.message}`);
    const lb = (ip: number) => `{ roles: [loadbalancer], addresses: { management: 10.0.0.${ip} } }`;
    expect(codes({ lb1: null, lb2: null, hap1: lb(11), hpa1: lb(12) })).toEqual([
      "HA604 hpa1 is one typo away from hap1 (line 17)",
    ]);
    expect(codes({ lb1: null, lb2: null, hap1: lb(11), hap2: lb(12) })).toEqual([]);
    expect(
      codes({
        cmp1: null,
        cmp2: null,
        cn01: "{ roles: [compute], addresses: { management: 10.0.0.41 } }",
        cc01: "{ roles: [compute], addresses: { management: 10.0.0.42 } }",
      }),
    ).toEqual([]);
  });
});
