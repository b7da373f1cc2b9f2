/**
 * Drill reports as the SLA model's measured failover downtimes: validation
 * with located diagnostics, the scenario → mechanism map (each mechanism
 * measured by its own figure of the drill), and the predicted-versus-measured
 * comparison. The report shape is the drill
 * runner's JSON: {"drills":[{scenario, profile, passed, vip_move_s,
 * recovery_s, probes:[{name, total, failed, downtime_s, longest_gap_s, lost_writes}]}]}.
 */
import type { Diagnostic, DocPath } from "../diagnostics/diagnostic.ts";
import { didYouMean } from "../diagnostics/suggest.ts";
import { PROFILES, type ProfileName } from "../spec/schema.ts";
import type { YamlSource } from "../spec/source.ts";
import { parseYaml } from "../spec/yaml-parse.ts";
import type { Mechanism, MechanismId } from "./failover.ts";

/** Which figure of a drill measures a failover mechanism: the VIP's move time, or one probe's statistic. */
export type MechanismMeasure =
  | { readonly kind: "vip-move" }
  | { readonly kind: "probe"; readonly probe: string; readonly stat: "downtime_s" | "longest_gap_s" };

const VIP_MOVE: MechanismMeasure = { kind: "vip-move" };
const probe = (name: string, stat: "downtime_s" | "longest_gap_s"): MechanismMeasure => ({
  kind: "probe",
  probe: name,
  stat,
});

/**
 * The drill scenarios, the failover mechanisms each one measures, and by which of its figures: each
 * mechanism by the one that is its own, never one number for all (a drill that did not measure a
 * figure leaves its mechanism predicted, shown as "—").
 */
export const SCENARIO_MECHANISMS = {
  "lb-master-crash": { "vip-crash": VIP_MOVE },
  "lb-master-keepalived-stop": { "vip-graceful": VIP_MOVE },
  "lb-master-haproxy-kill": { "vip-track": VIP_MOVE },
  "lb-master-link-cut": { "vip-crash": VIP_MOVE },
  "controller-crash": {
    // Round robin keeps sending a share of new connections to the dead server until HAProxy marks it
    // down: the API probe's first-to-last error is the detection time (its longest gap stays short,
    // the other backends answer in between).
    "backend-detect": probe("keystone-get", "downtime_s"),
    // Writes through the VIP go to the crashed active node: the SQL probe's gap is the stall.
    "galera-stall": probe("sql", "longest_gap_s"),
    // Keystone's pooled DB connections to the dead node: token requests fail until they are replaced.
    "db-stale": probe("token-issue", "downtime_s"),
    // Consumers connected to the crashed node wait for the broker to notice it.
    "rabbit-host": probe("rabbit", "longest_gap_s"),
  },
  "galera-node-kill": { "db-kill": probe("sql", "downtime_s") },
  "rabbit-node-kill": { "rabbit-kill": probe("rabbit", "downtime_s") },
  // Two controllers of three lose every quorum: an outage until repair, not a failover.
  "controller-pair-crash": {},
} as const satisfies Record<string, Partial<Record<MechanismId, MechanismMeasure>>>;
export type Scenario = keyof typeof SCENARIO_MECHANISMS;

/** The mechanisms a scenario measures, each with the figure that measures it. */
function mechanismsOf(scenario: Scenario): readonly (readonly [MechanismId, MechanismMeasure])[] {
  return Object.entries(SCENARIO_MECHANISMS[scenario]) as [MechanismId, MechanismMeasure][];
}
export const SCENARIOS = Object.keys(SCENARIO_MECHANISMS) as Scenario[];

/** One probe's result in a drill. */
export interface DrillProbe {
  readonly name: string;
  readonly total: number;
  readonly failed: number;
  readonly downtime_s: number;
  readonly longest_gap_s: number;
  readonly lost_writes: number | null;
}

