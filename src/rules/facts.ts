/**
 * Facts several rule families need, computed from the topology and its Plan:
 * parsed networks, every host address with its YAML path, the VIPs, and which
 * interface neutron takes on a host.
 */
import type { DocPath } from "../diagnostics/diagnostic.ts";
import { parseCidr, parseIpv4, type Ipv4Cidr } from "../net/ipv4.ts";
import type { Plan } from "../plan/types.ts";
import type { Topology, TopologyHost } from "../spec/schema.ts";

/** Every declared network, parsed. */
export function networkCidrs(t: Topology): Map<string, Ipv4Cidr> {
  const out = new Map<string, Ipv4Cidr>();
  for (const [name, n] of Object.entries(t.networks)) {
    const c = parseCidr(n.cidr);
    if (c) out.set(name, c);
  }
  return out;
}

/** One address of one host on one network. */
export interface HostAddress {
  readonly host: string;
  readonly network: string;
  readonly text: string;
  readonly value: number;
  readonly path: DocPath;
}

const addressesOf = new WeakMap<Topology, readonly HostAddress[]>();

/** Every host address, in file order. */
export function hostAddresses(t: Topology): readonly HostAddress[] {
  // a check asks for them in seven rules; the topology does not change under them
  const known = addressesOf.get(t);
  if (known !== undefined) return known;
  const out: HostAddress[] = [];
  for (const [host, h] of Object.entries(t.hosts)) {
    for (const [network, text] of Object.entries(h.addresses)) {
      const value = parseIpv4(text);
      if (value !== undefined)
        out.push({ host, network, text, value, path: ["hosts", host, "addresses", network] });
    }
  }
  addressesOf.set(t, out);
  return out;
}

/** A virtual IP keepalived holds. */
export interface Vip {
  readonly kind: "internal" | "external";
  readonly text: string;
  readonly value: number;
  readonly path: DocPath;
  /** The network it must live in. */
  readonly network: string;
}

/** The internal VIP, and the external one when it differs (kolla's haproxy_enable_external_vip). */
export function vips(t: Topology, plan: Plan): Vip[] {
  const out: Vip[] = [];
  const internal = parseIpv4(t.vip.internal);
  if (internal !== undefined) {
    out.push({
      kind: "internal",
      text: t.vip.internal,
      value: internal,
      path: ["vip", "internal"],
      network: plan.apiNetwork,
    });
  }
  if (t.vip.external !== undefined && t.vip.external !== t.vip.internal) {
    const external = parseIpv4(t.vip.external);
    if (external !== undefined) {
      out.push({
        kind: "external",
        text: t.vip.external,
        value: external,
        path: ["vip", "external"],
        network: "external",
      });
    }
  }
  return out;
}

/** A host is attached to a network when it has an address there or names its interface there. */
export function isAttached(h: TopologyHost, network: string): boolean {
  return network in h.addresses || (h.interfaces !== undefined && network in h.interfaces);
}

/**
 * The interface neutron plugs into br-ex on a host, as the renderer writes it:
 * an explicit neutron.external_interface applies to every host; otherwise the
 * host's own external interface (when it has an external address), else the
 * external network's.
 */
export function neutronExternalInterface(t: Topology, plan: Plan, host: string): string {
  if (t.neutron?.external_interface !== undefined) return t.neutron.external_interface;
  return plan.hosts.find((h) => h.name === host)?.interfaces.external ?? plan.neutron.externalInterface;
}

/** The interface a host uses for a network: its override, else the network's default. */
export function interfaceOf(t: Topology, host: string, network: string): string | undefined {
  return t.hosts[host]?.interfaces?.[network] ?? t.networks[network]?.interface;
}

/** Where a host's roles are written (the usual place to point at a host). */
export function rolesPath(host: string): DocPath {
  return ["hosts", host, "roles"];
}

/** Hosts that have the role, in file order. */
export function withRole(t: Topology, role: string): string[] {
  return Object.entries(t.hosts)
    .filter(([, h]) => (h.roles as readonly string[]).includes(role))
    .map(([name]) => name);
}
