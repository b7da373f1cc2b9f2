/**
 * An open-loop request scheduler: requests start on a fixed clock whatever
 * the previous ones do (a user does not wait for another user's hung
 * request), with a cap on requests in flight and a hard deadline.
 */
import type { EvacuationView } from "./evacuation.ts";
import type { ProbeRate, ProbeSample, UserProbe } from "./types.ts";

/** Epoch milliseconds with sub-millisecond precision, comparable across processes. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** What one request reports back: ok, or an error class; the SQL probe adds its acknowledged sequence number. */
export type Attempt =
  | {
      readonly ok: true;
      readonly seq?: number;
      readonly holders?: readonly string[];
      readonly evacuation?: EvacuationView;
    }
  | { readonly ok: false; readonly err: string; readonly seq?: number; readonly evacuation?: EvacuationView };

/** Runs `attempt` at `rate.perSecond` until stopped; `emit` gets every sample. */
export class ProbeLoop {
  private timer: NodeJS.Timeout | undefined;
  private inFlight = new Set<Promise<void>>();
  private readonly startedAt = new Map<Promise<void>, number>();
  private ticks = 0;
  private started = 0;

  constructor(
    readonly probe: UserProbe,
    readonly rate: ProbeRate,
    private readonly attempt: (tick: number, signal: AbortSignal) => Promise<Attempt>,
    private readonly emit: (s: ProbeSample) => void,
  ) {}

  /** Starts ticking. */
  start(): void {
    this.started = nowMs();
    const interval = 1000 / this.rate.perSecond;
    const loop = (): void => {
      this.fire();
      // Schedule against the clock, not the previous timer, so the rate does not drift under load.
      const next = this.started + ++this.ticks * interval - nowMs();
      this.timer = setTimeout(loop, Math.max(0, next));
    };
    loop();
  }

  private fire(): void {
    const t = nowMs();
    const tick = this.ticks;
    if (this.inFlight.size >= this.rate.maxInFlight) {
      this.emit({ probe: this.probe, t, ms: 0, ok: false, err: "overload" });
      return;
    }
    const signal = AbortSignal.timeout(this.rate.timeoutMs);
    const p = this.attempt(tick, signal)
      .catch((e: unknown): Attempt => ({ ok: false, err: errorClass(e, signal) }))
      .then((a) => {
        const ms = nowMs() - t;
        this.emit({
          probe: this.probe,
          t,
          ms: Math.round(ms * 100) / 100,
          ok: a.ok,
          ...(a.ok ? {} : { err: a.err }),
          ...(a.seq !== undefined ? { seq: a.seq } : {}),
          ...(a.ok && a.holders !== undefined ? { holders: a.holders } : {}),
          ...(a.evacuation !== undefined ? { evacuation: a.evacuation } : {}),
        });
      })
      .finally(() => {
        this.inFlight.delete(p);
        this.startedAt.delete(p);
      });
    this.inFlight.add(p);
    this.startedAt.set(p, t);
  }

  /** Requests in flight now and when the oldest of them started (so a hang shows before it ends). */
  inFlightNow(): { count: number; oldest: number | null } {
    let oldest: number | null = null;
    for (const t of this.startedAt.values()) oldest = oldest === null ? t : Math.min(oldest, t);
    return { count: this.inFlight.size, oldest };
  }

  /** Stops ticking and waits for requests in flight, at most `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, graceMs))]);
  }
}

/** A short, secret-free error class for a failed request. */
export function errorClass(e: unknown, signal?: AbortSignal): string {
  if (signal?.aborted) return "timeout";
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code !== "") return code;
    if (e.name === "TimeoutError" || e.name === "AbortError") return "timeout";
    return e.message.split("\n")[0]!.slice(0, 80);
  }
  return String(e).slice(0, 80);
}
