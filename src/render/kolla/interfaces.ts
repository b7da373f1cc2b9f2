/**
 * kolla's interface variables (network_interface, tunnel_interface, …) and
 * where each must be written. kolla-ansible passes globals.yml as extra vars
 * (`-e @globals.yml`), which beat inventory host vars, so a variable that any
 * host overrides must stay out of globals.yml and live in the inventory
 * instead (upstream multinode says the same: "comment out api_interface and
 * other interfaces from the globals.yml").
 */
import type { Plan, PlanHost } from "../../plan/types.ts";

/** One kolla interface variable. */
export interface InterfaceVar {
  readonly name:
    | "network_interface"
    | "api_interface"
    | "tunnel_interface"
    | "neutron_external_interface"
    | "kolla_external_vip_interface";
  /** The value for hosts that do not override it. */
  readonly value: string;
  /** host name -> interface, only for hosts whose interface differs. */
  readonly overrides: ReadonlyMap<string, string>;
  /** globals.yml when no host differs; otherwise the inventory ([all:vars] + host vars). */
  readonly where: "globals" | "inventory";
  /** Why the variable is set (a globals.yml comment). */
  readonly why: string;
}

/** The network whose interface is kolla's network_interface: management, else the API network. */
export function baseNetworkName(plan: Plan): string {
  return plan.networks.some((n) => n.name === "management") ? "management" : plan.apiNetwork;
}

/** The interface variables a plan needs, in globals.yml order. */
export function interfaceVars(plan: Plan): InterfaceVar[] {
  const defaultOf = (net: string): string | undefined => plan.networks.find((n) => n.name === net)?.interface;
  const base = baseNetworkName(plan);
  const baseIface = defaultOf(base) ?? "";
  const out: InterfaceVar[] = [];
  const add = (
    name: InterfaceVar["name"],
    net: string,
    value: string,
    hosts: readonly PlanHost[],
    why: string,
  ): void => {
    const overrides = new Map<string, string>();
    const netDefault = defaultOf(net);
    for (const h of hosts) {
      const iface = h.interfaces[net];
      // Only a per-host override of the network's interface makes a host differ.
      if (iface !== undefined && iface !== netDefault && iface !== value) overrides.set(h.name, iface);
    }
    out.push({ name, value, overrides, where: overrides.size > 0 ? "inventory" : "globals", why });
  };

  add("network_interface", base, baseIface, plan.hosts, `the ${base} network`);
  const apiIface = defaultOf(plan.apiNetwork);
  if (plan.apiNetwork !== base && apiIface !== undefined) {
    add(
      "api_interface",
      plan.apiNetwork,
      apiIface,
      plan.hosts,
      `the ${plan.apiNetwork} network carries the APIs`,
    );
  }
  const tenant = defaultOf("tenant");
  if (tenant !== undefined) {
    const tunnelHosts = plan.hosts.filter((h) => h.addresses.tenant !== undefined);
    add("tunnel_interface", "tenant", tenant, tunnelHosts, "the tenant network carries VXLAN/Geneve tunnels");
  }
  if (plan.neutron.externalInterface !== "") {
    const bridgeHosts = new Set(plan.neutron.externalBridgeHosts);
    // An explicit neutron.external_interface is a raw, address-less port: hosts' external overrides do not apply.
    const followsNetwork = plan.neutron.externalInterface === defaultOf("external");
    const hosts = followsNetwork ? plan.hosts.filter((h) => bridgeHosts.has(h.name)) : [];
    add(
      "neutron_external_interface",
      "external",
      plan.neutron.externalInterface,
      hosts,
      "neutron's external bridge (br-ex)",
    );
  }
  const lbHosts = new Set(plan.vrrp.members.map((m) => m.host));
  if (plan.vrrp.externalVip !== undefined && plan.vrrp.externalInterface !== undefined) {
    add(
      "kolla_external_vip_interface",
      "external",
      plan.vrrp.externalInterface,
      plan.hosts.filter((h) => lbHosts.has(h.name)),
      "the external VIP's interface",
    );
  } else {
    add(
      "kolla_external_vip_interface",
      base,
      baseIface,
      plan.hosts.filter((h) => lbHosts.has(h.name)),
      "one VIP for internal and external endpoints",
    );
  }
  return out;
}
