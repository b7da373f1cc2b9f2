/** A CliIO that keeps what `main` prints, for tests that run the CLI in-process. */
import type { CliIO } from "../../src/cli/io.ts";

/** What the command printed on stdout and stderr, without colour, run from `cwd` with `stdin`. */
export function captureIO(
  cwd: string = process.cwd(),
  stdin = "",
): CliIO & { readonly stdout: () => string; readonly stderr: () => string } {
  let out = "";
  let err = "";
  return {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    color: false,
    cwd,
    readStdin: () => new TextEncoder().encode(stdin),
    stdout: () => out,
    stderr: () => err,
  };
}
