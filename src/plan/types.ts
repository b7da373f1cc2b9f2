/**
 * The Plan: everything derived from a topology that downstream code needs —
 * which service runs where, the VIP and its VRRP instance, HAProxy frontends and
 * backends, quorum groups, the tuning profile. Plain data: `hacloud plan --json`
 * prints it; renderers, the SLA model and the lab read only this.
 */
import type { DocPath } from "../diagnostics/diagnostic.ts";
import type { ProfileName, Release, Role } from "../spec/schema.ts";
import type { FailoverProfile } from "./profile.ts";

/** A network of the cloud. */
export interface PlanNetwork {
  readonly name: string;
  readonly cidr: string;
  readonly prefix: number;
  /** Default interface name on hosts attached to it. */
  readonly interface: string;
  readonly gateway?: string;
}

/** A host with everything resolved: FQDN, per-network address and interface. */
export interface PlanHost {
  readonly name: string;
  readonly fqdn: string;
  readonly roles: readonly Role[];
  /** network name -> IPv4 address */
  readonly addresses: Readonly<Record<string, string>>;
  /** network name -> interface name on this host (override or network default) */
  readonly interfaces: Readonly<Record<string, string>>;
  /** Address on the management network (kolla's api_interface address). */
  readonly apiAddress: string;
  readonly apiInterface: string;
  readonly zone?: string;
  /** Where the host is declared in the topology file. */
  readonly source: DocPath;
}

/** One member of the keepalived VRRP instance. */
export interface VrrpMember {
  readonly host: string;
  readonly address: string;
  readonly interface: string;
  /** kolla: 1-based position in groups['loadbalancer']; the last host has the highest. */
  readonly priority: number;
}

/** The keepalived instance that holds the VIP(s), as kolla renders it. */
export interface VrrpInstance {
  /** kolla_internal_vip_<router_id> */
  readonly name: string;
  readonly routerId: number;
  readonly internalVip: string;
  readonly internalPrefix: number;
  readonly externalVip?: string;
  readonly externalInterface?: string;
  readonly members: readonly VrrpMember[];
  readonly traffic: "multicast" | "unicast";
}

/** A backend server line in HAProxy. */
export interface HaproxyServer {
  readonly host: string;
  readonly address: string;
  readonly port: number;
  /** active/passive services: every server but the first is `backup`. */
  readonly backup: boolean;
}

/** A kolla haproxy entry: one frontend on the VIP and its backend. */
export interface HaproxyService {
  /** kolla's haproxy name, e.g. keystone_internal, mariadb */
  readonly name: string;
  /** The kolla service (project) it belongs to, e.g. keystone. */
  readonly service: string;
  readonly mode: "http" | "tcp";
  readonly vip: "internal" | "external";
  readonly bindAddress: string;
  readonly port: number;
  readonly listenPort: number;
  readonly activePassive: boolean;
  /** Extra backend lines kolla adds (health checks, tcpka…). */
  readonly backendExtra: readonly string[];
  readonly frontendExtra: readonly string[];
  /** Timeouts kolla sets on this backend (e.g. mariadb 3600s). */
  readonly timeouts?: Readonly<Record<string, string>>;
  readonly servers: readonly HaproxyServer[];
}

/** A quorum-based cluster (Galera, RabbitMQ, pacemaker). */
export interface QuorumGroup {
  readonly name: "galera" | "rabbitmq" | "pacemaker" | "etcd";
  readonly members: readonly string[];
  /** Votes needed to stay primary: floor(n/2)+1. */
  readonly majority: number;
  /** Failures tolerated while keeping quorum. */
  readonly tolerates: number;
}

/** A service placed on hosts (for verify, the lab and the SLA model). */
export interface PlacedService {
  /** e.g. haproxy, keepalived, mariadb, rabbitmq, memcached, keystone, neutron-l3-agent … */
  readonly name: string;
  /** The kolla inventory group that places it. */
  readonly group: string;
  readonly hosts: readonly string[];
  /** How it survives a member's loss. */
  readonly redundancy: "vrrp" | "active-active" | "active-passive" | "quorum" | "l3-ha" | "per-host" | "none";
}

