/**
 * The JSON report: a stable, snake_case shape that other tools read (the SLA
 * model's `--measured`, CI dashboards). Seconds are numbers; a metric that
 * does not apply is null. Fields are only ever added, never renamed.
 */
import { moveSeconds, placeAfter } from "../moves.ts";
import type { LatencySummary } from "../stats.ts";
import type { DrillResult, DrillRun, ProbeResult } from "../result.ts";
import { snakeKeys } from "../../util/snake-keys.ts";

/** Version tag of the shape below. */
export const DRILL_JSON_SCHEMA = "hacloud-drill/1";

const latency = (l: LatencySummary): object => ({ count: l.count, p50: l.p50, p99: l.p99, max: l.max });

function probeJson(p: ProbeResult): object {
  return {
    name: p.name,
    total: p.stats.total,
    failed: p.stats.failed,
    downtime_s: p.stats.downtimeS,
    longest_gap_s: p.stats.longestGapS,
    longest_request_s: p.stats.longestRequestS,
    recovery_s: p.stats.recoveryS,
    ...(p.name === "sql" ? { lost_writes: p.lostWrites ?? null, checked_writes: p.checkedWrites ?? 0 } : {}),
    latency_ms: {
      before: latency(p.stats.latency.before),
      during: latency(p.stats.latency.during),
      after: latency(p.stats.latency.after),
    },
    errors: p.stats.errors,
    ...(p.targets !== undefined
      ? {
          paths: p.targets.map((t) => ({
            target: t.target,
            total: t.total,
            failed: t.failed,
            longest_gap_s: t.longestGapS,
          })),
        }
      : {}),
  };
}

/** One drill as JSON data. */
export function drillJson(d: DrillResult): object {
  return {
    scenario: d.scenario,
    profile: d.profile,
    target: d.target,
    started_at: d.startedAt,
    passed: d.passed,
    ...(d.error !== undefined ? { error: d.error } : {}),
    faults: d.faults,
    // The VIP's fields stay for readers of hacloud-drill/1 (`hacloud sla --measured`); `moves` says it all.
    vip_move_s: moveSeconds(d.moves, "vip"),
    recovery_s: d.recoveryS,
    healthy_after_s: d.healthyAfterS,
    vip_before: d.placedBefore["vip"] ?? null,
    vip_after: placeAfter(d.placedBefore, d.moves, "vip"),
    placed_before: d.placedBefore,
    moves: d.moves.map((m) => ({ what: m.what, from: m.from, to: m.to, after_s: m.afterS })),
    probes: d.probes.map(probeJson),
    checks: d.checks.map((c) => ({
      metric: c.metric,
      probe: c.probe ?? null,
      max: c.max ?? null,
      min: c.min ?? null,
      measured: c.measured,
      passed: c.passed,
      why: c.why,
    })),
    // The timeline's fields are camelCase in TypeScript; JSON has one key casing.
    evacuation: d.evacuation !== undefined ? snakeKeys(d.evacuation) : null,
    notes: d.notes,
  };
}

/** The whole run as JSON text (2-space indented, trailing newline). */
export function renderJson(run: DrillRun): string {
  return (
    JSON.stringify(
      {
        schema: DRILL_JSON_SCHEMA,
        target: run.target,
        started_at: run.startedAt,
        finished_at: run.finishedAt,
        passed: run.drills.every((d) => d.passed),
        drills: run.drills.map(drillJson),
      },
      null,
      2,
    ) + "\n"
  );
}
