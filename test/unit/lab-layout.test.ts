/** The lab's address mapping and names: readable offsets in 198.18.0.0/15, short unique names. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildPlan } from "../../src/plan/build.ts";
import { loadTopologyFile } from "../../src/spec/load.ts";
import { formatIpv4, parseIpv4 } from "../../src/net/ipv4.ts";
import { cidrHolds, mapAddress, mapNetworks } from "../../src/targets/lab/addressing.ts";
import { allLabHosts, cloudAbbreviation, hostsFile, labLayout } from "../../src/targets/lab/layout.ts";

const plan = buildPlan(
  loadTopologyFile(new URL("../../examples/packtpub-prod.yaml", import.meta.url).pathname).topology!,
);

describe("lab address mapping", () => {
  it("keeps each /24 a /24 and every host's offset", () => {
    const layout = labLayout(plan);
    expect(layout.networks.map((n) => `${n.name} ${n.topologyCidr} -> ${n.labCidr}`)).toEqual([
      "management 10.0.0.0/24 -> 198.18.0.0/24",
      "tenant 10.10.0.0/24 -> 198.18.1.0/24",
      "external 10.20.0.0/24 -> 198.18.2.0/24",
      "storage 10.30.0.0/24 -> 198.18.3.0/24",
    ]);
    const hap1 = layout.hosts.find((h) => h.name === "hap1")!;
    expect(hap1.addresses).toEqual({ management: "198.18.0.20", external: "198.18.2.20" });
    expect(hap1.links.map((l) => `${l.ifname} ${l.switchIf} ${l.bridge}`)).toEqual([
      "eth0 hap1-eth0 br-management",
      "eth2 hap1-eth2 br-external",
    ]);
    expect(layout.vip).toMatchObject({
      internal: "198.18.0.47",
      internalNetwork: "management",
      internalPrefix: 24,
    });
    expect(layout.client.addresses).toEqual({ management: "198.18.0.254", external: "198.18.2.254" });
  });

  it("narrows networks too large to share the /15, largest first, always inside the range", () => {
    const maps = mapNetworks([
      { name: "a", cidr: "10.0.0.0/24" },
      { name: "b", cidr: "172.16.0.0/12" },
      { name: "c", cidr: "192.168.0.0/16" },
    ]);
    expect(maps.map((m) => m.labCidr)).toEqual(["198.19.0.0/24", "198.18.0.0/17", "198.18.128.0/17"]);
    expect(mapAddress(maps[1]!, "172.16.5.9")).toBe("198.18.5.9");
  });

  it("maps any address of a network into that network's lab block", () => {
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 30 }), fc.nat(), fc.nat(), (prefix, base, offset) => {
        const size = 2 ** (32 - prefix);
        const net = formatIpv4((base % 2 ** 32) - ((base % 2 ** 32) % size));
        const [m] = mapNetworks([{ name: "n", cidr: `${net}/${prefix}` }]);
        const ip = formatIpv4(parseIpv4(net)! + (offset % size));
        return cidrHolds(m!.labCidr, mapAddress(m!, ip)) && cidrHolds("198.18.0.0/15", mapAddress(m!, ip));
      }),
    );
  });

  it("refuses a mapping that puts two hosts on one lab address", () => {
    const clash = {
      ...plan,
      networks: [{ ...plan.networks[0]!, cidr: "10.0.0.0/14", prefix: 14 }, ...plan.networks.slice(1)],
      hosts: plan.hosts.map((h) =>
        h.name === "hap2" ? { ...h, addresses: { ...h.addresses, management: "10.1.0.20" } } : h,
      ),
    };
    expect(() => labLayout(clash)).toThrow(/hap2 and hap1 both map to 198\.18\.0\.20/);
  });
});

describe("lab names", () => {
  it("prefixes namespaces with a tag of the cloud and keeps interface names within 15 characters", () => {
    const layout = labLayout(plan);
    expect(layout.prefix).toBe(`hc-${cloudAbbreviation("packtpub-prod")}`);
    expect(layout.switchNs).toBe(`${layout.prefix}-sw`);
    for (const h of allLabHosts(layout)) {
      expect(h.netns.startsWith(`${layout.prefix}-`)).toBe(true);
      for (const l of h.links) {
        expect(l.ifname.length).toBeLessThanOrEqual(15);
        expect(l.switchIf.length).toBeLessThanOrEqual(15);
      }
    }
    const switchIfs = allLabHosts(layout).flatMap((h) => h.links.map((l) => l.switchIf));
    expect(new Set(switchIfs).size).toBe(switchIfs.length);
  });

  it("gives clouds with the same initials different tags", () => {
    expect(cloudAbbreviation("ctl-tier")).not.toBe(cloudAbbreviation("cptest-tier"));
  });

  it("writes /etc/hosts with every host's FQDN on its management address", () => {
    const text = hostsFile(plan, labLayout(plan));
    expect(text).toContain("198.18.0.100 cc01.os.packtpub cc01\n");
    expect(text).toContain("198.18.0.254 client.os.packtpub client\n");
  });
});
