/**
 * The target interface: what verify and drill need from a running cloud,
 * whether it is the lab (namespaces on this machine) or real kolla hosts (SSH,
 * a later driver). Like kind's Provider it is small; like os-faults its
 * vocabulary is hosts, services and faults, and every fault has an undo.
 */
import type { Observation, ObservationKind, Observations } from "../observe/index.ts";
import type { DeployedFile, ServiceState } from "../observe/types.ts";
import type { Plan } from "../plan/types.ts";
import type { Fault } from "./fault.ts";

export type {
  BackendState,
  DeployedFile,
  GaleraNodeState,
  RabbitNodeState,
  ServiceState,
  VipState,
  VrrpState,
} from "../observe/types.ts";
export { VRRP_STATES, vrrpReady } from "../observe/types.ts";

/** Which kind of target: the lab is safe to break, anything else needs an explicit flag. */
export type TargetKind = "lab" | "kolla";

/** A host as the target sees it. */
export interface HostState {
  readonly name: string;
  /** Links up and at least one process alive (or, for a host without processes, links up). */
  readonly up: boolean;
  /** Networks whose link is down. */
  readonly linksDown: readonly string[];
}

/** A snapshot of the whole target. */
export interface TargetState {
  /** Epoch milliseconds when it was taken. */
  readonly at: number;
  readonly hosts: readonly HostState[];
  readonly services: readonly ServiceState[];
  /** One observation of every kind the observers' registry knows (src/observe/index.ts). */
  readonly observed: Observations;
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

/** A command line: the program and its arguments. */
export interface WorkerCommand {
  readonly file: string;
  readonly args: readonly string[];
}

/**
 * Where probes run: where the cloud's users are. The lab's is its client
 * namespace (a Node process cannot move its sockets into another network
 * namespace, so the worker runs inside it); a real cloud's is the operator's
 * machine or a client host over SSH, where hacloud's worker is installed.
 */
export interface ProbeSite {
  /** e.g. "the lab's client namespace". */
  readonly description: string;
  /** The command that runs the probe worker at the site, given the one that runs it on this machine. */
  worker(local: WorkerCommand): WorkerCommand;
}

/**
 * A named recovery action a drill asks the target to run after its undo, as an operator runs a
 * kolla-ansible playbook: "galera-recovery" restores a Galera cluster that lost quorum (mariadb-recovery);
 * "restart-stopped" starts again what died after the undo's own restart, as an operator would.
 */
export type RecoveryAction = "galera-recovery" | "restart-stopped";

/** Health of the whole target against the Plan. */
export interface HealthReport {
  readonly ok: boolean;
  /** What is still wrong, one line each. */
  readonly problems: readonly string[];
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

  /** A full snapshot: hosts, services and one observation of every kind. */
  state(signal?: AbortSignal): Promise<TargetState>;
  /** One kind of observation (the VIP ten times a second during a drill, backends, Galera…). */
  observe<K extends ObservationKind>(kind: K, signal?: AbortSignal): Promise<Observation<K>>;

  /** Injects a fault; the undo is registered (and journalled) before anything is broken. */
  inject(fault: Fault): Promise<UndoHandle>;
  /** Undoes faults left by an earlier run that died (SIGKILL, power loss); returns what was undone. */
  undoLeftovers(): Promise<readonly string[]>;
  /** Runs a named recovery action; returns one line for the report saying what it found and did. */
  recover(action: RecoveryAction, signal?: AbortSignal): Promise<string>;
  /** Waits until the target passes the health checks (src/observe/health.ts) or the timeout passes; repairs nothing. */
  waitHealthy(timeoutMs: number, signal?: AbortSignal): Promise<HealthReport>;

  /** The deployed configuration file of a service on a host (keepalived.conf, haproxy.cfg…). */
  deployedConfig(host: string, service: string): Promise<DeployedFile | undefined>;
  /** Log tail of a service on a host. */
  logs(host: string, service: string, lines?: number): Promise<string>;

  /** Where probes connect (credentials included: never print). */
  probeEndpoints(): Promise<ProbeEndpoints>;
  /** Where probes run. */
  probeSite(): ProbeSite;
}
