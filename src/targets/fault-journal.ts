/**
 * The fault journal: every injected fault with the undo actions that restore
 * it, written and fsync'd BEFORE the fault acts, and an "undone" mark after
 * its undo. A drill killed with SIGKILL leaves entries without their mark;
 * the next drill (or `lab down`) replays their undo actions. Undo actions are
 * plain data that the target interprets, so any later process can run them.
 */
import { appendJsonLine, readJsonLines } from "../util/jsonl.ts";
import type { Fault } from "./fault.ts";

/** A target-specific, serialisable undo step (e.g. `{ kind: "link-up", … }`). */
export interface UndoAction {
  readonly kind: string;
  readonly [key: string]: unknown;
}

/** One journal line. */
export type FaultJournalEntry =
  | {
      readonly op: "inject";
      readonly id: string;
      readonly at: string;
      readonly pid: number;
      readonly fault: Fault;
      /** In the order they were registered; undo runs them last first. */
      readonly undo: readonly UndoAction[];
    }
  | { readonly op: "undone"; readonly id: string; readonly at: string };

/** Append-only, fsync'd JSON lines. */
export class FaultJournal {
  constructor(readonly path: string) {}

  /** Appends one entry durably. */
  append(entry: FaultJournalEntry): void {
    appendJsonLine(this.path, entry);
  }

  /** All complete entries (a line torn by SIGKILL is skipped: the fault it announced never acted either). */
  read(): FaultJournalEntry[] {
    return readJsonLines<FaultJournalEntry>(this.path);
  }

  /** Injected faults whose undo never completed, oldest first. */
  leftovers(): Extract<FaultJournalEntry, { op: "inject" }>[] {
    const entries = this.read();
    const done = new Set(entries.flatMap((e) => (e.op === "undone" ? [e.id] : [])));
    return entries.flatMap((e) => (e.op === "inject" && !done.has(e.id) ? [e] : []));
  }
}
