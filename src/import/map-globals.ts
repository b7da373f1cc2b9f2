/**
 * globals.yml -> the topology's kolla, vip, neutron, cinder and masakari
 * sections. Each value remembers where it came from (for the comments of the
 * written file); each value that cannot be used becomes a located diagnostic.
 */
import { basename } from "node:path";
import type { Diagnostic, Severity } from "../diagnostics/diagnostic.ts";
import { describe } from "../spec/load.ts";
import { RELEASES } from "../spec/schema.ts";
import { IFNAME, IMPORT_CODES as C, importDiagnostic } from "./codes.ts";
import { kollaBool, resolveGlobal, type ParsedGlobals } from "./globals.ts";
import { isIpv4 } from "./hosts-file.ts";

/** The topology sections that come from globals.yml, in the topology's input form. */
export interface GlobalsMapping {
  readonly kolla: Record<string, unknown>;
  /** Undefined when kolla_internal_vip_address is missing or unusable. */
  readonly vip: Record<string, unknown> | undefined;
  readonly neutron: Record<string, unknown>;
  readonly cinder: Record<string, unknown> | undefined;
  readonly masakari: Record<string, unknown>;
  /** network_interface (or kolla's default eth0). */
  readonly managementInterface: string;
  /** Dotted topology path -> where its value came from. */
  readonly origins: Map<string, string>;
  readonly diagnostics: Diagnostic[];
}

const BASE_DISTROS = ["ubuntu", "debian", "rocky", "centos"];
const PLUGINS = ["openvswitch", "ovn", "linuxbridge"];
/** Global interface variables for networks the imported topology cannot declare (their CIDRs are unknown). */
const NETWORK_INTERFACE_VARS: Record<string, string> = {
  tunnel_interface: "tenant",
  storage_interface: "storage",
  kolla_external_vip_interface: "external",
};

/** Maps globals.yml onto the topology; every variable it does not model goes to kolla.extra_globals. */
export function mapGlobals(g: ParsedGlobals): GlobalsMapping {
  const m = new GlobalsMapper(g);
  return m.run();
}

class GlobalsMapper {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly origins = new Map<string, string>();
  private readonly used = new Set<string>();
  private readonly short: string;

  constructor(private readonly g: ParsedGlobals) {
    this.short = basename(g.file);
  }

  run(): GlobalsMapping {
    const kolla: Record<string, unknown> = {};
    const release = this.release();
    if (release) kolla.release = release;
    const distro = this.choice("kolla_base_distro", BASE_DISTROS, "kolla.base_distro");
    if (distro) kolla.base_distro = distro;
    const registry = this.text("docker_registry");
    if (registry !== undefined) this.set(kolla, "registry", registry, "kolla.registry", "docker_registry");
    const insecure = this.flag("docker_registry_insecure");
    if (insecure !== undefined)
      this.set(kolla, "registry_insecure", insecure, "kolla.registry_insecure", "docker_registry_insecure");
    const proxysql = this.flag("enable_proxysql");
    if (proxysql !== undefined)
      this.set(kolla, "enable_proxysql", proxysql, "kolla.enable_proxysql", "enable_proxysql");
    this.loadbalancerSwitches();

    const vip = this.vip();
    const managementInterface = this.managementInterface();
    const neutron = this.neutron();
    const cinder = this.cinder();
    const masakari = this.masakari();
    for (const name of Object.keys(NETWORK_INTERFACE_VARS)) this.networkInterfaceVar(name);

    const extra = this.extraGlobals();
    if (extra) kolla.extra_globals = extra;
    return {
      kolla,
      vip,
      neutron,
      cinder,
      masakari,
      managementInterface,
      origins: this.origins,
      diagnostics: this.diagnostics,
    };
  }

  // ---- helpers ------------------------------------------------------------

  private at(name: string): { line: number; column: number } {
    const v = this.g.vars.get(name);
    return v ? { line: v.line, column: v.column } : { line: 1, column: 1 };
  }

  private where(name: string): string {
    const v = this.g.vars.get(name);
    return v ? `${this.short}:${v.keyLine} ${name}` : `kolla-ansible default of ${name}`;
  }

