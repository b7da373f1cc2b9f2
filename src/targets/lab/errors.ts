/**
 * The lab's expected failures: a message for the operator, what to do about
 * it, and the last lines of the logs that explain it. The CLI prints these
 * without a stack trace.
 */

/** Last lines of one log file. */
export interface LogTail {
  readonly file: string;
  readonly lines: readonly string[];
}

/** A lab operation failed in a way the operator can act on. */
export class LabError extends Error {
  override readonly name = "LabError";
  constructor(
    message: string,
    readonly hint?: string,
    readonly logs: readonly LogTail[] = [],
  ) {
    super(message);
  }
}
