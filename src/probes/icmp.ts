/**
 * Tenant-traffic probes: ICMP echo by iputils `ping` (Node has no raw
 * sockets), one process per destination pacing itself at the probe's rate,
 * and a TCP echo round trip. `ping -D -O` prints every reply with its
 * timestamp and round trip, and an "no answer yet" line for a request still
 * open when the next one goes out; each sequence number becomes one sample,
 * answered (with its round trip) or lost once the timeout passes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { createInterface } from "node:readline";
import type { WorkerCommand } from "../targets/target.ts";
import { nowMs, type Attempt } from "./scheduler.ts";
import type { ProbeRate, ProbeSample, UserProbe } from "./types.ts";

/** What the worker's loops share: started, asked what is in flight, stopped. */
export interface RunningProbe {
  readonly probe: UserProbe;
  start(): void;
  inFlightNow(): { count: number; oldest: number | null };
  stop(graceMs: number): Promise<void>;
}

/** One line of `ping -D -O` output, parsed: a reply (with its round trip) or a request still open. */
export type PingLine =
  | { readonly kind: "reply"; readonly seq: number; readonly at: number; readonly rttMs: number }
  | { readonly kind: "pending"; readonly seq: number; readonly at: number };

/** Parses one line of `ping -D -O` output (undefined for headers, summaries and errors). */
export function parsePingLine(line: string): PingLine | undefined {
  const ts = /^\[(\d+\.\d+)\]\s+(.*)$/.exec(line.trim());
  if (ts === null) return undefined;
  const at = Number(ts[1]) * 1000;
  const rest = ts[2]!;
  const reply = /icmp_seq=(\d+)\b.*\btime=([\d.]+) ms/.exec(rest);
  if (reply !== null) return { kind: "reply", seq: Number(reply[1]), at, rttMs: Number(reply[2]) };
  const pending = /^no answer yet for icmp_seq=(\d+)/.exec(rest);
  if (pending !== null) return { kind: "pending", seq: Number(pending[1]), at };
  return undefined;
}

/** ping's own arguments for a rate, a per-request timeout and a deadline (the process ends by itself). */
export function pingArgs(address: string, rate: ProbeRate, deadlineMs: number): string[] {
  const interval = Math.max(0.002, 1 / rate.perSecond);
  return [
    "-n",
    "-D",
    "-O",
    "-i",
    interval.toFixed(3),
    "-W",
    String(Math.max(1, Math.ceil(rate.timeoutMs / 1000))),
    "-w",
    String(Math.ceil(deadlineMs / 1000)),
    address,
  ];
}

/**
 * Turns `ping` lines into samples: the send time of a request is its reply's time minus the round
 * trip, or (never answered) the time the request after it went out minus one interval, or its place
 * on ping's clock. A request is lost once `timeoutMs` passed since it went out without an answer.
 */
export class PingTracker {
  private readonly sentAt = new Map<number, number>();
  private readonly done = new Set<number>();
  private highest = 0;
  /** Send time of sequence 1, learnt from the first line that tells it. */
  private origin: number | undefined;

  constructor(
    private readonly probe: UserProbe,
    private readonly intervalMs: number,
    private readonly timeoutMs: number,
    private readonly emit: (s: ProbeSample) => void,
    /** Labels every sample (the instance hosts the path runs between). */
    private readonly target?: string,
  ) {}

  private get label(): { target?: string } {
    return this.target !== undefined ? { target: this.target } : {};
  }

  /** Feeds one parsed line. */
  line(l: PingLine): void {
    this.highest = Math.max(this.highest, l.seq);
    if (l.kind === "reply") {
      const t = l.at - l.rttMs;
      this.origin ??= t - (l.seq - 1) * this.intervalMs;
      if (this.done.has(l.seq)) return;
      this.done.add(l.seq);
      this.sentAt.delete(l.seq);
      const late = l.rttMs > this.timeoutMs;
      this.emit({
        probe: this.probe,
        t,
        ms: Math.round(l.rttMs * 100) / 100,
        ok: !late,
        ...(late ? { err: "timeout" } : {}),
        ...this.label,
      });
      return;
    }
    // printed as the next request goes out
    const t = l.at - this.intervalMs;
    this.origin ??= t - (l.seq - 1) * this.intervalMs;
    if (!this.done.has(l.seq)) this.sentAt.set(l.seq, t);
  }

  private sendTime(seq: number): number | undefined {
    return (
      this.sentAt.get(seq) ??
      (this.origin === undefined ? undefined : this.origin + (seq - 1) * this.intervalMs)
    );
  }

