/**
 * The lab as a drill and verify Target: state from the engine's journal
 * and the observers (src/observe/) through the lab's access to its hosts
 * (observe.ts); faults by cgroup, PID and link (faults.ts); repair through the engine's idempotent `lab up`
 * (it restarts what died, Galera joining or recovering as kolla's
 * mariadb-recovery would, and waits for the health gate).
 */
import type { Fault } from "../fault.ts";
import { FaultJournal } from "../fault-journal.ts";
import { observeAll, type Observation, type ObservationKind } from "../../observe/index.ts";
import type {
  DeployedFile,
  ExternalNetwork,
  InstancePort,
  PluggedInstance,
  HealthReport,
  HostState,
  ProbeEndpoints,
  ProbeSite,
  RecoveryAction,
  Target,
  TargetState,
  UndoHandle,
} from "../target.ts";
import { describeFault } from "../fault.ts";
import { run } from "../../util/run.ts";
import { applyUndo, injectLabFault, type LabFaultContext } from "./faults.ts";
import {
  labDeployedConfig,
  labHealthProblems,
  labObserveContext,
  labServices,
  observeLab,
} from "./observe.ts";
import { resetInstanceHa } from "./instance-ha.ts";
import { labLogs } from "./operate.ts";
import { hostArgv, identityOf, liveAnchors, runtimeOf, type LabRuntime, type SavedLab } from "./runtime.ts";
import { findSavedLab } from "./status.ts";
import { labUp } from "./up.ts";
import { plugInstance, unplugInstance } from "./instances.ts";
import { labExternalNetwork } from "./layout.ts";
import { EXTERNAL_NETWORK } from "./services/neutron.ts";
import { restartStopped } from "./restart.ts";
import { servedServices } from "./services/index.ts";
import { mariadbService } from "./services/mariadb.ts";
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

  observe<K extends ObservationKind>(kind: K): Promise<Observation<K>> {
    return observeLab(this.refresh(), kind);
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
    const [links, observed] = await Promise.all([this.linkStates(), observeAll(labObserveContext(rt))]);
    const hosts: HostState[] = rt.layout.hosts.map((h) => {
      const linksDown = h.links.filter((l) => links.get(l.switchIf) === false).map((l) => l.network);
      return { name: h.name, up: rt.anchors.has(h.name) && linksDown.length === 0, linksDown };
    });
    return { at: Date.now(), hosts, services: labServices(rt), observed };
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

  private async recoverGalera(): Promise<string> {
    const before = await this.observe("galera");
    const started = performance.now();
    let decision: string | undefined;
    await this.repair((e) => {
      if (e.kind === "info" && e.service === mariadbService.name) decision = e.message;
    });
    const after = await this.observe("galera");
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

  async recover(action: RecoveryAction): Promise<string> {
    switch (action) {
      case "galera-recovery":
        return this.recoverGalera();
      case "restart-stopped": {
        const started = performance.now();
        const restarted = await restartStopped(this.refresh(), this.services);
        const took = ((performance.now() - started) / 1000).toFixed(1);
        return restarted.length > 0
          ? `restarted ${restarted.join(", ")} in ${took} s`
          : "nothing needed restarting";
      }
      case "instance-ha-reset":
        return resetInstanceHa(this.refresh());
    }
  }

  async waitHealthy(timeoutMs: number, signal?: AbortSignal): Promise<HealthReport> {
    const deadline = Date.now() + timeoutMs;
    let problems: string[] = [];
    while (Date.now() < deadline && !signal?.aborted) {
      problems = await labHealthProblems(this.refresh()).catch((e: unknown) => [
        `health: ${(e as Error).message}`,
      ]);
      if (problems.length === 0) return { ok: true, problems };
      await new Promise((r) => setTimeout(r, 1_000));
    }
    return { ok: false, problems };
  }

  deployedConfig(hostName: string, service: string): Promise<DeployedFile | undefined> {
    return labDeployedConfig(this.rt, hostName, service);
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
    const identity = identityOf(rt);
    // each service says where its probe connects; a lab without one leaves that probe nothing to reach
    const parts = Object.assign({}, ...this.services.map((s) => s.probeEndpoint?.(rt) ?? {})) as Partial<
      Pick<ProbeEndpoints, "sql" | "amqp">
    >;
    return Promise.resolve({
      vip: rt.layout.vip.internal,
      keystoneUrl: identity?.url ?? "",
      admin: identity?.admin ?? { username: "", password: "", project: "", domain: "" },
      sql: parts.sql ?? { host: rt.layout.vip.internal, port: 0, user: "", password: "", database: "" },
      amqp: parts.amqp ?? [],
    });
  }

  probeSite(): ProbeSite {
    const rt = this.refresh();
    return {
      description: `the lab's client namespace (${rt.layout.client.netns})`,
      worker: (local) => {
        const [file, ...args] = hostArgv(rt, rt.layout.client.name, [local.file, ...local.args], {
          cwd: process.cwd(),
        });
        return { file: file!, args };
      },
    };
  }

  externalNetwork(): ExternalNetwork | undefined {
    const rt = this.refresh();
    const ext = labExternalNetwork(rt.layout);
    const served = rt.services.some((s) => s.name === "neutron-server");
    return ext === undefined || !served ? undefined : { name: EXTERNAL_NETWORK, gateway: ext.gateway };
  }

  plugInstance(host: string, port: InstancePort): Promise<PluggedInstance> {
    return plugInstance(this.refresh(), host, port);
  }

  unplugInstance(instance: PluggedInstance): Promise<void> {
    return unplugInstance(this.refresh(), instance);
  }
}

/** The lab of a cloud (or the only lab) as a Target; throws the engine's LabError when no lab is up. */
export function openLabTarget(cloud?: string, sink?: LabSink): LabTarget {
  return new LabTarget(findSavedLab(cloud), sink);
}
