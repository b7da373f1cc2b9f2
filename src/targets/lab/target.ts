/**
 * The lab as a drill and verify Target: state from the engine's journal,
 * procfs, HAProxy's stats socket and the services' own checks; faults by
 * PID and link (faults.ts); repair through the engine's idempotent `lab up`
 * (it restarts what died, Galera joining or recovering as kolla's
 * mariadb-recovery would, and waits for the health gate).
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Fault } from "../fault.ts";
import { FaultJournal } from "../fault-journal.ts";
import type {
  BackendState,
  ClientCommand,
  DeployedFile,
  GaleraNodeState,
  HealthReport,
  HostState,
  ProbeEndpoints,
  RabbitNodeState,
  RecoveryAction,
  ServiceState,
  Target,
  TargetState,
  UndoHandle,
} from "../target.ts";
import { describeFault } from "../fault.ts";
import { run } from "../../util/run.ts";
import { hostDirs } from "./anchor.ts";
import { isFrozen, serviceCgroup } from "./cgroups.ts";
import { applyUndo, hostProcesses, injectLabFault, type LabFaultContext } from "./faults.ts";
import { gateProblems } from "./health.ts";
import { currentProcesses, journalPath, readJournal } from "./journal.ts";
import { findLabHost } from "./layout.ts";
import { labLogs } from "./operate.ts";
import {
  hostArgv,
  hostContext,
  identityOf,
  liveAnchors,
  runtimeOf,
  type LabRuntime,
  type SavedLab,
} from "./runtime.ts";
import { findSavedLab } from "./status.ts";
import { running } from "./supervisor.ts";
import { labUp } from "./up.ts";
import { restartStopped } from "./restart.ts";
import { backendStates } from "./services/haproxy.ts";
import { servedServices } from "./services/index.ts";
import { vipHolders, vrrpStates } from "./services/keepalived.ts";
import { mariadbService, PROBE_DATABASE, wsrepStatus } from "./services/mariadb.ts";
import { RABBITMQ_USER } from "./services/rabbitmq.ts";
import type { LabEvent, LabSink } from "./events.ts";

/** Path of a lab's fault journal. */
export function faultJournalPath(stateDir: string): string {
  return `${stateDir}/faults.jsonl`;
}

/** The lab of this machine as a Target. */
export class LabTarget implements Target {
  readonly kind = "lab" as const;
  readonly name: string;
  readonly plan;
  readonly managedServices: readonly string[];
  private rt: LabRuntime;
  private readonly journal: FaultJournal;

  constructor(
    private readonly saved: SavedLab,
    private readonly sink?: LabSink,
  ) {
    this.rt = runtimeOf(saved, servedServices(saved.served));
    this.plan = saved.plan;
    this.name = `lab ${saved.layout.cloud}`;
    this.managedServices = saved.served;
    this.journal = new FaultJournal(faultJournalPath(saved.layout.stateDir));
  }

  private get services() {
    return this.rt.services;
  }

  private refresh(): LabRuntime {
    // Anchors are stable, but re-read them: a repair may have started a new one.
    this.rt = { ...this.rt, anchors: liveAnchors(this.saved.layout.stateDir) };
    return this.rt;
  }

  private faultContext(): LabFaultContext {
    return { rt: this.refresh(), journal: this.journal, repair: () => this.restart() };
  }

  /** Starts again whatever a fault killed (the cheap repair: no set-up steps, no whole-lab gate). */
  async restart(): Promise<void> {
    await restartStopped(this.refresh(), this.services);
  }

  /**
   * The engine's full repair (`lab up`): start what should run and is not, then wait for the health
   * gate. `listen` also receives its events.
   */
  async repair(listen?: LabSink): Promise<void> {
    const sinks = [this.sink, listen].filter((f): f is LabSink => f !== undefined);
    await labUp({
      plan: this.saved.plan,
      topologyFile: this.saved.topologyFile,
      root: this.saved.layout.stateDir.slice(0, this.saved.layout.stateDir.lastIndexOf("/")),
      services: this.services,
      gateTimeoutMs: 240_000,
      ...(sinks.length > 0 ? { sink: (e: LabEvent) => sinks.forEach((f) => f(e)) } : {}),
    });
    this.refresh();
  }

  vipHolders(): Promise<readonly string[]> {
    return vipHolders(this.rt);
  }

  async backends(): Promise<readonly BackendState[]> {
    return (await backendStates(this.rt)).states;
  }

