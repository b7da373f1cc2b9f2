/**
 * Addressing rules about hosts (HA110–HA119): every address inside its
 * network, unique, not a reserved or gateway address; networks that do not
 * overlap; interfaces that kolla can read one address from per network; and
 * no address shared with a peer cloud on the same segment.
 */
import type { DocPath } from "../diagnostics/diagnostic.ts";
import { didYouMean } from "../diagnostics/suggest.ts";
import {
  canonicalCidr,
  cidrContains,
  cidrsOverlap,
  parseIpv4,
  reservedEnd,
  type Ipv4Cidr,
} from "../net/ipv4.ts";
import type { Topology } from "../spec/schema.ts";
import { defineRule, lineOf, placeOf, type Hit } from "./define.ts";
import { demo, peerDemo } from "./example.ts";
import { hostAddresses, networkCidrs, vips } from "./facts.ts";
import type { Rule } from "./types.ts";

/** Two networks are aliases when they are the same subnet on the same interface (tunnel over management). */
function aliases(t: Topology, cidrs: Map<string, Ipv4Cidr>, a: string, b: string): boolean {
  const ca = cidrs.get(a);
  const cb = cidrs.get(b);
  return (
    ca !== undefined &&
    cb !== undefined &&
    ca.network === cb.network &&
    ca.prefix === cb.prefix &&
    t.networks[a]?.interface === t.networks[b]?.interface
  );
}

const outsideNetwork = defineRule({
  code: "HA110",
  severity: "error",
  family: "addressing",
  title: "host address outside its network",
  rationale:
    "Each address is configured on the network's interface with the network's prefix. An address outside the subnet cannot talk to its neighbours without routing; on the management network it also breaks kolla's VIP precheck, which compares the VIP with the subnet of each load balancer's api_interface address.",
  sources: [
    "kolla-facts.md §4: VIP subnet check uses the first address on api_interface of every load balancer",
  ],
  hint: "Give the host an address inside the network's CIDR (or fix the network's prefix).",
  example: {
    topology: demo({
      hosts: { ctl2: "{ roles: [control], addresses: { management: 10.0.1.22 } }  # <-- HA110" },
    }),
  },
  find: ({ topology: t }) => {
    const cidrs = networkCidrs(t);
    const hits: Hit[] = [];
    for (const a of hostAddresses(t)) {
      const net = cidrs.get(a.network);
      if (net && !cidrContains(net, a.value)) {
        hits.push({
          path: a.path,
          message: `${a.host}'s ${a.network} address ${a.text} is outside ${a.network} ${canonicalCidr(net)}`,
        });
      }
    }
    return hits;
  },
});

const reservedHostAddress = defineRule({
  code: "HA111",
  severity: "error",
  family: "addressing",
  title: "host address is the network or broadcast address",
  rationale:
    "The first and last addresses of a subnet (up to /30) are not host addresses. A host configured with one cannot be reached reliably (broadcast replies, refused by neighbours).",
  sources: ["RFC 919/922, RFC 1812 §5.3.5"],
  hint: "Use an address strictly between the network and broadcast addresses.",
  example: {
    topology: demo({
      hosts: { cmp2: "{ roles: [compute], addresses: { management: 10.0.0.0 } }  # <-- HA111" },
    }),
  },
  find: ({ topology: t }) => {
    const cidrs = networkCidrs(t);
    const hits: Hit[] = [];
    for (const a of hostAddresses(t)) {
      const net = cidrs.get(a.network);
      const end = net && reservedEnd(net, a.value);
      if (net && end) {
        hits.push({
          path: a.path,
          message: `${a.host}'s ${a.network} address ${a.text} is the ${end} address of ${canonicalCidr(net)}`,
        });
      }
    }
    return hits;
  },
});

const undeclaredNetwork = defineRule({
  code: "HA112",
  severity: "error",
  family: "addressing",
  title: "address or interface on an undeclared network",
  rationale:
    "Host addresses and interface overrides are keyed by network name. A name that no `networks:` entry declares has no subnet or interface, so hacloud cannot render it and the host is silently not attached where it was meant to be — usually a typo.",
  sources: [
    "hacloud topology format (`hacloud schema`): hosts.<name>.addresses and .interfaces are keyed by network name",
  ],
  hint: "Use the name of a declared network, or declare the network under `networks:`.",
  example: {
    topology: demo({
      hosts: {
        ctl1: "{ roles: [control], addresses: { management: 10.0.0.21, extrenal: 203.0.113.21 } }  # <-- HA112",
      },
    }),
  },
  find: ({ topology: t }) => {
    const names = Object.keys(t.networks);
    const hits: Hit[] = [];
    for (const [host, h] of Object.entries(t.hosts)) {
      for (const [kind, map] of [
        ["addresses", h.addresses],
        ["interfaces", h.interfaces ?? {}],
      ] as const) {
        for (const net of Object.keys(map)) {
          if (net in t.networks) continue;
          hits.push({
            path: ["hosts", host, kind, net],
            at: "key",
            message: `${host} names network \`${net}\` in its ${kind}, but no such network is declared.${didYouMean(net, names)}`,
          });
        }
      }
    }
    return hits;
  },
});

