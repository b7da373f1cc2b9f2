/**
 * The instance-HA timeline of a compute drill, read from what it sampled:
 * the evacuation probe's view of Nova and Masakari (once a second) and the
 * monitor's view of Pacemaker's remote nodes. Each step is the first sample
 * after the fault that shows it, in seconds from the fault (so at the
 * sampling's 1 s resolution): Pacemaker counts the remote offline, Masakari
 * has the hostmonitor's notification, Nova's nova-compute is disabled (by
 * Masakari) and down (by its own timer), the evacuation starts, and each
 * instance is ACTIVE on another host. Pure.
 */
import type { ProbeSample } from "../probes/types.ts";
import type { HolderSample } from "./moves.ts";

/** One instance's evacuation. */
export interface InstanceEvacuation {
  readonly id: string;
  /** Where it ran before the fault. */
  readonly from: string;
  /** Where it was ACTIVE after, and when (null: never, within the drill). */
  readonly to: string | null;
  readonly activeElsewhereS: number | null;
  /** Its status in the drill's last sample. */
  readonly lastStatus: string;
}

/** The timeline: seconds from the fault for each step, null when it was not seen. */
export interface EvacuationTimeline {
  readonly host: string;
  readonly remoteOfflineS: number | null;
  readonly notificationS: number | null;
  /** The notification's statuses in the order they were seen (e.g. running, error, running, finished). */
  readonly notificationStatuses: readonly string[];
  readonly computeDisabledS: number | null;
  readonly computeDownS: number | null;
  readonly evacuationStartS: number | null;
  /** Every instance ACTIVE on another host (null: not all of them). */
  readonly allActiveElsewhereS: number | null;
  readonly instances: readonly InstanceEvacuation[];
  /** Instances not ACTIVE on another host at the end. */
  readonly notEvacuated: number;
}

const seconds = (t: number | undefined, faultAt: number): number | null =>
  t === undefined ? null : Math.round((t - faultAt) / 100) / 10;

/** The timeline of `host`'s instances, or undefined when the drill has no evacuation samples. */
export function evacuationTimeline(
  samples: readonly ProbeSample[],
  remotes: readonly HolderSample[],
  faultAt: number,
  host: string,
): EvacuationTimeline | undefined {
  const views = samples
    .filter((x) => x.probe === "evacuation" && x.evacuation !== undefined)
    .map((x) => ({ t: x.t, v: x.evacuation! }));
  if (views.length === 0) return undefined;
  const before = views.filter((x) => x.t < faultAt).at(-1);
  const after = views.filter((x) => x.t >= faultAt);
  const first = (test: (v: (typeof views)[number]["v"]) => boolean): number | undefined =>
    after.find((x) => test(x.v))?.t;

  const oldNotification = before?.v.notification?.id;
  const fresh = after.filter(
    (x) => x.v.notification !== undefined && x.v.notification.id !== oldNotification,
  );
  const statuses: string[] = [];
  for (const x of fresh)
    if (statuses.at(-1) !== x.v.notification!.status) statuses.push(x.v.notification!.status);

  const startHosts = new Map((before ?? views[0]!).v.servers.map((s) => [s.id, s.host]));
  const last = views.at(-1)!.v;
  const instances = [...startHosts].map(([id, from]): InstanceEvacuation => {
    const moved = after.find((x) =>
      x.v.servers.some((s) => s.id === id && s.status === "ACTIVE" && s.host !== from),
    );
    return {
      id,
      from,
      to: moved?.v.servers.find((s) => s.id === id)?.host ?? null,
      activeElsewhereS: seconds(moved?.t, faultAt),
      lastStatus: last.servers.find((s) => s.id === id)?.status ?? "gone",
    };
  });
  const times = instances.map((i) => i.activeElsewhereS);
  const endHosts = new Map(last.servers.map((s) => [s.id, s]));
  return {
    host,
    remoteOfflineS: seconds(remotes.find((r) => r.t >= faultAt && !r.holders.includes(host))?.t, faultAt),
    notificationS: seconds(fresh[0]?.t, faultAt),
    notificationStatuses: statuses,
    computeDisabledS: seconds(
      first((v) => v.compute?.status === "disabled"),
      faultAt,
    ),
    computeDownS: seconds(
      first((v) => v.compute?.state === "down"),
      faultAt,
    ),
    evacuationStartS: seconds(
      first((v) =>
        v.servers.some(
          (s) => s.status === "REBUILD" || s.taskState === "rebuilding" || s.host !== startHosts.get(s.id),
        ),
      ),
      faultAt,
    ),
    allActiveElsewhereS: times.length > 0 && times.every((x) => x !== null) ? Math.max(...times) : null,
    instances,
    notEvacuated: instances.filter((i) => {
      const s = endHosts.get(i.id);
      return s === undefined || s.status !== "ACTIVE" || s.host === i.from;
    }).length,
  };
}

/** The timeline's steps as report lines, in order. */
export function timelineLines(t: EvacuationTimeline): string[] {
  const at = (s: number | null): string => (s === null ? "not seen" : `${s.toFixed(1)} s`);
  const lines = [
    `the fault on ${t.host}: 0.0 s`,
    `Pacemaker counts the remote ${t.host} offline: ${at(t.remoteOfflineS)}`,
    `Masakari has the hostmonitor's notification: ${at(t.notificationS)}` +
      (t.notificationStatuses.length > 0 ? ` (${t.notificationStatuses.join(" → ")})` : ""),
    `nova-compute on ${t.host} disabled: ${at(t.computeDisabledS)}; down in Nova: ${at(t.computeDownS)}`,
    `evacuation started: ${at(t.evacuationStartS)}`,
    ...t.instances.map(
      (i) =>
        `instance ${i.id.slice(0, 8)}: ${i.to === null ? `not ACTIVE elsewhere (${i.lastStatus} at the end)` : `ACTIVE on ${i.to} at ${at(i.activeElsewhereS)}`}`,
    ),
    `every instance ACTIVE elsewhere: ${at(t.allActiveElsewhereS)}; not evacuated: ${t.notEvacuated} of ${t.instances.length}`,
  ];
  return lines;
}

/**
 * What a link cut showed when the isolated compute's services ran on while its instances were
 * rebuilt elsewhere: the risk the lint's HA510 names, said plainly (undefined: nothing moved, or
 * nova-compute did not run throughout).
 */
export function isolatedHostNote(
  t: EvacuationTimeline,
  runningAtUndo: readonly string[],
): string | undefined {
  const moved = t.instances.filter((i) => i.to !== null);
  if (moved.length === 0 || !runningAtUndo.includes("nova-compute")) return undefined;
  const to = [...new Set(moved.map((i) => i.to!))].join(", ");
  return (
    `${t.host} was cut off, not dead: its nova-compute ran throughout while Masakari rebuilt ` +
    `${moved.length} of its instances on ${to}. Nothing fenced ${t.host} (kolla disables STONITH): on a cloud ` +
    "with shared storage both copies would run and write the same disks (HA510). This is not safe."
  );
}
