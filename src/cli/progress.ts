/**
 * The one renderer of hacloud's progress events (src/events.ts) for the
 * terminal: every command that shows progress (`lab up`, `lab down`, `drill`,
 * `verify`) passes this sink to the library. Progress goes to stderr, so
 * stdout stays the command's result (text or JSON).
 */
import pc from "picocolors";
import type { EventSink, HacloudEvent } from "../events.ts";
import { errColor, type CliIO } from "./io.ts";

/** Milliseconds as the progress lines show them: "12.3 s". */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The line an event prints (with its newline), colored when `color`. */
export function progressLine(e: HacloudEvent, color: boolean): string {
  const c = pc.createColors(color);
  switch (e.kind) {
    case "step-start":
      return `${c.dim("…")} ${e.step}${e.detail ? c.dim(` (${e.detail})`) : ""}\n`;
    case "step-end":
      return `${c.green("✓")} ${e.step} ${c.dim(seconds(e.ms))}\n`;
    case "step-fail":
      return `${c.red("✗")} ${e.step} ${c.dim(seconds(e.ms))}\n`;
    case "warning":
      return `${c.yellow("!")} ${e.message}\n`;
    case "info":
      return `  ${e.message}\n`;
    // A drill's lines are not dimmed: they are the whole story of a run that takes minutes.
    case "drill-event":
      return `… ${e.scenario}: ${e.label}\n`;
    case "leftover-undone":
      return `… undid a fault left by an earlier run: ${e.fault}\n`;
  }
}

/** Prints events on stderr; with --quiet only warnings and failed steps. */
export function progressSink(io: CliIO): EventSink {
  return (e) => {
    if (io.quiet && e.kind !== "warning" && e.kind !== "step-fail") return;
    io.err(progressLine(e, errColor(io)));
  };
}