  async galera(): Promise<readonly GaleraNodeState[]> {
    const mariadb = this.services.find((s) => s.name === "mariadb");
    if (mariadb === undefined) return [];
    const rt = this.refresh();
    return Promise.all(
      mariadb.hosts(this.plan).map(async (h): Promise<GaleraNodeState> => {
        const down = {
          host: h,
          reachable: false,
          clusterSize: 0,
          clusterStatus: "Disconnected",
          ready: false,
          localState: "",
        };
        if (!rt.anchors.has(h) || hostProcesses(rt, h, "mariadb").length === 0) return down;
        const s = await wsrepStatus(hostContext(rt, h));
        if (s === undefined) return { ...down, error: "no answer on the socket" };
        return {
          host: h,
          reachable: true,
          clusterSize: Number(s.wsrep_cluster_size ?? 0),
          clusterStatus: s.wsrep_cluster_status ?? "",
          ready: s.wsrep_ready === "ON",
          localState: s.wsrep_local_state_comment ?? "",
        };
      }),
    );
  }

  private async rabbitmq(): Promise<RabbitNodeState[]> {
    const rabbit = this.services.find((s) => s.name === "rabbitmq");
    if (rabbit?.cluster === undefined) return [];
    const rt = this.rt;
    return Promise.all(
      rabbit.hosts(this.plan).map(async (h): Promise<RabbitNodeState> => {
        if (!rt.anchors.has(h) || hostProcesses(rt, h, "rabbitmq").length === 0) {
          return { host: h, reachable: false, running: [], partitions: [], error: "not running" };
        }
        try {
          const c = await rabbit.cluster!(hostContext(rt, h));
          return {
            host: h,
            reachable: true,
            running: c.members,
            partitions: c.primary ? [] : ["partitioned"],
          };
        } catch (e) {
          return {
            host: h,
            reachable: false,
            running: [],
            partitions: [],
            error: (e as Error).message.split("\n")[0],
          };
        }
      }),
    );
  }

  private async linkStates(): Promise<Map<string, boolean>> {
    const r = await run("ip", ["-n", this.rt.layout.switchNs, "-j", "link", "show"], {
      timeoutMs: 10_000,
      allowFailure: true,
    }).catch(() => undefined);
    const out = new Map<string, boolean>();
    for (const l of JSON.parse(r?.stdout || "[]") as { ifname: string; flags?: string[] }[]) {
      out.set(l.ifname, (l.flags ?? []).includes("UP"));
    }
    return out;
  }

  async state(): Promise<TargetState> {
    const rt = this.refresh();
    const links = await this.linkStates();
    const current = currentProcesses(readJournal(journalPath(rt.layout.stateDir)));
    const hosts: HostState[] = rt.layout.hosts.map((h) => {
      const linksDown = h.links.filter((l) => links.get(l.switchIf) === false).map((l) => l.network);
      return { name: h.name, up: rt.anchors.has(h.name) && linksDown.length === 0, linksDown };
    });
    const services: ServiceState[] = [];
    for (const s of this.services) {
      for (const h of s.hosts(this.plan)) {
        const procs = [...current.values()].filter((p) => p.host === h && p.service === s.name);
        const live = procs.filter(running);
        services.push({
          host: h,
          service: s.name,
          running: procs.length > 0 && live.length === procs.length,
          stopped: live.length > 0 && isFrozen(serviceCgroup(rt.layout.prefix, h, s.name)),
          pids: live.map((p) => p.pid!),
        });
      }
    }
    const [holders, backends, galera, rabbitmq] = await Promise.all([
      this.vipHolders(),
      this.backends(),
      this.galera(),
      this.rabbitmq(),
    ]);
    return {
      at: Date.now(),
      hosts,
      services,
      vip: { address: rt.layout.vip.internal, holders, vrrp: vrrpStates(rt) },
      backends,
      galera,
      rabbitmq,
    };
  }

  async inject(fault: Fault): Promise<UndoHandle> {
    const ctx = this.faultContext();
    const injected = await injectLabFault(fault, ctx);
    let done: Promise<void> | undefined;
    return {
      id: injected.id,
      fault,
      injectedAt: injected.injectedAt,
      undo: () => {
        done ??= (async () => {
          for (const a of [...injected.undo].reverse()) await applyUndo(a, this.faultContext(), injected.id);
          this.journal.append({ op: "undone", id: injected.id, at: new Date().toISOString() });
        })();
        return done;
      },
    };
  }

  async undoLeftovers(): Promise<readonly string[]> {
    const out: string[] = [];
    for (const e of this.journal.leftovers()) {
      for (const a of [...e.undo].reverse()) await applyUndo(a, this.faultContext(), e.id);
      this.journal.append({ op: "undone", id: e.id, at: new Date().toISOString() });
      out.push(describeFault(e.fault));
    }
    return out;
  }

