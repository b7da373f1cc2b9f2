/**
 * Importing the real files: the book's chapter 3 and chapter 7 deployments and
 * kolla-ansible's own multinode and all-in-one inventories.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.ts";
import { importKolla } from "../../src/import/import-kolla.ts";
import { loadTopologyText } from "../../src/spec/load.ts";
import { readReference, REFERENCE, referenceMissing } from "../support/import-fixtures.ts";

/** The chapter's addresses (tables of chapters 3 and 7), in the /etc/hosts form the chapter uses. */
const CHAPTER07_HOSTS = [
  "# Deployer's /etc/hosts for the chapter 7 cloud",
  "10.0.0.20 hap1.os.packtpub hap1",
  "10.0.0.21 hap2.os.packtpub hap2",
  "10.0.0.100 cc01.os.packtpub cc01",
  "10.0.0.101 cc02.os.packtpub cc02",
  "10.0.0.102 cc03.os.packtpub cc03",
  "10.0.0.30 net01.os.packtpub net01",
  "10.0.0.31 net02.os.packtpub net02",
  "10.0.0.25 cn01.os.packtpub cn01",
  "10.0.0.26 cn02.os.packtpub cn02",
  "10.0.0.40 storage01.os.packtpub storage01",
  "::1 localhost ip6-localhost",
  "",
].join("\n");

function codes(ds: readonly Diagnostic[], severity?: Diagnostic["severity"]): string[] {
  return ds.filter((d) => !severity || d.severity === severity).map((d) => d.code);
}

function chapter07(opts: { lenient?: boolean; hosts?: string } = {}) {
  return importKolla({
    inventory: { file: "Chapter07/multi_packtpub_prod", text: readReference(REFERENCE.ch07Inventory) },
    globals: { file: "Chapter07/globals.yml", text: readReference(REFERENCE.ch07Globals) },
    hostsFile: opts.hosts === undefined ? undefined : { file: "hosts", text: opts.hosts },
    lenient: opts.lenient,
    cloud: "packtpub-prod",
  });
}