const duplicateAddress = defineRule({
  code: "HA113",
  severity: "error",
  family: "addressing",
  title: "two hosts share an address",
  rationale:
    "An address used twice makes both hosts answer ARP for it: traffic (RabbitMQ, Galera replication, HAProxy health checks) reaches whichever answered last. kolla's RabbitMQ precheck requires each host name to resolve uniquely to its api_interface address.",
  sources: [
    "kolla-facts.md §4: rabbitmq precheck 'Hostname has to resolve uniquely to the IP address of api_interface'",
  ],
  hint: "Give each host its own address.",
  example: {
    topology: demo({
      hosts: { cmp2: "{ roles: [compute], addresses: { management: 10.0.0.41 } }  # <-- HA113" },
    }),
  },
  find: ({ topology: t, source }) => {
    const cidrs = networkCidrs(t);
    const seen = new Map<number, { host: string; network: string; path: DocPath }>();
    const hits: Hit[] = [];
    for (const a of hostAddresses(t)) {
      const first = seen.get(a.value);
      if (!first) {
        seen.set(a.value, a);
        continue;
      }
      // The same address on two alias networks of one host is one address, written twice.
      if (first.host === a.host && aliases(t, cidrs, first.network, a.network)) continue;
      hits.push({
        path: a.path,
        message: `${a.text} (${a.host}, ${a.network}) is also ${first.host}'s ${first.network} address (${lineOf(source, first.path, "value")})`,
      });
    }
    return hits;
  },
});

const overlappingNetworks = defineRule({
  code: "HA114",
  severity: "error",
  family: "addressing",
  title: "networks overlap",
  rationale:
    "Two networks whose ranges overlap give a host attached to both two routes to the same addresses, so replies leave by the wrong interface (and rp_filter drops them). The one legitimate case — the same subnet on the same interface declared under two names, e.g. the tunnel network on the management interface — is not reported.",
  sources: [
    "RFC 1812 §5.2.4.3 (longest-match routing); Linux rp_filter (Documentation/networking/ip-sysctl.rst)",
  ],
  hint: "Give each network its own subnet, or declare a shared subnet once.",
  example: {
    topology: demo({ networks: { storage: "{ cidr: 10.0.0.128/25, interface: eth2 }  # <-- HA114" } }),
  },
  find: ({ topology: t, source }) => {
    const cidrs = [...networkCidrs(t)];
    const all = networkCidrs(t);
    const hits: Hit[] = [];
    for (let j = 1; j < cidrs.length; j++) {
      const [b, cb] = cidrs[j]!;
      for (let i = 0; i < j; i++) {
        const [a, ca] = cidrs[i]!;
        if (!cidrsOverlap(ca, cb) || aliases(t, all, a, b)) continue;
        hits.push({
          path: ["networks", b, "cidr"],
          message: `${b} ${canonicalCidr(cb)} overlaps ${a} ${canonicalCidr(ca)} (${lineOf(source, ["networks", a])})`,
        });
        break;
      }
    }
    return hits;
  },
});

const noManagementAddress = defineRule({
  code: "HA115",
  severity: "error",
  family: "addressing",
  title: "host without a management address",
  rationale:
    "Every kolla host is reached, configured and health-checked on its api_interface address: HAProxy backends, RabbitMQ and Galera members, corosync rings and the deploy itself all use it. kolla's precheck stops with 'Please check the api_interface property - interface … ip address problem' on a host without one.",
  sources: ["kolla-facts.md §4: port_checks `api_interface_address is defined`"],
  hint: "Add `management: <address>` under the host's addresses.",
  example: { topology: demo({ hosts: { cmp2: "{ roles: [compute], addresses: {} }  # <-- HA115" } }) },
  find: ({ topology: t, plan }) => {
    if (!(plan.apiNetwork in t.networks)) return [];
    return Object.entries(t.hosts)
      .filter(([, h]) => !(plan.apiNetwork in h.addresses))
      .map(([host]) => ({
        path: ["hosts", host, "addresses"],
        message: `${host} has no ${plan.apiNetwork} address; kolla binds its services and health checks to that address`,
      }));
  },
});

