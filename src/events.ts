/**
 * What the library tells its caller while it works: one family of typed
 * events sent to an injected sink, whoever emits them (`lab up`/`lab down`,
 * a lab service's start decision, a drill's phases). The CLI renders them in
 * one place (src/cli/progress.ts), tests record them, the dashboard may
 * stream them; the library itself never prints. Like src/errors.ts this
 * module imports nothing, so every layer may emit.
 */

/** A named step began (`detail`: e.g. the hosts it runs on). */
export interface StepStartEvent {
  readonly kind: "step-start";
  readonly step: string;
  readonly detail?: string;
}

/** A named step finished after `ms` milliseconds. */
export interface StepEndEvent {
  readonly kind: "step-end";
  readonly step: string;
  readonly ms: number;
  readonly detail?: string;
}

/** A named step failed after `ms` milliseconds (the error is thrown too; this is its progress line). */
export interface StepFailEvent {
  readonly kind: "step-fail";
  readonly step: string;
  readonly ms: number;
  readonly error: string;
}

/** Something worth saying; `service`: the lab service that said it (e.g. mariadb's Galera decision). */
export interface InfoEvent {
  readonly kind: "info";
  readonly message: string;
  readonly service?: string;
}

/** Something the operator should look at, though the work goes on. */
export interface WarningEvent {
  readonly kind: "warning";
  readonly message: string;
}

/** A moment on a drill's timeline: a phase begins, a fault is injected, the hold ends (`t`: epoch ms). */
export interface DrillEventEvent {
  readonly kind: "drill-event";
  readonly scenario: string;
  readonly label: string;
  readonly t: number;
}

/** Before the first drill, a fault an earlier, interrupted run left behind was undone. */
export interface LeftoverUndoneEvent {
  readonly kind: "leftover-undone";
  /** The fault, as `describeFault` words it. */
  readonly fault: string;
}

/** One progress event. */
export type HacloudEvent =
  | StepStartEvent
  | StepEndEvent
  | StepFailEvent
  | InfoEvent
  | WarningEvent
  | DrillEventEvent
  | LeftoverUndoneEvent;

/** Receives events; must not throw (a renderer's failure must not fail the work it reports). */
export type EventSink = (event: HacloudEvent) => void;

/** A sink that drops everything. */
export const silentSink: EventSink = () => {};

/** A sink that passes every event to each of `sinks`, in order. */
export function teeSink(...sinks: readonly (EventSink | undefined)[]): EventSink {
  const live = sinks.filter((s): s is EventSink => s !== undefined);
  return (e) => live.forEach((s) => s(e));
}

/** Runs one named step, reporting its start, end and duration (or failure). */
export async function step<T>(
  sink: EventSink,
  name: string,
  fn: () => Promise<T>,
  detail?: string,
): Promise<T> {
  const started = performance.now();
  sink({ kind: "step-start", step: name, ...(detail ? { detail } : {}) });
  try {
    const result = await fn();
    sink({ kind: "step-end", step: name, ms: performance.now() - started });
    return result;
  } catch (e) {
    sink({ kind: "step-fail", step: name, ms: performance.now() - started, error: (e as Error).message });
    throw e;
  }
}

/** A sink that keeps every event, for tests: `events` in order, `of(kind)` those of one kind. */
export interface RecordingSink {
  readonly sink: EventSink;
  readonly events: readonly HacloudEvent[];
  of<K extends HacloudEvent["kind"]>(kind: K): Extract<HacloudEvent, { kind: K }>[];
}

/** Records events (tests assert on them instead of on printed text). */
export function recordingSink(): RecordingSink {
  const events: HacloudEvent[] = [];
  return {
    events,
    sink: (e) => void events.push(e),
    of: <K extends HacloudEvent["kind"]>(kind: K) =>
      events.filter((e): e is Extract<HacloudEvent, { kind: K }> => e.kind === kind),
  };
}
