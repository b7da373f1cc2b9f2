/** What a drill tells as it goes: timed events (for the timeline and the log) and notes for the report. */
import { nowMs } from "../probes/scheduler.ts";
import type { DrillEvent } from "./result.ts";

/** Progress messages for the CLI (the library never prints). */
export type DrillLog = (message: string) => void;

/** Collects one drill's events and notes; every phase writes to the same one. */
export class DrillRecorder {
  readonly events: DrillEvent[] = [];
  readonly notes: string[] = [];

  constructor(
    private readonly scenario: string,
    private readonly log: DrillLog,
  ) {}

  /** Something happened now: on the timeline and in the log. */
  event(label: string): void {
    this.events.push({ t: nowMs(), label });
    this.log(`${this.scenario}: ${label}`);
  }

  /** A sentence for the report. */
  note(text: string): void {
    this.notes.push(text);
  }
}
