/**
 * What a running cloud is observed to be, target-neutral: the state types
 * (VIP and VRRP, HAProxy backends, Galera, RabbitMQ, services), the way an
 * observer reaches a host (HostAccess: lab — inside the host's namespaces;
 * kolla — over SSH, into the container kolla names), and the Observer
 * contract. An observer's `collect` asks its hosts through HostAccess and
 * hands what they print to a pure parser, unit-tested on real output.
 */
import type { Plan } from "../plan/types.ts";

/** A service process as the target sees it. */
export interface ServiceState {
  readonly host: string;
  readonly service: string;
  readonly running: boolean;
  /** Alive but scheduled no more (lab: its cgroup frozen; kolla: `docker pause`). */
  readonly frozen?: boolean;
}

/** One HAProxy server line's state on one load balancer (from the stats socket). */
export interface BackendState {
  readonly lb: string;
  /** The proxy (kolla's haproxy service name), e.g. keystone_internal, mariadb. */
  readonly proxy: string;
  /** The server name (a host). */
  readonly server: string;
  /** UP, DOWN, MAINT, "UP 1/2", "DOWN 1/5", "no check"… as HAProxy prints it. */
  readonly status: string;
  readonly backup: boolean;
  /** Current sessions on this server. */
  readonly sessions: number;
}

/** `SHOW STATUS LIKE 'wsrep%'` of one Galera node, the fields that matter. */
export interface GaleraNodeState {
  readonly host: string;
  readonly reachable: boolean;
  readonly clusterSize: number;
  /** Primary, non-Primary, Disconnected. */
  readonly clusterStatus: string;
  readonly ready: boolean;
  /** Synced, Donor/Desynced, Joining… */
  readonly localState: string;
  readonly error?: string;
}

/** The RabbitMQ cluster as seen from one node. */
export interface RabbitNodeState {
  readonly host: string;
  readonly reachable: boolean;
  /** Host names of the running members. */
  readonly running: readonly string[];
  readonly partitions: readonly string[];
  readonly error?: string;
}

/** A load balancer's VRRP state as keepalived reports it, or UNKNOWN (no current report). */
export const VRRP_STATES = ["MASTER", "BACKUP", "FAULT", "STOP", "UNKNOWN"] as const;
/** One of VRRP_STATES. */
export type VrrpState = (typeof VRRP_STATES)[number];

/** MASTER holds the VIP and BACKUP can take it over; FAULT, STOP and UNKNOWN cannot. */
export function vrrpReady(state: VrrpState): boolean {
  return state === "MASTER" || state === "BACKUP";
}

/** The VIP as each load balancer has it. */
export interface VipState {
  readonly address: string;
  /** Load balancers that hold the VIP on a link that is up. */
  readonly holders: readonly string[];
  /** Each load balancer's VRRP state: MASTER, BACKUP (a standby ready to take over), FAULT, STOP or UNKNOWN. */
  readonly vrrp: readonly { readonly host: string; readonly state: VrrpState }[];
}

/** One L3 agent's instance of an HA router, from its host's ground truth. */
export interface RouterInstanceState {
  readonly router: string;
  readonly host: string;
  /** What neutron-keepalived-state-change recorded ("master" in older releases reads as primary). */
  readonly state: "primary" | "backup" | "fault" | "unknown";
  /** Addresses the router's namespace holds outside its HA port: its VIPs, set only on the master. */
  readonly vips: readonly string[];
  /** Whether the router's keepalived VRRP process runs on the host (a dead one leaves its addresses). */
  readonly keepalived: boolean;
}

/** Every HA router instance on every L3 agent host. */
export interface RoutersState {
  readonly instances: readonly RouterInstanceState[];
}

/** A configuration file as the target has it deployed (for verify). */
export interface DeployedFile {
  readonly host: string;
  readonly path: string;
  readonly content: string;
}

/** What a command run on a host returned. */
export interface HostOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Options of a command run on a host. */
export interface HostExecOptions {
  /** The container kolla runs the daemon in (`haproxy`, `mariadb`…); the lab has none and ignores it. */
  readonly container?: string;
  readonly input?: string;
  readonly timeoutMs?: number;
}

/**
 * How observers reach the hosts of a cloud, whatever the target: the lab
 * enters the host's namespaces, kolla goes over SSH and `docker exec`s into
 * the container. Never throws for a non-zero exit (the parser decides).
 */
export interface HostAccess {
  exec(host: string, argv: readonly string[], opts?: HostExecOptions): Promise<HostOutput>;
  /** A file's content on the host, or undefined when it does not exist. */
  readFile(host: string, path: string, opts?: { readonly container?: string }): Promise<string | undefined>;
  /** One request to a unix socket on the host (HAProxy's stats socket), and the whole answer. */
  unixSocket(host: string, path: string, request: string, opts?: HostExecOptions): Promise<string>;
}

/**
 * Where a target keeps what an observer asks for, by service and name:
 * ("haproxy", host, "stats-socket"), ("keepalived", host, "vrrp-state"),
 * ("mariadb", host, "client-options"), ("rabbitmq", host, "management-url")…
 * Secrets among them (the management user) are never printed.
 */
export type Locate = (service: string, host: string, what: string) => string | undefined;

/** Everything an observer gets. */
export interface ObserveContext {
  readonly plan: Plan;
  readonly access: HostAccess;
  readonly locate: Locate;
  /** The internal VIP as the target addresses it (the lab maps it into 198.18.0.0/15). */
  readonly vip: string;
  /** Whether a service runs on a host at all (a crashed host is not asked, which would only time out). */
  readonly running: (service: string, host: string) => boolean;
}

/** One kind of state of a cloud, and how to collect it. */
export interface Observer<T> {
  readonly kind: string;
  /** One line: what it observes and from where. */
  readonly summary: string;
  collect(ctx: ObserveContext): Promise<T>;
}
