/**
 * The one place that turns a failure into what the operator reads and the
 * exit code: a HacloudError prints its code, message, hint and log tails; an
 * error of the operating system (ENOENT, EACCES…) is the machine's; anything
 * else is a bug in hacloud, said as such. Exit codes: 1 for a failure of the
 * input or the machine, 2 for a usage error, 3 for an internal error.
 */
import { HacloudError, type ErrorCode, type ErrorSource } from "../errors.ts";
import { CliFailure, UsageError } from "./io.ts";

/** What the CLI prints for a failure (on stderr) and the exit code it returns. */
export interface ErrorReport {
  readonly code: ErrorCode;
  readonly source: ErrorSource;
  /** The message alone (for the JSON error object). */
  readonly message: string;
  readonly hint?: string;
  readonly text: string;
  readonly exitCode: number;
}

/** Maps anything a command threw to its report; `debug` adds the stack trace of internal errors. */
export function reportError(e: unknown, debug = false): ErrorReport {
  if (e instanceof HacloudError && e.source !== "internal") {
    const lines = [`hacloud: error ${e.code} ${e.message}`];
    if (e.hint) lines.push(`hint: ${e.hint}`);
    for (const log of e.details) {
      if (log.lines.length === 0) continue;
      lines.push(`--- last lines of ${log.file}:`, ...log.lines.map((l) => `    ${l}`));
    }
    lines.push(...causeLines(e));
    if (e instanceof UsageError) lines.push("(run `hacloud --help` for usage)");
    const exitCode = e instanceof UsageError ? 2 : e instanceof CliFailure ? e.exitCode : 1;
    return {
      code: e.code,
      source: e.source,
      message: e.message,
      hint: e.hint,
      text: lines.join("\n") + "\n",
      exitCode,
    };
  }
  if (isSystemError(e)) {
    return {
      code: "E-SYS-001",
      source: "environment",
      message: e.message,
      text: `hacloud: error E-SYS-001 ${e.message}\n`,
      exitCode: 1,
    };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  const code = e instanceof HacloudError ? e.code : "E-INTERNAL-001";
  const trailer = debug
    ? (err.stack ?? "")
    : "(set HACLOUD_DEBUG=1 for the stack trace, and please report it)";
  return {
    code,
    source: "internal",
    message: err.message,
    text: `hacloud: internal error ${code} ${err.message}\n${trailer}\n`,
    exitCode: 3,
  };
}

/** "caused by" lines for the wrapped errors whose message the outer one does not already repeat. */
function causeLines(e: Error): string[] {
  const out: string[] = [];
  let said = e.message;
  let cause = e.cause;
  for (let depth = 0; cause instanceof Error && depth < 3; depth++) {
    if (!said.includes(cause.message)) out.push(`caused by: ${cause.message.replace(/\n/g, "\n  ")}`);
    said += cause.message;
    cause = cause.cause;
  }
  return out;
}

/** Node's errors of a system call carry an errno code and the call's name. */
function isSystemError(e: unknown): e is NodeJS.ErrnoException {
  return (
    e instanceof Error &&
    typeof (e as NodeJS.ErrnoException).code === "string" &&
    /^E[A-Z0-9]+$/.test((e as NodeJS.ErrnoException).code!) &&
    typeof (e as NodeJS.ErrnoException).syscall === "string"
  );
}
