/**
 * The contract between the lab's engine (fabric, supervisor, journal) and the
 * services it runs. A service module describes files, processes, one-shot
 * set-up steps and a health check for each host it runs on; the engine does
 * the effects (namespaces, writing files, starting and stopping by PID).
 *
 * How the engine drives a service (src/targets/lab/up.ts):
 *   phases ascend (or `after` lists what a service waits for); services whose
 *   prerequisites are up start concurrently. For one service,
 *   per host: directories → files → binds → setup(ctx, first) → processes
 *   (skipped when already running) → wait for health → afterStart(ctx, first).
 *   `start` says whether hosts go one after the other, all at once, or the
 *   first alone and then the rest together (default). On a repair `first` is
 *   still the first host in order even when its peers run: a clustered service
 *   decides from its peers whether to bootstrap or to join.
 *   Phases used so far: 10 load balancers, 20 mariadb/rabbitmq/memcached, 30 keystone.
 *
 * Paths: every path in `dirs` is a real path under the lab's state directory
 * (/var/lib/hacloud/lab/<cloud>/hosts/<host>/…) that is valid both from the
 * machine and inside the host. Inside the host, `dirs.run` is also mounted at
 * /run, and each bind mounts a per-host directory over a fixed path (e.g.
 * /etc/rabbitmq, /var/lib/rabbitmq) in the host's private mount namespace.
 * /etc/hosts (every lab host, its FQDN, the VIP) and /etc/hostname are the
 * host's own too, and the UTS hostname is the host's name.
 *
 * What a service knows, it declares here and the engine names no service:
 * the Plan's HAProxy entries it answers behind the VIP (`proxied`, chosen by
 * entry name, so it must answer kolla's health check for each: RabbitMQ's
 * management plugin for `rabbitmq_management`'s `GET /api/overview`), what it
 * adds to the health gate (`gate`), its cluster state (`cluster`), its main
 * configuration file (`configFile`), and, for the identity service, where
 * clients authenticate (`identity`: clouds.yaml, probes).
 * Secrets: `ctx.secrets[name]` for every name any service lists in `secrets`.
 */
import type { HaproxyService, Plan, PlanHost } from "../../plan/types.ts";
import type { ProbeEndpoints } from "../target.ts";
import type { LabExternalNetwork, LabLink } from "./layout.ts";
import type { LabRuntime } from "./runtime.ts";

/** A file the engine writes before a process starts (mode e.g. 0o600 for secrets). */
export interface LabFile {
  readonly path: string;
  readonly content: string;
  readonly mode?: number;
  /** chown to this user (e.g. "mysql", "rabbitmq", "keystone"); its primary group too. */
  readonly owner?: string;
}

/** A directory the engine creates (recursively) before files are written. */
export interface LabDirectory {
  readonly path: string;
  readonly mode?: number;
  readonly owner?: string;
}

/** A per-host directory (or file) mounted over a fixed path inside the host's mount namespace only. */
export interface LabBind {
  /** Real path, under one of `ctx.dirs`; created as a directory when missing. */
  readonly source: string;
  /** Path as the host's processes see it; must already exist on the machine (e.g. /etc/rabbitmq). */
  readonly target: string;
}

/** A long-running daemon, started in the foreground inside the host's namespaces and supervised by PID. */
export interface LabProcess {
  /** Unique per host, e.g. "mariadb", "keystone-uwsgi". */
  readonly name: string;
  readonly argv: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Run as this user (setpriv with its groups); root when absent. */
  readonly user?: string;
  readonly cwd?: string;
  /** Stop gracefully with this signal (default SIGTERM), then SIGKILL after `stopTimeoutMs`. */
  readonly stopSignal?: NodeJS.Signals;
  readonly stopTimeoutMs?: number;
  /**
   * What happens when the daemon dies without being stopped (restart.ts):
   * `never` (the default: drills see every failure, `lab up` repairs), or
   * `unless-stopped`, kolla's `docker_restart_policy`: started again after
   * docker's back-off, as a container engine restarts a container whose main
   * process exited, until the lab stops it.
   */
  readonly restart?: RestartPolicy;
}

/** A daemon's restart policy, as kolla's `docker_restart_policy` names them. */
export type RestartPolicy = "never" | "unless-stopped";

