/**
 * Neutron interface rules (HA407–HA410, HA415): the external bridge's
 * interface exists where neutron needs it, carries no address the host relies
 * on, and every network and compute node has a tunnel endpoint.
 */
import type { DocPath } from "../diagnostics/diagnostic.ts";
import { defineRule, listing, written, type Hit } from "./define.ts";
import { demo, EXTERNAL_COMPUTES } from "./example.ts";
import { interfaceOf, isAttached, neutronExternalInterface } from "./facts.ts";
import type { Rule, RuleContext } from "./types.ts";

/** Where the cloud-wide neutron external interface is decided. */
function externalInterfaceSource(ctx: RuleContext): DocPath {
  if (written(ctx.source, ["neutron", "external_interface"])) return ["neutron", "external_interface"];
  return ["networks", "external", "interface"];
}

const computeNotAttached = defineRule({
  code: "HA407",
  severity: "warning",
  family: "neutron",
  title: "compute needs the external bridge but is not attached to the external network",
  rationale:
    "With DVR (compute mode `dvr`) or provider networks, kolla creates br-ex on every compute and plugs neutron_external_interface into it (computes_need_external_bridge). A compute not cabled to the external network then has floating IPs or provider ports that go nowhere — and nothing fails at deploy time. Declaring the attachment makes the cabling an explicit, checked part of the design.",
  sources: [
    "kolla-facts.md §1: computes_need_external_bridge = (DVR and mode dvr) or enable_neutron_provider_networks or neutron_ovn_distributed_fip",
    "kolla-ansible doc/source/reference/networking/neutron.rst: external interfaces 'are also used by hosts in the compute group if enable_neutron_provider_networks is set or DVR is enabled'",
  ],
  hint: "Attach the compute with `interfaces: { external: <ifname> }` (no address needed), or use `dvr_compute_mode: dvr_no_external`.",
  example: {
    topology: demo({
      hosts: {
        cmp1: EXTERNAL_COMPUTES.cmp1!,
        cmp2: "{ roles: [compute], addresses: { management: 10.0.0.42 } }  # <-- HA407",
      },
      tail: "neutron: { provider_networks: true }",
    }),
  },
  find: (ctx) => {
    const t = ctx.topology;
    if (!("external" in t.networks)) return [];
    const n = ctx.plan.neutron;
    const computes = new Set(ctx.plan.groups.compute ?? []);
    const why = n.providerNetworks ? "provider networks put" : "DVR puts";
    const hits: Hit[] = [];
    for (const host of n.externalBridgeHosts) {
      const h = t.hosts[host];
      if (!h || !computes.has(host) || isAttached(h, "external")) continue;
      hits.push({
        path: ["hosts", host, "addresses"],
        message: `${why} br-ex on ${neutronExternalInterface(t, ctx.plan, host)} of every compute, but ${host} is not attached to the external network`,
      });
    }
    return hits;
  },
});

const noExternalInterface = defineRule({
  code: "HA408",
  severity: "error",
  family: "neutron",
  title: "neutron has no external interface",
  rationale:
    "Routers' gateways and provider networks leave through br-ex on neutron_external_interface. With neither an `external` network nor neutron.external_interface, hacloud cannot say which interface that is, and kolla falls back to its default `eth1` — on many hosts the tenant or storage interface, which Open vSwitch would then take over.",
  sources: ['kolla-facts.md §2: `neutron_external_interface: "eth1"` default (group_vars/all/neutron.yml)'],
  hint: "Declare an `external` network (its interface is neutron's), or set neutron.external_interface.",
  example: {
    topology: demo({ networks: { external: null } }).replace("networks:\n", "networks:  # <-- HA408\n"),
  },
  find: (ctx) => {
    if (ctx.plan.neutron.externalInterface !== "") return [];
    return [
      {
        path: ["networks"],
        at: "key",
        message:
          "no `external` network and no neutron.external_interface: kolla would use its default eth1 for br-ex",
      },
    ];
  },
});

