import { describe, expect, it } from "vitest";
import { kollaBool, parseGlobals, resolveGlobal } from "../../src/import/globals.ts";
import { importKolla } from "../../src/import/import-kolla.ts";
import { mapGlobals } from "../../src/import/map-globals.ts";
import { readReference, REFERENCE, referenceMissing } from "../support/import-fixtures.ts";

describe.skipIf(referenceMissing !== undefined)("the book's chapter 7 globals.yml", () => {
  const text = readReference(REFERENCE.ch07Globals);

  it("is refused at line 33, where the stray leading space is", () => {
    const g = parseGlobals("globals.yml", text);
    expect(g.parsed).toBe(false);
    expect(g.diagnostics).toEqual([
      expect.objectContaining({ code: "HA005", severity: "error", line: 33, column: 1 }),
    ]);
  });

  it("is read with --lenient, with a warning that still says where", () => {
    const g = parseGlobals("globals.yml", text, { lenient: true });
    expect(g.parsed).toBe(true);
    expect(g.diagnostics).toEqual([
      expect.objectContaining({ code: "HA920", severity: "warning", line: 33, column: 1 }),
    ]);
    expect(g.vars.get("kolla_internal_vip_address")).toMatchObject({
      value: "10.0.0.47",
      line: 33,
      keyLine: 33,
    });
    // Line numbers after the slip are unchanged.
    expect(g.vars.get("keepalived_virtual_router_id")?.keyLine).toBe(53);
  });
});

describe("lenient recovery", () => {
  it("fixes several slips, each reported at its own line", () => {
    const text = "a: 1\n  b: 2\nc:\n  d: 3\n   e: 4\nf: 5\n";
    const g = parseGlobals("g.yml", text, { lenient: true });
    expect(g.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ["HA920", 2],
      ["HA920", 5],
    ]);
    expect(Object.fromEntries([...g.vars].map(([k, v]) => [k, v.value]))).toEqual({
      a: 1,
      b: 2,
      c: { d: 3, e: 4 },
      f: 5,
    });
  });

  it("does not pretend to fix other YAML errors", () => {
    const g = parseGlobals("g.yml", 'a: "unclosed\nb: 2\n', { lenient: true });
    expect(g.parsed).toBe(false);
    expect(g.diagnostics.every((d) => d.code !== "HA920")).toBe(true);
  });
});

describe("globals values", () => {
  it("reads yes/no the way kolla's `| bool` does", () => {
    expect(kollaBool("yes")).toEqual({ value: true, recognised: true });
    expect(kollaBool("True")).toEqual({ value: true, recognised: true });
    expect(kollaBool(true)).toEqual({ value: true, recognised: true });
    expect(kollaBool("no")).toEqual({ value: false, recognised: true });
    expect(kollaBool("enabled")).toEqual({ value: false, recognised: false });
  });

  it("follows simple Jinja references, to globals and to kolla's defaults", () => {
    const g = parseGlobals(
      "g.yml",
      'kolla_internal_vip_address: "10.0.0.47"\nkolla_external_vip_address: "{{ kolla_internal_vip_address }}"\nx: "{{ y }}"\ny: "{{ x }}"\nz: "{{ a ~ b }}"\n',
    );
    expect(resolveGlobal(g.vars, "kolla_external_vip_address")).toEqual({
      ok: true,
      value: "10.0.0.47",
      fromDefault: false,
    });
    expect(resolveGlobal(g.vars, "tunnel_interface")).toEqual({ ok: true, value: "eth0", fromDefault: true });
    expect(JSON.stringify(resolveGlobal(g.vars, "x"))).toContain("refer to each other");
    expect(resolveGlobal(g.vars, "x")).toMatchObject({ ok: false });
    expect(resolveGlobal(g.vars, "z")).toMatchObject({ ok: false });
    expect(resolveGlobal(g.vars, "unset_thing")).toBeUndefined();
  });
});

function map(text: string) {
  return mapGlobals(parseGlobals("g.yml", text));
}

