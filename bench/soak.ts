/**
 * Soak: many drills in a row on one lab per failover profile (the scenarios
 * cycled), and after each a look for anything the drill left behind —
 * processes, namespaces, cgroups, links, open files, lab files, faults not
 * undone (bench/support/leaks.ts) — and at the lab's resident memory. Appends
 * the result to bench/RESULTS.md. Root; 2 × (lab up ≈ 1 min + 20 × ≈ 50 s).
 *
 *   npx tsx bench/soak.ts [--drills 20] [--profiles a,b] [--out DIR] [--date YYYY-MM-DD] [--light]
 *                         [--settle SECONDS] [--cloud NAME]
 */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { reportFiles } from "../src/drill/report/files.ts";
import type { DrillResult, DrillRun } from "../src/drill/result.ts";
import { runDrills } from "../src/drill/runner.ts";
import { SCENARIO_NAMES } from "../src/drill/scenarios.ts";
import { errorText, sleep } from "../src/drill/sleep.ts";
import { buildPlan } from "../src/plan/build.ts";
import { DEFAULT_RATES, type ProbeRate, type UserProbe } from "../src/probes/types.ts";
import { loadTopologyFile } from "../src/spec/load.ts";
import { PROFILES, type ProfileName } from "../src/spec/schema.ts";
import { labDown } from "../src/targets/lab/down.ts";
import { labLayout, type LabLayout } from "../src/targets/lab/layout.ts";
import { openLabTarget } from "../src/targets/lab/target.ts";
import { labUp } from "../src/targets/lab/up.ts";
import { verifyTarget } from "../src/verify/verify.ts";
import {
  collectSnapshot,
  diffSnapshots,
  leastSquaresSlope,
  persistent,
  rssMb,
  rssRatio,
  stableBaseline,
  type Leak,
  type Snapshot,
} from "./support/leaks.ts";

const { values } = parseArgs({
  options: {
    drills: { type: "string", default: "20" },
    profiles: { type: "string", default: PROFILES.join(",") },
    out: { type: "string", default: "out/bench-soak" },
    date: { type: "string", default: new Date().toISOString().slice(0, 10) },
    file: { type: "string", default: "examples/packtpub-prod.yaml" },
    // Another name than the file's leaves a lab someone brought up from the same file alone.
    cloud: { type: "string" },
    // Keystone GET 20/s and tokens 1/s, as bench/drills.ts --light: on a shared machine, the default
    // rates (DEFAULT_RATES) push the lab's three single-process Keystones into congestion collapse.
    light: { type: "boolean", default: false },
    "health-timeout": { type: "string", default: "300" },
    // Seconds between the two looks that a leak must survive (keepalived's track script runs every 2 s).
    settle: { type: "string", default: "5" },
  },
});
const LIGHT: Readonly<Partial<Record<UserProbe, ProbeRate>>> = {
  "keystone-get": { ...DEFAULT_RATES["keystone-get"], perSecond: 20 },
  "token-issue": { ...DEFAULT_RATES["token-issue"], perSecond: 1 },
};
const rates = values.light ? LIGHT : {};
const perProfile = Number(values.drills);
if (!Number.isInteger(perProfile) || perProfile < 1)
  throw new Error(`--drills ${values.drills}: a whole number ≥ 1`);
const settleMs = Number(values.settle) * 1000;
const profiles = values.profiles.split(",") as ProfileName[];
const topology = loadTopologyFile(values.file).topology;
if (!topology) throw new Error(`${values.file} does not load`);
mkdirSync(values.out, { recursive: true });
/** A soak holds when its lab's RSS ends within this factor of the baseline (and nothing leaked). */
const FLAT = 1.1;

const log = (m: string): void =>
  void process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join("/");
// Ctrl-C: the drill in progress undoes its fault, the bench writes what it has, then tears the lab down.
const stop = new AbortController();
const onSignal = (): void => {
  if (!stop.signal.aborted) log("stopping: the drill in progress undoes its fault, then lab down");
  stop.abort();
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);
const loadAtStart = load();