describe.skipIf(referenceMissing !== undefined)("importing the book's chapter 7 cloud", () => {
  it("refuses the globals.yml indentation slip at line 33 without --lenient", () => {
    const r = chapter07({ hosts: CHAPTER07_HOSTS });
    expect(r.yaml).toBeUndefined();
    const slip = r.diagnostics.find((d) => d.code === "HA005");
    expect(slip).toMatchObject({ severity: "error", file: "Chapter07/globals.yml", line: 33, column: 1 });
    expect(slip?.message).toContain("kolla_internal_vip_address");
    expect(slip?.hint).toContain("--lenient");
  });

  it("with --lenient, reads past the slip with a warning at the same line and imports the cloud", () => {
    const r = chapter07({ lenient: true, hosts: CHAPTER07_HOSTS });
    expect(codes(r.diagnostics, "error")).toEqual([]);
    const recovered = r.diagnostics.find((d) => d.code === "HA920");
    expect(recovered).toMatchObject({ severity: "warning", line: 33, column: 1 });
    expect(r.yaml).toBeDefined();
    const loaded = loadTopologyText("imported.yaml", r.yaml!);
    expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const t = loaded.topology!;
    expect(t.vip).toEqual({ internal: "10.0.0.47", router_id: 51 });
    expect(t.domain).toBe("os.packtpub");
    expect(t.kolla).toMatchObject({
      release: "master",
      base_distro: "ubuntu",
      registry: "10.0.0.15:4000",
      registry_insecure: true,
    });
    expect(t.kolla.extra_globals).toEqual({ nova_compute_virt_type: "kvm" });
    expect(t.networks).toEqual({ management: { cidr: "10.0.0.0/24", interface: "eth0" } });
    expect(t.neutron).toMatchObject({
      plugin: "openvswitch",
      routing: "dvr",
      provider_networks: true,
      external_interface: "eth2",
    });
    expect(t.cinder).toMatchObject({ backend: "lvm", enabled: false, volume_group: "cinder-volumes" });
    expect(t.masakari).toMatchObject({ enabled: true, hacluster: true });
    // [loadbalancer:children] haproxy resolves to hap1, hap2 in that order (kolla's VRRP priority order).
    expect(Object.entries(t.hosts).map(([n, h]) => [n, h.roles.join("+")])).toEqual([
      ["hap1", "loadbalancer"],
      ["hap2", "loadbalancer"],
      ["cc01", "control"],
      ["cc02", "control"],
      ["cc03", "control"],
      ["net01", "network"],
      ["net02", "network"],
      ["cn01", "compute"],
      ["cn02", "compute"],
      ["storage01", "storage"],
    ]);
  });

  it("gives every host the management address of the chapter, as examples/packtpub-prod.yaml does", () => {
    const r = chapter07({ lenient: true, hosts: CHAPTER07_HOSTS });
    const example = loadTopologyText(
      "ex.yaml",
      readFileSync("examples/packtpub-prod.yaml", "utf8"),
    ).topology!;
    for (const [name, host] of Object.entries(r.topology!.hosts)) {
      expect({ name, address: host.addresses.management }).toEqual({
        name,
        address: example.hosts[name]?.addresses.management,
      });
    }
  });

  it("reports what it notices on the way: repeated sections, kolla-logs on master, Cinder left disabled", () => {
    const r = chapter07({ lenient: true, hosts: CHAPTER07_HOSTS });
    const at = (code: string) =>
      r.diagnostics.filter((d) => d.code === code).map((d) => `${d.file}:${d.line}`);
    expect(at("HA906")).toContain("Chapter07/multi_packtpub_prod:241"); // the second [network]
    expect(at("HA906")).toContain("Chapter07/multi_packtpub_prod:268"); // [openvswitch:children] again
    expect(at("HA905")).toEqual(["Chapter07/multi_packtpub_prod:350", "Chapter07/multi_packtpub_prod:354"]);
    expect(at("HA930")).toEqual(["Chapter07/globals.yml:109"]);
    expect(at("HA928")).toEqual(["Chapter07/globals.yml:61"]);
  });

  it("without addresses, names each host that lacks one at its inventory line, with a way to give it", () => {
    const r = chapter07({ lenient: true });
    expect(r.yaml).toBeUndefined();
    const missing = r.diagnostics.filter((d) => d.code === "HA940");
    expect(missing.map((d) => d.line)).toEqual([8, 9, 10, 15, 16, 20, 21, 25, 28, 32]);
    expect(missing[3]!.message).toContain("hap1.os.packtpub");
    expect(missing[3]!.hint).toContain("--hosts-file");
    expect(missing[3]!.hint).toContain("ansible_host=");
  });

  it("spots the chapter's own /etc/hosts typo (hpa1 for hap1)", () => {
    // The chapter's README writes `10.0.0.20 hpa1.os` for the host the inventory calls hap1.
    const hosts = CHAPTER07_HOSTS.replace("10.0.0.20 hap1.os.packtpub hap1", "10.0.0.20 hpa1.os");
    const r = chapter07({ lenient: true, hosts });
    const d = r.diagnostics.find((x) => x.code === "HA940");
    expect(d).toMatchObject({ line: 15 });
    expect(d?.hint).toContain("hosts:2 lists `hpa1.os`");
  });

  it("matches short /etc/hosts names (`10.0.0.20 hap1.os`) to the inventory's FQDNs", () => {
    const hosts = CHAPTER07_HOSTS.split("\n")
      .map((l) => l.replace(/^(\S+) (\w+)\.os\.packtpub \w+$/, "$1 $2.os"))
      .join("\n");
    const r = chapter07({ lenient: true, hosts });
    expect(codes(r.diagnostics, "error")).toEqual([]);
    expect(r.topology?.hosts.cc02?.addresses.management).toBe("10.0.0.101");
  });
});

describe.skipIf(referenceMissing !== undefined)("importing the book's chapter 3 cloud", () => {
  it("imports one controller without a load balancer, legacy routing and the default VRID", () => {
    const r = importKolla({
      inventory: { file: "Chapter03/multi_packtpub_prod", text: readReference(REFERENCE.ch03Inventory) },
      globals: { file: "Chapter03/globals.yml", text: readReference(REFERENCE.ch03Globals) },
      hostsFile: { file: "hosts", text: CHAPTER07_HOSTS },
    });
    expect(codes(r.diagnostics, "error")).toEqual([]);
    const t = r.topology!;
    expect(Object.keys(t.hosts)).toEqual(["cc01", "net01", "cn01", "storage01"]);
    expect(t.neutron?.routing).toBe("legacy");
    expect(t.neutron?.external_interface).toBe("eth1");
    expect(t.vip.router_id).toBe(51);
    expect(t.masakari?.enabled).toBe(false);
    expect(codes(r.diagnostics)).toEqual(expect.arrayContaining(["HA931", "HA929", "HA952"]));
    expect(t.cloud).toBe("multi-packtpub-prod");
  });
});

