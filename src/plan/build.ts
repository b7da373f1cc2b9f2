/**
 * Spec -> Plan. Total for any topology that passed the schema: problems such
 * as a VIP outside its subnet are the rules' business, so here missing values
 * become empty strings or empty lists rather than exceptions.
 */
import { kollaChildren, resolveGroup } from "../kolla/group-tree.ts";
import type { Role, Topology } from "../spec/schema.ts";
import { apiEntries, MARIADB_ENTRY, type HaproxyEntry } from "./haproxy-catalog.ts";
import { failoverProfile, vrrpPriority, type KeepalivedTuning } from "./profile.ts";
import type {
  CinderPlan,
  HaproxyService,
  MasakariPlan,
  NeutronPlan,
  PlacedService,
  Plan,
  PlanHost,
  PlanNetwork,
  QuorumGroup,
  SlaPlan,
  VrrpInstance,
} from "./types.ts";

/** Groups missing from older releases' inventories, and the group that places the service there. */
const GROUP_FALLBACK: Readonly<Record<string, string>> = {
  "cinder-volume-lvm": "cinder-volume",
  "nova-metadata": "nova-api",
};

/** The network that carries kolla's api_interface. */
export function apiNetworkOf(t: Topology): string {
  return "management" in t.networks ? "management" : (Object.keys(t.networks)[0] ?? "management");
}

/** Derives the Plan from a schema-valid topology. */
export function buildPlan(t: Topology): Plan {
  const apiNetwork = apiNetworkOf(t);
  const networks = planNetworks(t);
  const hosts = planHosts(t, apiNetwork);
  const groups = topLevelGroups(hosts);
  const children = kollaChildren(t.kolla.release);
  // Groups that older releases do not have: the service runs in the named one instead.
  const inGroup = (g: string): string[] =>
    resolveGroup(children.has(g) ? g : (GROUP_FALLBACK[g] ?? g), groups, children);
  const byName = new Map(hosts.map((h) => [h.name, h]));
  const profile = failoverProfile(t.profile);

  const externalVip = t.vip.external !== undefined && t.vip.external !== t.vip.internal;
  const neutron = planNeutron(t, groups);
  const masakari = planMasakari(t, inGroup);
  const cinder = planCinder(t, inGroup);
  const databaseLoadBalancer =
    (t.kolla.enable_proxysql ?? t.kolla.release !== "2024.1") ? "proxysql" : "haproxy";

  const toService = (e: HaproxyEntry): HaproxyService => {
    const members = inGroup(e.group);
    const vipKind = e.external ? "external" : "internal";
    return {
      name: e.name,
      service: e.service,
      mode: e.mode,
      vip: vipKind,
      bindAddress: e.external ? (t.vip.external ?? t.vip.internal) : t.vip.internal,
      port: e.port,
      listenPort: e.listenPort ?? e.port,
      activePassive: e.activePassive ?? false,
      backendExtra: e.backendExtra ?? [],
      frontendExtra: e.frontendExtra ?? [],
      timeouts:
        e.name === "mariadb"
          ? { client: profile.haproxy.mariadbTimeout, server: profile.haproxy.mariadbTimeout }
          : undefined,
      servers: members.map((name, i) => ({
        host: name,
        address: byName.get(name)?.apiAddress ?? "",
        port: e.listenPort ?? e.port,
        backup: (e.activePassive ?? false) && i > 0,
      })),
    };
  };
  const databaseHaproxy = toService(MARIADB_ENTRY);
  const haproxy = [
    ...apiEntries({
      release: t.kolla.release,
      cinder: cinder.enabled,
      masakari: masakari.enabled,
      etcd: masakari.enabled && masakari.coordination === "etcd",
      externalVip,
    }).map(toService),
    ...(databaseLoadBalancer === "haproxy" ? [databaseHaproxy] : []),
  ];

  return {
    cloud: t.cloud,
    domain: t.domain,
    release: t.kolla.release,
    baseDistro: t.kolla.base_distro,
    registry: t.kolla.registry,
    registryInsecure: t.kolla.registry_insecure ?? false,
    databaseLoadBalancer,
    profileName: t.profile,
    profile,
    networks,
    apiNetwork,
    hosts,
    vrrp: planVrrp(t, hosts, groups, networks, apiNetwork, externalVip, profile.keepalived),
    internalFqdn: t.vip.internal_fqdn ?? t.vip.internal,
    externalFqdn:
      t.vip.external_fqdn ?? (externalVip ? (t.vip.external ?? "") : (t.vip.internal_fqdn ?? t.vip.internal)),
    haproxy,
    databaseHaproxy,
    services: placeServices(t, inGroup, neutron, masakari, cinder),
    quorum: planQuorum(inGroup, masakari),
    neutron,
    masakari,
    cinder,
    sla: planSla(t),
    groups,
    extraGlobals: t.kolla.extra_globals ?? {},
    configOverrides: t.kolla.config_overrides ?? {},
  };
}

