import { describe, expect, it } from "vitest";
import { evacuationTimeline, isolatedHostNote, timelineLines } from "../../src/drill/evacuation.ts";
import type { EvacuationView } from "../../src/probes/evacuation.ts";
import type { ProbeSample } from "../../src/probes/types.ts";

const T0 = 1_000_000;
const sample = (s: number, v: EvacuationView): ProbeSample => ({
  probe: "evacuation",
  t: T0 + s * 1000,
  ms: 20,
  ok: true,
  evacuation: v,
});
const servers = (hosts: readonly [string, string][]) =>
  hosts.map(([id, host]) => ({ id, host, status: "ACTIVE" }));
const up = { status: "enabled", state: "up" };
const old = { id: "n-old", status: "finished", generated: "2026-12-01T17:00:00.000000" };

/** What kolla-default showed in the lab (18:27): the first attempt's 504, the retry, the rebuild. */
const crash: ProbeSample[] = [
  sample(-2, {
    compute: up,
    servers: servers([
      ["a", "cn01"],
      ["b", "cn01"],
    ]),
    notification: old,
  }),
  sample(10, {
    compute: up,
    servers: servers([
      ["a", "cn01"],
      ["b", "cn01"],
    ]),
    notification: old,
  }),
  sample(42, {
    compute: up,
    servers: servers([
      ["a", "cn01"],
      ["b", "cn01"],
    ]),
    notification: { id: "n1", status: "running", generated: "" },
  }),
  sample(43, {
    compute: { status: "disabled", state: "up" },
    servers: servers([
      ["a", "cn01"],
      ["b", "cn01"],
    ]),
    notification: { id: "n1", status: "running", generated: "" },
  }),
  sample(54, {
    compute: { status: "disabled", state: "down" },
    servers: servers([
      ["a", "cn01"],
      ["b", "cn01"],
    ]),
    notification: { id: "n1", status: "error", generated: "" },
  }),
  sample(138, {
    compute: { status: "disabled", state: "down" },
    servers: servers([
      ["a", "cn01"],
      ["b", "cn01"],
    ]),
    notification: { id: "n1", status: "running", generated: "" },
  }),
  sample(322, {
    compute: { status: "disabled", state: "down" },
    servers: [
      { id: "a", host: "cn01", status: "REBUILD", taskState: "rebuilding" },
      { id: "b", host: "cn01", status: "ACTIVE" },
    ],
    notification: { id: "n1", status: "running", generated: "" },
  }),
  sample(330, {
    compute: { status: "disabled", state: "down" },
    servers: [
      { id: "a", host: "cn02", status: "ACTIVE" },
      { id: "b", host: "cn01", status: "REBUILD" },
    ],
    notification: { id: "n1", status: "running", generated: "" },
  }),
  sample(332, {
    compute: { status: "disabled", state: "down" },
    servers: servers([
      ["a", "cn02"],
      ["b", "cn02"],
    ]),
    notification: { id: "n1", status: "finished", generated: "" },
  }),
];
const remotes = [
  { t: T0 - 1000, holders: ["cn01", "cn02"] },
  { t: T0 + 31_000, holders: ["cn02"] },
];

describe("the instance-HA timeline", () => {
  it("reads each step's first sample after the fault, and each instance's move", () => {
    const t = evacuationTimeline(crash, remotes, T0, "cn01")!;
    expect(t).toMatchObject({
      remoteOfflineS: 31,
      notificationS: 42,
      notificationStatuses: ["running", "error", "running", "finished"],
      computeDisabledS: 43,
      computeDownS: 54,
      evacuationStartS: 322,
      allActiveElsewhereS: 332,
      notEvacuated: 0,
    });
    expect(t.instances).toEqual([
      { id: "a", from: "cn01", to: "cn02", activeElsewhereS: 330, lastStatus: "ACTIVE" },
      { id: "b", from: "cn01", to: "cn02", activeElsewhereS: 332, lastStatus: "ACTIVE" },
    ]);
    expect(timelineLines(t)).toContain(
      "Masakari has the hostmonitor's notification: 42.0 s (running → error → running → finished)",
    );
  });

  it("counts an instance left behind, and no step it did not see", () => {
    const t = evacuationTimeline(crash.slice(0, 3), [], T0, "cn01")!;
    expect(t.allActiveElsewhereS).toBeNull();
    expect(t.notEvacuated).toBe(2);
    expect(t.remoteOfflineS).toBeNull();
    expect(t.evacuationStartS).toBeNull();
    expect(evacuationTimeline([], [], T0, "cn01")).toBeUndefined();
  });

  it("says a cut-off compute that ran on while its instances moved is not safe", () => {
    const t = evacuationTimeline(crash, remotes, T0, "cn01")!;
    expect(isolatedHostNote(t, ["nova-compute", "hacluster-pacemaker-remote"])).toMatch(
      /cn01 was cut off, not dead: its nova-compute ran throughout .* 2 of its instances on cn02.*HA510/,
    );
    expect(isolatedHostNote(t, [])).toBeUndefined();
  });
});
