/** A deterministic drill result for report and statistics tests (no lab needed). */
import type { ProbeSample, UserProbe } from "../../src/probes/types.ts";
import type { DrillResult, DrillRun } from "../../src/drill/result.ts";
import { holderMoves, moveSeconds, type HolderSample } from "../../src/drill/moves.ts";
import { SCENARIOS } from "../../src/drill/scenarios.ts";
import { probeStats, type Phases } from "../../src/drill/stats.ts";
import { judge, thresholdsFor } from "../../src/drill/thresholds.ts";
import { buildPlan } from "../../src/plan/build.ts";
import { loadTopologyFile } from "../../src/spec/load.ts";

export const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
export const PHASES: Phases = { start: T0, faultAt: T0 + 5_000, undoAt: T0 + 15_000, end: T0 + 25_000 };

/** Samples at `perSecond`, failing inside [failFrom, failTo) ms after T0, slow latency `slowMs` inside [slowFrom, slowTo). */
export function series(
  probe: UserProbe,
  perSecond: number,
  opts: {
    failFrom?: number;
    failTo?: number;
    slowFrom?: number;
    slowTo?: number;
    slowMs?: number;
    err?: string;
  } = {},
): ProbeSample[] {
  const out: ProbeSample[] = [];
  const step = 1000 / perSecond;
  let seq = 0;
  for (let off = 0; off < PHASES.end - T0; off += step) {
    const failing = opts.failFrom !== undefined && off >= opts.failFrom && off < (opts.failTo ?? 0);
    const slow = opts.slowFrom !== undefined && off >= opts.slowFrom && off < (opts.slowTo ?? 0);
    const ms = failing ? 1 : slow ? (opts.slowMs ?? 2000) : 3 + ((off / step) % 5);
    out.push({
      probe,
      t: T0 + off,
      ms,
      ok: !failing,
      ...(failing ? { err: opts.err ?? "ECONNREFUSED" } : {}),
      ...(probe === "sql" ? { seq: seq++ } : {}),
    });
  }
  return out;
}

export const VIP: HolderSample[] = [
  { t: T0, holders: ["hap2"] },
  { t: T0 + 5_000, holders: [] },
  { t: T0 + 8_400, holders: ["hap1"] },
];

/** The packtpub Plan (profile from the example: kolla-default). */
export function packtpubPlan() {
  const r = loadTopologyFile("examples/packtpub-prod.yaml");
  if (!r.topology) throw new Error("example does not load");
  return buildPlan(r.topology);
}

/** One lb-master-crash drill with a 3.4 s outage on keystone-get. */
export function sampleDrill(): DrillResult {
  const plan = packtpubPlan();
  const keystone = series("keystone-get", 50, { failFrom: 5_000, failTo: 8_400 });
  const token = series("token-issue", 5, { slowFrom: 5_000, slowTo: 8_400, slowMs: 3000 });
  const sql = series("sql", 10, { failFrom: 5_000, failTo: 8_000, err: "PROTOCOL_CONNECTION_LOST" });
  const probes = [
    { name: "keystone-get" as const, stats: probeStats(keystone, PHASES) },
    { name: "token-issue" as const, stats: probeStats(token, PHASES) },
    { name: "sql" as const, stats: probeStats(sql, PHASES), lostWrites: 0, checkedWrites: 220 },
  ];
  const vip = holderMoves("vip", VIP, PHASES.faultAt);
  const vipMoveS = moveSeconds(vip.moves, "vip");
  const measured = (metric: string, probe?: string): number | null => {
    const p = probes.find((x) => x.name === probe);
    if (metric === "vip_move_s") return vipMoveS;
    if (metric === "lost_writes") return 0;
    if (metric === "longest_gap_s") return p?.stats.longestGapS ?? null;
    return null;
  };
  const checks = thresholdsFor(SCENARIOS["lb-master-crash"], "kolla-default", plan).map((th) =>
    judge(th, measured(th.metric, th.probe)),
  );
  return {
    scenario: "lb-master-crash",
    profile: "kolla-default",
    target: "lab packtpub-prod",
    startedAt: new Date(T0).toISOString(),
    passed: checks.every((c) => c.passed),
    faults: ["host-crash hap2"],
    phases: PHASES,
    recoveryS: 3.4,
    healthyAfterS: 12.5,
    placedBefore: { vip: vip.before },
    moves: vip.moves,
    probes,
    checks,
    notes: ["fixture"],
    timeline: {
      samples: [...keystone, ...token, ...sql],
      vip: VIP,
      backends: [],
      galera: [],
      events: [{ t: PHASES.faultAt, label: "host-crash hap2" }],
    },
  };
}

/** A run with the sample drill. */
export function sampleRun(): DrillRun {
  return {
    target: "lab packtpub-prod",
    startedAt: new Date(T0).toISOString(),
    finishedAt: new Date(PHASES.end).toISOString(),
    drills: [sampleDrill()],
  };
}