function planNetworks(t: Topology): PlanNetwork[] {
  return Object.entries(t.networks).map(([name, n]) => ({
    name,
    cidr: n.cidr,
    prefix: Number(n.cidr.split("/")[1]),
    interface: n.interface,
    gateway: n.gateway,
  }));
}

function planHosts(t: Topology, apiNetwork: string): PlanHost[] {
  return Object.entries(t.hosts).map(([name, h]) => {
    const interfaces: Record<string, string> = {};
    // A host is attached to a network by an address or by an interface alone (kolla
    // recommends no address on neutron's external interface).
    for (const net of new Set([...Object.keys(h.addresses), ...Object.keys(h.interfaces ?? {})])) {
      const iface = h.interfaces?.[net] ?? t.networks[net]?.interface;
      if (iface !== undefined) interfaces[net] = iface;
    }
    return {
      name,
      fqdn: h.fqdn ?? `${name}.${t.domain}`,
      roles: h.roles,
      addresses: { ...h.addresses },
      interfaces,
      apiAddress: h.addresses[apiNetwork] ?? "",
      apiInterface: interfaces[apiNetwork] ?? t.networks[apiNetwork]?.interface ?? "",
      zone: h.zone,
      source: ["hosts", name],
    };
  });
}

function topLevelGroups(hosts: readonly PlanHost[]): Record<string, string[]> {
  const roles: Role[] = ["control", "network", "compute", "storage", "monitoring", "loadbalancer"];
  const groups: Record<string, string[]> = {};
  for (const r of roles) groups[r] = hosts.filter((h) => h.roles.includes(r)).map((h) => h.name);
  // kolla's default: load balancers run on the network nodes when none are dedicated.
  if (groups.loadbalancer!.length === 0) groups.loadbalancer = [...groups.network!];
  return groups;
}

function planVrrp(
  t: Topology,
  hosts: readonly PlanHost[],
  groups: Record<string, string[]>,
  networks: readonly PlanNetwork[],
  apiNetwork: string,
  externalVip: boolean,
  tuning: KeepalivedTuning,
): VrrpInstance {
  const byName = new Map(hosts.map((h) => [h.name, h]));
  const external = networks.find((n) => n.name === "external");
  return {
    name: `kolla_internal_vip_${t.vip.router_id}`,
    routerId: t.vip.router_id,
    internalVip: t.vip.internal,
    internalPrefix: networks.find((n) => n.name === apiNetwork)?.prefix ?? 32,
    externalVip: externalVip ? t.vip.external : undefined,
    externalInterface: externalVip ? external?.interface : undefined,
    members: (groups.loadbalancer ?? []).map((name, i, all) => {
      const h = byName.get(name);
      const priority = vrrpPriority(tuning, i, all.length);
      return { host: name, address: h?.apiAddress ?? "", interface: h?.apiInterface ?? "", priority };
    }),
    traffic: t.kolla.keepalived_traffic ?? "multicast",
  };
}

function planNeutron(t: Topology, groups: Record<string, string[]>): NeutronPlan {
  const n = t.neutron ?? { plugin: "openvswitch" as const, routing: "l3-ha" as const };
  const network = groups.network ?? [];
  const compute = groups.compute ?? [];
  const dvr = n.routing === "dvr";
  const ovn = n.plugin === "ovn";
  const dvrComputeMode = n.dvr_compute_mode ?? "dvr";
  const providerNetworks = n.provider_networks ?? false;
  const l3Hosts = ovn ? [] : dvr ? unique([...network, ...compute]) : [...network];
  const metadataOn = n.metadata_agent ?? true;
  const metadataHosts = !metadataOn || ovn ? [] : dvr && n.plugin === "openvswitch" ? l3Hosts : [...network];
  const computesNeedExternal = (dvr && dvrComputeMode === "dvr") || providerNetworks;
  return {
    plugin: n.plugin,
    routing: n.routing,
    dvrComputeMode,
    agentHa: n.routing === "l3-ha" || (n.l3_ha ?? false),
    providerNetworks,
    externalInterface: n.external_interface ?? t.networks.external?.interface ?? "",
    l3Hosts,
    dhcpHosts: ovn ? [] : [...network],
    metadataHosts,
    externalBridgeHosts: unique([...network, ...(computesNeedExternal ? compute : [])]),
  };
}

function planMasakari(t: Topology, inGroup: (g: string) => string[]): MasakariPlan {
  const m = t.masakari;
  const enabled = m?.enabled ?? false;
  const hacluster = enabled && (m?.hacluster ?? true);
  return {
    enabled,
    recovery: m?.recovery ?? "auto",
    coordination: m?.coordination ?? "none",
    sharedStorage: m?.shared_storage ?? false,
    hacluster,
    apiHosts: enabled ? inGroup("masakari-api") : [],
    engineHosts: enabled ? inGroup("masakari-engine") : [],
    hostmonitorHosts: enabled ? inGroup("masakari-hostmonitor") : [],
    instancemonitorHosts: enabled ? inGroup("masakari-instancemonitor") : [],
    haclusterHosts: hacluster ? inGroup("hacluster") : [],
    haclusterRemoteHosts: hacluster ? inGroup("hacluster-remote") : [],
    reservedHosts: m?.reserved_hosts ?? [],
  };
}

