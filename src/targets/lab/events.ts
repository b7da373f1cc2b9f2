/**
 * The lab's progress events are hacloud's one event family (src/events.ts);
 * these names stay so that the engine files and the lab tests written
 * against them keep compiling. New code imports src/events.ts.
 */
import type { EventSink, HacloudEvent } from "../../events.ts";

export { silentSink, step } from "../../events.ts";

/** One progress event of the lab (any of hacloud's events). */
export type LabEvent = HacloudEvent;

/** Receives the lab's events; must not throw. */
export type LabSink = EventSink;

/** Timings of finished steps, in order (for the benchmark and `lab up --json`). */
export function recordTimings(): { sink: LabSink; timings: { step: string; ms: number }[] } {
  const timings: { step: string; ms: number }[] = [];
  return {
    timings,
    sink: (e) => {
      if (e.kind === "step-end") timings.push({ step: e.step, ms: e.ms });
    },
  };
}