/** Neutron as planned. */
export interface NeutronPlan {
  readonly plugin: "openvswitch" | "ovn" | "linuxbridge";
  readonly routing: "l3-ha" | "dvr" | "legacy";
  readonly dvrComputeMode: "dvr" | "dvr_no_external";
  readonly agentHa: boolean;
  readonly providerNetworks: boolean;
  readonly externalInterface: string;
  readonly l3Hosts: readonly string[];
  readonly dhcpHosts: readonly string[];
  readonly metadataHosts: readonly string[];
  /** Hosts that need the external interface/bridge (network nodes; computes with DVR or provider networks). */
  readonly externalBridgeHosts: readonly string[];
}

/** Masakari as planned. */
export interface MasakariPlan {
  readonly enabled: boolean;
  readonly recovery: "auto" | "reserved_host" | "auto_priority" | "rh_priority";
  readonly coordination: "etcd" | "valkey" | "none";
  readonly sharedStorage: boolean;
  readonly hacluster: boolean;
  readonly apiHosts: readonly string[];
  readonly engineHosts: readonly string[];
  readonly hostmonitorHosts: readonly string[];
  readonly instancemonitorHosts: readonly string[];
  /** pacemaker cluster nodes (control) and pacemaker_remote nodes (compute). */
  readonly haclusterHosts: readonly string[];
  readonly haclusterRemoteHosts: readonly string[];
  readonly reservedHosts: readonly string[];
}

/** Cinder as planned. */
export interface CinderPlan {
  readonly enabled: boolean;
  readonly backend: "none" | "lvm" | "ceph" | "nfs";
  readonly volumeGroup: string;
  readonly volumeHosts: readonly string[];
}

/** The SLA target. */
export interface SlaPlan {
  /** e.g. 0.9995 */
  readonly target: number;
  readonly windowDays: number;
  readonly rates: Readonly<Record<string, { readonly mtbf_h: number; readonly mttr_h: number }>>;
}

/** The whole Plan. */
export interface Plan {
  readonly cloud: string;
  readonly domain: string;
  readonly release: Release;
  readonly baseDistro: string;
  readonly registry?: string;
  readonly registryInsecure: boolean;
  /** MariaDB behind ProxySQL (kolla default from 2025.1) or HAProxy active/backup. */
  readonly databaseLoadBalancer: "proxysql" | "haproxy";
  readonly profileName: ProfileName;
  readonly profile: FailoverProfile;
  readonly networks: readonly PlanNetwork[];
  /** The network carrying the API (kolla's api_interface): "management". */
  readonly apiNetwork: string;
  readonly hosts: readonly PlanHost[];
  readonly vrrp: VrrpInstance;
  readonly internalFqdn: string;
  readonly externalFqdn: string;
  /** HAProxy frontends/backends kolla generates for the enabled services (internal VIP and external). */
  readonly haproxy: readonly HaproxyService[];
  /**
   * MariaDB through HAProxy, active/backup (kolla 2024.1's way). Part of `haproxy`
   * when `databaseLoadBalancer` is "haproxy"; the lab always uses it, since
   * ProxySQL is not packaged in Debian.
   */
  readonly databaseHaproxy: HaproxyService;
  readonly services: readonly PlacedService[];
  readonly quorum: readonly QuorumGroup[];
  readonly neutron: NeutronPlan;
  readonly masakari: MasakariPlan;
  readonly cinder: CinderPlan;
  readonly sla: SlaPlan;
  /** Top-level kolla inventory groups -> host names (control, network, compute, storage, monitoring, loadbalancer). */
  readonly groups: Readonly<Record<string, readonly string[]>>;
  /** globals.yml variables that the topology file passes through verbatim. */
  readonly extraGlobals: Readonly<Record<string, unknown>>;
  /** Files of kolla's config directory the topology carries verbatim, by path under it. */
  readonly configOverrides: Readonly<Record<string, string>>;
}
