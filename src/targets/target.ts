/**
 * The target interface: what verify and drill need from a running cloud,
 * whether it is the lab (namespaces on this machine) or real kolla hosts (SSH,
 * a later driver). Like kind's Provider it is small; like os-faults its
 * vocabulary is hosts, services and faults, and every fault has an undo.
 */
import type { Plan } from "../plan/types.ts";
import type { Fault } from "./fault.ts";

/** Which kind of target: the lab is safe to break, anything else needs an explicit flag. */
export type TargetKind = "lab" | "kolla";

/** A service process as the target sees it. */
export interface ServiceState {
  readonly host: string;
  readonly service: string;
  readonly running: boolean;
  /** Frozen: scheduled no more, alive (lab: its cgroup frozen). */
  readonly stopped?: boolean;
  readonly pids: readonly number[];
}

/** A host as the target sees it. */
export interface HostState {
  readonly name: string;
  /** Links up and at least one process alive (or, for a host without processes, links up). */
  readonly up: boolean;
  /** Networks whose link is down. */
  readonly linksDown: readonly string[];
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

/** `rabbitmqctl cluster_status` as seen from one node. */
export interface RabbitNodeState {
  readonly host: string;
  readonly reachable: boolean;
  readonly running: readonly string[];
  readonly partitions: readonly string[];
  readonly error?: string;
}

/** A load balancer's VRRP state as keepalived reports it, or UNKNOWN (no current report). */
export const VRRP_STATES = ["MASTER", "BACKUP", "FAULT", "STOP", "UNKNOWN"] as const;
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

/** A snapshot of the whole target. */
export interface TargetState {
  /** Epoch milliseconds when it was taken. */
  readonly at: number;
  readonly hosts: readonly HostState[];
  readonly services: readonly ServiceState[];
  readonly vip: VipState;
  readonly backends: readonly BackendState[];
  readonly galera: readonly GaleraNodeState[];
  readonly rabbitmq: readonly RabbitNodeState[];
}

/** Handle of an injected fault: `undo()` is idempotent and safe after a partial inject. */
export interface UndoHandle {
  readonly id: string;
  readonly fault: Fault;
  /** Epoch ms when the fault took effect. */
  readonly injectedAt: number;
  undo(): Promise<void>;
}

/** Where probes connect and with which credentials (secrets: never print this). */
export interface ProbeEndpoints {
  readonly vip: string;
  readonly keystoneUrl: string;
  readonly admin: {
    readonly username: string;
    readonly password: string;
    readonly project: string;
    readonly domain: string;
  };
  readonly sql: {
    readonly host: string;
    readonly port: number;
    readonly user: string;
    readonly password: string;
    readonly database: string;
  };
  /** One AMQP URL per RabbitMQ node, in the order clients try them (kolla lists every node). */
  readonly amqp: readonly string[];
}

/** A command line that runs where the cloud's users are (lab: the client namespace). */
export interface ClientCommand {
  readonly file: string;
  readonly args: readonly string[];
}

/**
 * A named recovery action a drill asks the target to run after its undo, as an operator runs a
 * kolla-ansible playbook: "galera-recovery" restores a Galera cluster that lost quorum (mariadb-recovery).
 */
export type RecoveryAction = "galera-recovery";

/** Health of the whole target against the Plan. */
export interface HealthReport {
  readonly ok: boolean;
  /** What is still wrong, one line each. */
  readonly problems: readonly string[];
}

/** A configuration file as the target has it deployed (for verify). */
export interface DeployedFile {
  readonly host: string;
  readonly path: string;
  readonly content: string;
}

/** A cloud hacloud can verify and drill. */
export interface Target {
  readonly kind: TargetKind;
  /** e.g. "lab packtpub-prod". */
  readonly name: string;
  /** The Plan the target was brought up from (with the profile it runs). */
  readonly plan: Plan;
  /** Services this target runs (a lab runs a subset of the Plan's). */
  readonly managedServices: readonly string[];

  /** A full snapshot: hosts, services, VIP holder, backends, Galera, RabbitMQ. */
  state(signal?: AbortSignal): Promise<TargetState>;
  /** Cheap, frequent observations for drill timelines. */
  vipHolders(): Promise<readonly string[]>;
  backends(): Promise<readonly BackendState[]>;
  galera(): Promise<readonly GaleraNodeState[]>;

  /** Injects a fault; the undo is registered (and journalled) before anything is broken. */
  inject(fault: Fault): Promise<UndoHandle>;
  /** Undoes faults left by an earlier run that died (SIGKILL, power loss); returns what was undone. */
  undoLeftovers(): Promise<readonly string[]>;
  /**
   * Restores a Galera cluster that lost quorum, as `kolla-ansible mariadb-recovery` does; returns one
   * line for the report saying what it found and did (Galera may have re-formed its Primary alone).
   */
  recoverGalera(signal?: AbortSignal): Promise<string>;
  /** Runs a named recovery action; returns one line for the report saying what it found and did. */
  recover(action: RecoveryAction, signal?: AbortSignal): Promise<string>;
  /** Waits until every managed service is healthy again (or the timeout passes). */
  waitHealthy(timeoutMs: number, signal?: AbortSignal): Promise<HealthReport>;

  /** The deployed configuration file of a service on a host (keepalived.conf, haproxy.cfg…). */
  deployedConfig(host: string, service: string): Promise<DeployedFile | undefined>;
  /** Log tail of a service on a host. */
  logs(host: string, service: string, lines?: number): Promise<string>;

  /** Where probes connect (credentials included: never print). */
  probeEndpoints(): Promise<ProbeEndpoints>;
  /** Wraps a command so that it runs where the users are (lab: `ip netns exec <client>`). */
  clientCommand(file: string, args: readonly string[]): ClientCommand;
}