  private report(code: string, severity: Severity, name: string | undefined, message: string, hint: string) {
    this.diagnostics.push(
      importDiagnostic(
        code,
        severity,
        message,
        this.g.file,
        name ? this.at(name) : { line: 1, column: 1 },
        hint,
      ),
    );
  }

  private set(obj: Record<string, unknown>, key: string, value: unknown, path: string, from: string) {
    obj[key] = value;
    this.origins.set(path, this.where(from));
  }

  /** The variable's value with simple references followed; undefined (and a warning) when it cannot be had. */
  private value(name: string): { value: unknown; fromDefault: boolean } | undefined {
    this.used.add(name);
    const r = resolveGlobal(this.g.vars, name);
    if (!r) return undefined;
    if (!r.ok) {
      if (this.g.vars.has(name)) {
        this.report(
          C.jinjaUnresolved,
          "warning",
          name,
          `${name}: ${r.reason}; it is left out of the topology`,
          `Write the value itself (hacloud follows only plain \`{{ variable }}\` references), or set it in the topology by hand.`,
        );
      }
      return undefined;
    }
    return { value: r.value, fromDefault: r.fromDefault };
  }

  private text(name: string): string | undefined {
    const r = this.value(name);
    if (!r) return undefined;
    if (typeof r.value === "string" || typeof r.value === "number") return String(r.value);
    this.report(
      C.globalsInvalid,
      "error",
      name,
      `${name} must be text, not ${describe(r.value)}`,
      `Write \`${name}: "…"\`.`,
    );
    return undefined;
  }

  private flag(name: string): boolean | undefined {
    const r = this.value(name);
    if (!r) return undefined;
    const b = kollaBool(r.value);
    if (!b.recognised) {
      this.report(
        C.booleanText,
        "warning",
        name,
        `${name}: ${describe(r.value)} is not yes/no; kolla-ansible's \`| bool\` reads it as false`,
        `Write \`${name}: "yes"\` or \`${name}: "no"\`.`,
      );
    }
    return b.value;
  }

  private isSet(name: string): boolean {
    return this.g.vars.has(name);
  }

  private choice(name: string, allowed: readonly string[], path: string): string | undefined {
    const v = this.text(name);
    if (v === undefined) return undefined;
    if (!allowed.includes(v)) {
      this.report(
        C.globalsInvalid,
        "error",
        name,
        `${name}: "${v}" is not one of ${allowed.join(", ")}`,
        `hacloud models ${allowed.join(", ")}; set ${name} to one of them.`,
      );
      return undefined;
    }
    this.origins.set(path, this.where(name));
    if (!this.isSet(name)) {
      this.report(
        C.defaultAssumed,
        "info",
        undefined,
        `${name} is not set; kolla-ansible's default "${v}" is imported`,
        `Set \`${name}\` in globals.yml or in the topology if that is not what you deploy.`,
      );
    }
    return v;
  }

  // ---- sections -----------------------------------------------------------

  private release(): string | undefined {
    const name = "openstack_release";
    const v = this.text(name);
    if (v === undefined) {
      if (this.g.parsed && !this.isSet(name)) {
        this.report(
          C.defaultAssumed,
          "warning",
          undefined,
          `openstack_release is not set (kolla-ansible then deploys its own branch); 2025.1 is assumed`,
          `Set \`openstack_release\` to the kolla-ansible branch you deploy with (${RELEASES.join(", ")}).`,
        );
        this.origins.set("kolla.release", "assumed: openstack_release is not set");
        return "2025.1";
      }
      return undefined;
    }
    if (!(RELEASES as readonly string[]).includes(v)) {
      this.report(
        C.releaseUnsupported,
        "error",
        name,
        `openstack_release "${v}" is not a release hacloud renders (${RELEASES.join(", ")})`,
        `Set openstack_release to ${RELEASES.join(", ")}; for another release, import with the nearest and review the rendered files.`,
      );
      return undefined;
    }
    this.origins.set("kolla.release", this.where(name));
    return v;
  }

