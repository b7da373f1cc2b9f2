/**
 * Every drill under both failover profiles in one run, side by side: brings
 * the chapter's cloud up in the lab with kolla-default, runs `drill --all`,
 * tears it down, does the same with fast-failover, and appends the
 * comparison (with ratios) to bench/RESULTS.md. Root; ~30-40 min on 2 cores.
 *
 *   npx tsx bench/drills.ts [--only scenario,scenario] [--profiles a,b] [--out DIR] [--date YYYY-MM-DD]
 */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { reportFiles } from "../src/drill/report/files.ts";
import { moveSeconds } from "../src/drill/moves.ts";
import type { DrillResult, DrillRun } from "../src/drill/result.ts";
import { runDrills } from "../src/drill/runner.ts";
import { isScenarioName, SCENARIO_NAMES, type ScenarioName } from "../src/drill/scenarios.ts";
import { buildPlan } from "../src/plan/build.ts";
import { loadTopologyFile } from "../src/spec/load.ts";
import { PROFILES, type ProfileName } from "../src/spec/schema.ts";
import { labDown } from "../src/targets/lab/down.ts";
import { openLabTarget } from "../src/targets/lab/target.ts";
import { labUp } from "../src/targets/lab/up.ts";
import { labStateDir } from "../src/targets/lab/layout.ts";
import { loadSavedLab } from "../src/targets/lab/runtime.ts";
import { DEFAULT_RATES, type ProbeRate, type UserProbe } from "../src/probes/types.ts";
import { verifyTarget } from "../src/verify/verify.ts";
import { predictedMechanisms } from "../src/sla/failover.ts";

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    profiles: { type: "string", default: PROFILES.join(",") },
    out: { type: "string", default: "out/bench-drills" },
    date: { type: "string", default: new Date().toISOString().slice(0, 10) },
    file: { type: "string", default: "examples/packtpub-prod.yaml" },
    // Keystone GET 20/s and tokens 1/s instead of 50/s and 5/s, and Neutron, Nova and Placement
    // GETs 1/s instead of 5/s: on a machine shared with other labs, or with the whole plane up on
    // 2 cores, the default rates (DEFAULT_RATES, docs/drills.md's probe table) push the lab's
    // single-process API servers into congestion collapse (neutron-server answered in 6-11 s, and
    // an evacuation's own Neutron calls queued behind the probe's).
    light: { type: "boolean", default: false },
    "health-timeout": { type: "string", default: "300" },
    // Use the running lab when it was brought up from the same Plan (saves a lab up).
    reuse: { type: "boolean", default: false },
  },
});
const LIGHT: Readonly<Partial<Record<UserProbe, ProbeRate>>> = {
  "keystone-get": { ...DEFAULT_RATES["keystone-get"], perSecond: 20 },
  "token-issue": { ...DEFAULT_RATES["token-issue"], perSecond: 1 },
  "network-get": { ...DEFAULT_RATES["network-get"], perSecond: 1 },
  "compute-get": { ...DEFAULT_RATES["compute-get"], perSecond: 1 },
  "placement-get": { ...DEFAULT_RATES["placement-get"], perSecond: 1 },
};
const rates = values.light ? LIGHT : {};
const scenarios: ScenarioName[] = values.only
  ? values.only.split(",").filter(isScenarioName)
  : [...SCENARIO_NAMES];
const profiles = values.profiles.split(",") as ProfileName[];
const topology = loadTopologyFile(values.file).topology;
if (!topology) throw new Error(`${values.file} does not load`);
mkdirSync(values.out, { recursive: true });

const log = (m: string): void =>
  void process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const runs = new Map<ProfileName, DrillRun>();
// Ctrl-C: the drill in progress undoes its fault, then the bench writes what it has.
const stop = new AbortController();
process.on("SIGINT", () => stop.abort());
process.on("SIGTERM", () => stop.abort());
const machine = `${cpus().length} cores (${cpus()[0]?.model ?? "?"}), load ${loadavg()
  .map((x) => x.toFixed(1))
  .join("/")} at start`;