/** One drill of the soak and what the look after it found. */
interface SoakRow {
  readonly n: number;
  readonly profile: ProfileName;
  readonly scenario: string;
  readonly verdict: "pass" | "FAIL" | "error";
  readonly seconds: number;
  readonly leaks: readonly Leak[];
  readonly rssMb: number;
  readonly ratio: number;
}

/** One profile's lab: its baseline, its drills, and why it stopped early if it did. */
interface ProfileSoak {
  readonly profile: ProfileName;
  /** The drills' target ("lab packtpub-prod"), once the lab is up. */
  target?: string;
  readonly loadStart: number;
  loadEnd: number;
  upS?: number;
  baselineRssMb?: number;
  machineFiles?: { readonly base: number; last: number };
  error?: string;
  readonly rows: SoakRow[];
  readonly drills: DrillResult[];
}

const soaks: ProfileSoak[] = [];
let n = 0;

/** A snapshot diffed against the baseline, and, when it finds something, a second look that must agree. */
async function look(layout: LabLayout, baseline: Snapshot): Promise<{ snap: Snapshot; leaks: Leak[] }> {
  const first = await collectSnapshot(layout);
  const leaks = diffSnapshots(baseline, first);
  if (leaks.length === 0 || stop.signal.aborted) return { snap: first, leaks };
  await sleep(settleMs, stop.signal).catch(() => undefined);
  const second = await collectSnapshot(layout);
  return { snap: second, leaks: persistent(leaks, diffSnapshots(baseline, second)) };
}

const leakCell = (leaks: readonly Leak[]): string =>
  leaks.length === 0
    ? "0"
    : `${leaks.length}: ${leaks
        .slice(0, 2)
        .map((l) => l.text)
        .join("; ")}${leaks.length > 2 ? "; …" : ""}`;
const rowLine = (r: SoakRow): string =>
  `| ${r.n} | ${r.profile} | ${r.scenario} | ${r.verdict} | ${r.seconds.toFixed(0)} | ${leakCell(r.leaks)} | ${r.rssMb.toFixed(0)} | ${r.ratio.toFixed(2)} |`;
const ROWS_HEADER = [
  "| # | profile | scenario | passed | s | leaks | lab RSS MB | RSS ÷ baseline |",
  "|---:|---|---|---|---:|---|---:|---:|",
];

function writeOutputs(): void {
  writeFileSync(`${values.out}/soak.json`, JSON.stringify(soaks, null, 2) + "\n");
  writeFileSync(`${values.out}/soak.md`, section(load()));
  for (const s of soaks) {
    if (s.drills.length === 0) continue;
    const run: DrillRun = {
      target: s.target ?? s.profile,
      startedAt: s.drills[0]!.startedAt,
      finishedAt: new Date().toISOString(),
      drills: s.drills,
    };
    for (const [name, content] of Object.entries(reportFiles(run)))
      writeFileSync(`${values.out}/${s.profile}-${name}`, content);
  }
}