/** Everything a service needs to know about one host in the lab. */
export interface LabHostContext {
  readonly plan: Plan;
  readonly host: PlanHost;
  /** The host's network namespace name. */
  readonly netns: string;
  /** Lab address of the host on each network (198.18.0.0/15), keyed by network name. */
  readonly addresses: Readonly<Record<string, string>>;
  /** The host's links, one per network it is on (interface, lab address and prefix, OVS bridge). */
  readonly links: readonly LabLink[];
  /** Lab address of a host on a network (for peers). */
  readonly addressOf: (host: string, network: string) => string;
  /** The lab's external network as Neutron's provider network (its upstream gateway, a floating IP pool). */
  readonly external?: LabExternalNetwork;
  /** The lab VIP(s). */
  readonly vip: { readonly internal: string; readonly external?: string };
  /** Per-host private directories: config, state (/var/lib-like), run (the host's /run), logs. */
  readonly dirs: { readonly etc: string; readonly lib: string; readonly run: string; readonly log: string };
  /**
   * A directory that every host sees at the same path: the lab's shared storage, as kolla asks for
   * an NFS export where a service keeps files that any of its hosts must serve (Glance's file store).
   */
  readonly sharedDir: string;
  /** Lab-wide secrets (database, rabbitmq, keystone admin passwords, fernet keys…), generated once. */
  readonly secrets: Readonly<Record<string, string>>;
  /** The HAProxy entries the lab's services answer behind the VIP (what a load balancer proxies). */
  readonly proxied: readonly LabProxied[];
  /** The databases the lab's services keep (what the database service creates). */
  readonly databases: readonly LabDatabase[];
  /** Where the lab's clients and services authenticate, when the lab runs an identity service. */
  readonly identity: LabIdentity | undefined;
  /** Runs a command inside the host's namespaces and returns its output (throws CommandError on failure). */
  readonly exec: (
    argv: readonly string[],
    opts?: { readonly timeoutMs?: number; readonly user?: string; readonly input?: string },
  ) => Promise<{ stdout: string; stderr: string }>;
}

/** A database a service keeps in the lab's MariaDB, with its own user (kolla's `<service>_database_*`). */
export interface LabDatabase {
  readonly name: string;
  readonly user: string;
  /** The lab secret holding the user's password. */
  readonly passwordSecret: string;
}

/** What a clustered service reports about its cluster, asked on one of its running hosts. */
export interface LabClusterState {
  /** Lab host names currently members of the cluster. */
  readonly members: readonly string[];
  /** The cluster can serve: Galera's component is Primary; RabbitMQ has no partition. */
  readonly primary: boolean;
}

/** A Plan HAProxy entry a lab service answers, with what kolla's check of it sends. */
export interface LabProxied {
  readonly entry: HaproxyService;
  /** Basic-auth credentials ("user:password") for the entry's HTTP check (RabbitMQ answers 401 otherwise). */
  readonly checkCredentials?: string;
  /** The servers' check options when not kolla's (after `server <host> <ip>:<port>`). */
  readonly checkOptions?: string;
}

/** Where clients of the lab authenticate: the identity service's URL and its admin (secrets: never print). */
export interface LabIdentity {
  /** The identity API v3 at the VIP, e.g. http://198.18.0.47:5000/v3 (clouds.yaml's auth_url). */
  readonly authUrl: string;
  /** The same service's root, without the API version, e.g. http://198.18.0.47:5000 (the probes'). */
  readonly url: string;
  readonly admin: {
    readonly username: string;
    readonly password: string;
    readonly project: string;
    readonly domain: string;
  };
}