  /** Declares lost every open request older than the timeout (all of them when `final`). */
  sweep(now: number, final = false): void {
    for (let seq = 1; seq <= this.highest; seq++) {
      if (this.done.has(seq)) continue;
      const t = this.sendTime(seq);
      if (t === undefined || (!final && now - t < this.timeoutMs)) continue;
      this.done.add(seq);
      this.sentAt.delete(seq);
      this.emit({
        probe: this.probe,
        t,
        ms: Math.round(Math.min(now - t, this.timeoutMs)),
        ok: false,
        err: "timeout",
        ...this.label,
      });
    }
  }

  /** Requests sent and not yet answered or lost, and when the oldest went out. */
  open(): { count: number; oldest: number | null } {
    let count = 0;
    let oldest: number | null = null;
    for (let seq = 1; seq <= this.highest; seq++) {
      if (this.done.has(seq)) continue;
      const t = this.sendTime(seq);
      count++;
      if (t !== undefined) oldest = oldest === null ? t : Math.min(oldest, t);
    }
    return { count, oldest };
  }
}

/** One destination of a PingProbe: from the probe site, or from inside an instance (`prefix`). */
export interface PingTarget {
  readonly address: string;
  readonly prefix?: WorkerCommand;
  /** The sample's `target`: the hosts of the instances on the path ("cn01", "cn01>cn02"). */
  readonly label?: string;
}

/** ICMP echo to each destination, one `ping` process each (run through `prefix`: inside an instance). */
export class PingProbe implements RunningProbe {
  private readonly children: ChildProcess[] = [];
  private readonly trackers: PingTracker[] = [];
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    readonly probe: UserProbe,
    private readonly rate: ProbeRate,
    private readonly targets: readonly PingTarget[],
    private readonly deadlineMs: number,
    private readonly emit: (s: ProbeSample) => void,
  ) {}

  start(): void {
    const intervalMs = 1000 / this.rate.perSecond;
    for (const t of this.targets) {
      const tracker = new PingTracker(this.probe, intervalMs, this.rate.timeoutMs, this.emit, t.label);
      this.trackers.push(tracker);
      const ping = ["ping", ...pingArgs(t.address, this.rate, this.deadlineMs)];
      const [file, ...args] = t.prefix === undefined ? ping : [t.prefix.file, ...t.prefix.args, ...ping];
      const child = spawn(file!, args, { stdio: ["ignore", "pipe", "ignore"] });
      child.on("error", () => {
        // no ping: every request of this destination is lost, which the samples show
      });
      createInterface({ input: child.stdout }).on("line", (l) => {
        const parsed = parsePingLine(l);
        if (parsed !== undefined) tracker.line(parsed);
      });
      this.children.push(child);
    }
    this.sweeper = setInterval(() => {
      for (const t of this.trackers) t.sweep(nowMs());
    }, 100);
  }

  inFlightNow(): { count: number; oldest: number | null } {
    let count = 0;
    let oldest: number | null = null;
    for (const t of this.trackers) {
      const o = t.open();
      count += o.count;
      if (o.oldest !== null) oldest = oldest === null ? o.oldest : Math.min(oldest, o.oldest);
    }
    return { count, oldest };
  }

  async stop(graceMs: number): Promise<void> {
    const exited = this.children.map(
      (c) =>
        new Promise<void>((r) =>
          c.exitCode !== null || c.signalCode !== null ? r() : c.once("exit", () => r()),
        ),
    );
    for (const c of this.children) c.kill("SIGINT");
    await Promise.race([Promise.all(exited), new Promise((r) => setTimeout(r, graceMs))]);
    for (const c of this.children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    // what went out in the last timeout before the stop is not judged: the stop cut it short
    const now = nowMs();
    for (const t of this.trackers) t.sweep(now);
  }
}

/** One TCP round trip: connect, send a line, read it back from the instance's echo server. */
export function tcpEcho(address: string, port: number, tick: number, signal: AbortSignal): Promise<Attempt> {
  return new Promise((resolve) => {
    const line = `hacloud ${tick}\n`;
    let got = "";
    const sock = connect({ host: address, port, signal });
    const finish = (a: Attempt): void => {
      sock.destroy();
      resolve(a);
    };
    sock.setNoDelay(true);
    sock.on("connect", () => sock.write(line));
    sock.on("data", (d: Buffer) => {
      got += d.toString("utf8");
      if (got.length >= line.length)
        finish(got === line ? { ok: true } : { ok: false, err: "echo mismatch" });
    });
    sock.on("error", (e: NodeJS.ErrnoException) =>
      finish({ ok: false, err: signal.aborted ? "timeout" : (e.code ?? e.message.slice(0, 60)) }),
    );
    sock.on("end", () => finish({ ok: false, err: "closed" }));
  });
}