  private loadbalancerSwitches() {
    for (const name of ["enable_haproxy", "enable_keepalived"]) {
      if (!this.isSet(name)) continue;
      const on = this.flag(name);
      if (on === false) {
        this.used.delete(name); // keep it verbatim in extra_globals too
        this.report(
          C.unsupportedSetting,
          "warning",
          name,
          `${name} is off: the topology models HAProxy and Keepalived holding the VIP on the loadbalancer hosts`,
          `Check whether this cloud is meant to be highly available; ${name} is kept in kolla.extra_globals.`,
        );
      }
    }
  }

  private vip(): Record<string, unknown> | undefined {
    const name = "kolla_internal_vip_address";
    const internal = this.text(name);
    const vip: Record<string, unknown> = {};
    if (internal === undefined) {
      if (this.g.parsed && !this.isSet(name)) {
        this.report(
          C.globalsMissing,
          "error",
          undefined,
          "kolla_internal_vip_address is not set: the cloud has no virtual IP",
          'Add `kolla_internal_vip_address: "10.0.0.47"` (an unused address of the management network) to globals.yml.',
        );
      }
    } else if (!isIpv4(internal)) {
      this.report(
        C.globalsInvalid,
        "error",
        name,
        `kolla_internal_vip_address "${internal}" is not an IPv4 address`,
        "Give an unused address of the management network, e.g. 10.0.0.47.",
      );
    } else this.set(vip, "internal", internal, "vip.internal", name);

    const external = this.text("kolla_external_vip_address");
    if (external !== undefined && external !== internal) {
      if (isIpv4(external)) this.set(vip, "external", external, "vip.external", "kolla_external_vip_address");
      else {
        this.report(
          C.globalsInvalid,
          "error",
          "kolla_external_vip_address",
          `kolla_external_vip_address "${external}" is not an IPv4 address`,
          "Give an IPv4 address, or remove it to share the internal VIP.",
        );
      }
    }
    this.routerId(vip);
    for (const [key, varName, same] of [
      ["internal_fqdn", "kolla_internal_fqdn", internal],
      ["external_fqdn", "kolla_external_fqdn", external ?? internal],
    ] as const) {
      const fqdn = this.isSet(varName) ? this.text(varName) : undefined;
      if (fqdn !== undefined && fqdn !== same) this.set(vip, key, fqdn, `vip.${key}`, varName);
    }
    return typeof vip.internal === "string" ? vip : undefined;
  }

  private routerId(vip: Record<string, unknown>) {
    const name = "keepalived_virtual_router_id";
    const raw = this.value(name);
    if (!raw) return;
    const text = String(raw.value).trim();
    if (typeof raw.value === "object" || !/^\d+$/.test(text)) {
      this.report(
        C.globalsInvalid,
        "error",
        name,
        `keepalived_virtual_router_id must be a whole number (1-255), not ${describe(raw.value)}`,
        'Write it as `keepalived_virtual_router_id: "51"`: a VRID unique on the layer-2 network.',
      );
      return;
    }
    this.set(vip, "router_id", Number(text), "vip.router_id", name);
    if (raw.fromDefault) {
      this.report(
        C.defaultAssumed,
        "info",
        undefined,
        "keepalived_virtual_router_id is not set; kolla-ansible's default 51 is imported",
        "Two keepalived clusters on one layer-2 network need different VRIDs; set it when another cloud shares the network.",
      );
    }
  }

  /** An interface name, or undefined (and an error) when the value is not one. */
  private ifname(name: string): string | undefined {
    const v = this.text(name);
    if (v === undefined || IFNAME.test(v)) return v;
    this.report(
      C.globalsInvalid,
      "error",
      name,
      `${name}: "${v.length > 40 ? v.slice(0, 40) + "…" : v}" is not a Linux interface name`,
      "Give the interface's name (at most 15 letters, digits and `_.:@-`), e.g. eth0 or bond0.",
    );
    return undefined;
  }

