/**
 * The one error base of hacloud. Every failure an operator can meet carries a
 * stable code (listed with its meaning and a hint in docs/errors.md), who can
 * fix it (the operator's input, the machine or cloud, or hacloud itself), a
 * hint, the error it wraps and, for the lab, the log lines that explain it.
 * The library only throws these; the CLI maps them to a message and an exit
 * code in one place (src/cli/report-error.ts). This module imports nothing,
 * so every layer may use it.
 */

/**
 * Who can fix a failure: `user` (the command line, the topology or a file the
 * operator gave), `environment` (the machine, its packages, a daemon, a
 * command hacloud ran), `internal` (a bug in hacloud).
 */
export type ErrorSource = "user" | "environment" | "internal";

/** What a code means and what to do about it (the registry behind docs/errors.md). */
export interface ErrorCodeDoc {
  readonly source: ErrorSource;
  readonly meaning: string;
  readonly hint: string;
}

/**
 * Every error code. A code is `E-AREA-NNN`: AREA names the part of hacloud
 * that raises it, NNN counts up within the area. Codes are never reused or
 * renumbered; a new failure gets a new code and a row in docs/errors.md.
 */
export const ERROR_CODES = {
  "E-USAGE-001": {
    source: "user",
    meaning:
      "the command line is wrong: an unknown value, a missing argument, options that exclude each other",
    hint: "run `hacloud COMMAND --help` for the options",
  },
  "E-CLI-001": {
    source: "user",
    meaning: "the command cannot do what was asked; the message says why",
    hint: "follow the message's own hint",
  },
  "E-INPUT-001": {
    source: "user",
    meaning:
      "a file named on the command line cannot be used: missing, unreadable, not UTF-8 text, or too large (exit code 2, like any usage error)",
    hint: "check the path; commands that read a topology take `-` for standard input",
  },
  "E-TOPOLOGY-001": {
    source: "user",
    meaning: "the topology file has errors (printed above the message), so nothing was done",
    hint: "run `hacloud check FILE` and fix the errors it lists",
  },
  "E-TARGET-001": {
    source: "user",
    meaning:
      "the target named by --target cannot be used: it is planned but not built yet (kolla; the message says what builds it)",
    hint: "use `--target lab` against a lab brought up with `hacloud lab up`",
  },
  "E-TARGET-002": {
    source: "user",
    meaning: "the target's configuration does not match its driver's schema (each wrong key is named)",
    hint: "fix the named options; `hacloud verify --help` lists those of --target",
  },
  "E-LAB-001": {
    source: "environment",
    meaning: "a lab operation failed: a missing package, a daemon that did not become healthy, no lab up",
    hint: "read the hint and the log lines printed with it; `hacloud lab logs HOST SERVICE` shows more",
  },
  "E-LAB-002": {
    source: "user",
    meaning: "the topology's addresses cannot be mapped into the lab range 198.18.0.0/15",
    hint: "use smaller networks or fewer of them, so that every host keeps its own lab address",
  },
  "E-LAB-003": {
    source: "user",
    meaning: "a fault, `lab exec` or `lab logs` names a host, network or service this lab does not have",
    hint: "`hacloud lab status` lists the lab's hosts, their networks and services",
  },
  "E-CMD-001": {
    source: "environment",
    meaning: "a command hacloud ran failed, timed out or could not start",
    hint: "paste the command printed with the error to see its whole output",
  },
  "E-SYS-001": {
    source: "environment",
    meaning: "the operating system refused a file or network operation (no such file, permission denied, …)",
    hint: "check the path and its permissions, or run as the user that owns it",
  },
  "E-RENDER-001": {
    source: "user",
    meaning: "the output directory holds files hacloud did not write, which the render would overwrite",
    hint: "move them away, or pass `--force` to take them over",
  },
  "E-RENDER-002": {
    source: "user",
    meaning: "a rendered path would escape the output directory",
    hint: "rendered paths are relative and stay inside the directory; report it if hacloud made it",
  },
  "E-DRILL-001": {
    source: "environment",
    meaning:
      "the cloud cannot run this scenario now (no VIP holder, too few controllers, no database backend)",
    hint: "check `hacloud verify`; repair the cloud (`hacloud lab up`) and run the drill again",
  },
  "E-DRILL-002": {
    source: "user",
    meaning:
      "the drill was refused before it started: the target is not the lab and no explicit flag allows it",
    hint: "drills break the cloud on purpose; pass --i-know-this-is-production only for a cloud that may fail",
  },
  "E-PROBE-001": {
    source: "environment",
    meaning:
      "the probe worker failed: it exited or timed out before it was ready, printed no result, or reported an error",
    hint: "the message quotes the worker's last lines; check that the target's endpoints answer (`hacloud verify`)",
  },
  "E-INTERNAL-001": {
    source: "internal",
    meaning: "an error hacloud did not expect: a bug",
    hint: "set HACLOUD_DEBUG=1 for the stack trace, and please report it",
  },
} as const satisfies Readonly<Record<string, ErrorCodeDoc>>;

/** A stable error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Last lines of one log file. */
export interface LogTail {
  readonly file: string;
  readonly lines: readonly string[];
}

/** What an error may carry besides its message. */
export interface HacloudErrorOptions {
  /** The code, when the class has more than one. */
  readonly code?: ErrorCode;
  /** What to do about it in this case (the registry holds the code's general hint). */
  readonly hint?: string;
  /** The error this one explains (ES2022 `cause`). */
  readonly cause?: unknown;
  /** The log lines that explain it (the lab's daemons). */
  readonly details?: readonly LogTail[];
}

/** A failure with a stable code; subclasses with one code override `code`. */
export class HacloudError extends Error {
  override readonly name: string = "HacloudError";
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: readonly LogTail[];

  constructor(message: string, options: HacloudErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? "E-INTERNAL-001";
    this.hint = options.hint;
    this.details = options.details ?? [];
  }

  /** Who can fix it, from the code. */
  get source(): ErrorSource {
    return ERROR_CODES[this.code].source;
  }
}