/** One drill run. */
export interface Drill {
  readonly scenario: string;
  readonly profile: ProfileName;
  readonly passed: boolean;
  readonly vip_move_s: number | null;
  readonly recovery_s: number | null;
  readonly probes: readonly DrillProbe[];
}

/** A drill report. */
export interface MeasuredReport {
  readonly drills: readonly Drill[];
}

/** A parsed report, or the reasons it could not be used. */
export interface ParsedReport {
  readonly report?: MeasuredReport;
  readonly diagnostics: Diagnostic[];
}

type Emit = (
  code: string,
  severity: Diagnostic["severity"],
  message: string,
  path: DocPath,
  hint: string,
) => void;

function emitter(source: YamlSource, out: Diagnostic[]): Emit {
  return (code, severity, message, path, hint) => {
    const span = source.locate(path);
    out.push({ code, severity, message, file: source.file, line: span.line, column: span.column, hint });
  };
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);
const where = (path: DocPath): string =>
  path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
const SHAPE_HINT =
  'A drill report looks like {"drills":[{"scenario":"lb-master-crash","profile":"kolla-default","passed":true,"vip_move_s":3.1,"recovery_s":4,"probes":[…]}]}.';

/**
 * Validates a drill report's text (JSON); every problem is a located
 * diagnostic (HA860–HA864). With the topology's profile, drills run under
 * another profile are pointed out too: they are not used.
 */