const interfaceWithoutAddress = defineRule({
  code: "HA116",
  severity: "warning",
  family: "addressing",
  title: "interface override for a network the host has no address on",
  rationale:
    "kolla reads a network's address from the interface named for it; an interface override on a network where the host has no address either points at an interface hacloud will not configure, or was meant for another network. (The external network is the exception: neutron's external interface and the external VIP's interface carry no host address, so naming them there is how a host is attached.)",
  sources: [
    "kolla-facts.md §2: `kolla_address` reads `<network>_interface` of each host",
    "kolla globals.yml: neutron_external_interface 'recommended … not be configured with any IP addresses'",
  ],
  hint: "Add the host's address on that network, or remove the override.",
  example: {
    topology: demo({
      networks: { storage: "{ cidr: 10.30.0.0/24, interface: eth2 }" },
      hosts: {
        cmp1: "{ roles: [compute], addresses: { management: 10.0.0.41 }, interfaces: { storage: eth3 } }  # <-- HA116",
      },
    }),
  },
  find: ({ topology: t, plan }) => {
    const bridgeHosts = new Set(plan.neutron.externalBridgeHosts);
    const lbs = new Set(plan.groups.loadbalancer ?? []);
    const hits: Hit[] = [];
    for (const [host, h] of Object.entries(t.hosts)) {
      for (const net of Object.keys(h.interfaces ?? {})) {
        if (!(net in t.networks) || net in h.addresses) continue;
        if (net === "external" && (bridgeHosts.has(host) || lbs.has(host))) continue;
        hits.push({
          path: ["hosts", host, "interfaces", net],
          at: "key",
          message: `${host} names its ${net} interface but has no ${net} address`,
        });
      }
    }
    return hits;
  },
});

/** Networks kolla reads an address from (kolla_address): api (management) and tunnel (tenant). */
const KOLLA_ADDRESSED = ["tenant"] as const;

const sharedInterface = defineRule({
  code: "HA117",
  severity: "error",
  family: "addressing",
  title: "management and tenant networks on one interface with different subnets",
  rationale:
    "kolla derives api_interface_address and tunnel_interface_address with its kolla_address filter, which reads the interface's primary IPv4 address only. When two networks with different subnets share one interface, both resolve to the same (first) address: VXLAN endpoints land on the management address, or every service binds to the tenant address and the VIP precheck fails.",
  sources: [
    "kolla-ansible kolla_ansible/kolla_address.py: `address = af_interface.get('address')` (primary address only)",
    "kolla-facts.md §2: api_interface_address, tunnel_interface_address (group_vars/all/openvswitch.yml)",
  ],
  hint: "Put the tenant network on its own interface (or a VLAN interface such as eth0.20), or declare it as the same subnet as management.",
  example: {
    topology: demo({
      networks: { tenant: "{ cidr: 10.10.0.0/24, interface: eth0 }  # <-- HA117" },
      hosts: {
        net1: "{ roles: [network], addresses: { management: 10.0.0.31, tenant: 10.10.0.31 } }",
        net2: "{ roles: [network], addresses: { management: 10.0.0.32, tenant: 10.10.0.32 } }",
        cmp1: "{ roles: [compute], addresses: { management: 10.0.0.41, tenant: 10.10.0.41 } }",
        cmp2: "{ roles: [compute], addresses: { management: 10.0.0.42, tenant: 10.10.0.42 } }",
      },
    }),
  },
  find: ({ topology: t, plan }) => {
    const cidrs = networkCidrs(t);
    const api = plan.apiNetwork;
    const hits: Hit[] = [];
    for (const net of KOLLA_ADDRESSED) {
      if (!(net in t.networks) || net === api || aliases(t, cidrs, api, net)) continue;
      const sameCidr =
        cidrs.get(net)?.network === cidrs.get(api)?.network &&
        cidrs.get(net)?.prefix === cidrs.get(api)?.prefix;
      if (sameCidr) continue;
      let byDefault: string[] = [];
      for (const [host, h] of Object.entries(t.hosts)) {
        if (!(api in h.addresses) || !(net in h.addresses)) continue;
        const ia = h.interfaces?.[api] ?? t.networks[api]?.interface;
        const ib = h.interfaces?.[net] ?? t.networks[net]?.interface;
        if (ia !== ib) continue;
        const override =
          h.interfaces?.[net] !== undefined ? net : h.interfaces?.[api] !== undefined ? api : undefined;
        if (override) {
          hits.push({
            path: ["hosts", host, "interfaces", override],
            message: `${host} has its ${api} and ${net} addresses on one interface (${ia}); kolla reads only the interface's first address for both`,
          });
        } else byDefault = [...byDefault, host];
      }
      if (byDefault.length > 0) {
        hits.push({
          path: ["networks", net, "interface"],
          message: `${net} and ${api} share interface ${t.networks[net]!.interface} with different subnets on ${byDefault.join(", ")}; kolla reads only the interface's first address for both`,
        });
      }
    }
    return hits;
  },
});