const KOLLA_GLOBALS = [
  "---",
  'kolla_base_distro: "rocky"',
  'openstack_release: "2025.1"',
  'kolla_internal_vip_address: "10.10.10.254"',
  'network_interface: "eth0"',
  'neutron_external_interface: "eth1"',
  'enable_neutron_agent_ha: "yes"',
  "enable_masakari: yes",
  "",
].join("\n");

describe.skipIf(referenceMissing !== undefined)("importing kolla-ansible's own inventories", () => {
  it("multinode: network nodes are also the load balancers (loadbalancer:children network)", () => {
    const hosts = [
      "10.10.10.11 control01.cloud.example control01",
      "10.10.10.12 control02.cloud.example control02",
      "10.10.10.13 control03.cloud.example control03",
      "10.10.10.21 network01.cloud.example",
      "10.10.10.22 network02.cloud.example",
      "10.10.10.31 compute01.cloud.example",
      "10.10.10.41 monitoring01.cloud.example",
      "10.10.10.51 storage01.cloud.example",
    ].join("\n");
    const r = importKolla({
      inventory: { file: "multinode", text: readReference(REFERENCE.kollaMultinode) },
      globals: { file: "globals.yml", text: KOLLA_GLOBALS },
      hostsFile: { file: "hosts", text: hosts },
    });
    expect(codes(r.diagnostics, "error")).toEqual([]);
    const t = r.topology!;
    expect(t.domain).toBe("cloud.example");
    expect(t.hosts.network01?.roles).toEqual(["loadbalancer", "network"]);
    expect(t.hosts.monitoring01?.roles).toEqual(["monitoring"]);
    expect(Object.keys(t.hosts).slice(0, 2)).toEqual(["network01", "network02"]);
    expect(t.neutron?.routing).toBe("l3-ha");
    expect(t.kolla.base_distro).toBe("rocky");
    expect(t.networks.management?.cidr).toBe("10.10.10.0/24");
    expect(loadTopologyText("t.yaml", r.yaml!).topology).toBeDefined();
  });

  it("multinode without addresses: every host is reported, nothing is written", () => {
    const r = importKolla({
      inventory: { file: "multinode", text: readReference(REFERENCE.kollaMultinode) },
      globals: { file: "globals.yml", text: KOLLA_GLOBALS },
    });
    expect(r.yaml).toBeUndefined();
    expect(r.diagnostics.filter((d) => d.code === "HA940")).toHaveLength(8);
  });

  it("all-in-one: localhost carries every role; its address comes from the hosts file", () => {
    const r = importKolla({
      inventory: { file: "all-in-one", text: readReference(REFERENCE.kollaAllInOne) },
      globals: { file: "globals.yml", text: KOLLA_GLOBALS },
      hostsFile: { file: "hosts", text: "10.10.10.5 localhost\n" },
      cloud: "aio",
    });
    expect(codes(r.diagnostics, "error")).toEqual([]);
    const t = r.topology!;
    expect(Object.keys(t.hosts)).toEqual(["localhost"]);
    expect(t.hosts.localhost?.roles).toEqual([
      "loadbalancer",
      "control",
      "network",
      "compute",
      "storage",
      "monitoring",
    ]);
    expect(t.domain).toBe("localdomain");
    expect(codes(r.diagnostics)).toContain("HA945");
  });

  it("all-in-one without a hosts file: localhost has no address", () => {
    const r = importKolla({
      inventory: { file: "all-in-one", text: readReference(REFERENCE.kollaAllInOne) },
      globals: { file: "globals.yml", text: KOLLA_GLOBALS },
    });
    expect(r.diagnostics.find((d) => d.code === "HA940")?.message).toContain("localhost has no address");
  });
});