/** A service of the lab (haproxy, keepalived, mariadb, rabbitmq, memcached, keystone…). */
export interface LabService {
  readonly name: string;
  /** Start phase: lower phases are started and healthy before higher ones start (unless `after` says otherwise). */
  readonly phase: number;
  /**
   * The services that must be up before this one starts, when not all of the
   * lower phases (e.g. Keystone: ["haproxy", "keepalived", "mariadb", "memcached"],
   * so it does not wait for RabbitMQ). Names the lab does not run are ignored;
   * only services of lower phases may be named.
   */
  readonly after?: readonly string[];
  /** How its hosts start: default "first-then-parallel" (first healthy, then the others together). */
  readonly start?: "sequential" | "parallel" | "first-then-parallel";
  /**
   * (services side, 2026-11-25 — additive) Start waves for this `lab up`, decided from the hosts' state
   * once every host's directories, files and binds are in place and before any setup: each wave's
   * hosts go together and are healthy before the next wave;
   * overrides `start`, and `first` (setup, processes, afterStart) is the first host of the first wave.
   * Galera needs it: after a full stop the node to bootstrap is the one with the highest seqno (kolla's
   * mariadb-recovery), not hosts(plan)[0]; with a Primary still running, that member goes first and
   * the others join it. Hosts already running are skipped as usual (implemented in up.ts bringUp).
   * `report` tells the operator what was decided and from what (one line, no secrets).
   */
  waves?(
    ctxs: readonly LabHostContext[],
    report: (message: string) => void,
  ): Promise<readonly (readonly string[])[]>;
  /** Hosts (names) that run it. */
  hosts(plan: Plan): readonly string[];
  /** Debian packages it needs. */
  readonly packages: readonly string[];
  /**
   * Debian packages it runs from /var/lib/hacloud/debs/<package> (packages.ts unpackedPath) instead
   * of installing them, because they conflict with a package another service installs: Debian's
   * pacemaker-remote with pacemaker. Their dependencies go in `packages`.
   */
  readonly unpacked?: readonly string[];
  /** debconf-set-selections lines applied before installing (e.g. "keystone keystone/configure_db boolean false"). */
  readonly debconf?: readonly string[];
  /** Names of lab-wide secrets it reads from `ctx.secrets` (generated once, 0600, never printed). */
  readonly secrets?: readonly string[];
  directories?(ctx: LabHostContext): readonly LabDirectory[];
  files(ctx: LabHostContext): readonly LabFile[];
  binds?(ctx: LabHostContext): readonly LabBind[];
  processes(ctx: LabHostContext, first: boolean): readonly LabProcess[] | Promise<readonly LabProcess[]>;
  /**
   * One-shot set-up run on the service's hosts in order, before its processes
   * start (e.g. Galera: the first host initialises a data directory; Keystone:
   * db_sync once). Must be idempotent: `lab up` runs it again to repair.
   * `first` is true on the first host of `hosts(plan)`.
   */
  setup?(ctx: LabHostContext, first: boolean): Promise<void>;
  /** Runs once the host's processes are healthy (e.g. create users); idempotent too. */
  afterStart?(ctx: LabHostContext, first: boolean): Promise<void>;
  /**
   * Runs once every host of the service is up (after each one's afterStart), with the whole
   * runtime, for a step that runs on another service's host: Nova maps its new computes to their
   * cell from a controller, as kolla's discover_computes.yml delegates to a conductor. Idempotent.
   */
  afterHosts?(rt: LabRuntime): Promise<void>;
  /** Health of the service on one host, with a reason when unhealthy. */
  health(ctx: LabHostContext): Promise<{ readonly ok: boolean; readonly detail: string }>;
  /** How long `lab up` waits for `health` on one host (default 90 s). */
  readonly healthTimeoutMs?: number;
  /** Cluster membership (Galera, RabbitMQ), asked on one running host; feeds the health gate and `lab status`. */
  cluster?(ctx: LabHostContext): Promise<LabClusterState>;
  /** The Plan's HAProxy entries this service answers behind the VIP, chosen by the entries' names. */
  proxied?(plan: Plan, secrets: Readonly<Record<string, string>>): readonly LabProxied[];
  /**
   * What the service adds to the health gate beyond each host's `health` and its
   * `cluster` (the VIP held once, every backend UP, a token through the VIP):
   * one line per problem, none when healthy. `lab up` returns only when every
   * service's gate is empty, and `verify` asks the same.
   */
  gate?(rt: LabRuntime): Promise<readonly string[]>;
  /** The path of its main configuration file on a host (for `verify`'s deployed-config checks). */
  configFile?(dirs: LabHostContext["dirs"]): string;
  /**
   * Where this service keeps what an observer asks for (src/observe/types.ts Locate):
   * HAProxy's "stats-socket", keepalived's "vrrp-state" and "vrrp-pid", MariaDB's
   * "client-options", RabbitMQ's "management-url" and "management-user" (a secret).
   */
  locate?(ctx: LabHostContext, what: string): string | undefined;
  /** The databases it keeps in the lab's database service (created with their users before it starts). */
  readonly databases?: readonly LabDatabase[];
  /** Where clients authenticate, for the one service that is the cloud's identity service. */
  identity?(rt: LabRuntime): LabIdentity;
  /** Where the probe of this service connects (the database's SQL probe, the broker's AMQP probe); secrets inside. */
  probeEndpoint?(rt: LabRuntime): Partial<Pick<ProbeEndpoints, "sql" | "amqp">>;
}