function planCinder(t: Topology, inGroup: (g: string) => string[]): CinderPlan {
  const c = t.cinder;
  const backend = c?.backend ?? "none";
  const enabled = c?.enabled ?? backend !== "none";
  return {
    enabled,
    backend,
    volumeGroup: c?.volume_group ?? "cinder-volumes",
    volumeHosts: enabled ? inGroup(backend === "lvm" ? "cinder-volume-lvm" : "cinder-volume") : [],
  };
}

function placeServices(
  t: Topology,
  inGroup: (g: string) => string[],
  neutron: NeutronPlan,
  masakari: MasakariPlan,
  cinder: CinderPlan,
): PlacedService[] {
  const s: PlacedService[] = [];
  const add = (
    name: string,
    group: string,
    redundancy: PlacedService["redundancy"],
    hosts = inGroup(group),
  ): void => {
    if (hosts.length > 0) s.push({ name, group, hosts, redundancy });
  };
  add("haproxy", "loadbalancer", "vrrp");
  add("keepalived", "loadbalancer", "vrrp");
  add("mariadb", "mariadb", "quorum");
  add("rabbitmq", "rabbitmq", "quorum");
  add("memcached", "memcached", "active-active");
  for (const [name, group] of [
    ["keystone", "keystone"],
    ["glance-api", "glance-api"],
    ["nova-api", "nova-api"],
    ["nova-scheduler", "nova-scheduler"],
    ["nova-conductor", "nova-conductor"],
    ["placement-api", "placement-api"],
    ["neutron-server", "neutron-server"],
    ["heat-api", "heat-api"],
    ["horizon", "horizon"],
  ] as const) {
    add(name, group, "active-active");
  }
  if (neutron.plugin === "openvswitch") {
    // kolla's openvswitch group: openvswitch_db + openvswitch_vswitchd, and the L2 agent beside them
    add("openvswitch", "openvswitch", "per-host");
    add("neutron-openvswitch-agent", "openvswitch", "per-host");
  }
  if (neutron.plugin !== "ovn") {
    const l3Redundancy = neutron.routing === "dvr" ? "per-host" : neutron.agentHa ? "l3-ha" : "none";
    add("neutron-l3-agent", "neutron-l3-agent", l3Redundancy, [...neutron.l3Hosts]);
    add("neutron-dhcp-agent", "neutron-dhcp-agent", "active-active", [...neutron.dhcpHosts]);
    add("neutron-metadata-agent", "neutron-metadata-agent", "per-host", [...neutron.metadataHosts]);
  }
  add("nova-compute", "compute", "per-host");
  if (cinder.enabled) {
    add("cinder-api", "cinder-api", "active-active");
    add("cinder-scheduler", "cinder-scheduler", "active-active");
    add(
      "cinder-volume",
      cinder.backend === "lvm" ? "cinder-volume-lvm" : "cinder-volume",
      cinder.backend === "lvm" ? "none" : "active-active",
      [...cinder.volumeHosts],
    );
  }
  if (masakari.enabled) {
    add("masakari-api", "masakari-api", "active-active");
    add("masakari-engine", "masakari-engine", "active-active");
    add("masakari-hostmonitor", "masakari-hostmonitor", "active-active");
    add("masakari-instancemonitor", "masakari-instancemonitor", "per-host");
    if (masakari.hacluster) {
      add("hacluster", "hacluster", "quorum");
      add("hacluster-remote", "hacluster-remote", "per-host");
    }
  }
  if (masakari.coordination === "etcd") add("etcd", "etcd", "quorum");
  void t;
  return s;
}

function quorum(name: QuorumGroup["name"], members: readonly string[]): QuorumGroup {
  const majority = Math.floor(members.length / 2) + 1;
  return { name, members, majority, tolerates: Math.max(0, members.length - majority) };
}

function planQuorum(inGroup: (g: string) => string[], masakari: MasakariPlan): QuorumGroup[] {
  const q = [quorum("galera", inGroup("mariadb")), quorum("rabbitmq", inGroup("rabbitmq"))];
  if (masakari.hacluster) q.push(quorum("pacemaker", masakari.haclusterHosts));
  if (masakari.coordination === "etcd") q.push(quorum("etcd", inGroup("etcd")));
  return q;
}

/** Parses "99.95%" or 99.95 or 0.9995 into a fraction. */
export function parseTarget(target: number | string | undefined): number {
  if (target === undefined) return 0.999;
  const n = typeof target === "string" ? Number(target.replace("%", "")) : target;
  return n > 1 ? n / 100 : n;
}

function planSla(t: Topology): SlaPlan {
  return {
    target: parseTarget(t.sla?.target),
    windowDays: Number((t.sla?.window ?? "30d").replace("d", "")),
    rates: t.sla?.rates ?? {},
  };
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
