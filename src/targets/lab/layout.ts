/**
 * The lab's layout: every name, address and path derived from a Plan — the
 * switch namespace and its bridges, one namespace per host with one veth per
 * network, the client namespace, the VIPs, the state directory. Pure: the
 * fabric, the supervisor and `lab status` read it; `lab up` stores it.
 */
import type { Plan } from "../../plan/types.ts";
import {
  addressClashes,
  cidrHolds,
  freeAddress,
  mapAddress,
  mapNetworks,
  type NetworkMapping,
} from "./addressing.ts";
import { LabError } from "./errors.ts";
import { formatIpv4, parseCidr, parseIpv4 } from "../../net/ipv4.ts";

/** Where labs keep their state, one directory per cloud. */
export const LAB_ROOT = "/var/lib/hacloud/lab";

/** A lab network: its lab block and the bridge in the switch namespace. */
export interface LabNetwork extends NetworkMapping {
  readonly bridge: string;
}

/** One veth of a host: `ifname` inside the host, `switchIf` on the bridge. */
export interface LabLink {
  readonly network: string;
  readonly ifname: string;
  readonly switchIf: string;
  readonly bridge: string;
  readonly address: string;
  readonly prefix: number;
  /**
   * The userspace Open vSwitch bridge whose internal port carries the address instead of the veth
   * (the veth is that bridge's port): OVS's userspace datapath routes and ARPs for its VXLAN tunnels
   * itself, and only through addresses on its own bridges.
   */
  readonly ovsBridge?: string;
  /**
   * Compute checksums in software on this veth: its frames reach a userspace OVS port, which reads
   * them with AF_PACKET and forwards a partial checksum as it is (OVS's system-userspace tests turn
   * `tx` offload off the same way); without it TCP through the OVS datapath fails while ICMP works.
   */
  readonly txChecksumInSoftware?: boolean;
}

/** The OVS bridge that holds a host's tunnel address in the lab (see LabLink.ovsBridge). */
export const OVS_UNDERLAY_BRIDGE = "br-underlay";

/** The network whose link a host's userspace OVS takes for its VXLAN tunnels, if any. */
export function ovsTunnelNetwork(plan: Plan, host: string): string | undefined {
  if (plan.neutron.plugin !== "openvswitch") return undefined;
  const ovs = plan.services.find((s) => s.name === "openvswitch")?.hosts ?? [];
  if (!ovs.includes(host)) return undefined;
  // kolla's tunnel_interface; without a tenant network the tunnels share the API network, whose
  // address the lab keeps on the veth (every other service of the host needs it before OVS runs).
  return plan.networks.some((n) => n.name === "tenant") && plan.apiNetwork !== "tenant"
    ? "tenant"
    : undefined;
}

/** A host of the lab (a topology host, or the client). */
export interface LabHostLayout {
  readonly name: string;
  readonly kind: "host" | "client";
  readonly fqdn: string;
  readonly netns: string;
  readonly links: readonly LabLink[];
  /** network name -> lab address */
  readonly addresses: Readonly<Record<string, string>>;
  /** The host's private directory tree (etc, lib, run, log). */
  readonly dir: string;
}

/** Everything the lab creates, by name. */
export interface LabLayout {
  readonly cloud: string;
  /** Prefix of every namespace name, e.g. "hc-pp". */
  readonly prefix: string;
  readonly stateDir: string;
  readonly switchNs: string;
  readonly networks: readonly LabNetwork[];
  readonly hosts: readonly LabHostLayout[];
  readonly client: LabHostLayout;
  readonly vip: {
    readonly internal: string;
    readonly internalNetwork: string;
    readonly internalPrefix: number;
    readonly external?: string;
    readonly externalNetwork?: string;
    readonly externalPrefix?: number;
  };
}

/** The state directory of a cloud's lab. */
export function labStateDir(cloud: string, root = LAB_ROOT): string {
  return `${root}/${cloud}`;
}

/**
 * A short tag for a cloud name: initials of its dash-separated words (or its
 * first letters) plus two characters of a hash of the whole name, so that
 * "ctl-tier" and "cptest-tier" do not share namespace names.
 */
export function cloudAbbreviation(cloud: string): string {
  const words = cloud.split("-").filter(Boolean);
  const letters = (words.length > 1 ? words.map((w) => w[0]).join("") : cloud).slice(0, 4);
  let h = 2166136261;
  for (const ch of cloud) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `${letters}${(h % 1296).toString(36).padStart(2, "0")}`;
}

