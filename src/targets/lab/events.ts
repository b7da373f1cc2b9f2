/**
 * What the lab tells its caller while it works: typed events sent to an
 * injected sink (the CLI prints them with timings, tests record them, the
 * dashboard may stream them). The library itself never prints.
 */

/** One progress event. */
export type LabEvent =
  | { readonly kind: "step-start"; readonly step: string; readonly detail?: string }
  | { readonly kind: "step-end"; readonly step: string; readonly ms: number; readonly detail?: string }
  | { readonly kind: "step-fail"; readonly step: string; readonly ms: number; readonly error: string }
  /** `service`: the lab service that reported it (e.g. mariadb's start decision), when one did. */
  | { readonly kind: "info"; readonly message: string; readonly service?: string }
  | { readonly kind: "warning"; readonly message: string };

/** Receives events; must not throw. */
export type LabSink = (event: LabEvent) => void;

/** A sink that drops everything. */
export const silentSink: LabSink = () => {};

/** Runs one named step, reporting its start, end and duration (or failure). */
export async function step<T>(
  sink: LabSink,
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
