/** What a drill tells as it goes: timed events (for the timeline and the sink) and notes for the report. */
import type { EventSink, HacloudEvent } from "../events.ts";
import { nowMs } from "../probes/scheduler.ts";
import type { DrillEvent } from "./result.ts";

/** Progress as lines of text ("lb-master-crash: inject …"), for callers written before the event sink. */
export type DrillLog = (message: string) => void;

/** A sink that words a drill's events as the lines a DrillLog has always received. */
export function drillLogSink(log: DrillLog): EventSink {
  return (e: HacloudEvent) => {
    if (e.kind === "drill-event") log(`${e.scenario}: ${e.label}`);
    else if (e.kind === "leftover-undone") log(`undid a fault left by an earlier run: ${e.fault}`);
  };
}

/** Collects one drill's events and notes; every phase writes to the same one. */
export class DrillRecorder {
  readonly events: DrillEvent[] = [];
  readonly notes: string[] = [];

  constructor(
    private readonly scenario: string,
    private readonly sink: EventSink,
  ) {}

  /** Something happened now: on the timeline and to the sink. */
  event(label: string): void {
    const t = nowMs();
    this.events.push({ t, label });
    this.sink({ kind: "drill-event", scenario: this.scenario, label, t });
  }

  /** A sentence for the report. */
  note(text: string): void {
    this.notes.push(text);
  }
}
