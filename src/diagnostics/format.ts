/**
 * Terminal rendering of diagnostics: `file:line:column: severity CODE message`,
 * a code frame with a caret under the problem, and the hint. Colour only when
 * asked (the CLI passes whether the terminal supports it).
 */
import pc from "picocolors";
import { sortDiagnostics, type Diagnostic, type Severity } from "./diagnostic.ts";

/** Options for text output. */
export interface FormatOptions {
  readonly color: boolean;
  /** File contents by path, for code frames; files not given get no frame. */
  readonly sources?: ReadonlyMap<string, string>;
  /** Lines of context above the problem line. */
  readonly context?: number;
}

/** Formats diagnostics as text, sorted, with code frames where the source is known. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], opts: FormatOptions): string {
  const c = pc.createColors(opts.color);
  const paint: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.cyan };
  const lines = new Map<string, string[]>();
  const out: string[] = [];
  for (const d of sortDiagnostics(diagnostics)) {
    out.push(
      `${c.bold(`${d.file}:${d.line}:${d.column}`)}: ${paint[d.severity](`${d.severity} ${d.code}`)} ${d.message}`,
    );
    const text = opts.sources?.get(d.file);
    if (text !== undefined) {
      let fileLines = lines.get(d.file);
      if (!fileLines) {
        fileLines = text.split(/\r?\n/);
        lines.set(d.file, fileLines);
      }
      out.push(...codeFrame(fileLines, d, opts.context ?? 1, c.dim, paint[d.severity]));
    }
    if (d.hint) out.push(`  ${c.green("hint:")} ${d.hint}`);
    out.push("");
  }
  return out.join("\n");
}

/** "2 errors, 1 warning, 3 infos" (omitting zero counts; "no problems" when empty). */
export function summarize(diagnostics: readonly Diagnostic[]): string {
  const count = (s: Severity) => diagnostics.filter((d) => d.severity === s).length;
  const parts: string[] = [];
  for (const [s, word] of [
    ["error", "error"],
    ["warning", "warning"],
    ["info", "note"],
  ] as const) {
    const n = count(s);
    if (n > 0) parts.push(`${n} ${word}${n === 1 ? "" : "s"}`);
  }
  return parts.length === 0 ? "no problems" : parts.join(", ");
}

function codeFrame(
  fileLines: readonly string[],
  d: Diagnostic,
  context: number,
  dim: (s: string) => string,
  mark: (s: string) => string,
): string[] {
  if (d.line < 1 || d.line > fileLines.length) return [];
  const first = Math.max(1, d.line - context);
  const width = String(d.line).length;
  const out: string[] = [];
  for (let n = first; n <= d.line; n++) {
    const text = visible(fileLines[n - 1] ?? "");
    out.push(`${dim(` ${String(n).padStart(width)} |`)} ${text}`);
  }
  const lineText = fileLines[d.line - 1] ?? "";
  const start = Math.max(1, d.column);
  const end =
    d.endLine === d.line && d.endColumn !== undefined && d.endColumn > start ? d.endColumn : start + 1;
  const pad = visible(lineText.slice(0, start - 1)).replace(/[^\t]/g, " ");
  const carets = "^".repeat(Math.max(1, Math.min(end - start, Math.max(1, lineText.length - start + 1))));
  out.push(`${dim(` ${" ".repeat(width)} |`)} ${pad}${mark(carets)}`);
  return out;
}

/** Shows control characters (other than tab) so a frame never garbles the terminal. */
function visible(s: string): string {
  const clipped = s.length > 200 ? s.slice(0, 200) + "…" : s;
  let out = "";
  for (const ch of clipped) {
    const code = ch.charCodeAt(0);
    const control = (code < 0x20 && ch !== "\t") || code === 0x7f;
    out += control ? `\\x${code.toString(16).padStart(2, "0")}` : ch;
  }
  return out;
}
