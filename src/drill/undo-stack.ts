/**
 * Undo actions of a drill, run last-registered-first. An action is
 * registered BEFORE the effect it undoes, so a failure half-way through an
 * inject still leaves something that restores the cloud; `unwind` runs every
 * action once, carries on past failures and reports them.
 */

/** One registered undo. */
interface Entry {
  readonly label: string;
  readonly run: () => Promise<void>;
}

/** What unwinding did. */
export interface UnwindReport {
  readonly undone: readonly string[];
  readonly failed: readonly { readonly label: string; readonly error: string }[];
}

/** A LIFO stack of undo actions. */
export class UndoStack {
  private readonly entries: Entry[] = [];

  /** Registers an undo; returns a function that drops it (when the effect is known not to have happened). */
  push(label: string, run: () => Promise<void>): () => void {
    const e = { label, run };
    this.entries.push(e);
    return () => {
      const i = this.entries.indexOf(e);
      if (i >= 0) this.entries.splice(i, 1);
    };
  }

  /** Pending undo labels, next first. */
  pending(): string[] {
    return this.entries.map((e) => e.label).reverse();
  }

  /** Runs every pending undo, newest first, each once, even when some fail. */
  async unwind(): Promise<UnwindReport> {
    const undone: string[] = [];
    const failed: { label: string; error: string }[] = [];
    while (this.entries.length > 0) {
      const e = this.entries.pop()!;
      try {
        await e.run();
        undone.push(e.label);
      } catch (err) {
        failed.push({ label: e.label, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return { undone, failed };
  }
}