  private managementInterface(): string {
    const name = "network_interface";
    const v = this.ifname(name) ?? "eth0";
    this.origins.set("networks.management.interface", this.where(name));
    if (!this.isSet(name) && this.g.parsed) {
      this.report(
        C.defaultAssumed,
        "info",
        undefined,
        'network_interface is not set; kolla-ansible\'s default "eth0" is imported',
        "Set network_interface to the management interface of your hosts.",
      );
    }
    return v;
  }

  private neutron(): Record<string, unknown> {
    const n: Record<string, unknown> = {};
    const plugin = this.isSet("neutron_plugin_agent")
      ? this.choice("neutron_plugin_agent", PLUGINS, "neutron.plugin")
      : undefined;
    if (plugin) n.plugin = plugin;
    const dvr = this.flag("enable_neutron_dvr") ?? false;
    const agentHa = this.flag("enable_neutron_agent_ha") ?? false;
    if (dvr) {
      this.set(n, "routing", "dvr", "neutron.routing", "enable_neutron_dvr");
      if (agentHa) {
        this.set(n, "l3_ha", true, "neutron.l3_ha", "enable_neutron_agent_ha");
        const later = [this.at("enable_neutron_dvr"), this.at("enable_neutron_agent_ha")].sort(
          (a, b) => b.line - a.line,
        )[0]!;
        this.diagnostics.push(
          importDiagnostic(
            C.dvrAgentHaConflict,
            "warning",
            "enable_neutron_dvr and enable_neutron_agent_ha are both on: routers become DVR+HA, which the book's chapter 7 warns against",
            this.g.file,
            later,
            "Choose one: L3 HA (VRRP between network nodes) or DVR; `hacloud check` explains the trade-off.",
          ),
        );
      }
    } else if (agentHa) {
      this.set(n, "routing", "l3-ha", "neutron.routing", "enable_neutron_agent_ha");
    } else {
      n.routing = "legacy";
      this.origins.set("neutron.routing", "neither enable_neutron_dvr nor enable_neutron_agent_ha is on");
      if (this.g.parsed) {
        const where = this.isSet("enable_neutron_agent_ha") ? "enable_neutron_agent_ha" : undefined;
        this.report(
          C.legacyRouting,
          "warning",
          where,
          "neither enable_neutron_agent_ha nor enable_neutron_dvr is on: each Neutron router lives on one network node (legacy routing)",
          'Set `enable_neutron_agent_ha: "yes"` (VRRP routers across network nodes) or DVR; imported as `routing: legacy`.',
        );
      }
    }
    if (this.isSet("neutron_compute_dvr_mode")) {
      const mode = this.choice(
        "neutron_compute_dvr_mode",
        ["dvr", "dvr_no_external"],
        "neutron.dvr_compute_mode",
      );
      if (mode) n.dvr_compute_mode = mode;
    }
    if (this.isSet("enable_neutron_provider_networks")) {
      const p = this.flag("enable_neutron_provider_networks");
      if (p !== undefined)
        this.set(n, "provider_networks", p, "neutron.provider_networks", "enable_neutron_provider_networks");
    }
    if (this.isSet("neutron_external_interface")) {
      const ext = this.ifname("neutron_external_interface");
      if (ext !== undefined)
        this.set(n, "external_interface", ext, "neutron.external_interface", "neutron_external_interface");
    }
    return n;
  }

