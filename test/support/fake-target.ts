/** A Target that changes nothing real: faults touch a flag file the fake worker reads. */
import { rmSync, writeFileSync } from "node:fs";
import type { Observation, ObservationKind, Observations } from "../../src/observe/index.ts";
import type { Fault } from "../../src/targets/fault.ts";
import type {
  ProbeEndpoints,
  RecoveryAction,
  Target,
  TargetKind,
  TargetState,
  UndoHandle,
} from "../../src/targets/target.ts";
import { packtpubPlan } from "./drill-fixture.ts";

/** Records what the runner asked for. */
export class FakeTarget implements Target {
  readonly name = "fake packtpub-prod";
  readonly plan = packtpubPlan();
  readonly managedServices = ["haproxy", "keepalived", "mariadb", "rabbitmq", "memcached", "keystone"];
  readonly calls: string[] = [];
  private holder = "hap2";
  downHosts: string[] = [];
  /** What the routers observer reports (ground truth of the HA routers on the L3 agent hosts). */
  routers: Observation<"routers">["instances"] = [];

  constructor(
    readonly flagFile: string,
    readonly kind: TargetKind = "lab",
  ) {}

  private observed(): Observations {
    return {
      vip: {
        address: "198.18.0.47",
        holders: [this.holder],
        vrrp: this.plan.vrrp.members.map((m) => ({
          host: m.host,
          state: m.host === this.holder ? "MASTER" : "BACKUP",
        })),
      },
      backends: {
        states: [
          { lb: this.holder, proxy: "mariadb", server: "cc01", status: "UP", backup: false, sessions: 2 },
        ],
        errors: [],
      },
      galera: [],
      rabbitmq: [],
      routers: { instances: this.routers },
      pacemaker: {},
    };
  }
  state(): Promise<TargetState> {
    return Promise.resolve({
      at: Date.now(),
      hosts: this.plan.hosts.map((h) => ({
        name: h.name,
        up: !this.downHosts.includes(h.name),
        linksDown: [],
      })),
      services: [],
      observed: this.observed(),
    });
  }
  observe<K extends ObservationKind>(kind: K): Promise<Observation<K>> {
    return Promise.resolve(this.observed()[kind]);
  }
  inject(fault: Fault): Promise<UndoHandle> {
    this.calls.push(`inject ${fault.kind}`);
    const injectedAt = performance.timeOrigin + performance.now();
    writeFileSync(this.flagFile, "fault\n");
    if (fault.kind === "host-crash" && fault.host.startsWith("hap")) {
      setTimeout(() => (this.holder = fault.host === "hap2" ? "hap1" : "hap2"), 300);
    }
    let undone = false;
    return Promise.resolve({
      id: "f1",
      fault,
      injectedAt,
      undo: () => {
        if (!undone) {
          undone = true;
          this.calls.push(`undo ${fault.kind}`);
          rmSync(this.flagFile, { force: true });
        }
        return Promise.resolve();
      },
    });
  }
  undoLeftovers() {
    return Promise.resolve([]);
  }
  recover(action: RecoveryAction) {
    this.calls.push(`recover ${action}`);
    return Promise.resolve(action === "galera-recovery" ? "bootstrapped cc02" : "");
  }
  waitHealthy() {
    return Promise.resolve({ ok: true, problems: [] });
  }
  deployedConfig() {
    return Promise.resolve(undefined);
  }
  logs() {
    return Promise.resolve("");
  }
  probeEndpoints(): Promise<ProbeEndpoints> {
    return Promise.resolve({
      vip: "127.0.0.1",
      keystoneUrl: "http://127.0.0.1:9",
      admin: { username: "admin", password: "x", project: "admin", domain: "Default" },
      sql: { host: "127.0.0.1", port: 9, user: "u", password: "p", database: "d" },
      amqp: [],
    });
  }
  probeSite() {
    return {
      description: "this machine",
      worker: (local: { file: string; args: readonly string[] }) => local,
    };
  }

  /** A fake cloud has no network tier: scenarios with a network workload do not run on it. */
  externalNetwork(): undefined {
    return undefined;
  }

  plugInstance(): Promise<never> {
    return Promise.reject(new Error("the fake target has no compute hosts"));
  }

  unplugInstance(): Promise<void> {
    return Promise.resolve();
  }
}
