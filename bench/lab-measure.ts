/**
 * What bench/lab-up.ts and bench/lab-cpu.ts share: a cold `lab up` of a
 * topology under a cloud name of the benchmark's own (so a lab someone
 * brought up from the same file is left alone), with per-step timings, and
 * what each journalled process tree uses — resident memory and CPU seconds
 * from /proc.
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { buildPlan } from "../src/plan/build.ts";
import type { Plan } from "../src/plan/types.ts";
import { loadTopologyFile } from "../src/spec/load.ts";
import { labDown } from "../src/targets/lab/down.ts";
import type { LabEvent } from "../src/targets/lab/events.ts";
import { currentProcesses, journalPath, readJournal } from "../src/targets/lab/journal.ts";
import { labLayout, type LabLayout } from "../src/targets/lab/layout.ts";
import { descendants, isAlive, processName, rssKb } from "../src/targets/lab/procfs.ts";
import { cgroupPids, labCgroup } from "../src/targets/lab/cgroups.ts";
import { labUp, type LabUpResult } from "../src/targets/lab/up.ts";

const TICKS_PER_SECOND = 100;

/** utime + stime + cutime + cstime of a process, in seconds (0 when it is gone). */
export function cpuSeconds(pid: number | "self"): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields 14-17 of stat(5) are at 11-14 here (the list starts at field 3)
    return [11, 12, 13, 14].reduce((s, i) => s + Number(f[i]), 0) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** A finished cold start. */
export interface ColdStart {
  /** The benchmark's command-line arguments. */
  readonly args: readonly string[];
  readonly file: string;
  readonly plan: Plan;
  readonly layout: LabLayout;
  /** 1-minute load average when it started. */
  readonly load: string;
  readonly steps: readonly { readonly step: string; readonly ms: number }[];
  readonly up: LabUpResult;
  /** CPU seconds this process spent in `lab up` (with the commands it ran and reaped). */
  readonly engineCpuS: number;
}

/** `lab up` of FILE (the first non-option argument, else `defaultFile`) as lab `cloud`, from nothing. */
export async function coldStart(defaultFile: URL, cloud: string): Promise<ColdStart> {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith("--")) ?? defaultFile.pathname;
  const loaded = loadTopologyFile(file);
  if (!loaded.topology) throw new Error(`${file} is not a valid topology`);
  const plan = buildPlan({ ...loaded.topology, cloud });
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
  const up = await labUp({ plan, topologyFile: file, sink }).catch(async (e: unknown) => {
    await labDown({ cloud: plan.cloud }); // a failed run leaves nothing behind either
    throw e;
  });
  return { args, file, plan, layout, load, steps, up, engineCpuS: cpuSeconds("self") - cpuBefore };
}

/** One journalled process (a daemon, or an anchor: service "lab") with everything it forked. */
export interface ProcessTreeUsage {
  readonly host: string;
  readonly service: string;
  readonly name: string;
  readonly kb: number;
  /** Proportional set size of the tree (shared pages split between the processes sharing them). */
  readonly pssKb: number;
  /** Its live members' CPU seconds plus what the leader reaped (children's time is counted once). */
  readonly cpu: number;
  readonly count: number;
  /** Distinct process names in the tree, e.g. "beam.smp+erl_child_setup+sh". */
  readonly names: string;
}

/** Memory and CPU of every live journalled process tree of a lab (uwsgi workers, beam children, …). */
export function processTreeUsage(layout: LabLayout): ProcessTreeUsage[] {
  const rows: ProcessTreeUsage[] = [];
  for (const p of currentProcesses(readJournal(journalPath(layout.stateDir))).values()) {
    if (p.pid === undefined || !isAlive(p.pid, p.start)) continue;
    const tree = [p.pid, ...descendants(p.pid)];
    rows.push({
      host: p.host,
      service: p.service,
      name: p.name,
      kb: tree.reduce((s, pid) => s + rssKb(pid), 0),
      pssKb: tree.reduce((s, pid) => s + pssKb(pid), 0),
      cpu: tree.reduce((s, pid) => s + cpuSeconds(pid), 0),
      count: tree.length,
      names: [...new Set(tree.map(processName))].join("+"),
    });
  }
  return rows;
}

/** Proportional set size in kB (shared pages split among the processes sharing them), 0 when unknown. */
export function pssKb(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Memory of every process in the lab's cgroup, daemonized children included (a router's keepalived,
 * dnsmasq): the sum of RSS counts pages shared by forks and libraries once per process; PSS does not.
 */
export function labMemory(layout: LabLayout): { processes: number; rssKb: number; pssKb: number } {
  const pids = cgroupPids(labCgroup(layout.prefix));
  return {
    processes: pids.length,
    rssKb: pids.reduce((s, pid) => s + rssKb(pid), 0),
    pssKb: pids.reduce((s, pid) => s + pssKb(pid), 0),
  };
}

/** The topology file as the Markdown names it (examples/… or test/…). */
export function shortPath(file: string): string {
  return file.replace(/^.*\/(examples|test)\//, "$1/");
}