  async recoverGalera(): Promise<string> {
    const before = await this.galera();
    const started = performance.now();
    let decision: string | undefined;
    await this.repair((e) => {
      if (e.kind === "info" && e.service === mariadbService.name) decision = e.message;
    });
    const after = await this.galera();
    const primary = after.filter((n) => n.clusterStatus === "Primary").length;
    const seen = before.filter((n) => n.reachable).map((n) => `${n.host} ${n.clusterStatus}`);
    const whole = before.length > 0 && before.every((n) => n.reachable && n.clusterStatus === "Primary");
    const how =
      decision !== undefined
        ? `${decision} (kolla's mariadb-recovery: the node with the highest seqno bootstraps, the others join).`
        : whole
          ? "Nothing to bootstrap: Galera had re-formed its Primary component by itself when the crashed " +
            "nodes came back and every member of the last Primary view could see the others (pc.recovery)."
          : "No node needed starting.";
    return (
      `Galera repair (lab up) took ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
      `before ${seen.join(", ") || "no node answered"}; after ${primary}/${after.length} nodes Primary. ${how}`
    );
  }

  recover(action: RecoveryAction): Promise<string> {
    switch (action) {
      case "galera-recovery":
        return this.recoverGalera();
    }
  }

  async waitHealthy(timeoutMs: number, signal?: AbortSignal): Promise<HealthReport> {
    const started = Date.now();
    const deadline = started + timeoutMs;
    let problems: string[] = [];
    let repaired = false;
    while (Date.now() < deadline && !signal?.aborted) {
      const rt = this.refresh();
      problems = [];
      const state = await this.state().catch(() => undefined);
      if (state === undefined) {
        problems = ["could not read the lab's state"];
        await new Promise((r) => setTimeout(r, 1_000));
        continue;
      }
      for (const s of state.services) {
        if (!s.running) problems.push(`${s.service} on ${s.host} is not running`);
        else if (s.stopped) problems.push(`${s.service} on ${s.host} is frozen (cgroup.freeze)`);
      }
      // A daemon that died after (or during) the undo's restart gets one more, not an endless loop.
      if (problems.length > 0 && !repaired && Date.now() - started > 30_000) {
        repaired = true;
        await this.restart().catch(() => undefined);
        continue;
      }
      if (problems.length === 0) {
        problems = await gateProblems(rt, this.services).catch((e: unknown) => [
          `health gate: ${(e as Error).message}`,
        ]);
      }
      if (problems.length === 0) return { ok: true, problems };
      await new Promise((r) => setTimeout(r, 1_000));
    }
    return { ok: false, problems };
  }

  async deployedConfig(hostName: string, service: string): Promise<DeployedFile | undefined> {
    const h = findLabHost(this.rt.layout, hostName);
    if (h === undefined) return undefined;

    const path = this.services.find((s) => s.name === service)?.configFile?.(hostDirs(h));
    if (path === undefined || !existsSync(path)) return undefined;
    return { host: hostName, path, content: await readFile(path, "utf8") };
  }

  logs(hostName: string, service: string, lines = 50): Promise<string> {
    return Promise.resolve(
      labLogs(hostName, service, lines, this.saved.layout.cloud)
        .map((t) => [`--- ${t.file}`, ...t.lines].join("\n"))
        .join("\n"),
    );
  }

  probeEndpoints(): Promise<ProbeEndpoints> {
    const rt = this.rt;
    const vip = rt.layout.vip.internal;
    const identity = identityOf(rt);
    const rabbitHosts = this.services.find((s) => s.name === "rabbitmq")?.hosts(this.plan) ?? [];
    const api = this.plan.apiNetwork;
    const pw = encodeURIComponent(rt.secrets.rabbitmq_password ?? "");
    return Promise.resolve({
      vip,
      keystoneUrl: identity?.url ?? "",
      admin: identity?.admin ?? { username: "", password: "", project: "", domain: "" },
      sql: {
        host: vip,
        port: this.plan.databaseHaproxy.port,
        user: PROBE_DATABASE,
        password: rt.secrets.hacloud_probe_database_password ?? "",
        database: PROBE_DATABASE,
      },
      amqp: rabbitHosts.map(
        (h) => `amqp://${RABBITMQ_USER}:${pw}@${findLabHost(rt.layout, h)?.addresses[api] ?? ""}:5672/`,
      ),
    });
  }

  clientCommand(file: string, args: readonly string[]): ClientCommand {
    const rt = this.refresh();
    const [f, ...a] = hostArgv(rt, rt.layout.client.name, [file, ...args], { cwd: process.cwd() });
    return { file: f!, args: a };
  }
}

/** The lab of a cloud (or the only lab) as a Target; throws the engine's LabError when no lab is up. */
export function openLabTarget(cloud?: string, sink?: LabSink): LabTarget {
  return new LabTarget(findSavedLab(cloud), sink);
}