  private cinder(): Record<string, unknown> | undefined {
    const backends = (
      [
        ["enable_cinder_backend_lvm", "lvm"],
        ["enable_cinder_backend_nfs", "nfs"],
        ["cinder_backend_ceph", "ceph"],
      ] as const
    ).filter(([name]) => this.isSet(name) && this.flag(name) === true);
    const enabled = this.isSet("enable_cinder") ? this.flag("enable_cinder") : undefined;
    if (backends.length === 0 && enabled === undefined) return undefined;
    const c: Record<string, unknown> = {};
    const first = backends[0];
    if (first) this.set(c, "backend", first[1], "cinder.backend", first[0]);
    for (const extra of backends.slice(1)) {
      this.used.delete(extra[0]);
      this.report(
        C.unsupportedSetting,
        "warning",
        extra[0],
        `${extra[0]} is on as well as ${first![0]}: the topology models one Cinder backend`,
        `${first![1]} is imported as cinder.backend; ${extra[0]} is kept in kolla.extra_globals.`,
      );
    }
    if (enabled !== undefined) this.set(c, "enabled", enabled, "cinder.enabled", "enable_cinder");
    else if (first) {
      // kolla-ansible's enable_cinder defaults to "no": a backend alone deploys no Cinder.
      c.enabled = false;
      this.origins.set("cinder.enabled", "kolla-ansible default of enable_cinder");
      this.report(
        C.unsupportedSetting,
        "warning",
        first[0],
        `${first[0]} is on but enable_cinder is not set, and kolla-ansible's default is "no": Cinder is not deployed`,
        'Add `enable_cinder: "yes"` to globals.yml (imported as `cinder.enabled: false` until then).',
      );
    }
    if (this.isSet("cinder_volume_group")) {
      const vg = this.text("cinder_volume_group");
      if (vg !== undefined) this.set(c, "volume_group", vg, "cinder.volume_group", "cinder_volume_group");
    }
    return c;
  }

  private masakari(): Record<string, unknown> {
    const m: Record<string, unknown> = {};
    const enabled = this.flag("enable_masakari") ?? false;
    this.set(m, "enabled", enabled, "masakari.enabled", "enable_masakari");
    if (this.isSet("enable_hacluster")) {
      const h = this.flag("enable_hacluster");
      if (h !== undefined) this.set(m, "hacluster", h, "masakari.hacluster", "enable_hacluster");
    }
    if (this.isSet("masakari_coordination_backend")) {
      const c = this.choice("masakari_coordination_backend", ["etcd", "valkey", ""], "masakari.coordination");
      if (c !== undefined) m.coordination = c === "" ? "none" : c;
    } else {
      // kolla's default: valkey if enable_valkey, else etcd if enable_etcd, else none.
      for (const [name, backend] of [
        ["enable_valkey", "valkey"],
        ["enable_etcd", "etcd"],
      ] as const) {
        if (!this.isSet(name)) continue;
        const on = this.flag(name);
        if (on && m.coordination === undefined) {
          this.set(m, "coordination", backend, "masakari.coordination", name);
          // render writes it again from masakari.coordination, when Masakari is enabled
          if (enabled) continue;
        }
        this.used.delete(name); // it also deploys the service: keep it for the rendered globals.yml
      }
    }
    return m;
  }

  private networkInterfaceVar(name: string) {
    if (!this.isSet(name)) return;
    const v = this.value(name);
    const management = resolveGlobal(this.g.vars, "network_interface");
    if (v && management?.ok && v.value === management.value) return; // same as the management interface
    this.used.delete(name); // kept verbatim in extra_globals
    this.report(
      C.interfaceWithoutNetwork,
      "warning",
      name,
      `${name} puts the ${NETWORK_INTERFACE_VARS[name]} network on its own interface, but its CIDR and the hosts' addresses on it are not in these files`,
      `${name} is kept in kolla.extra_globals; to model the network, add networks.${NETWORK_INTERFACE_VARS[name]} and each host's address on it.`,
    );
  }

  private extraGlobals(): Record<string, unknown> | undefined {
    const rest = [...this.g.vars.values()].filter((v) => !this.used.has(v.name));
    if (rest.length === 0) return undefined;
    const out: Record<string, unknown> = {};
    for (const v of rest) {
      out[v.name] = v.value;
      this.origins.set(`kolla.extra_globals.${v.name}`, `${this.short}:${v.keyLine}`);
    }
    const first = rest[0]!;
    const names = rest.map((v) => v.name);
    this.diagnostics.push(
      importDiagnostic(
        C.extraGlobals,
        "info",
        `${names.length} variable${names.length === 1 ? "" : "s"} hacloud does not model ${names.length === 1 ? "is" : "are"} kept verbatim in kolla.extra_globals: ${names.slice(0, 12).join(", ")}${names.length > 12 ? ", …" : ""}`,
        this.g.file,
        { line: first.keyLine, column: first.keyColumn },
        "They are written to the rendered globals.yml as they are; review them there.",
      ),
    );
    return out;
  }
}
