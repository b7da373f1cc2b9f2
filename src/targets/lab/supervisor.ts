/**
 * Starting and stopping a service's daemons by PID. A daemon runs in the
 * foreground inside its host (entered through the anchor), detached in its
 * own process group, output appended to <host>/log/<process>.log, its PID and
 * start time journalled. Nothing is restarted behind the operator's back:
 * only `lab up` starts what is missing, so drills see every failure.
 */
import { hostDirs } from "./anchor.ts";
import { newProcessId } from "./anchor.ts";
import { LabError, type LogTail } from "./errors.ts";
import type { Journal, JournalProcess } from "./journal.ts";
import { findLabHost } from "./layout.ts";
import { tailFile } from "./logs.ts";
import { serviceCgroup } from "./cgroups.ts";
import { isAlive, signalOwn, waitGone } from "./procfs.ts";
import { anchorOf, type LabRuntime } from "./runtime.ts";
import type { LabHostContext, LabProcess, LabService } from "./service.ts";
import { inHost, spawnDetached, underRestartLoop } from "./spawn.ts";

/** True when the journalled process is alive and is still the one we started. */
export function running(p: JournalProcess | undefined): boolean {
  return p?.pid !== undefined && isAlive(p.pid, p.start);
}

/** Log file of a process on a host. */
export function processLog(rt: LabRuntime, host: string, name: string): string {
  const lab = findLabHost(rt.layout, host);
  if (lab === undefined) throw new LabError(`no host ${host} in the lab`);
  return `${hostDirs(lab).log}/${name}.log`;
}

/** Starts one daemon in a host; journals intent before and PID after. */
export function startProcess(
  rt: LabRuntime,
  journal: Journal,
  service: string,
  host: string,
  proc: LabProcess,
): JournalProcess {
  const id = newProcessId(host, proc.name);
  const loop = proc.restart === "unless-stopped";
  const entry = {
    id,
    host,
    service,
    name: proc.name,
    // the loop passes TERM on and then exits; another stop signal would end the loop and orphan the daemon
    stopSignal: loop ? "SIGTERM" : (proc.stopSignal ?? "SIGTERM"),
    stopTimeoutMs: proc.stopTimeoutMs ?? 5000,
    ...(loop ? { restart: "unless-stopped" as const } : {}),
  };
  journal.append({ op: "process", ...entry });
  const group = serviceCgroup(rt.layout.prefix, host, service);
  const argv = loop ? underRestartLoop(proc.argv) : proc.argv;
  const spawned = spawnDetached(inHost(anchorOf(rt, host), group, argv, { user: proc.user, cwd: proc.cwd }), {
    env: proc.env ?? {},
    logFile: processLog(rt, host, proc.name),
  });
  journal.append({ op: "pid", id, pid: spawned.pid, start: spawned.start });
  return { ...entry, pid: spawned.pid, start: spawned.start };
}

/** Stops processes: their stop signal to each (and its group), then SIGKILL after the longest grace. */
export async function stopProcesses(procs: readonly JournalProcess[], graceCapMs = 6000): Promise<void> {
  const live = procs.filter(running);
  for (const p of live) signalOwn(p.pid!, p.start, (p.stopSignal as NodeJS.Signals) ?? "SIGTERM");
  const grace = Math.min(
    graceCapMs,
    Math.max(0, ...live.map((p) => (p.stopSignal === "SIGKILL" ? 0 : p.stopTimeoutMs))),
  );
  const left = await waitGone(
    live.map((p) => ({ pid: p.pid!, start: p.start })),
    grace,
  );
  for (const p of left) signalOwn(p.pid, p.start, "SIGKILL");
  await waitGone(left, 2000);
}

/** Waits until a service is healthy on a host; fails early when one of its daemons died. */
export async function waitHealthy(
  rt: LabRuntime,
  service: LabService,
  ctx: LabHostContext,
  procs: readonly JournalProcess[],
  signal?: AbortSignal,
): Promise<string> {
  const timeoutMs = service.healthTimeoutMs ?? 90_000;
  const deadline = Date.now() + timeoutMs;
  let last = "not checked yet";
  let delay = 100;
  while (Date.now() < deadline) {
    if (signal?.aborted) throw new LabError("interrupted");
    const dead = procs.filter((p) => !running(p));
    if (dead.length > 0) {
      throw new LabError(
        `${service.name} on ${ctx.host.name}: ${dead.map((p) => p.name).join(", ")} exited`,
        `see \`hacloud lab logs ${ctx.host.name} ${service.name}\`; \`hacloud lab up\` again retries, \`hacloud lab down\` removes everything`,
        procs.map((p) => tailFile(processLog(rt, ctx.host.name, p.name), 15)),
      );
    }
    try {
      const h = await service.health(ctx);
      if (h.ok) return h.detail;
      last = h.detail;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(1000, delay * 1.5);
  }
  const logs: LogTail[] = procs.map((p) => tailFile(processLog(rt, ctx.host.name, p.name), 15));
  throw new LabError(
    `${service.name} on ${ctx.host.name} is not healthy after ${Math.round(timeoutMs / 1000)} s: ${last}`,
    `see \`hacloud lab logs ${ctx.host.name} ${service.name}\`; \`hacloud lab up\` again retries, \`hacloud lab down\` removes everything`,
    logs,
  );
}
