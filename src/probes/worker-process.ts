/**
 * The caller's side of the probe worker (drills stream from it, verify asks
 * it once for the catalogue): starts it where the users are (the target's
 * probe site), hands it the task on stdin, collects the JSON lines it
 * streams, and stops it by PID. Besides util/run.ts this is the one place
 * probes spawn: the worker streams while it runs, which run() (run to
 * completion) cannot do.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createInterface } from "node:readline";
import type { ProbeSample, WorkerTask } from "./types.ts";
import type { Target, WorkerCommand } from "../targets/target.ts";
import { HacloudError } from "../errors.ts";
import { run } from "../util/run.ts";

/** The probe worker failed: exited or timed out before it was ready, printed no result, or reported an error. */
export class ProbeWorkerError extends HacloudError {
  override readonly name = "ProbeWorkerError";
  override readonly code = "E-PROBE-001";
}

/** The command line that runs the worker on this machine with Node and tsx (so no build step is needed). */
export function workerArgv(): WorkerCommand {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  const worker = fileURLToPath(new URL("./worker.ts", import.meta.url));
  return { file: process.execPath, args: ["--import", tsx, worker] };
}

/** A running probe worker. */
export class WorkerProcess {
  readonly samples: ProbeSample[] = [];
  readonly errors: string[] = [];
  /** The latest in-flight report: per probe, how many requests are open and when the oldest started. */
  inflight: Readonly<Record<string, { count: number; oldest: number | null }>> = {};
  private child: ChildProcess | undefined;
  private readyResolve: (() => void) | undefined;
  private readyReject: ((e: Error) => void) | undefined;
  private readonly ready: Promise<void>;
  private exited: Promise<void> = Promise.resolve();
  private stderrTail = "";

  constructor(private readonly onSample?: (s: ProbeSample) => void) {
    this.ready = new Promise((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
  }

  /** Starts the worker and resolves once it reports ready (its set-up done), or rejects after `timeoutMs`. */
  async start(cmd: WorkerCommand, task: WorkerTask, timeoutMs = 60_000): Promise<void> {
    const child = spawn(cmd.file, [...cmd.args], { stdio: ["pipe", "pipe", "pipe"] });
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.on("exit", (code, signal) => {
        this.readyReject?.(
          new ProbeWorkerError(
            `probe worker exited (${signal ?? code}) before it was ready: ${this.stderrTail.trim()}`,
          ),
        );
        resolve();
      });
      child.on("error", (e) => {
        this.readyReject?.(e);
        resolve();
      });
    });
    child.stderr.on("data", (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString("utf8")).slice(-2000);
    });
    createInterface({ input: child.stdout }).on("line", (l) => this.onLine(l));
    child.stdin.end(JSON.stringify(task));
    const timer = setTimeout(
      () => this.readyReject?.(new ProbeWorkerError(`probe worker not ready after ${timeoutMs} ms`)),
      timeoutMs,
    );
    try {
      await this.ready;
    } finally {
      clearTimeout(timer);
    }
  }

  private onLine(line: string): void {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    if (msg["ready"] === true) {
      this.readyResolve?.();
      this.readyResolve = undefined;
      this.readyReject = undefined;
    } else if (typeof msg["inflight"] === "object" && msg["inflight"] !== null) {
      this.inflight = msg["inflight"] as Record<string, { count: number; oldest: number | null }>;
    } else if (typeof msg["error"] === "string") {
      this.errors.push(msg["error"]);
      this.readyReject?.(new ProbeWorkerError(`probe worker: ${msg["error"]}`));
    } else if (typeof msg["probe"] === "string") {
      const s = msg as unknown as ProbeSample;
      this.samples.push(s);
      this.onSample?.(s);
    }
  }

  /** The PID (for the record and for stopping by PID). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Stops the worker by PID: SIGTERM (it finishes requests in flight), SIGKILL after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    const c = this.child;
    if (c === undefined || c.exitCode !== null || c.signalCode !== null || c.pid === undefined) return;
    c.kill("SIGTERM");
    const killed = await Promise.race([
      this.exited.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), graceMs)),
    ]);
    if (killed) {
      c.kill("SIGKILL");
      await this.exited;
    }
  }
}

/** Runs a one-shot worker task (sql-verify, catalog…) and returns its last JSON line. */
export async function workerOnce<T>(
  target: Target,
  task: WorkerTask,
  timeoutMs = 60_000,
  worker: { readonly file: string; readonly args: readonly string[] } = workerArgv(),
): Promise<T> {
  const w = worker;
  const cmd = target.probeSite().worker(w);
  const r = await run(cmd.file, cmd.args, { input: JSON.stringify(task), timeoutMs, allowFailure: true });
  const last = r.stdout.trim().split("\n").at(-1) ?? "";
  let parsed: unknown;
  try {
    parsed = JSON.parse(last);
  } catch {
    throw new ProbeWorkerError(
      `probe worker (${task.mode}) printed no result: ${(r.stderr || r.stdout).trim().split("\n").slice(-3).join(" | ")}`,
    );
  }
  const err = (parsed as { error?: unknown }).error;
  if (r.exitCode !== 0 && typeof err === "string")
    throw new ProbeWorkerError(`probe worker (${task.mode}): ${err}`);
  return parsed as T;
}