export function parseMeasuredReport(file: string, text: string, profile?: ProfileName): ParsedReport {
  const parsed = parseYaml(file, text);
  const diagnostics = parsed.diagnostics.map((d) => ({
    ...d,
    code: d.severity === "error" ? "HA860" : d.code,
  }));
  if (!parsed.source || diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  const emit = emitter(parsed.source, diagnostics);
  const data = parsed.data;
  if (!isObj(data) || !Array.isArray(data.drills)) {
    emit(
      "HA861",
      "error",
      "a drill report needs a `drills` list at the top level",
      isObj(data) ? ["drills"] : [],
      SHAPE_HINT,
    );
    return { diagnostics };
  }
  const drills: Drill[] = [];
  data.drills.forEach((raw, i) => {
    const d = validateDrill(raw, ["drills", i], emit);
    if (!d) return;
    drills.push(d);
    if (profile !== undefined && d.profile !== profile) {
      emit(
        "HA863",
        "warning",
        `drill ${d.scenario} ran under ${d.profile}, the topology uses ${profile}: not used`,
        ["drills", i, "profile"],
        "Compare a topology with drills of its own profile, or change the topology's `profile:`.",
      );
    } else if (drillDowntime(d) === undefined) {
      emit(
        "HA864",
        "warning",
        `drill ${d.scenario} has neither probes nor vip_move_s: nothing was measured`,
        ["drills", i],
        "Run the drill with at least one probe.",
      );
    }
  });
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  return { report: { drills }, diagnostics };
}

function validateDrill(raw: unknown, path: DocPath, emit: Emit): Drill | undefined {
  if (!isObj(raw)) {
    emit("HA861", "error", `${where(path)} must be a mapping describing one drill`, path, SHAPE_HINT);
    return undefined;
  }
  let ok = true;
  const need = (key: string, test: (v: unknown) => boolean, what: string, optional = false): void => {
    const v = raw[key];
    if (v === undefined && optional) return;
    if (v === undefined) {
      emit("HA861", "error", `${where(path)} lacks \`${key}\` (${what})`, path, SHAPE_HINT);
      ok = false;
    } else if (!test(v)) {
      emit(
        "HA861",
        "error",
        `${where([...path, key])} must be ${what}, not ${JSON.stringify(v)}`,
        [...path, key],
        SHAPE_HINT,
      );
      ok = false;
    }
  };
  const seconds = (v: unknown): boolean => typeof v === "number" && Number.isFinite(v) && v >= 0;
  need("scenario", (v) => typeof v === "string", "a scenario name");
  need("profile", (v) => typeof v === "string", "a profile name");
  need("passed", (v) => typeof v === "boolean", "true or false");
  need("vip_move_s", (v) => v === null || seconds(v), "seconds (≥ 0) or null", true);
  need("recovery_s", (v) => v === null || seconds(v), "seconds (≥ 0) or null", true);
  need("probes", Array.isArray, "a list of probe results");
  if (typeof raw.profile === "string" && !(PROFILES as readonly string[]).includes(raw.profile)) {
    emit(
      "HA861",
      "error",
      `${where([...path, "profile"])}: unknown profile \`${raw.profile}\`.${didYouMean(raw.profile, PROFILES)}`,
      [...path, "profile"],
      `Profiles: ${PROFILES.join(", ")}.`,
    );
    ok = false;
  }
  if (typeof raw.scenario === "string" && !(SCENARIOS as string[]).includes(raw.scenario)) {
    emit(
      "HA862",
      "warning",
      `unknown scenario \`${raw.scenario}\`: not used by the model.${didYouMean(raw.scenario, SCENARIOS)}`,
      [...path, "scenario"],
      `Scenarios the model maps: ${SCENARIOS.join(", ")}.`,
    );
  }
  const probes: DrillProbe[] = [];
  if (Array.isArray(raw.probes)) {
    raw.probes.forEach((p, j) => {
      const probe = validateProbe(p, [...path, "probes", j], emit);
      if (probe) probes.push(probe);
      else ok = false;
    });
  }
  if (!ok) return undefined;
  return {
    scenario: raw.scenario as string,
    profile: raw.profile as ProfileName,
    passed: raw.passed as boolean,
    vip_move_s: (raw.vip_move_s as number | null | undefined) ?? vipMoveFromMoves(raw.moves),
    recovery_s: (raw.recovery_s as number | null | undefined) ?? null,
    probes,
  };
}

/** A report that lists `moves` but no `vip_move_s`: the VIP's first move. */
function vipMoveFromMoves(moves: unknown): number | null {
  if (!Array.isArray(moves)) return null;
  const vip = moves.find((m): m is Record<string, unknown> => isObj(m) && m.what === "vip");
  return typeof vip?.after_s === "number" && Number.isFinite(vip.after_s) && vip.after_s >= 0
    ? vip.after_s
    : null;
}

function validateProbe(raw: unknown, path: DocPath, emit: Emit): DrillProbe | undefined {
  if (!isObj(raw)) {
    emit("HA861", "error", `${where(path)} must be a mapping describing one probe`, path, SHAPE_HINT);
    return undefined;
  }
  let ok = true;
  const check = (key: string, test: (v: unknown) => boolean, what: string, optional = false): void => {
    const v = raw[key];
    if (v === undefined || (optional && v === null)) {
      if (!optional) {
        emit("HA861", "error", `${where(path)} lacks \`${key}\` (${what})`, path, SHAPE_HINT);
        ok = false;
      }
    } else if (!test(v)) {
      emit(
        "HA861",
        "error",
        `${where([...path, key])} must be ${what}, not ${JSON.stringify(v)}`,
        [...path, key],
        SHAPE_HINT,
      );
      ok = false;
    }
  };
  const count = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;
  const seconds = (v: unknown): boolean => typeof v === "number" && Number.isFinite(v) && v >= 0;
  check("name", (v) => typeof v === "string" && v !== "", "a probe name");
  check("total", count, "a whole number ≥ 0");
  check("failed", count, "a whole number ≥ 0");
  check("downtime_s", seconds, "seconds (≥ 0)");
  check("longest_gap_s", seconds, "seconds (≥ 0)");
  check("lost_writes", count, "a whole number ≥ 0 or null", true);
  if (ok && (raw.failed as number) > (raw.total as number)) {
    emit(
      "HA861",
      "error",
      `${where(path)}: ${String(raw.failed)} failed probes out of ${String(raw.total)}`,
      [...path, "failed"],
      "`failed` counts probes among `total`.",
    );
    ok = false;
  }
  if (!ok) return undefined;
  return {
    name: raw.name as string,
    total: raw.total as number,
    failed: raw.failed as number,
    downtime_s: raw.downtime_s as number,
    longest_gap_s: raw.longest_gap_s as number,
    lost_writes: (raw.lost_writes as number | null | undefined) ?? null,
  };
}

/** The client-visible downtime a drill measured: its worst probe, else the VIP move. */
export function drillDowntime(d: Drill): number | undefined {
  if (d.probes.length > 0) return Math.max(...d.probes.map((p) => p.downtime_s));
  return d.vip_move_s ?? undefined;
}

/** A drill's figure for one measure; undefined when the drill did not measure it. */
function measuredBy(d: Drill, m: MechanismMeasure): number | undefined {
  if (m.kind === "vip-move") return d.vip_move_s ?? undefined;
  return d.probes.find((p) => p.name === m.probe)?.[m.stat];
}

/** Measured downtime per mechanism: the worst over the drills of its scenarios, for one profile. */
export function measurementsFor(
  report: MeasuredReport,
  profile: ProfileName,
): Partial<Record<MechanismId, number>> {
  const seconds: Partial<Record<MechanismId, number>> = {};
  for (const d of report.drills) {
    if (d.profile !== profile || !(d.scenario in SCENARIO_MECHANISMS)) continue;
    for (const [id, m] of mechanismsOf(d.scenario as Scenario)) {
      const s = measuredBy(d, m);
      if (s !== undefined) seconds[id] = Math.max(seconds[id] ?? 0, s);
    }
  }
  return seconds;
}

/** Mechanisms with measured values in place of predicted ones. */
export function applyMeasurements(
  predicted: Readonly<Record<MechanismId, Mechanism>>,
  measured: Partial<Record<MechanismId, number>>,
): Record<MechanismId, Mechanism> {
  const out = { ...predicted };
  for (const [id, s] of Object.entries(measured) as [MechanismId, number][]) {
    out[id] = { ...predicted[id], seconds: s, origin: "measured", formula: `measured by drill: ${s} s` };
  }
  return out;
}

/** One row of predicted versus measured. */
export interface ScenarioComparison {
  readonly scenario: Scenario;
  /** Predicted client-visible seconds; null when the model predicts an outage until repair. */
  readonly predicted_s: number | null;
  readonly predicted_note: string;
  readonly measured_s: number | null;
  readonly runs: number;
  readonly passed: boolean | null;
}

/** Predicted and measured side by side for every scenario (measured only for this profile's drills). */
export function compareScenarios(
  predicted: Readonly<Record<MechanismId, Mechanism>>,
  report: MeasuredReport,
  profile: ProfileName,
  pairOutage: string,
): ScenarioComparison[] {
  return SCENARIOS.map((scenario) => {
    const pairs = mechanismsOf(scenario);
    const runs = report.drills.filter((d) => d.scenario === scenario && d.profile === profile);
    const worst = pairs.length === 0 ? null : Math.max(...pairs.map(([id]) => predicted[id].seconds));
    const worstPair = pairs.find(([id]) => predicted[id].seconds === worst);
    const worstId = worstPair?.[0];
    // Measured by the figure of the mechanism the prediction came from; an outage scenario has none,
    // its drills' downtime is what was measured.
    const measured = runs
      .map((d) => (worstPair === undefined ? drillDowntime(d) : measuredBy(d, worstPair[1])))
      .filter((x): x is number => x !== undefined);
    return {
      scenario,
      predicted_s: worst,
      predicted_note: worstId === undefined ? pairOutage : predicted[worstId].title,
      measured_s: measured.length === 0 ? null : Math.max(...measured),
      runs: runs.length,
      passed: runs.length === 0 ? null : runs.every((r) => r.passed),
    };
  });
}
