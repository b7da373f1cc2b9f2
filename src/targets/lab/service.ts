/**
 * The contract between the lab's engine (fabric, supervisor, journal) and the
 * services it runs. A service module describes files, processes, one-shot
 * set-up steps and a health check for each host it runs on; the engine does
 * the effects (namespaces, writing files, starting and stopping by PID).
 */
import type { Plan, PlanHost } from "../../plan/types.ts";

/** A file the engine writes before a process starts (mode e.g. 0o600 for secrets). */
export interface LabFile {
  readonly path: string;
  readonly content: string;
  readonly mode?: number;
  /** chown to this user (e.g. "mysql", "rabbitmq", "keystone"). */
  readonly owner?: string;
}

/** A long-running daemon, started in the foreground inside the host's namespaces and supervised by PID. */
export interface LabProcess {
  /** Unique per host, e.g. "mariadb", "keystone-uwsgi". */
  readonly name: string;
  readonly argv: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly user?: string;
  readonly cwd?: string;
  /** Stop gracefully with this signal (default SIGTERM), then SIGKILL after `stopTimeoutMs`. */
  readonly stopSignal?: NodeJS.Signals;
  readonly stopTimeoutMs?: number;
}

/** Everything a service needs to know about one host in the lab. */
export interface LabHostContext {
  readonly plan: Plan;
  readonly host: PlanHost;
  /** The host's network namespace name. */
  readonly netns: string;
  /** Lab address of the host on each network (198.18.0.0/15), keyed by network name. */
  readonly addresses: Readonly<Record<string, string>>;
  /** Lab address of a host on a network (for peers). */
  readonly addressOf: (host: string, network: string) => string;
  /** The lab VIP(s). */
  readonly vip: { readonly internal: string; readonly external?: string };
  /** Per-host private directories: config, state (/var/lib-like), run (/run-like), logs. */
  readonly dirs: { readonly etc: string; readonly lib: string; readonly run: string; readonly log: string };
  /** Lab-wide secrets (database, rabbitmq, keystone admin passwords, fernet keys…), generated once. */
  readonly secrets: Readonly<Record<string, string>>;
  /** Runs a command inside the host's namespaces and returns its output (throws CommandError on failure). */
  readonly exec: (argv: readonly string[], opts?: { readonly timeoutMs?: number; readonly user?: string; readonly input?: string }) => Promise<{ stdout: string; stderr: string }>;
}

/** A service of the lab (haproxy, keepalived, mariadb, rabbitmq, memcached, keystone…). */
export interface LabService {
  readonly name: string;
  /** Start phase: lower phases are started and healthy before higher ones start. */
  readonly phase: number;
  /** Hosts (names) that run it. */
  hosts(plan: Plan): readonly string[];
  /** Debian packages it needs. */
  readonly packages: readonly string[];
  files(ctx: LabHostContext): readonly LabFile[];
  processes(ctx: LabHostContext): readonly LabProcess[];
  /**
   * One-shot set-up run on the service's hosts in order (e.g. Galera: the first
   * host bootstraps a new cluster, the others join; Keystone: db_sync once).
   * `first` is true on the first host of `hosts(plan)`.
   */
  setup?(ctx: LabHostContext, first: boolean): Promise<void>;
  /** Health of the service on one host, with a reason when unhealthy. */
  health(ctx: LabHostContext): Promise<{ readonly ok: boolean; readonly detail: string }>;
}
