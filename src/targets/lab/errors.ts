/**
 * The lab's expected failures: a message for the operator, what to do about
 * it, and the last lines of the logs that explain it. The CLI prints these
 * without a stack trace.
 */
import { HacloudError, type ErrorCode, type LogTail } from "../../errors.ts";

export type { LogTail } from "../../errors.ts";

/** A lab operation failed in a way the operator can act on. */
export class LabError extends HacloudError {
  override readonly name = "LabError";
  constructor(
    message: string,
    hint?: string,
    readonly logs: readonly LogTail[] = [],
    options: { readonly code?: ErrorCode; readonly cause?: unknown } = {},
  ) {
    super(message, { code: options.code ?? "E-LAB-001", hint, cause: options.cause, details: logs });
  }
}
