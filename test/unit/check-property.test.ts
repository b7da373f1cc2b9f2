import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { checkTopologyText } from "../../src/check.ts";
import { ALL_CODES } from "../../src/rules/registry.ts";
import { ROLES } from "../../src/spec/schema.ts";

const KNOWN = new Set(ALL_CODES.map((c) => c.code));

const octet = fc.integer({ min: 0, max: 255 });
const address = fc.oneof(
  octet.map((n) => `10.0.0.${n}`),
  octet.map((n) => `10.10.0.${n}`),
  octet.map((n) => `203.0.113.${n}`),
  fc.tuple(octet, octet).map(([a, b]) => `10.${a}.${b}.1`),
);
const network = fc.constantFrom("management", "tenant", "external", "storage", "mgmt");
const cidr = fc.constantFrom(
  "10.0.0.0/24",
  "10.10.0.0/24",
  "203.0.113.0/24",
  "10.0.0.0/16",
  "10.0.0.5/24",
  "10.0.0.0/31",
);
const name = fc.constantFrom(
  "lb1",
  "lb2",
  "bl1",
  "ctl1",
  "ctl2",
  "ctl3",
  "ctl4",
  "net1",
  "net2",
  "cmp1",
  "cmp2",
  "cmp_3",
  "Cmp4",
  "stor1",
  "a.b",
);

const host = fc.record(
  {
    roles: fc.uniqueArray(fc.constantFrom(...ROLES), { minLength: 1, maxLength: 3 }),
    addresses: fc.dictionary(network, address, { maxKeys: 4 }),
    interfaces: fc.dictionary(network, fc.constantFrom("eth0", "eth1", "eth2", "bond0"), { maxKeys: 2 }),
    zone: fc.constantFrom("rack1", "rack2", "rakc1", "a"),
    fqdn: fc.constantFrom("x.demo.example", "ctl1.demo.example", "bad_name.demo.example"),
  },
  { requiredKeys: ["roles", "addresses"] },
);

const topology = fc.record(
  {
    version: fc.constant(1),
    cloud: fc.constant("fuzz"),
    domain: fc.constantFrom("demo.example", "cloud.local"),
    kolla: fc.record(
      {
        release: fc.constantFrom("master", "2025.1", "2024.1"),
        base_distro: fc.constantFrom("ubuntu", "centos"),
        registry: fc.constantFrom("10.0.0.21:5000", "10.0.0.10:4000", "registry.example:4000"),
        registry_insecure: fc.boolean(),
        enable_proxysql: fc.boolean(),
        keepalived_traffic: fc.constantFrom("multicast", "unicast"),
        extra_globals: fc.constantFrom({}, { keepalived_virtual_router_id: 9 }, { enable_haproxy: false }),
      },
      { requiredKeys: ["release"] },
    ),
    networks: fc.dictionary(
      network,
      fc.record({ cidr, interface: fc.constantFrom("eth0", "eth1", "eth2") }),
      {
        maxKeys: 4,
      },
    ),
    vip: fc.record(
      {
        internal: address,
        external: address,
        router_id: fc.integer({ min: -1, max: 300 }),
        internal_fqdn: fc.constantFrom("api.demo.example", "lb1.demo.example"),
      },
      { requiredKeys: ["internal", "router_id"] },
    ),
    hosts: fc.dictionary(name, host, { maxKeys: 10 }),
    neutron: fc.record(
      {
        plugin: fc.constantFrom("openvswitch", "ovn", "linuxbridge"),
        routing: fc.constantFrom("l3-ha", "dvr", "legacy"),
        dvr_compute_mode: fc.constantFrom("dvr", "dvr_no_external"),
        provider_networks: fc.boolean(),
        external_interface: fc.constantFrom("eth0", "eth1", "eth9"),
        l3_ha: fc.boolean(),
        metadata_agent: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
    cinder: fc.record(
      {
        backend: fc.constantFrom("none", "lvm", "ceph", "nfs"),
        enabled: fc.boolean(),
        volume_group: fc.constant("vg"),
      },
      { requiredKeys: [] },
    ),
    masakari: fc.record(
      {
        enabled: fc.boolean(),
        recovery: fc.constantFrom("auto", "reserved_host", "auto_priority", "rh_priority"),
        coordination: fc.constantFrom("etcd", "valkey", "none"),
        shared_storage: fc.boolean(),
        hacluster: fc.boolean(),
        reserved_hosts: fc.uniqueArray(name, { maxLength: 2 }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ["version", "cloud", "domain", "kolla", "networks", "vip", "hosts"] },
);

describe("hacloud check on generated topologies", () => {
  it("never throws, locates every diagnostic inside the file, uses only documented codes, and is deterministic", () => {
    let ruled = 0;
    fc.assert(
      fc.property(topology, (t) => {
        const text = stringify(t);
        const lines = text.split("\n").length;
        const first = checkTopologyText("fuzz.yaml", text);
        if (first.plan) ruled++;
        for (const d of first.diagnostics) {
          expect(KNOWN.has(d.code), d.code).toBe(true);
          expect(d.line >= 1 && d.line <= lines, `${d.code} at line ${d.line} of ${lines}`).toBe(true);
          expect(d.column).toBeGreaterThanOrEqual(1);
          expect(d.message.length).toBeGreaterThan(0);
        }
        expect(checkTopologyText("fuzz.yaml", text).diagnostics).toEqual(first.diagnostics);
      }),
      { numRuns: 120, seed: 20261125 },
    );
    // Most generated files pass the schema, so the rules themselves were exercised.
    expect(ruled).toBeGreaterThan(60);
  });
});
