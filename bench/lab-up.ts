/**
 * Benchmark of the lab (root): a cold `lab up` of a topology with packages
 * already installed — time per step, resident and proportional memory per
 * daemon (the process and its children, from /proc), the CPU the idle lab
 * uses for 30 s after — then `lab down` and its time.
 *
 *   npx tsx bench/lab-up.ts [FILE] [--append]
 *
 * FILE defaults to examples/packtpub-prod.yaml: the chapter's whole plane
 * (control, network and compute tiers with Masakari), every lab service.
 * The lab is named "labbench" (not the file's cloud), so a lab that is up
 * from the same file is left alone. --append adds the dated Markdown section
 * to bench/RESULTS.md.
 */
import { appendFileSync } from "node:fs";
import { loadavg } from "node:os";
import { labDown } from "../src/targets/lab/down.ts";
import { coldStart, cpuSeconds, labMemory, processTreeUsage, shortPath } from "./lab-measure.ts";

const { args, file, plan, layout, load, steps, up } = await coldStart(
  new URL("../examples/packtpub-prod.yaml", import.meta.url),
  "labbench",
);
// memory per daemon: the supervised process and everything it forked (uwsgi workers, beam children, …)
const rss = processTreeUsage(layout);
const whole = labMemory(layout);
// what the idle lab takes from the machine's two cores (what every drill and test runs beside)
const IDLE_S = 30;
const idleFrom = new Map(rss.map((r) => [`${r.host}/${r.name}`, r.cpu]));
const idleLoad = loadavg()[0]!.toFixed(1);
await new Promise((r) => setTimeout(r, IDLE_S * 1000));
const idle = new Map<string, number>();
for (const r of processTreeUsage(layout)) {
  const was = idleFrom.get(`${r.host}/${r.name}`);
  if (was !== undefined) idle.set(r.service, (idle.get(r.service) ?? 0) + (r.cpu - was) / IDLE_S);
}
const idleTotal = [...idle.values()].reduce((a, b) => a + b, 0);
// CPU time spent bringing the lab up, independent of how busy the machine was: the daemons (with
// the children they reaped) plus this process and the commands it ran (rabbitmqctl, keystone-manage…)
const cpuTotal = cpuSeconds("self") + rss.reduce((s, r) => s + r.cpu, 0);
const down = await labDown({ cloud: plan.cloud });

const mb = (kb: number): string => (kb / 1024).toFixed(1);
const daemons = rss.filter((r) => r.service !== "lab");
const anchors = rss.filter((r) => r.service === "lab");
const total = rss.reduce((s, r) => s + r.kb, 0);
const byService = new Map<string, { rss: number; pss: number }>();
for (const r of daemons) {
  const was = byService.get(r.service) ?? { rss: 0, pss: 0 };
  byService.set(r.service, { rss: was.rss + r.kb, pss: was.pss + r.pssKb });
}
const date = new Date().toISOString().slice(0, 10);
const md = [
  `## Lab cold start — ${date}`,
  "",
  `\`npx tsx bench/lab-up.ts${args.length ? " " + args.join(" ") : ""}\` (root) — \`lab up\` of ${shortPath(file)} from nothing`,
  `(packages already installed), then \`lab down\`. Machine: the project's 2-vCPU VM, load average ${load} when it started.`,
  "",
  `**Cold start ${(up.totalMs / 1000).toFixed(1)} s; total RSS ${mb(total)} MB; lab down ${(down.totalMs / 1000).toFixed(1)} s.**`,
  `The whole lab cgroup (${whole.processes} processes, daemonized children included): RSS ${mb(whole.rssKb)} MB summed,`,
  `PSS ${mb(whole.pssKb)} MB (shared pages counted once: what the lab takes from the machine).`,
  `CPU time of the bring-up (daemons, hacloud and the commands it ran): ${cpuTotal.toFixed(0)} s.`,
  "",
  "| Step | s |",
  "|---|---:|",
  ...steps.map((s) => `| ${s.step} | ${(s.ms / 1000).toFixed(1)} |`),
  "",
  `Idle right after, over ${IDLE_S} s (load ${idleLoad} at its start): the daemons used **${idleTotal.toFixed(2)} of the 2 cores**;`,
  `by service: ${[...idle]
    .sort((a, b) => b[1] - a[1])
    .filter(([, c]) => c >= 0.005)
    .map(([n, c]) => `${n} ${c.toFixed(2)}`)
    .join(", ")}.`,
  "",
  "| Host | Daemon | RSS MB | PSS MB | Processes |",
  "|---|---|---:|---:|---|",
  ...daemons.map((r) => `| ${r.host} | ${r.name} | ${mb(r.kb)} | ${mb(r.pssKb)} | ${r.count} (${r.names}) |`),
  `| all hosts | anchors (${anchors.length}) | ${mb(anchors.reduce((s, r) => s + r.kb, 0))} | ${mb(anchors.reduce((s, r) => s + r.pssKb, 0))} | sleep |`,
  "",
  `Per service, RSS / PSS MB: ${[...byService].map(([s, m]) => `${s} ${mb(m.rss)} / ${mb(m.pss)}`).join(", ")}.`,
  "",
].join("\n");
process.stdout.write(md);
if (args.includes("--append")) appendFileSync(new URL("./RESULTS.md", import.meta.url), "\n" + md);