describe("mapping globals onto the topology", () => {
  it("reports DVR and agent HA both on, at the later line", () => {
    const m = map(
      'kolla_internal_vip_address: "10.0.0.47"\nenable_neutron_dvr: "yes"\nenable_neutron_agent_ha: yes\n',
    );
    expect(m.neutron).toMatchObject({ routing: "dvr", l3_ha: true });
    expect(m.diagnostics.find((d) => d.code === "HA927")).toMatchObject({ severity: "warning", line: 3 });
  });

  it("refuses a release hacloud does not render, and unknown choices, at the value", () => {
    const m = map(
      'kolla_internal_vip_address: "10.0.0.47"\nopenstack_release: "2023.2"\nkolla_base_distro: arch\nneutron_plugin_agent: vmware_nsxv\n',
    );
    expect(
      m.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.line, d.column]),
    ).toEqual([
      ["HA924", 2, 20],
      ["HA923", 3, 20],
      ["HA923", 4, 23],
    ]);
  });

  it("reports a missing or malformed VIP and router id", () => {
    expect(map("openstack_release: master\n").diagnostics.map((d) => d.code)).toContain("HA922");
    const bad = map('kolla_internal_vip_address: "10.0.0"\nkeepalived_virtual_router_id: "fifty"\n');
    expect(bad.vip).toBeUndefined();
    expect(bad.diagnostics.filter((d) => d.code === "HA923").map((d) => d.line)).toEqual([1, 2]);
  });

  it("warns about yes/no values kolla reads as false", () => {
    const m = map('kolla_internal_vip_address: "10.0.0.47"\nenable_masakari: "enabled"\n');
    expect(m.masakari.enabled).toBe(false);
    expect(m.diagnostics.find((d) => d.code === "HA926")).toMatchObject({ line: 2 });
  });

  it("keeps what it does not model in extra_globals, with one note listing them", () => {
    const m = map(
      'kolla_internal_vip_address: "10.0.0.47"\nnova_compute_virt_type: kvm\nenable_octavia: "yes"\n',
    );
    expect(m.kolla.extra_globals).toEqual({ nova_compute_virt_type: "kvm", enable_octavia: "yes" });
    const notes = m.diagnostics.filter((d) => d.code === "HA928");
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ severity: "info", line: 2 });
    expect(notes[0]?.message).toContain("nova_compute_virt_type, enable_octavia");
  });

  it("keeps a separate external VIP and warns about networks it cannot model", () => {
    const m = map(
      'kolla_internal_vip_address: "10.0.0.47"\nkolla_external_vip_address: "10.20.0.47"\ntunnel_interface: eth1\n',
    );
    expect(m.vip).toMatchObject({ internal: "10.0.0.47", external: "10.20.0.47", router_id: 51 });
    expect(m.diagnostics.find((d) => d.code === "HA948")).toMatchObject({ line: 3 });
    expect(m.kolla.extra_globals).toEqual({ tunnel_interface: "eth1" });
  });
});

describe("import with inventory host variables", () => {
  it("takes ansible_host and per-host interfaces, and derives the CIDR", () => {
    const r = importKolla({
      inventory: {
        file: "inv",
        text: [
          "[control]",
          "cc01.lab.example ansible_host=192.0.2.11 api_interface=bond0 ansible_user=kolla",
          "cc02.lab.example ansible_host=192.0.2.12 tunnel_interface=eth1 rack=r2",
          "[loadbalancer]",
          "lb01.lab.example ansible_host=192.0.2.5",
          "",
        ].join("\n"),
      },
      globals: {
        file: "g.yml",
        text: 'openstack_release: "2024.1"\nkolla_internal_vip_address: 192.0.2.100\n',
      },
      cloud: "lab",
    });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const t = r.topology!;
    expect(t.hosts.cc01).toMatchObject({
      addresses: { management: "192.0.2.11" },
      interfaces: { management: "bond0" },
    });
    expect(t.networks.management).toEqual({ cidr: "192.0.2.0/24", interface: "eth0" });
    expect(r.diagnostics.find((d) => d.code === "HA948")).toMatchObject({ line: 3, column: 42 });
    expect(r.diagnostics.find((d) => d.code === "HA949")).toMatchObject({ line: 3 });
    expect(r.diagnostics.find((d) => d.code === "HA949")?.message).toContain("rack");
    expect(r.yaml).toContain("192.0.2.11 } # inv:2 ansible_host");
  });

  it("widens the network and warns when addresses span more than one /24", () => {
    const r = importKolla({
      inventory: { file: "inv", text: "[control]\na ansible_host=10.0.0.5\nb ansible_host=10.0.1.5\n" },
      globals: {
        file: "g.yml",
        text: 'openstack_release: master\nkolla_internal_vip_address: "10.0.0.47"\n',
      },
    });
    expect(r.topology?.networks.management?.cidr).toBe("10.0.0.0/23");
    expect(r.diagnostics.find((d) => d.code === "HA947")).toMatchObject({ severity: "warning" });
  });
});

describe("masakari coordination", () => {
  it("follows kolla's default from enable_valkey / enable_etcd, which render writes again from it", () => {
    const m = map('kolla_internal_vip_address: "10.0.0.47"\nenable_masakari: yes\nenable_etcd: "yes"\n');
    expect(m.masakari).toEqual({ enabled: true, coordination: "etcd" });
    expect(m.kolla.extra_globals ?? {}).toEqual({});
  });

  it("keeps enable_etcd for the rendered globals when Masakari is off (render writes it only for Masakari)", () => {
    const m = map('kolla_internal_vip_address: "10.0.0.47"\nenable_etcd: "yes"\n');
    expect(m.kolla.extra_globals).toEqual({ enable_etcd: "yes" });
  });
});
