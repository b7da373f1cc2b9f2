/**
 * The one subprocess helper: a timeout, an abort signal, captured output, and
 * an error that prints a pasteable command with the lines that matter.
 */
import { execa } from "execa";
import { HacloudError } from "../errors.ts";

/** Options for one command. */
export interface RunOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly input?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Do not throw on a non-zero exit; the caller reads exitCode. */
  readonly allowFailure?: boolean;
}

/** What a finished command printed and returned. */
export interface RunResult {
  readonly command: string;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

/** A command that failed, timed out or could not start; its message is the pasteable command and the last lines it printed. */
export class CommandError extends HacloudError {
  override readonly name = "CommandError";
  constructor(
    readonly command: string,
    readonly exitCode: number | undefined,
    readonly stdout: string,
    readonly stderr: string,
    readonly reason: string,
  ) {
    super(`${reason}: ${command}${tailLines(stderr || stdout)}`, { code: "E-CMD-001" });
  }
}

function tailLines(text: string, n = 8): string {
  const lines = text.trimEnd().split("\n").filter(Boolean);
  if (lines.length === 0) return "";
  return "\n  " + lines.slice(-n).join("\n  ");
}

/** Quotes one word for a POSIX shell, so the printed command can be pasted. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command line as a shell would take it. */
export function commandLine(file: string, args: readonly string[]): string {
  return [file, ...args].map(shellQuote).join(" ");
}

/** Runs a command to completion. */
export async function run(file: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const command = commandLine(file, args);
  const started = performance.now();
  const result = await execa(file, [...args], {
    reject: false,
    timeout: opts.timeoutMs ?? 120_000,
    cancelSignal: opts.signal,
    // no input: /dev/null, not an open pipe (Node's pipes are sockets, and bash takes a socket on
    // stdin for sshd and sources ~/.bashrc; a command reading stdin gets EOF instead of hanging)
    ...(opts.input === undefined ? { stdin: "ignore" as const } : { input: opts.input }),
    env: opts.env ? { ...process.env, ...opts.env } : undefined,
    cwd: opts.cwd,
    stripFinalNewline: false,
    forceKillAfterDelay: 2000,
  });
  const stdout = String(result.stdout ?? "");
  const stderr = String(result.stderr ?? "");
  const durationMs = performance.now() - started;
  if (result.failed && (result.timedOut || result.isCanceled || result.exitCode === undefined)) {
    const reason = result.timedOut
      ? `timed out after ${opts.timeoutMs ?? 120_000} ms`
      : result.isCanceled
        ? "cancelled"
        : `could not run (${result.code ?? result.shortMessage})`;
    throw new CommandError(command, result.exitCode, stdout, stderr, reason);
  }
  const exitCode = result.exitCode ?? 1;
  if (exitCode !== 0 && !opts.allowFailure) {
    throw new CommandError(command, exitCode, stdout, stderr, `exit code ${exitCode}`);
  }
  return { command, exitCode, stdout, stderr, durationMs };
}
