/**
 * Watches the infrastructure while a drill runs: who holds the VIP (10 times
 * a second: the VIP move time is read from it), HAProxy's view of every
 * backend (every second) and each Galera node (every two seconds). Each
 * poller runs at most once at a time, so a slow answer never piles up.
 */
import type { BackendState, GaleraNodeState, Target } from "../targets/target.ts";
import type { HolderSample } from "./moves.ts";
import { nowMs } from "../probes/scheduler.ts";
import { activeHosts } from "../observe/routers.ts";

/** The monitor's intervals (ms). */
export interface MonitorIntervals {
  readonly vipMs: number;
  readonly backendsMs: number;
  readonly galeraMs: number;
}

/** The default intervals. */
export const MONITOR_INTERVALS: MonitorIntervals = { vipMs: 100, backendsMs: 1_000, galeraMs: 2_000 };

/** How often the workload router's state is read (a shell pass on each L3 agent host). */
const ROUTER_MS = 250;
/** How often Pacemaker's nodes are read in a compute drill (one crm_mon on a cluster member). */
const REMOTES_MS = 1_000;

/** Only changes are kept (plus one sample a second), so a long drill stays small. */
function keepChange(series: HolderSample[], t: number, holders: readonly string[]): void {
  const last = series.at(-1);
  if (last === undefined || last.holders.join() !== holders.join() || t - last.t >= 1_000)
    series.push({ t, holders });
}

/** Observations of the infrastructure over time. */
export class Monitor {
  readonly vip: HolderSample[] = [];
  /** Where the workload's HA router is active (ground truth), when the drill has one. */
  readonly router: HolderSample[] = [];
  /** The remote nodes Pacemaker counts online, in a drill whose workload runs on a compute. */
  readonly remotes: HolderSample[] = [];
  readonly backends: { t: number; states: readonly BackendState[] }[] = [];
  readonly galera: { t: number; nodes: readonly GaleraNodeState[] }[] = [];
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;

  constructor(
    private readonly target: Target,
    private readonly intervals: MonitorIntervals = MONITOR_INTERVALS,
    /** The workload's HA router: its active host is tracked as "router" (4 times a second). */
    private readonly routerId?: string,
    /** The workload's compute: Pacemaker's remote nodes are read once a second. */
    private readonly computeHost?: string,
  ) {}

  private poll<T>(everyMs: number, fn: () => Promise<T>, record: (t: number, v: T) => void): void {
    const loop = async (): Promise<void> => {
      if (this.stopped) return;
      const t = nowMs();
      try {
        record(t, await fn());
      } catch {
        // an observation that fails (a host is down) is simply missing from the timeline
      }
      if (!this.stopped)
        this.timers.push(setTimeout(() => void loop(), Math.max(0, everyMs - (nowMs() - t))));
    };
    void loop();
  }

  /** Starts polling. */
  start(): void {
    this.poll(
      this.intervals.vipMs,
      async () => (await this.target.observe("vip")).holders,
      (t, holders) => keepChange(this.vip, t, holders),
    );
    const routerId = this.routerId;
    if (routerId !== undefined) {
      this.poll(
        ROUTER_MS,
        async () => activeHosts(await this.target.observe("routers"), routerId),
        (t, holders) => keepChange(this.router, t, holders),
      );
    }
    if (this.computeHost !== undefined) {
      this.poll(
        REMOTES_MS,
        async () => {
          const p = await this.target.observe("pacemaker");
          if (p.state === undefined) throw new Error(p.error ?? "no cluster member answered");
          return p.state.nodes
            .filter((n) => n.type === "remote" && n.online)
            .map((n) => n.name)
            .sort();
        },
        (t, holders) => keepChange(this.remotes, t, holders),
      );
    }
    this.poll(
      this.intervals.backendsMs,
      async () => (await this.target.observe("backends")).states,
      (t, states) => this.backends.push({ t, states }),
    );
    this.poll(
      this.intervals.galeraMs,
      () => this.target.observe("galera"),
      (t, nodes) => this.galera.push({ t, nodes }),
    );
  }

  /** Stops polling (observations already made stay). */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
  }

  /** Who holds a tracked thing at the latest observation (the monitor tracks the VIP: "vip"). */
  currentHolders(what: string): readonly string[] {
    const series = what === "vip" ? this.vip : what === "router" ? this.router : [];
    return series.at(-1)?.holders ?? [];
  }

  /** Holder observations of every tracked thing, for reading its moves. */
  tracked(): readonly { readonly what: string; readonly samples: readonly HolderSample[] }[] {
    return [
      { what: "vip", samples: this.vip },
      ...(this.routerId !== undefined ? [{ what: "router", samples: this.router }] : []),
    ];
  }
}
