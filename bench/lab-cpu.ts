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
import { appendFileSync } from "node:fs";
import { labDown } from "../src/targets/lab/down.ts";
import { coldStart, processTreeUsage, shortPath } from "./lab-measure.ts";

const {
  args,
  file,
  plan,
  layout,
  load,
  steps,
  up,
  engineCpuS: engineCpu,
} = await coldStart(new URL("../test/lab/fixtures/controllers.yaml", import.meta.url), "labcpu");
const rows = processTreeUsage(layout).filter((r) => r.service !== "lab");
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
  `\`npx tsx bench/lab-cpu.ts${args.length ? " " + args.join(" ") : ""}\` (root) — cold \`lab up\` of ${shortPath(file)} (packages installed),`,
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
  ...rows.map((r) => `| ${r.host} | ${r.name} | ${mb(r.kb)} | ${r.cpu.toFixed(1)} | ${r.names} |`),
  "",
].join("\n");
process.stdout.write(md);
if (args.includes("--append")) appendFileSync(new URL("./RESULTS.md", import.meta.url), "\n" + md);