/** Linux interface names are at most 15 bytes (IFNAMSIZ 16 with the NUL). */
const IFNAMSIZ = 15;

function uniqueName(preferred: string, fallback: string, used: Set<string>): string {
  const name = preferred.length <= IFNAMSIZ && !used.has(preferred) ? preferred : fallback.slice(0, IFNAMSIZ);
  used.add(name);
  return name;
}

/** Computes the layout; throws a LabError naming the clash when addresses cannot be mapped. */
export function labLayout(plan: Plan, root = LAB_ROOT): LabLayout {
  const prefix = `hc-${cloudAbbreviation(plan.cloud)}`;
  const stateDir = labStateDir(plan.cloud, root);
  const bridges = new Set<string>();
  const networks: LabNetwork[] = mapNetworks(plan.networks).map((m, i) => ({
    ...m,
    bridge: uniqueName(`br-${m.name}`, `br${i}-${m.name}`, bridges),
  }));
  const byNet = new Map(networks.map((n) => [n.name, n]));
  const problems: string[] = [];
  const switchIfs = new Set<string>();

  const hosts: LabHostLayout[] = plan.hosts.map((h, hi) => {
    const addresses: Record<string, string> = {};
    const links: LabLink[] = [];
    for (const [net, ip] of Object.entries(h.addresses)) {
      const n = byNet.get(net);
      if (n === undefined) continue;
      const address = mapAddress(n, ip);
      addresses[net] = address;
      const ifname =
        h.interfaces[net] ?? plan.networks.find((p) => p.name === net)?.interface ?? `eth${links.length}`;
      links.push({
        network: net,
        ifname,
        switchIf: uniqueName(`${h.name}-${ifname}`, `h${hi}n${networks.indexOf(n)}`, switchIfs),
        bridge: n.bridge,
        address,
        prefix: n.labPrefix,
        ...(ovsTunnelNetwork(plan, h.name) === net ? { ovsBridge: OVS_UNDERLAY_BRIDGE } : {}),
      });
    }
    return {
      name: h.name,
      kind: "host",
      fqdn: h.fqdn,
      netns: `${prefix}-${h.name}`,
      links,
      addresses,
      dir: `${stateDir}/hosts/${h.name}`,
    };
  });

  const vipOf = (ip: string | undefined): { address: string; network: LabNetwork } | undefined => {
    if (ip === undefined) return undefined;
    const n = networks.find((m) => cidrHolds(m.topologyCidr, ip));
    if (n === undefined) {
      problems.push(`VIP ${ip} is in none of the topology's networks`);
      return undefined;
    }
    return { address: mapAddress(n, ip), network: n };
  };
  const internal = vipOf(plan.vrrp.internalVip);
  const external = plan.vrrp.externalVip !== undefined ? vipOf(plan.vrrp.externalVip) : undefined;

  for (const n of networks) {
    const assigned = hosts.flatMap((h) =>
      h.addresses[n.name] !== undefined
        ? [
            {
              who: h.name,
              topology: plan.hosts.find((p) => p.name === h.name)!.addresses[n.name]!,
              lab: h.addresses[n.name]!,
            },
          ]
        : [],
    );
    if (internal?.network === n)
      assigned.push({ who: "internal VIP", topology: plan.vrrp.internalVip, lab: internal.address });
    if (external?.network === n)
      assigned.push({ who: "external VIP", topology: plan.vrrp.externalVip!, lab: external.address });
    problems.push(...addressClashes(n, assigned));
  }
  if (problems.length > 0 || internal === undefined) {
    throw new LabError(
      `cannot map the topology into the lab range 198.18.0.0/15:\n  ${problems.join("\n  ")}`,
      undefined,
      [],
      { code: "E-LAB-002" },
    );
  }

  const clientNets = networks.filter((n) => n.name === plan.apiNetwork || n.name === "external");
  const taken = new Set<string>([
    ...hosts.flatMap((h) => Object.values(h.addresses)),
    internal.address,
    ...(external ? [external.address] : []),
  ]);
  const clientName = plan.hosts.some((h) => h.name === "client") ? "lab-client" : "client";
  const ovsExternal = plan.neutron.plugin === "openvswitch" && plan.neutron.externalBridgeHosts.length > 0;
  const clientLinks: LabLink[] = clientNets.map((n, i) => ({
    network: n.name,
    ifname: `eth${i}`,
    switchIf: uniqueName(`${clientName}-eth${i}`, `cl-${i}`, switchIfs),
    bridge: n.bridge,
    address: freeAddress(n, taken),
    prefix: n.labPrefix,
    ...(ovsExternal && n.name === "external" ? { txChecksumInSoftware: true } : {}),
  }));
  const client: LabHostLayout = {
    name: clientName,
    kind: "client",
    fqdn: `${clientName}.${plan.domain}`,
    netns: `${prefix}-${clientName}`,
    links: clientLinks,
    addresses: Object.fromEntries(clientLinks.map((l) => [l.network, l.address])),
    dir: `${stateDir}/hosts/${clientName}`,
  };

  return {
    cloud: plan.cloud,
    prefix,
    stateDir,
    switchNs: `${prefix}-sw`,
    networks,
    hosts,
    client,
    vip: {
      internal: internal.address,
      internalNetwork: internal.network.name,
      internalPrefix: internal.network.labPrefix,
      ...(external
        ? {
            external: external.address,
            externalNetwork: external.network.name,
            externalPrefix: external.network.labPrefix,
          }
        : {}),
    },
  };
}

