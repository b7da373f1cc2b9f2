/**
 * Reading the files a command line names, one way for every command: paths
 * resolve against the command's directory, `-` is standard input, and a file
 * that cannot be read is a located diagnostic naming the path as typed — and,
 * for a command that needs it, a usage failure (exit code 2) everywhere.
 */
import { resolve } from "node:path";
import type { TextInput } from "../check.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { decodeText, readTextFile } from "../spec/input.ts";
import { CliFailure, type CliIO } from "./io.ts";

/** How standard input is named in diagnostics. */
export const STDIN_NAME = "<stdin>";

/** The text of `file` (`-`: standard input), or the diagnostic saying why it cannot be read. */
export function readInput(io: CliIO, file: string): TextInput | Diagnostic {
  if (file === "-") {
    const r = decodeText(STDIN_NAME, io.readStdin?.() ?? new Uint8Array());
    return r.ok ? { file: STDIN_NAME, text: r.text } : r.diagnostic;
  }
  const abs = resolve(io.cwd, file);
  const r = readTextFile(abs);
  // Diagnostics name the file as the operator wrote it, not its absolute path.
  return r.ok
    ? { file, text: r.text }
    : { ...r.diagnostic, file, message: r.diagnostic.message.replaceAll(abs, file) };
}

/** True for what readInput returns when the file could not be read. */
export function isUnreadable(r: TextInput | Diagnostic): r is Diagnostic {
  return "code" in r;
}

/** The failure of an input that cannot be read: exit code 2 in every command. */
export function unreadableFailure(d: Diagnostic): CliFailure {
  return new CliFailure(`${d.file}: ${d.message.replace(`${d.file}: `, "")}`, 2, {
    code: "E-INPUT-001",
    hint: d.hint,
  });
}

/** The text of `file`, or a usage failure (exit code 2) saying why it cannot be read. */
export function readInputOrFail(io: CliIO, file: string): TextInput {
  const r = readInput(io, file);
  if (isUnreadable(r)) throw unreadableFailure(r);
  return r;
}
