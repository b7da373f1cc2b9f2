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

describe("variables derived from the topology (HA709)", () => {
  const codes = (text: string) => checkTopologyText("t.yaml", text).diagnostics.map((d) => d.code);
  const kolla = (extra: string) => ({ kolla: `{ release: "2025.1", extra_globals: { ${extra} } }` });

  it("refuses a network's interface variable when the topology declares the network", () => {
    const withTenant = demo({
      top: kolla("tunnel_interface: eth1"),
      networks: { tenant: "{ cidr: 10.1.0.0/24, interface: eth1 }" },
    });
    expect(codes(withTenant)).toContain("HA709");
  });

  it("keeps it when the network is not declared (an imported topology knows the interface, not the CIDR)", () => {
    expect(codes(demo({ top: kolla("tunnel_interface: eth1") }))).not.toContain("HA709");
    expect(codes(demo({ top: kolla("keepalived_virtual_router_id: 52") }))).toContain("HA709");
  });
});