process.stdout.write(ROWS_HEADER.join("\n") + "\n");
for (const profile of profiles) {
  if (stop.signal.aborted) break;
  const plan = buildPlan({ ...topology, profile, ...(values.cloud ? { cloud: values.cloud } : {}) });
  const layout = labLayout(plan);
  const soak: ProfileSoak = { profile, loadStart: loadavg()[0]!, loadEnd: 0, rows: [], drills: [] };
  soaks.push(soak);
  try {
    log(`${profile}: lab up`);
    await labDown({ cloud: plan.cloud });
    const up = await labUp({ plan, topologyFile: values.file, gateTimeoutMs: 300_000, signal: stop.signal });
    soak.upS = up.totalMs / 1000;
    log(`${profile}: lab up in ${soak.upS.toFixed(0)} s`);
    const target = openLabTarget(plan.cloud);
    soak.target = target.name;
    const v = await verifyTarget(target, stop.signal);
    if (!v.passed) {
      const failed = v.checks.filter((c) => !c.passed).map((c) => c.id);
      throw new Error(`verify failed (${failed.join(", ")}): no healthy baseline to soak from`);
    }
    // Two looks a few seconds apart: what only one of them saw is transient, not the baseline.
    const first = await collectSnapshot(layout);
    await sleep(settleMs, stop.signal);
    const baseline = stableBaseline(first, await collectSnapshot(layout));
    soak.baselineRssMb = rssMb(baseline);
    soak.machineFiles = { base: baseline.machineFiles, last: baseline.machineFiles };
    writeFileSync(`${values.out}/${profile}-baseline.json`, JSON.stringify(baseline, null, 2) + "\n");
    log(
      `${profile}: baseline ${baseline.processes.length} lab processes, ${soak.baselineRssMb.toFixed(0)} MB`,
    );

    for (let i = 0; i < perProfile && !stop.signal.aborted; i++) {
      const scenario = SCENARIO_NAMES[i % SCENARIO_NAMES.length]!;
      const started = performance.now();
      const run = await runDrills(target, {
        scenarios: [scenario],
        rates,
        signal: stop.signal,
        healthTimeoutMs: Number(values["health-timeout"]) * 1000,
        log: (m) => log(`${profile} #${n + 1}: ${m} (load ${loadavg()[0]!.toFixed(1)})`),
      });
      const seconds = (performance.now() - started) / 1000;
      const d = run.drills[0];
      if (d === undefined) break; // interrupted before it began
      soak.drills.push(d);
      const { snap, leaks } = await look(layout, baseline);
      soak.machineFiles.last = snap.machineFiles;
      const row: SoakRow = {
        n: ++n,
        profile,
        scenario,
        verdict: d.error !== undefined ? "error" : d.passed ? "pass" : "FAIL",
        seconds,
        leaks,
        rssMb: rssMb(snap),
        ratio: rssRatio(baseline, snap),
      };
      soak.rows.push(row);
      process.stdout.write(rowLine(row) + "\n");
      writeFileSync(`${values.out}/${profile}-last.json`, JSON.stringify(snap, null, 2) + "\n");
      writeOutputs();
    }
    if (stop.signal.aborted) soak.error = "interrupted";
  } catch (e) {
    soak.error = stop.signal.aborted ? "interrupted" : errorText(e);
    log(`${profile}: ${soak.error}`);
  } finally {
    soak.loadEnd = loadavg()[0]!;
    writeOutputs();
    log(`${profile}: lab down`);
    // a lab down that fails is a finding of the soak too: record it and go on to write the section
    await labDown({ cloud: plan.cloud }).catch((e: unknown) => {
      soak.error = `${soak.error ? soak.error + "; " : ""}lab down failed: ${errorText(e)}`;
      log(`${profile}: ${soak.error}`);
      process.exitCode = 1;
    });
  }
}

// ---- the summary ----

