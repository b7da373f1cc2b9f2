/**
 * Reading an input file defensively: whatever the operator points us at
 * (missing, a directory, binary, huge), the answer is a located diagnostic.
 */
import { readFileSync, statSync } from "node:fs";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";

/** Input files larger than this are refused before parsing. */
export const MAX_INPUT_BYTES = 8 * 1024 * 1024;

/** The text of a file, or the diagnostic that says why it cannot be read. */
export type ReadResult = { ok: true; text: string } | { ok: false; diagnostic: Diagnostic };

function fail(file: string, code: string, message: string, hint: string, line = 1, column = 1): ReadResult {
  return { ok: false, diagnostic: { code, severity: "error", message, file, line, column, hint } };
}

/** Reads a UTF-8 text file, refusing directories, binary content and oversized files. */
export function readTextFile(file: string): ReadResult {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory())
      return fail(file, "HA002", `${file} is a directory, not a file`, "Name the file itself.");
    size = st.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT")
      return fail(file, "HA002", `file not found: ${file}`, "Check the path and try again.");
    if (code === "EACCES")
      return fail(file, "HA002", `permission denied: ${file}`, "Run as a user who can read it.");
    return fail(file, "HA002", `cannot read ${file}: ${code ?? String(e)}`, "Check the path and try again.");
  }
  if (size > MAX_INPUT_BYTES) {
    return fail(
      file,
      "HA003",
      `${file} is ${(size / 1048576).toFixed(1)} MiB; inputs are limited to ${MAX_INPUT_BYTES / 1048576} MiB`,
      "This does not look like a topology, inventory or globals file; check which file you named.",
    );
  }
  const bytes = readFileSync(file);
  return decodeText(file, bytes);
}

/** Decodes bytes as UTF-8 text, refusing NUL bytes and invalid sequences with their position. */
export function decodeText(file: string, bytes: Uint8Array): ReadResult {
  const nul = bytes.indexOf(0);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return binary(file, bytes, firstInvalidUtf8(bytes));
  }
  if (nul >= 0) return binary(file, bytes, nul);
  return { ok: true, text };
}

function binary(file: string, bytes: Uint8Array, offset: number): ReadResult {
  const before = Buffer.from(bytes.subarray(0, offset)).toString("latin1");
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return fail(
    file,
    "HA003",
    `${file} is not UTF-8 text (binary byte 0x${(bytes[offset] ?? 0).toString(16).padStart(2, "0")} at offset ${offset})`,
    "Save the file as UTF-8 text; did you name an archive or an image?",
    line,
    column,
  );
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  const dec = new TextDecoder("utf-8", { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  // Binary search for the shortest prefix that fails to decode.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    try {
      dec.decode(bytes.subarray(0, mid + 1), { stream: true });
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  return Math.min(lo, bytes.length - 1);
}