for (const profile of profiles) {
  if (stop.signal.aborted) break;
  const plan = buildPlan({ ...topology, profile });
  const saved = loadSavedLab(labStateDir(plan.cloud));
  try {
    if (values.reuse && saved !== undefined && JSON.stringify(saved.plan) === JSON.stringify(plan)) {
      log(`${profile}: reusing the running lab`);
    } else {
      log(`${profile}: lab up`);
      await labDown({ cloud: plan.cloud });
      const up = await labUp({ plan, topologyFile: values.file, gateTimeoutMs: 300_000 });
      log(`${profile}: lab up in ${(up.totalMs / 1000).toFixed(0)} s`);
    }
    const target = openLabTarget(plan.cloud);
    const v = await verifyTarget(target);
    log(
      `${profile}: verify ${
        v.passed
          ? "passed"
          : `FAILED: ${v.checks
              .filter((c) => !c.passed)
              .map((c) => c.id)
              .join(", ")}`
      }`,
    );
    // One scenario at a time, reports rewritten after each, so an interrupted bench keeps what it measured.
    let run: DrillRun | undefined;
    for (const scenario of scenarios) {
      if (stop.signal.aborted) break;
      const one = await runDrills(target, {
        scenarios: [scenario],
        rates,
        signal: stop.signal,
        healthTimeoutMs: Number(values["health-timeout"]) * 1000,
        log: (m) => log(`${profile}: ${m} (load ${loadavg()[0]!.toFixed(1)})`),
      });
      run =
        run === undefined
          ? one
          : { ...run, finishedAt: one.finishedAt, drills: [...run.drills, ...one.drills] };
      runs.set(profile, run);
      for (const [name, content] of Object.entries(reportFiles(run)))
        writeFileSync(`${values.out}/${profile}-${name}`, content);
    }
  } finally {
    log(`${profile}: lab down`);
    await labDown({ cloud: plan.cloud });
  }
}

// ---- the comparison ----
const drillOf = (p: ProfileName, s: ScenarioName): DrillResult | undefined =>
  runs.get(p)?.drills.find((d) => d.scenario === s);
const fmt = (x: number | null | undefined): string =>
  x === null || x === undefined ? "—" : x < 10 ? x.toFixed(2) : x.toFixed(1);
const ratio = (a: number | null | undefined, b: number | null | undefined): string => {
  if (a === null || a === undefined || b === null || b === undefined) return "—";
  if (b === 0) return a === 0 ? "=" : "∞";
  return `${(a / b).toFixed(1)}×`;
};

type Row = { metric: string; get: (d: DrillResult) => number | null | undefined };
const probeMetric = (
  probe: string,
  label: string,
  f: (p: DrillResult["probes"][number]) => number | null | undefined,
): Row => ({
  metric: `${probe} ${label}`,
  get: (d) => {
    const p = d.probes.find((x) => x.name === probe);
    return p === undefined ? null : f(p);
  },
});
const ROWS: Row[] = [
  { metric: "VIP move s", get: (d) => moveSeconds(d.moves, "vip") },
  { metric: "recovery s", get: (d) => d.recoveryS },
  probeMetric("keystone-get", "longest gap s", (p) => p.stats.longestGapS),
  probeMetric("keystone-get", "failed", (p) => p.stats.failed),
  probeMetric("token-issue", "downtime s", (p) => p.stats.downtimeS),
  probeMetric("token-issue", "longest request s", (p) => p.stats.longestRequestS),
  probeMetric("sql", "downtime s", (p) => p.stats.downtimeS),
  probeMetric("sql", "longest gap s", (p) => p.stats.longestGapS),
  probeMetric("rabbit", "downtime s", (p) => p.stats.downtimeS),
  probeMetric("sql", "lost writes", (p) => p.lostWrites),
  { metric: "router move s", get: (d) => moveSeconds(d.moves, "router") },
  { metric: "router move, API says s", get: (d) => moveSeconds(d.moves, "router-api") },
  probeMetric("fip-icmp", "lost probes", (p) => p.stats.failed),
  probeMetric("fip-icmp", "longest gap s", (p) => p.stats.longestGapS),
  probeMetric("instance-upstream", "lost probes", (p) => p.stats.failed),
  probeMetric("fip-tcp", "failed", (p) => p.stats.failed),
  probeMetric("snat-upstream", "lost probes", (p) => p.stats.failed),
  probeMetric("snat-upstream", "longest gap s", (p) => p.stats.longestGapS),
  probeMetric("east-west", "lost probes", (p) => p.stats.failed),
  { metric: "remote offline s", get: (d) => d.evacuation?.remoteOfflineS },
  { metric: "Masakari notified s", get: (d) => d.evacuation?.notificationS },
  { metric: "nova-compute disabled s", get: (d) => d.evacuation?.computeDisabledS },
  { metric: "nova-compute down s", get: (d) => d.evacuation?.computeDownS },
  { metric: "evacuation started s", get: (d) => d.evacuation?.evacuationStartS },
  { metric: "all instances ACTIVE elsewhere s", get: (d) => d.evacuation?.allActiveElsewhereS },
  { metric: "instances not evacuated", get: (d) => d.evacuation?.notEvacuated },
];