function section(loadAtEnd: string): string {
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? "?"}), load ${loadAtStart} at start, ${loadAtEnd} at end`;
  const rateText = values.light ? "20/s (Keystone GET), 1/s (token)" : "50/s (Keystone GET), 5/s (token)";
  const lines: string[] = [
    "",
    `## Soak, ${perProfile} drills per profile on ${profiles.join(" and ")} (${values.date})`,
    "",
    `\`npx tsx bench/soak.ts${process.argv.slice(2).length ? " " + process.argv.slice(2).join(" ") : ""}\` on ${machine};`,
    `topology ${values.file}; one \`lab up\` per profile, then ${perProfile} drills in a row, the ${SCENARIO_NAMES.length} scenarios cycled;`,
    `probes at ${rateText}, 10/s (SQL write+read), 5/s (RabbitMQ round trip). After lab up and a passing verify, a baseline`,
    "snapshot (bench/support/leaks.ts); after each drill another, diffed against it: processes in the lab's cgroup tree",
    "and namespaces (a daemon the repair restarted — same host, service and name, or no more of its name in its service",
    "cgroup — is none), processes outside every lab's cgroup by name (other work on the machine shows here too: run it",
    "on a quiet machine), network namespaces (the machine's and each host's), cgroups,",
    "links, open descriptors (hacloud > 64, a daemon > 16), lab files (logs and database data left out) and the fault",
    `journal. A leak counts when a second look ${values.settle} s later still sees it. A soak holds with no leak and lab RSS`,
    `last ÷ baseline ≤ ${FLAT.toFixed(2)}. Reports: ${values.out}/<profile>-report.html, snapshots ${values.out}/<profile>-{baseline,last}.json.`,
    "",
    ...ROWS_HEADER,
    ...soaks.flatMap((s) => s.rows.map(rowLine)),
    "",
    "| profile | lab up s | drills run / passed | distinct leaks | RSS baseline MB | min | max | last | last ÷ baseline | slope MB/drill | load start / end | holds |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const s of soaks) {
    const rss = s.rows.map((r) => r.rssMb);
    const keys = new Set(s.rows.flatMap((r) => r.leaks.map((l) => l.key)));
    const last = s.rows.at(-1);
    const mb = (x: number | undefined): string => (x === undefined ? "—" : x.toFixed(0));
    const ratio = last === undefined ? undefined : last.ratio;
    const holds =
      last === undefined
        ? "—"
        : keys.size === 0 && ratio !== undefined && ratio <= FLAT
          ? s.rows.length < perProfile
            ? `yes, over ${s.rows.length} of ${perProfile}`
            : "**yes**"
          : "**no**";
    lines.push(
      `| ${s.profile} | ${s.upS === undefined ? "—" : s.upS.toFixed(0)} | ${s.rows.length} / ${s.rows.filter((r) => r.verdict === "pass").length} | ${keys.size} | ${mb(s.baselineRssMb)} | ${mb(rss.length ? Math.min(...rss) : undefined)} | ${mb(rss.length ? Math.max(...rss) : undefined)} | ${mb(last?.rssMb)} | ${ratio === undefined ? "—" : ratio.toFixed(2)} | ${rss.length > 1 ? leastSquaresSlope(rss).toFixed(2) : "—"} | ${s.loadStart.toFixed(1)} / ${s.loadEnd.toFixed(1)} | ${holds} |`,
    );
  }
  lines.push("");
  for (const s of soaks) {
    if (s.error !== undefined) lines.push(`- ${s.profile}: stopped: ${s.error}.`);
    if (s.machineFiles !== undefined)
      lines.push(
        `- ${s.profile}: machine-wide open files (file-nr, shared with other work, not judged) ${s.machineFiles.base} at baseline, ${s.machineFiles.last} after the last drill.`,
      );
    // A leftover stays in every later diff: list each once, where it first showed and whether it lasted.
    const firstSeen = new Map<string, { row: SoakRow; leak: Leak }>();
    for (const r of s.rows)
      for (const l of r.leaks) if (!firstSeen.has(l.key)) firstSeen.set(l.key, { row: r, leak: l });
    const lastKeys = new Set(s.rows.at(-1)?.leaks.map((l) => l.key) ?? []);
    for (const { row, leak } of firstSeen.values())
      lines.push(
        `- ${s.profile} leak (${leak.kind}) after #${row.n} ${row.scenario}: ${leak.text}${lastKeys.has(leak.key) ? ", still there after the last drill" : ", gone later"}`,
      );
    for (const d of s.drills) {
      for (const c of d.checks.filter((x) => !x.passed))
        lines.push(
          `- ${s.profile} ${d.scenario}: ${c.metric}${c.probe ? ` ${c.probe}` : ""} measured ${c.measured ?? "n/a"}, limit ${c.max ?? c.min} (${c.why})`,
        );
      if (d.error) lines.push(`- ${s.profile} ${d.scenario}: did not run: ${d.error}`);
    }
  }
  return lines.join("\n") + "\n";
}

const summary = section(load());
appendFileSync("bench/RESULTS.md", summary);
writeFileSync(`${values.out}/soak.md`, summary);
process.stdout.write(summary);
