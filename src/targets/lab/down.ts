/**
 * `lab down`: undoes everything a lab's journal says was (or was about to
 * be) created — every process of the lab's cgroup at once with
 * `cgroup.kill` (SIGKILL: their data goes too), waiting until the groups are
 * empty; then, as a safety net, journalled PIDs and anything still inside the
 * lab's namespaces; the namespaces (their veths and bridges go with them),
 * files outside the state directory, the cgroups, and finally the state
 * directory. Works after `lab up` was killed at any point, and when nothing
 * is left (a no-op).
 */
import { existsSync, readdirSync, rmdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { killCgroup, removeCgroup } from "./cgroups.ts";
import { silentSink, step, type LabSink } from "./events.ts";
import { deleteNetnsAll, pidsInNetns } from "./fabric.ts";
import { journalPath, journalProcesses, readJournal } from "./journal.ts";
import { LAB_ROOT } from "./layout.ts";
import { acquireLock } from "./lock.ts";
import { requireRoot } from "./preflight.ts";
import { POLICY_RC_D_CONTENT, removePolicyRcD } from "./packages.ts";
import { isAlive, processStartTime, signalOwn, waitGone } from "./procfs.ts";
import { stopProcesses } from "./supervisor.ts";

/** Options of `lab down`. */
export interface LabDownOptions {
  /** The cloud whose lab to remove; all labs when absent. */
  readonly cloud?: string;
  readonly root?: string;
  readonly sink?: LabSink;
}

/** What `lab down` removed. */
export interface LabDownResult {
  readonly labs: readonly string[];
  readonly processes: number;
  readonly namespaces: number;
  readonly totalMs: number;
}

/** Labs present under the root (directories with a journal or a lock). */
export function listLabs(root = LAB_ROOT): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** Removes one lab or all of them. */
export async function labDown(opts: LabDownOptions = {}): Promise<LabDownResult> {
  requireRoot("hacloud lab down");
  const started = performance.now();
  const root = opts.root ?? LAB_ROOT;
  const sink = opts.sink ?? silentSink;
  const labs =
    opts.cloud !== undefined ? [opts.cloud].filter((c) => existsSync(`${root}/${c}`)) : listLabs(root);
  let processes = 0;
  let namespaces = 0;
  for (const cloud of labs) {
    const r = await step(sink, `down ${cloud}`, () => downOne(`${root}/${cloud}`, sink));
    processes += r.processes;
    namespaces += r.namespaces;
  }
  // the parents exist only for labs; leave nothing behind when the last one goes
  for (const dir of [root, dirname(root)]) {
    try {
      if (root === LAB_ROOT && existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
    } catch {
      // not empty or already gone
    }
  }
  return { labs, processes, namespaces, totalMs: performance.now() - started };
}

async function killPids(pids: readonly number[]): Promise<number> {
  const procs = pids
    .map((pid) => ({ pid, start: processStartTime(pid) }))
    .filter((p) => p.start !== undefined);
  for (const p of procs) signalOwn(p.pid, p.start, "SIGKILL");
  await waitGone(procs, 3000);
  return procs.length;
}

async function downOne(stateDir: string, sink: LabSink): Promise<{ processes: number; namespaces: number }> {
  if (!stateDir.startsWith("/") || stateDir.split("/").filter(Boolean).length < 2) {
    throw new Error(`refusing to remove ${stateDir}`);
  }
  const release = acquireLock(stateDir);
  try {
    const entries = readJournal(journalPath(stateDir));
    const procs = journalProcesses(entries).filter((p) => p.pid !== undefined);
    const netns = [...new Set(entries.flatMap((e) => (e.op === "netns" ? [e.name] : [])))].reverse();
    const groups = [...new Set(entries.flatMap((e) => (e.op === "cgroup" ? [e.group] : [])))];
    // everything at once with SIGKILL: the lab's data is deleted next, so a graceful shutdown would
    // only cost time; the cgroup holds whatever the daemons forked, in any namespace, under any name
    const killed = await step(sink, "stop processes", async () => {
      let n = 0;
      for (const g of groups) n += await killCgroup(g);
      // a journalled process outside the groups can only be one whose cgroup join failed
      const strays = procs.filter((p) => isAlive(p.pid!, p.start));
      n += strays.length;
      await stopProcesses(strays.map((p) => ({ ...p, stopSignal: "SIGKILL" })));
      // and nothing may stay in our namespaces, whatever started it (an engine command cut short)
      n += await killPids(pidsInNetns(netns));
      return n;
    });
    // namespaces: their veths and bridges go with them
    const namespaces = await step(sink, "delete namespaces", () => deleteNetnsAll(netns));
    await step(sink, "remove files", () => {
      // files outside the state directory, only when they are still what we wrote
      for (const e of [...entries].reverse()) {
        if (e.op === "file" && e.content === POLICY_RC_D_CONTENT) removePolicyRcD();
      }
      for (const g of groups) removeCgroup(g);
      // the state directory: configs, data, logs, secrets, journal
      rmSync(stateDir, { recursive: true, force: true });
      return Promise.resolve();
    });
    return { processes: killed, namespaces };
  } finally {
    release();
  }
}