const externalOnAddressedInterface = defineRule({
  code: "HA409",
  severity: "error",
  family: "neutron",
  title: "neutron's external interface carries another network's address",
  rationale:
    "Open vSwitch (or the Linux bridge) takes neutron_external_interface over as a port of br-ex; an address configured on that interface stops answering. If the interface also carries the management or tenant address, the host falls off that network when neutron starts — a classic way to lose a network node in the middle of a deploy.",
  sources: [
    "kolla globals.yml: neutron_external_interface — 'Even though an IP address can exist on this interface, it will be unusable in most configurations'",
    "kolla-facts.md §2: neutron_external_interface 'recommended this interface not be configured with any IP addresses'",
  ],
  hint: "Give neutron a dedicated interface (or a VLAN interface) with no address: set neutron.external_interface or the host's `interfaces.external`.",
  example: { topology: demo({ tail: "neutron: { external_interface: eth0 }  # <-- HA409" }) },
  find: (ctx) => {
    const t = ctx.topology;
    const hits: Hit[] = [];
    const global = new Map<string, string[]>(); // network -> hosts, when only cloud-wide settings collide
    for (const host of ctx.plan.neutron.externalBridgeHosts) {
      const h = t.hosts[host];
      if (!h) continue;
      const ext = neutronExternalInterface(t, ctx.plan, host);
      for (const net of Object.keys(h.addresses)) {
        if (net === "external" || interfaceOf(t, host, net) !== ext) continue;
        const ownExternal =
          t.neutron?.external_interface === undefined && h.interfaces?.external !== undefined;
        const override = ownExternal ? "external" : h.interfaces?.[net] !== undefined ? net : undefined;
        if (override) {
          hits.push({
            path: ["hosts", host, "interfaces", override],
            message: `${host}'s neutron external interface ${ext} also carries its ${net} address ${h.addresses[net]!}, which stops working once it joins br-ex`,
          });
        } else global.set(net, [...(global.get(net) ?? []), host]);
      }
    }
    for (const [net, hosts] of global) {
      hits.push({
        path: externalInterfaceSource(ctx),
        message: `neutron's external interface ${ctx.plan.neutron.externalInterface} is also the ${net} interface of ${listing(hosts)}: their ${net} addresses stop working once it joins br-ex`,
      });
    }
    return hits;
  },
});

const addressOnExternal = defineRule({
  code: "HA410",
  severity: "warning",
  family: "neutron",
  title: "address on neutron's external interface",
  rationale:
    "A network node (or a compute with DVR or provider networks) hands neutron_external_interface to br-ex. kolla's globals.yml warns that an address on it 'will be unusable in most configurations': the address answers until neutron's agent starts, then silently stops — monitoring or SSH on it breaks after the deploy.",
  sources: ["kolla globals.yml: neutron_external_interface comment (kolla-facts.md §2)"],
  hint: "Drop the address and attach the host with `interfaces: { external: <ifname> }`; put a needed address on another interface.",
  example: {
    topology: demo({
      hosts: {
        net2: "{ roles: [network], addresses: { management: 10.0.0.32, external: 203.0.113.32 } }  # <-- HA410",
      },
    }),
  },
  find: (ctx) => {
    const t = ctx.topology;
    const hits: Hit[] = [];
    for (const host of ctx.plan.neutron.externalBridgeHosts) {
      const address = t.hosts[host]?.addresses.external;
      const ext = neutronExternalInterface(t, ctx.plan, host);
      if (address === undefined || interfaceOf(t, host, "external") !== ext) continue;
      hits.push({
        path: ["hosts", host, "addresses", "external"],
        message: `${host}'s external address ${address} is on ${ext}, which neutron plugs into br-ex: the address stops answering once the agent starts`,
      });
    }
    return hits;
  },
});

const noTunnelAddress = defineRule({
  code: "HA415",
  severity: "error",
  family: "neutron",
  title: "network or compute node without a tenant (tunnel) address",
  rationale:
    "Tenant networks are VXLAN/Geneve tunnels between the network and compute nodes; kolla reads each host's tunnel endpoint from tunnel_interface (`local_ip`, `ovn-encap-ip`). A host in the tunnel mesh with no address on the tenant network fails kolla_address ('Address family … undefined on interface'), or carries no tenant traffic.",
  sources: [
    "kolla-ansible group_vars/all/openvswitch.yml: tunnel_interface_address: \"{{ 'tunnel' | kolla_address }}\"; openvswitch_agent.ini.j2 local_ip; ovn-controller setup-ovs.yml ovn-encap-ip",
  ],
  hint: "Give the host an address on the tenant network.",
  example: {
    topology: demo({
      networks: { tenant: "{ cidr: 10.10.0.0/24, interface: eth2 }" },
      hosts: {
        net1: "{ roles: [network], addresses: { management: 10.0.0.31, tenant: 10.10.0.31 } }",
        net2: "{ roles: [network], addresses: { management: 10.0.0.32, tenant: 10.10.0.32 } }",
        cmp1: "{ roles: [compute], addresses: { management: 10.0.0.41, tenant: 10.10.0.41 } }",
        cmp2: "{ roles: [compute], addresses: { management: 10.0.0.42 } }  # <-- HA415",
      },
    }),
  },
  find: (ctx) => {
    const t = ctx.topology;
    if (!("tenant" in t.networks)) return [];
    const mesh = new Set([...(ctx.plan.groups.network ?? []), ...(ctx.plan.groups.compute ?? [])]);
    return [...mesh]
      .filter((host) => {
        const h = t.hosts[host];
        return h !== undefined && !("tenant" in h.addresses);
      })
      .map((host) => ({
        path: ["hosts", host, "addresses"],
        message: `${host} has no tenant address, but it is a tunnel endpoint (${(ctx.plan.groups.network ?? []).includes(host) ? "network node" : "compute"})`,
      }));
  },
});

/** Neutron interface rules. */
export const NEUTRON_INTERFACE_RULES: readonly Rule[] = [
  computeNotAttached,
  noExternalInterface,
  externalOnAddressedInterface,
  addressOnExternal,
  noTunnelAddress,
];
