/**
 * Benchmark of the lab's control tier in CPU time (root): a cold `lab up`,
 * then for every daemon the CPU seconds it used (its own and its reaped
 * children's, from /proc/PID/stat) and its resident memory, plus the CPU of
 * `lab up` itself and of the commands it ran (set-up, health checks). CPU
 * seconds do not stretch when the machine is shared, so they tell what a
 * cold start needs from two cores where wall-clock time cannot.
 *
 *   npx tsx bench/lab-cpu.ts [FILE] [--append]
 *
 * FILE defaults to test/lab/fixtures/controllers.yaml (2 load balancers,
 * 3 controllers). The lab is named "labcpu", so no other lab is touched.
 * --append adds the dated Markdown section to bench/RESULTS.md.
 */
import { appendFileSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { buildPlan } from "../src/plan/build.ts";
import { loadTopologyFile } from "../src/spec/load.ts";
import { labDown } from "../src/targets/lab/down.ts";
import type { LabEvent } from "../src/targets/lab/events.ts";
import { currentProcesses, journalPath, readJournal } from "../src/targets/lab/journal.ts";
import { labLayout } from "../src/targets/lab/layout.ts";
import { descendants, isAlive, processName, rssKb } from "../src/targets/lab/procfs.ts";
import { labUp } from "../src/targets/lab/up.ts";

const TICKS_PER_SECOND = 100;

/** utime + stime + cutime + cstime of a process, in seconds (0 when it is gone). */
function cpuSeconds(pid: number | "self"): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields 14-17 of stat(5) are at 11-14 here (the list starts at field 3)
    return [11, 12, 13, 14].reduce((s, i) => s + Number(f[i]), 0) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

const args = process.argv.slice(2);
const file =
  args.find((a) => !a.startsWith("--")) ??
  new URL("../test/lab/fixtures/controllers.yaml", import.meta.url).pathname;
const loaded = loadTopologyFile(file);
if (!loaded.topology) throw new Error(`${file} is not a valid topology`);
const plan = buildPlan({ ...loaded.topology, cloud: "labcpu" });
const layout = labLayout(plan);

await labDown({ cloud: plan.cloud });
const load = loadavg()[0]!.toFixed(1);
const steps: { step: string; ms: number }[] = [];
const sink = (e: LabEvent): void => {
  if (e.kind === "step-end") steps.push({ step: e.step, ms: e.ms });
  if (e.kind === "step-end" || e.kind === "step-fail")
    process.stderr.write(`${e.kind} ${e.step} ${Math.round(e.ms)} ms\n`);
};
const cpuBefore = cpuSeconds("self");
const up = await labUp({ plan, topologyFile: file, sink });
const engineCpu = cpuSeconds("self") - cpuBefore;

const rows: { host: string; service: string; name: string; kb: number; cpu: number; procs: string }[] = [];
for (const p of currentProcesses(readJournal(journalPath(layout.stateDir))).values()) {
  if (p.pid === undefined || !isAlive(p.pid, p.start) || p.service === "lab") continue;
  const tree = [p.pid, ...descendants(p.pid)];
  rows.push({
    host: p.host,
    service: p.service,
    name: p.name,
    kb: tree.reduce((s, pid) => s + rssKb(pid), 0),
    // children's own time is counted once: the tree's live members plus what the leader reaped
    cpu: tree.reduce((s, pid) => s + cpuSeconds(pid), 0),
    procs: [...new Set(tree.map(processName))].join("+"),
  });
}
await labDown({ cloud: plan.cloud });

rows.sort((a, b) => a.service.localeCompare(b.service) || a.host.localeCompare(b.host));
const mb = (kb: number): string => (kb / 1024).toFixed(1);
const daemonCpu = rows.reduce((s, r) => s + r.cpu, 0);
const totalCpu = daemonCpu + engineCpu;
const byService = new Map<string, { kb: number; cpu: number }>();
for (const r of rows) {
  const t = byService.get(r.service) ?? { kb: 0, cpu: 0 };
  byService.set(r.service, { kb: t.kb + r.kb, cpu: t.cpu + r.cpu });
}
const date = new Date().toISOString().slice(0, 10);
const md = [
  `## Lab control tier in CPU time — ${date}`,
  "",
  `\`npx tsx bench/lab-cpu.ts${args.length ? " " + args.join(" ") : ""}\` (root) — cold \`lab up\` of ${file.replace(/^.*\/(examples|test)\//, "$1/")} (packages installed),`,
  `CPU seconds per daemon until the health gate passed (utime + stime, with reaped children), RSS at that moment.`,
  `Machine: the project's 2-vCPU VM, load average ${load} at the start.`,
  "",
  `**Wall ${(up.totalMs / 1000).toFixed(1)} s; CPU ${totalCpu.toFixed(1)} s in all (daemons ${daemonCpu.toFixed(1)} s, ` +
    `\`lab up\` and the commands it ran ${engineCpu.toFixed(1)} s), i.e. at least ${(totalCpu / 2).toFixed(0)} s on two idle cores; ` +
    `RSS ${mb(rows.reduce((s, r) => s + r.kb, 0))} MB.**`,
  "",
  "| Step | wall s |",
  "|---|---:|",
  ...steps.map((s) => `| ${s.step} | ${(s.ms / 1000).toFixed(1)} |`),
  "",
  "| Service | RSS MB (all hosts) | CPU s (all hosts) |",
  "|---|---:|---:|",
  ...[...byService].map(([s, t]) => `| ${s} | ${mb(t.kb)} | ${t.cpu.toFixed(1)} |`),
  "",
  "| Host | Daemon | RSS MB | CPU s | Processes |",
  "|---|---|---:|---:|---|",
  ...rows.map((r) => `| ${r.host} | ${r.name} | ${mb(r.kb)} | ${r.cpu.toFixed(1)} | ${r.procs} |`),
  "",
].join("\n");
process.stdout.write(md);
if (args.includes("--append")) appendFileSync(new URL("./RESULTS.md", import.meta.url), "\n" + md);
