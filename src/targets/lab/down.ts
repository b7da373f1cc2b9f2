/**
 * `lab down`: undoes everything a lab's journal says was (or was about to
 * be) created — daemons, then anchors, by PID (checked by start time) with
 * SIGKILL since their data goes too, then any process still inside the lab's namespaces, the namespaces
 * (their veths and bridges go with them), files outside the state directory,
 * and finally the state directory. Works after `lab up` was killed at any
 * point, and when nothing is left (a no-op).
 */
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { silentSink, step, type LabSink } from "./events.ts";
import { deleteNetnsAll, pidsInNetns } from "./fabric.ts";
import { journalPath, journalProcesses, readJournal } from "./journal.ts";
import { LAB_ROOT } from "./layout.ts";
import { acquireLock } from "./lock.ts";
import { requireRoot } from "./preflight.ts";
import { POLICY_RC_D_CONTENT, removePolicyRcD } from "./packages.ts";
import { allPids, isAlive, processStartTime, PROC_TAG, signalOwn, waitGone } from "./procfs.ts";
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
    const r = await step(sink, `down ${cloud}`, () => downOne(`${root}/${cloud}`, cloud, sink));
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

/** PIDs carrying this lab's environment tag (processes whose PID never reached the journal). */
function taggedPids(cloud: string): number[] {
  const prefix = `${PROC_TAG}=${cloud}/`;
  return allPids().filter((pid) => {
    if (pid === process.pid) return false;
    try {
      return readFileSync(`/proc/${pid}/environ`, "latin1")
        .split("\0")
        .some((v) => v.startsWith(prefix));
    } catch {
      return false;
    }
  });
}

async function killPids(pids: readonly number[]): Promise<number> {
  const procs = pids
    .map((pid) => ({ pid, start: processStartTime(pid) }))
    .filter((p) => p.start !== undefined);
  for (const p of procs) signalOwn(p.pid, p.start, "SIGKILL");
  await waitGone(procs, 3000);
  return procs.length;
}

async function downOne(
  stateDir: string,
  cloud: string,
  sink: LabSink,
): Promise<{ processes: number; namespaces: number }> {
  if (!stateDir.startsWith("/") || stateDir.split("/").filter(Boolean).length < 2) {
    throw new Error(`refusing to remove ${stateDir}`);
  }
  const release = acquireLock(stateDir);
  try {
    const entries = readJournal(journalPath(stateDir));
    const procs = journalProcesses(entries).filter((p) => p.pid !== undefined);
    const netns = [...new Set(entries.flatMap((e) => (e.op === "netns" ? [e.name] : [])))].reverse();
    // every journalled process at once with SIGKILL: the lab's data is deleted next, so a graceful
    // shutdown would only cost time (daemons first, so none outlives its anchor's mount namespace)
    const killed = await step(sink, "stop processes", async () => {
      const daemons = procs.filter((p) => p.name !== "anchor");
      const anchors = procs.filter((p) => p.name === "anchor");
      let n = daemons.filter((p) => isAlive(p.pid!, p.start)).length;
      await stopProcesses(daemons.map((p) => ({ ...p, stopSignal: "SIGKILL" })));
      // processes whose PID never reached the journal, by the tag we put in their environment
      n += await killPids(taggedPids(cloud));
      n += anchors.filter((p) => isAlive(p.pid!, p.start)).length;
      await stopProcesses(anchors);
      // anything else still inside our namespaces (forked children, epmd…)
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
      // the state directory: configs, data, logs, secrets, journal
      rmSync(stateDir, { recursive: true, force: true });
      return Promise.resolve();
    });
    return { processes: killed, namespaces };
  } finally {
    release();
  }
}
