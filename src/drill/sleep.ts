/** An abortable sleep for the drill's phases: Ctrl-C ends a wait at once, and the undo still runs. */

/** The drill was interrupted (its signal aborted). */
export class Aborted extends Error {
  override readonly name = "Aborted";
}

/** Waits `ms`, or rejects with Aborted as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Aborted("interrupted"));
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new Aborted("interrupted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** An error as the one line a report shows ("interrupted" for an abort). */
export function errorText(e: unknown): string {
  return e instanceof Aborted ? "interrupted" : e instanceof Error ? e.message : String(e);
}
