/**
 * Addressing rules about networks and the VIPs (HA100–HA107): the management
 * network exists, each VIP is a usable, unused address inside the network its
 * interface is on, and network declarations make sense.
 */
import { didYouMean } from "../diagnostics/suggest.ts";
import { canonicalCidr, cidrContains, hasHostBits, parseIpv4, reservedEnd } from "../net/ipv4.ts";
import { defineRule, lineOf, type Hit } from "./define.ts";
import { demo } from "./example.ts";
import { hostAddresses, networkCidrs, vips } from "./facts.ts";
import type { Rule } from "./types.ts";

const noManagement = defineRule({
  code: "HA100",
  severity: "error",
  family: "addressing",
  title: "no `management` network",
  rationale:
    "hacloud maps the network named `management` onto kolla's api_interface/network_interface: every service binds its API address there, the internal VIP lives there, and keepalived sends its VRRP adverts on it. Without it, hacloud falls back to the first network declared, which is rarely what was meant.",
  sources: [
    "kolla-facts.md §2: `network_interface: eth0`, `api_interface: {{ network_interface }}`, `api_interface_address: {{ 'api' | kolla_address }}`",
    "kolla-facts.md §4: port_checks fail with 'Please check the api_interface property - interface … not found'",
  ],
  hint: "Name the network that carries the OpenStack APIs `management`.",
  example: {
    topology: `version: 1
cloud: demo
domain: demo.example
kolla: { release: "2025.1" }
networks:
  mgmt: { cidr: 10.0.0.0/24, interface: eth0 }  # <-- HA100
  external: { cidr: 203.0.113.0/24, interface: eth1 }
vip: { internal: 10.0.0.10, router_id: 51 }
hosts:
  lb1: { roles: [loadbalancer], addresses: { mgmt: 10.0.0.11 } }
  lb2: { roles: [loadbalancer], addresses: { mgmt: 10.0.0.12 } }
  ctl1: { roles: [control], addresses: { mgmt: 10.0.0.21 } }
  ctl2: { roles: [control], addresses: { mgmt: 10.0.0.22 } }
  ctl3: { roles: [control], addresses: { mgmt: 10.0.0.23 } }
  net1: { roles: [network], addresses: { mgmt: 10.0.0.31 } }
  net2: { roles: [network], addresses: { mgmt: 10.0.0.32 } }
  cmp1: { roles: [compute], addresses: { mgmt: 10.0.0.41 } }
  cmp2: { roles: [compute], addresses: { mgmt: 10.0.0.42 } }
`,
  },
  find: ({ topology: t, plan }) => {
    if ("management" in t.networks) return [];
    const names = Object.keys(t.networks);
    if (names.length === 0) {
      return [
        {
          path: ["networks"],
          at: "key",
          message: "no networks are declared; at least `management` is needed",
        },
      ];
    }
    return [
      {
        path: ["networks", plan.apiNetwork],
        at: "key",
        message: `no network is named \`management\`, so \`${plan.apiNetwork}\` is taken as kolla's api_interface network.${didYouMean("management", names)}`,
      },
    ];
  },
});

const vipOutsideManagement = defineRule({
  code: "HA101",
  severity: "error",
  family: "addressing",
  title: "internal VIP outside the management network",
  rationale:
    "keepalived adds the internal VIP on each load balancer's api_interface. kolla's loadbalancer precheck 'Checking if kolla_internal_vip_address is in the same network as api_interface on all nodes' fails when the VIP is not inside the subnet of that interface's address; and a VIP outside the subnet is unreachable from the other hosts without extra routes.",
  sources: [
    "kolla-facts.md §4: VIP subnet check in ansible/roles/loadbalancer/tasks/precheck.yml",
    "kolla-facts.md §2: globals.yml: the VIP is 'an unused IP on your network that will float between the hosts running keepalived'",
  ],
  hint: "Pick an unused address inside the management network for vip.internal.",
  example: { topology: demo({ vip: "{ internal: 10.0.1.10, router_id: 51 }  # <-- HA101" }) },
  find: ({ topology: t, plan }) => {
    const net = networkCidrs(t).get(plan.apiNetwork);
    const vip = parseIpv4(t.vip.internal);
    if (!net || vip === undefined || cidrContains(net, vip)) return [];
    return [
      {
        path: ["vip", "internal"],
        message: `the internal VIP ${t.vip.internal} is outside the ${plan.apiNetwork} network ${canonicalCidr(net)}; keepalived puts it on every load balancer's api_interface, and kolla's precheck rejects a VIP outside that subnet`,
      },
    ];
  },
});

