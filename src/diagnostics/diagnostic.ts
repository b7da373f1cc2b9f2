/**
 * A diagnostic: one problem found in an input file, with a stable code, a
 * location and a hint that says how to fix it. The JSON form is part of the CLI
 * interface (`--format json`).
 */

/** How bad a problem is: errors fail `check` (exit 1), warnings and infos do not. */
export type Severity = "error" | "warning" | "info";

/** A path into a YAML document: mapping keys and sequence indexes. */
export type DocPath = readonly (string | number)[];

/** One problem, located in a file. */
export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly hint?: string;
  readonly endLine?: number;
  readonly endColumn?: number;
}

/** A problem found by a rule, before it is located: it names a path, not a line. */
export interface Finding {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly path: DocPath;
  /** Point at the key rather than the value (e.g. "unknown key", "duplicate host"). */
  readonly at?: "key" | "value";
  readonly hint?: string;
}

/** Severity order, worst first; used to sort and to compute exit codes. */
export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Sorts by file, line, column, then severity and code, so output is stable. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      a.code.localeCompare(b.code),
  );
}

/** The stable JSON shape of `--format json`. */
export function diagnosticsJson(diagnostics: readonly Diagnostic[]): string {
  return JSON.stringify({ diagnostics: diagnosticRows(diagnostics) }, null, 2) + "\n";
}

/** The diagnostics as JSON rows (the shape every JSON output of diagnostics uses). */
export function diagnosticRows(diagnostics: readonly Diagnostic[]): object[] {
  return diagnostics.map((d) => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.file,
    line: d.line,
    column: d.column,
    hint: d.hint ?? null,
  }));
}