const addressIsGateway = defineRule({
  code: "HA118",
  severity: "error",
  family: "addressing",
  title: "host address is its network's gateway",
  rationale:
    "The gateway address belongs to the router. A host configured with it takes over the default route of every other host on the segment (ARP conflict), cutting them off from everything beyond it.",
  sources: ["RFC 5227 (IPv4 address conflict detection)"],
  hint: "Give the host another address, or correct the network's gateway.",
  example: {
    topology: demo({
      networks: { management: "{ cidr: 10.0.0.0/24, interface: eth0, gateway: 10.0.0.1 }" },
      hosts: { cmp2: "{ roles: [compute], addresses: { management: 10.0.0.1 } }  # <-- HA118" },
    }),
  },
  find: ({ topology: t }) =>
    hostAddresses(t)
      .filter((a) => {
        const gw = t.networks[a.network]?.gateway;
        return gw !== undefined && parseIpv4(gw) === a.value;
      })
      .map((a) => ({
        path: a.path,
        message: `${a.host}'s ${a.network} address ${a.text} is the gateway of ${a.network}`,
      })),
});

const peerAddressClash = defineRule({
  code: "HA119",
  severity: "error",
  family: "addressing",
  title: "address also used by a peer cloud on an overlapping network",
  rationale:
    "Clouds given with `--peer` share layer-2 segments with this one wherever their networks overlap. An address (host or VIP) used in both clouds on such a segment is an ARP conflict: whichever machine answered last receives the traffic.",
  sources: ["RFC 5227 (IPv4 address conflict detection)"],
  hint: "Give the two clouds distinct addresses on shared segments (e.g. split the subnet into two ranges).",
  example: {
    topology: demo({
      hosts: { cmp2: "{ roles: [compute], addresses: { management: 10.0.0.42 } }  # <-- HA119" },
    }),
    peers: [
      {
        file: "peer.yaml",
        text: peerDemo(52, { hosts: { cmp2: "{ roles: [compute], addresses: { management: 10.0.0.42 } }" } }),
      },
    ],
  },
  find: ({ topology: t, plan, peers }) => {
    const ours = networkCidrs(t);
    const hits: Hit[] = [];
    const mine = [
      ...hostAddresses(t).map((a) => ({ ...a, what: `${a.host}'s ${a.network} address` })),
      ...vips(t, plan).map((v) => ({ ...v, what: `the ${v.kind} VIP` })),
    ];
    for (const peer of peers) {
      const theirs = networkCidrs(peer.topology);
      const theirAddresses = [
        ...hostAddresses(peer.topology).map((a) => ({ ...a, what: `${a.host}'s ${a.network} address` })),
        // VIP against VIP is HA202's; here only a VIP against a peer's host address.
      ];
      for (const m of mine) {
        const mc = ours.get(m.network);
        const clash = theirAddresses.find((p) => {
          const pc = theirs.get(p.network);
          return p.value === m.value && mc !== undefined && pc !== undefined && cidrsOverlap(mc, pc);
        });
        if (clash) {
          hits.push({
            path: m.path,
            message: `${m.text}, ${m.what}, is also ${clash.what} in cloud \`${peer.topology.cloud}\` (${placeOf(peer.source, clash.path)})`,
          });
        }
      }
    }
    return hits;
  },
});

/** Host addressing rules. */
export const ADDRESSING_HOST_RULES: readonly Rule[] = [
  outsideNetwork,
  reservedHostAddress,
  undeclaredNetwork,
  duplicateAddress,
  overlappingNetworks,
  noManagementAddress,
  interfaceWithoutAddress,
  sharedInterface,
  addressIsGateway,
  peerAddressClash,
];
