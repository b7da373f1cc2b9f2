/**
 * Processes by PID, read from /proc: start times (so a recycled PID is never
 * mistaken for ours), liveness, signals to a process and its group, and
 * resident memory. Which processes belong to a lab host is the cgroup's
 * business (cgroups.ts), not the environment's: sudo and rootwrap clean it.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** Fields of /proc/PID/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** Start time in clock ticks since boot (field 22), or undefined when the process is gone. */
export function processStartTime(pid: number): number | undefined {
  const f = statFields(pid);
  // fields[0] is field 3 (state); starttime is field 22
  return f === undefined ? undefined : Number(f[19]);
}

/** The process is alive, is the one we started (same start time), and is not a zombie. */
export function isAlive(pid: number, start: number | undefined): boolean {
  const f = statFields(pid);
  if (f === undefined || f[0] === "Z" || f[0] === "X") return false;
  return start === undefined || Number(f[19]) === start;
}

/** Signals a process we started (checked by start time), and its process group when it leads one. */
export function signalOwn(pid: number, start: number | undefined, signal: NodeJS.Signals): boolean {
  if (!isAlive(pid, start)) return false;
  const f = statFields(pid);
  const pgid = f === undefined ? undefined : Number(f[2]);
  try {
    if (pgid === pid) process.kill(-pid, signal);
    else process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** All PIDs on the machine. */
export function allPids(): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
}

/** A process's command line, its arguments joined by spaces ("" when it is gone). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "latin1").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

/** Resident set size in kB (VmRSS), 0 when unknown. */
export function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Direct children of a process. */
export function childrenOf(pid: number): number[] {
  return allPids().filter((p) => Number(statFields(p)?.[1]) === pid);
}

/** Direct and indirect children of a process. */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number[]>();
  for (const p of allPids()) {
    const f = statFields(p);
    if (f === undefined) continue;
    const pp = Number(f[1]);
    const list = parent.get(pp) ?? [];
    list.push(p);
    parent.set(pp, list);
  }
  const out: number[] = [];
  const stack = [...(parent.get(pid) ?? [])];
  while (stack.length > 0) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(parent.get(p) ?? []));
  }
  return out;
}

/** The command name of a process (comm), or "". */
export function processName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}

/** The network namespace identity of a process ("net:[4026…]"), or undefined. */
export function netnsOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return undefined;
  }
}

/** Waits until none of the processes is alive, or the deadline passes; returns those still alive. */
export async function waitGone(
  procs: readonly { readonly pid: number; readonly start?: number }[],
  timeoutMs: number,
): Promise<{ pid: number; start?: number }[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = procs.filter((p) => isAlive(p.pid, p.start));
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    alive = alive.filter((p) => isAlive(p.pid, p.start));
  }
  return alive;
}