/** Every lab host including the client. */
export function allLabHosts(layout: LabLayout): readonly LabHostLayout[] {
  return [...layout.hosts, layout.client];
}

/** A lab host by name (topology host or the client), or undefined. */
export function findLabHost(layout: LabLayout, name: string): LabHostLayout | undefined {
  return allLabHosts(layout).find((h) => h.name === name);
}

/** /etc/hosts for every lab host: each host's API address with its FQDN and name, and the VIP. */
export function hostsFile(plan: Plan, layout: LabLayout): string {
  const lines = ["127.0.0.1 localhost", "::1 localhost ip6-localhost ip6-loopback"];
  for (const h of layout.hosts) {
    const ip = h.addresses[plan.apiNetwork] ?? Object.values(h.addresses)[0];
    if (ip !== undefined) lines.push(`${ip} ${h.fqdn} ${h.name}`);
  }
  const c = layout.client.addresses[plan.apiNetwork];
  if (c !== undefined) lines.push(`${c} ${layout.client.fqdn} ${layout.client.name}`);
  if (plan.internalFqdn !== plan.vrrp.internalVip) lines.push(`${layout.vip.internal} ${plan.internalFqdn}`);
  if (layout.vip.external !== undefined && plan.externalFqdn !== plan.vrrp.externalVip) {
    lines.push(`${layout.vip.external} ${plan.externalFqdn}`);
  }
  return lines.join("\n") + "\n";
}

/** Neutron's external (provider) network in the lab: the lab's external network, its upstream router. */
export interface LabExternalNetwork {
  readonly cidr: string;
  /** The subnet's gateway: the client's address, which answers ICMP like an upstream router (kolla's L3 HA health check pings it). */
  readonly gateway: string;
  /** The floating IP allocation pool: a run of addresses no lab host, VIP or the client uses. */
  readonly pool: { readonly start: string; readonly end: string };
}

/** The largest pool the lab gives Neutron's external subnet, and the smallest it accepts. */
const POOL_MAX = 48;
const POOL_MIN = 8;

/** The lab's external network for Neutron, when the lab has one the client sits on. */
export function labExternalNetwork(layout: LabLayout): LabExternalNetwork | undefined {
  const net = layout.networks.find((n) => n.name === "external");
  const gateway = layout.client.addresses.external;
  const c = net === undefined ? undefined : parseCidr(net.labCidr);
  if (net === undefined || gateway === undefined || c === undefined) return undefined;
  const taken = new Set<number>(
    [
      ...allLabHosts(layout).flatMap((h) => Object.values(h.addresses)),
      layout.vip.internal,
      ...(layout.vip.external !== undefined ? [layout.vip.external] : []),
    ].map((a) => parseIpv4(a) ?? -1),
  );
  // the longest run of free addresses, from the top of the range down (the hosts sit low in it)
  let best: [number, number] | undefined;
  let runEnd: number | undefined;
  for (let n = c.last - 1; n > c.network; n--) {
    if (taken.has(n)) {
      runEnd = undefined;
      continue;
    }
    runEnd ??= n;
    if (best === undefined || runEnd - n > best[1] - best[0]) best = [n, runEnd];
    if (best[1] - best[0] + 1 >= POOL_MAX) break;
  }
  if (best === undefined || best[1] - best[0] + 1 < POOL_MIN) return undefined;
  return {
    cidr: net.labCidr,
    gateway,
    pool: { start: formatIpv4(best[0]), end: formatIpv4(best[1]) },
  };
}