const [a, b] = [profiles[0]!, profiles[1] ?? profiles[0]!];
const lines: string[] = [
  "",
  `## Drills, ${a} vs ${b} (${values.date})`,
  "",
  `\`npx tsx bench/drills.ts\` on ${machine}; topology ${values.file}; every scenario once per profile,`,
  `probes at ${values.light ? "20/s (Keystone GET), 1/s (token), 1/s (Neutron, Nova, Placement GET)" : "50/s (Keystone GET), 5/s (token), 5/s (Neutron, Nova, Placement GET)"}, 10/s (SQL write+read), 5/s (RabbitMQ round trip), 1/s (evacuation), 20/s ICMP per floating IP, per instance and per routed pair, 5/s TCP echo, the router's API state 2/s. Ratio = ${a} / ${b}`,
  `(higher = fast-failover better). Reports: ${values.out}/<profile>-report.html.`,
  "",
  `| scenario | metric | ${a} | ${b} | ratio |`,
  "|---|---|---:|---:|---:|",
];
for (const s of scenarios) {
  const da = drillOf(a, s);
  const db = drillOf(b, s);
  lines.push(
    `| **${s}** | verdict | ${da ? (da.passed ? "pass" : "FAIL") : "—"} | ${db ? (db.passed ? "pass" : "FAIL") : "—"} | |`,
  );
  for (const r of ROWS) {
    const va = da ? r.get(da) : null;
    const vb = db ? r.get(db) : null;
    if ((va === null || va === undefined) && (vb === null || vb === undefined)) continue;
    lines.push(`| | ${r.metric} | ${fmt(va)} | ${fmt(vb)} | ${ratio(va, vb)} |`);
  }
}
// the SLA model's L3 HA term beside what the crash of the router's node measured: the HA router's
// node (L3 HA), or the SNAT node (DVR), and the probe whose traffic goes through it
const l3Crash = scenarios.includes("snat-host-crash")
  ? { drill: "snat-host-crash", probe: "snat-upstream" }
  : scenarios.includes("router-host-crash")
    ? { drill: "router-host-crash", probe: "fip-icmp" }
    : undefined;
if (l3Crash !== undefined) {
  const l3 = (p: ProfileName) =>
    predictedMechanisms(buildPlan({ ...topology, profile: p }).profile)["l3-master"];
  lines.push(
    "",
    `SLA model (\`hacloud sla\`'s "an HA router's backup takes over") against ${l3Crash.drill}:`,
    "",
  );
  lines.push(
    `| profile | predicted s | router move s | API says s | ${l3Crash.probe} longest gap s |`,
    "|---|---:|---:|---:|---:|",
  );
  for (const p of profiles) {
    const d = drillOf(p, l3Crash.drill as ScenarioName);
    const gap = d?.probes.find((x) => x.name === l3Crash.probe)?.stats.longestGapS;
    lines.push(
      `| ${p} | ${fmt(l3(p).seconds)} | ${fmt(d ? moveSeconds(d.moves, "router") : null)} | ${fmt(d ? moveSeconds(d.moves, "router-api") : null)} | ${fmt(gap)} |`,
    );
  }
}
// the SLA model's evacuation term beside what the crash of the instances' compute measured
if (scenarios.includes("compute-host-crash")) {
  lines.push(
    "",
    'SLA model (`hacloud sla`\'s "Masakari evacuates the instances of a crashed compute") against compute-host-crash:',
    "",
    "| profile | predicted s | remote offline s | notified s | evacuation started s | all ACTIVE elsewhere s | notification |",
    "|---|---:|---:|---:|---:|---:|---|",
  );
  for (const p of profiles) {
    const t = drillOf(p, "compute-host-crash")?.evacuation;
    const predicted = predictedMechanisms(buildPlan({ ...topology, profile: p }).profile).evacuation;
    lines.push(
      `| ${p} | ${fmt(predicted.seconds)} | ${fmt(t?.remoteOfflineS)} | ${fmt(t?.notificationS)} | ${fmt(t?.evacuationStartS)} | ${fmt(t?.allActiveElsewhereS)} | ${t?.notificationStatuses.join(" → ") ?? "—"} |`,
    );
  }
}
lines.push("", "Failed checks:", "");
for (const p of profiles) {
  for (const d of runs.get(p)?.drills ?? []) {
    for (const c of d.checks.filter((x) => !x.passed)) {
      lines.push(
        `- ${p} ${d.scenario}: ${c.metric}${c.probe ? ` ${c.probe}` : ""} measured ${c.measured ?? "n/a"}, limit ${c.max ?? c.min} (${c.why})`,
      );
    }
    if (d.error) lines.push(`- ${p} ${d.scenario}: did not run: ${d.error}`);
  }
}
const section = lines.join("\n") + "\n";
appendFileSync("bench/RESULTS.md", section);
writeFileSync(`${values.out}/comparison.md`, section);
process.stdout.write(section);
