/**
 * Benchmark of the lab (root): a cold `lab up` of a topology with packages
 * already installed — time per step, resident memory per daemon (the process
 * and its children, from /proc) — then `lab down` and its time.
 *
 *   npx tsx bench/lab-up.ts [FILE] [--append]
 *
 * FILE defaults to examples/packtpub-prod.yaml (the chapter's control tier:
 * 2 load balancers, 3 controllers; its other hosts are idle namespaces).
 * The lab is named "labbench" (not the file's cloud), so a lab that is up
 * from the same file is left alone. --append adds the dated Markdown section
 * to bench/RESULTS.md.
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

const args = process.argv.slice(2);
const file =
  args.find((a) => !a.startsWith("--")) ??
  new URL("../examples/packtpub-prod.yaml", import.meta.url).pathname;
const loaded = loadTopologyFile(file);
if (!loaded.topology) throw new Error(`${file} is not a valid topology`);
// its own cloud name, so the benchmark never touches a lab someone brought up from the same file
const plan = buildPlan({ ...loaded.topology, cloud: "labbench" });
const layout = labLayout(plan);

await labDown({ cloud: plan.cloud });
const load = loadavg()[0]!.toFixed(1);
const steps: { step: string; ms: number }[] = [];
const sink = (e: LabEvent): void => {
  if (e.kind === "step-end") steps.push({ step: e.step, ms: e.ms });
  if (e.kind === "step-end" || e.kind === "step-fail")
    process.stderr.write(`${e.kind} ${e.step} ${Math.round(e.ms)} ms\n`);
};
const up = await labUp({ plan, topologyFile: file, sink }).catch(async (e: unknown) => {
  await labDown({ cloud: plan.cloud }); // a failed run leaves nothing behind either
  throw e;
});

// memory per daemon: the supervised process and everything it forked (uwsgi workers, beam children, …)
const rss: { host: string; service: string; name: string; kb: number; procs: string }[] = [];
for (const p of currentProcesses(readJournal(journalPath(layout.stateDir))).values()) {
  if (p.pid === undefined || !isAlive(p.pid, p.start)) continue;
  const tree = [p.pid, ...descendants(p.pid)];
  const names = [...new Set(tree.map(processName))].join("+");
  rss.push({
    host: p.host,
    service: p.service,
    name: p.name,
    kb: tree.reduce((s, pid) => s + rssKb(pid), 0),
    procs: `${tree.length} (${names})`,
  });
}
// CPU time spent bringing the lab up, independent of how busy the machine was: the daemons (with
// the children they reaped) plus this process and the commands it ran (rabbitmqctl, keystone-manage…)
const ticks = (pid: number | "self"): number => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return [11, 12, 13, 14].reduce((t, i) => t + Number(f[i]), 0);
  } catch {
    return 0;
  }
};
let cpuTicks = ticks("self");
for (const p of currentProcesses(readJournal(journalPath(layout.stateDir))).values()) {
  if (p.pid !== undefined && isAlive(p.pid, p.start))
    cpuTicks += [p.pid, ...descendants(p.pid)].reduce((t, pid) => t + ticks(pid), 0);
}
const cpuSeconds = cpuTicks / 100;
const down = await labDown({ cloud: plan.cloud });

const mb = (kb: number): string => (kb / 1024).toFixed(1);
const daemons = rss.filter((r) => r.service !== "lab");
const anchors = rss.filter((r) => r.service === "lab");
const total = rss.reduce((s, r) => s + r.kb, 0);
const byService = new Map<string, number>();
for (const r of daemons) byService.set(r.service, (byService.get(r.service) ?? 0) + r.kb);
const date = new Date().toISOString().slice(0, 10);
const md = [
  `## Lab cold start — ${date}`,
  "",
  `\`npx tsx bench/lab-up.ts${args.length ? " " + args.join(" ") : ""}\` (root) — \`lab up\` of ${file.replace(/^.*\/(examples|test)\//, "$1/")} from nothing`,
  `(packages already installed), then \`lab down\`. Machine: the project's 2-vCPU VM, load average ${load} when it started.`,
  "",
  `**Cold start ${(up.totalMs / 1000).toFixed(1)} s; total RSS ${mb(total)} MB; lab down ${(down.totalMs / 1000).toFixed(1)} s.**`,
  `CPU time of the bring-up (daemons, hacloud and the commands it ran): ${cpuSeconds.toFixed(0)} s.`,
  "",
  "| Step | s |",
  "|---|---:|",
  ...steps.map((s) => `| ${s.step} | ${(s.ms / 1000).toFixed(1)} |`),
  "",
  "| Host | Daemon | RSS MB | Processes |",
  "|---|---|---:|---|",
  ...daemons.map((r) => `| ${r.host} | ${r.name} | ${mb(r.kb)} | ${r.procs} |`),
  `| all hosts | anchors (${anchors.length}) | ${mb(anchors.reduce((s, r) => s + r.kb, 0))} | sleep |`,
  "",
  `Per service: ${[...byService].map(([s, kb]) => `${s} ${mb(kb)} MB`).join(", ")}.`,
  "",
].join("\n");
process.stdout.write(md);
if (args.includes("--append")) appendFileSync(new URL("./RESULTS.md", import.meta.url), "\n" + md);
