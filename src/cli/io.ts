/**
 * The CLI's view of the terminal: where output goes and whether to colour it.
 * Commands write through this, so tests can capture output without a process.
 */
import { readFileSync } from "node:fs";
import pc from "picocolors";
import { HacloudError, type HacloudErrorOptions } from "../errors.ts";

/** Output streams and styling for a command run. */
export interface CliIO {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly color: boolean;
  readonly cwd: string;
  /** All of standard input (for `-`); none when absent. */
  readonly readStdin?: () => Uint8Array;
}

/** The real terminal. */
export function processIO(): CliIO {
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    color: pc.isColorSupported,
    cwd: process.cwd(),
    readStdin: () => readFileSync(0),
  };
}

/** A usage error: exit code 2 with a one-line message. */
export class UsageError extends HacloudError {
  override readonly name = "UsageError";
  override readonly code = "E-USAGE-001";
}

/** An expected failure with a message for the operator (no stack trace): exit code 1 by default. */
export class CliFailure extends HacloudError {
  override readonly name = "CliFailure";
  constructor(
    message: string,
    readonly exitCode = 1,
    options: HacloudErrorOptions = {},
  ) {
    super(message, { code: "E-CLI-001", ...options });
  }
}
