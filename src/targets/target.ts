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
  /** The compute a drill breaks and its workload's instances there (the evacuation probe): absent otherwise. */
  readonly compute?: { readonly host: string; readonly servers: readonly string[] };
  /** Tenant traffic, when a drill's workload made instances: absent otherwise (those probes do not run). */
  readonly network?: NetworkProbeEndpoints;
}

/** Where the tenant-traffic probes go: the instances' floating IPs, and out of each instance. */
export interface NetworkProbeEndpoints {
  /** The instances' floating IPs (reached from the probe site, like a user outside the cloud). */
  readonly floatingIps: readonly string[];
  /** The TCP port every instance echoes on. */
  readonly echoPort: number;
  /** The upstream address each instance pings to prove it can get out (the external gateway). */
  readonly upstream: string;
  /** Per instance, the command prefix that runs a program inside it (the worker appends `ping …`). */
  readonly inside: readonly WorkerCommand[];
  /** Per floating IP, the host of its instance (labels the samples). */
  readonly floatingIpHosts?: readonly string[];
  /** Per `inside` entry, the host of its instance. */
  readonly insideHosts?: readonly string[];
  /** Instances without a floating IP: their way out is the router's SNAT (with DVR, on a network node). */
  readonly snat?: readonly { readonly inside: WorkerCommand; readonly host: string }[];
  /** Routed instance pairs on different subnets: from inside one to the other's fixed address. */
  readonly eastWest?: readonly {
    readonly inside: WorkerCommand;
    readonly address: string;
    readonly from: string;
    readonly to: string;
  }[];
  /** The workload's HA router, whose HA state the router-api probe reads from Neutron's API. */
  readonly router?: string;
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
 * "restart-stopped" starts again what died after the undo's own restart, as an operator would;
 * "instance-ha-reset" clears what Pacemaker, Masakari and Nova keep after a compute's failure once
 * the host is back (the remote resource's failures, the segment host's on_maintenance, the disabled
 * nova-compute), as an operator must before Masakari can protect that host again.
 */
export type RecoveryAction = "galera-recovery" | "restart-stopped" | "instance-ha-reset";

/** The image and flavor the compute drills boot (the lab makes both; on a real cloud, the operator). */
export const DRILL_IMAGE = "hacloud-tiny";
export const DRILL_FLAVOR = "m1.tiny";

/** Health of the whole target against the Plan. */
export interface HealthReport {
  readonly ok: boolean;
  /** What is still wrong, one line each. */
  readonly problems: readonly string[];
}

/** A Neutron port a test instance is plugged into: what the instance's interface is set up with. */
export interface InstancePort {
  readonly id: string;
  readonly mac: string;
  readonly address: string;
  readonly prefix: number;
  readonly gateway: string;
  readonly mtu: number;
  /** The port's device_id (what Nova would set to the server's id). */
  readonly deviceId: string;
}

/** A test instance plugged into a port on a compute host: it answers ICMP and echoes TCP. */
export interface PluggedInstance {
  readonly host: string;
  readonly name: string;
  readonly portId: string;
  readonly address: string;
  readonly echoPort: number;
  /** Its server processes (PID and start time), stopped by PID when it is unplugged. */
  readonly servers: readonly { readonly pid: number; readonly start: number }[];
  /** The command line that runs `argv` inside the instance, from this machine. */
  inside(argv: readonly string[]): WorkerCommand;
}

/** The cloud's external (provider) network as tenants see it: name, its upstream gateway. */
export interface ExternalNetwork {
  readonly name: string;
  /** The upstream router's address: what an instance pings to prove it can get out. */
  readonly gateway: string;
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

  /** The external network tenants' routers use as their gateway, when the cloud has one. */
  externalNetwork(): ExternalNetwork | undefined;
  /** Plugs a test instance into a port bound to `host` (a compute host). */
  plugInstance(host: string, port: InstancePort): Promise<PluggedInstance>;
  /** Removes a test instance (idempotent). */
  unplugInstance(instance: PluggedInstance): Promise<void>;
}