const vipReservedEnd = defineRule({
  code: "HA102",
  severity: "error",
  family: "addressing",
  title: "VIP is the network or broadcast address",
  rationale:
    "The first and last address of a subnet (up to /30) are the network and broadcast addresses. A VIP there is either refused by the kernel's neighbours or answered by every host (broadcast), so clients never reach HAProxy.",
  sources: [
    "RFC 919/922 (broadcast), RFC 1812 §5.3.5; kolla-facts.md §2 (the VIP must be an unused host address)",
  ],
  hint: "Use a host address of the subnet (not its first or last address).",
  example: { topology: demo({ vip: "{ internal: 10.0.0.255, router_id: 51 }  # <-- HA102" }) },
  find: ({ topology: t, plan }) => {
    const cidrs = networkCidrs(t);
    const hits: Hit[] = [];
    for (const v of vips(t, plan)) {
      const net = cidrs.get(v.network);
      if (!net) continue;
      const end = reservedEnd(net, v.value);
      if (end) {
        hits.push({
          path: v.path,
          message: `the ${v.kind} VIP ${v.text} is the ${end} address of ${v.network} ${canonicalCidr(net)}`,
        });
      }
    }
    return hits;
  },
});

const vipIsHostAddress = defineRule({
  code: "HA103",
  severity: "error",
  family: "addressing",
  title: "VIP is a host's own address",
  rationale:
    "The VIP must be an unused address: keepalived moves it between load balancers. If it is also a host's address, two machines answer ARP for it, and kolla's precheck ('Checking if kolla_internal_vip_address and kolla_external_vip_address are not pingable from any node') fails because it answers ping before keepalived runs.",
  sources: [
    "kolla-facts.md §4: loadbalancer precheck 'VIPs must not answer ping' (ping -c 3, failed_when rc != 1)",
    "kolla-facts.md §2: globals.yml 'an unused IP on your network'",
  ],
  hint: "Choose a VIP no host uses; keep it out of any DHCP or host address range.",
  example: { topology: demo({ vip: "{ internal: 10.0.0.21, router_id: 51 }  # <-- HA103" }) },
  find: ({ topology: t, plan, source }) => {
    const addresses = hostAddresses(t);
    const hits: Hit[] = [];
    for (const v of vips(t, plan)) {
      const owner = addresses.find((a) => a.value === v.value);
      if (owner) {
        hits.push({
          path: v.path,
          message: `the ${v.kind} VIP ${v.text} is also ${owner.host}'s ${owner.network} address (${lineOf(source, owner.path, "value")})`,
        });
      }
    }
    return hits;
  },
});

const vipIsGateway = defineRule({
  code: "HA104",
  severity: "error",
  family: "addressing",
  title: "VIP is a network's gateway",
  rationale:
    "The gateway address belongs to the router. A VIP on it makes keepalived steal the router's address: every host's default route then ends at HAProxy, or the VIP flaps against the router's ARP replies.",
  sources: ["kolla-facts.md §2: the VIP must be an unused address of the network"],
  hint: "Choose a VIP that is neither the gateway nor any host's address.",
  example: {
    topology: demo({
      networks: { management: "{ cidr: 10.0.0.0/24, interface: eth0, gateway: 10.0.0.1 }" },
      vip: "{ internal: 10.0.0.1, router_id: 51 }  # <-- HA104",
    }),
  },
  find: ({ topology: t, plan }) => {
    const hits: Hit[] = [];
    for (const v of vips(t, plan)) {
      for (const [name, n] of Object.entries(t.networks)) {
        if (n.gateway !== undefined && parseIpv4(n.gateway) === v.value) {
          hits.push({ path: v.path, message: `the ${v.kind} VIP ${v.text} is the gateway of ${name}` });
          break;
        }
      }
    }
    return hits;
  },
});

