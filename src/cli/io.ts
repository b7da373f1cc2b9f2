/**
 * The CLI's view of the terminal: where output goes and whether to colour it.
 * Commands write through this, so tests can capture output without a process.
 */
import { readFileSync } from "node:fs";
import { HacloudError, type HacloudErrorOptions } from "../errors.ts";

/** Output streams and styling for a command run. */
export interface CliIO {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Colour what goes to standard output (decided for that stream alone). */
  readonly color: boolean;
  /** Colour what goes to standard error; `color` when absent. */
  readonly errColor?: boolean;
  /** `--quiet`: no progress and no informational lines, only results and errors. */
  readonly quiet?: boolean;
  readonly cwd: string;
  /** All of standard input (for `-`); none when absent. */
  readonly readStdin?: () => Uint8Array;
}

/**
 * Whether to colour a stream: never with NO_COLOR (https://no-color.org) set,
 * always with FORCE_COLOR, else when the stream is a terminal that is not dumb.
 * Each stream on its own: `render … 2>warnings.txt` from a terminal colours
 * stdout and leaves the file plain.
 */
export function colorFor(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true && env.TERM !== "dumb";
}

/** The real terminal. */
export function processIO(): CliIO {
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    color: colorFor(process.stdout, process.env),
    errColor: colorFor(process.stderr, process.env),
    cwd: process.cwd(),
    readStdin: () => readFileSync(0),
  };
}

/** Whether to colour standard error. */
export function errColor(io: CliIO): boolean {
  return io.errColor ?? io.color;
}

/** An informational line on standard error (what was written, where reports went), unless --quiet. */
export function info(io: CliIO, text: string): void {
  if (!io.quiet) io.err(text);
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