const externalVipPlacement = defineRule({
  code: "HA105",
  severity: "error",
  family: "addressing",
  title: "external VIP outside the external network",
  rationale:
    "When vip.external differs from vip.internal, keepalived adds it on kolla_external_vip_interface, which hacloud takes from the `external` network. kolla does not check that the address belongs there (its precheck only tests the internal VIP), so a wrong external VIP deploys cleanly and is unreachable.",
  sources: [
    "kolla-facts.md §4: 'No check on external VIP subnet'",
    "kolla-facts.md §3: one VRRP instance holds both VIPs; the external one on `kolla_external_vip_interface`",
  ],
  hint: "Put vip.external inside the external network, or drop it to serve the public endpoints on the internal VIP.",
  example: {
    topology: demo({
      vip: "{ internal: 10.0.0.10, external: 198.51.100.10, router_id: 51 }  # <-- HA105",
      hosts: {
        lb1: "{ roles: [loadbalancer], addresses: { management: 10.0.0.11 }, interfaces: { external: eth1 } }",
        lb2: "{ roles: [loadbalancer], addresses: { management: 10.0.0.12 }, interfaces: { external: eth1 } }",
      },
    }),
  },
  find: ({ topology: t, plan }) => {
    const ext = vips(t, plan).find((v) => v.kind === "external");
    if (!ext) return [];
    const net = networkCidrs(t).get("external");
    if (!("external" in t.networks)) {
      return [
        {
          path: ext.path,
          message: `vip.external ${ext.text} differs from the internal VIP, but no \`external\` network says which interface and subnet it lives on`,
          hint: "Declare an `external` network (its interface becomes kolla_external_vip_interface), or drop vip.external.",
        },
      ];
    }
    if (net && !cidrContains(net, ext.value)) {
      return [
        {
          path: ext.path,
          message: `the external VIP ${ext.text} is outside the external network ${canonicalCidr(net)}`,
        },
      ];
    }
    return [];
  },
});

const cidrHostBits = defineRule({
  code: "HA106",
  severity: "warning",
  family: "addressing",
  title: "network written with host bits set",
  rationale:
    "A CIDR such as 10.0.0.5/24 names the network 10.0.0.0/24 with an address in it. It is usually a host address pasted where the network was meant, or a wrong prefix length; hacloud uses the network it denotes.",
  sources: ["RFC 4632 §3.1 (prefix notation)"],
  hint: "Write the network address with its prefix length, e.g. 10.0.0.0/24.",
  example: {
    topology: demo({ networks: { management: "{ cidr: 10.0.0.5/24, interface: eth0 }  # <-- HA106" } }),
  },
  find: ({ topology: t }) => {
    const hits: Hit[] = [];
    for (const [name, c] of networkCidrs(t)) {
      if (hasHostBits(c)) {
        hits.push({
          path: ["networks", name, "cidr"],
          message: `${c.text} has host bits set; the network is ${canonicalCidr(c)}`,
          hint: `Write \`cidr: ${canonicalCidr(c)}\` (or fix the prefix length).`,
        });
      }
    }
    return hits;
  },
});

const badGateway = defineRule({
  code: "HA107",
  severity: "error",
  family: "addressing",
  title: "gateway outside its network or on a reserved address",
  rationale:
    "A default gateway must be reachable on the link: an address outside the subnet cannot be ARPed for, and the network or broadcast address is never a router. Hosts rendered with it lose their default route.",
  sources: ["RFC 1812 §5.3.5; RFC 1122 §3.3.1.1 (the gateway must be on a connected network)"],
  hint: "Set the gateway to the router's address inside the network.",
  example: {
    topology: demo({
      networks: { management: "{ cidr: 10.0.0.0/24, interface: eth0, gateway: 10.0.1.1 }  # <-- HA107" },
    }),
  },
  find: ({ topology: t }) => {
    const cidrs = networkCidrs(t);
    const hits: Hit[] = [];
    for (const [name, n] of Object.entries(t.networks)) {
      const net = cidrs.get(name);
      const gw = n.gateway === undefined ? undefined : parseIpv4(n.gateway);
      if (!net || gw === undefined) continue;
      const path = ["networks", name, "gateway"];
      if (!cidrContains(net, gw)) {
        hits.push({ path, message: `the gateway ${n.gateway} of ${name} is outside ${canonicalCidr(net)}` });
      } else {
        const end = reservedEnd(net, gw);
        if (end) {
          hits.push({
            path,
            message: `the gateway ${n.gateway} of ${name} is the ${end} address of ${canonicalCidr(net)}`,
          });
        }
      }
    }
    return hits;
  },
});

/** Network and VIP addressing rules. */
export const ADDRESSING_VIP_RULES: readonly Rule[] = [
  noManagement,
  vipOutsideManagement,
  vipReservedEnd,
  vipIsHostAddress,
  vipIsGateway,
  externalVipPlacement,
  cidrHostBits,
  badGateway,
];
