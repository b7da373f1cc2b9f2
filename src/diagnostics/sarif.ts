/**
 * Diagnostics as SARIF 2.1.0, the static-analysis format that Jenkins'
 * Warnings Next Generation plugin and code-scanning services read: one run,
 * the rules that fired (with their title and hint), one result per
 * diagnostic at its file, line and column. Pure.
 */
import type { Diagnostic, Severity } from "./diagnostic.ts";

/** What SARIF needs to know about a code: its one-line title and how to fix it. */
export interface SarifRule {
  readonly title: string;
  readonly hint: string;
}

/** Options of the SARIF log. */
export interface SarifOptions {
  readonly version: string;
  /** Titles and hints by code (codes missing here get their message's first diagnostic). */
  readonly rules: ReadonlyMap<string, SarifRule>;
}

const LEVEL: Record<Severity, "error" | "warning" | "note"> = {
  error: "error",
  warning: "warning",
  info: "note",
};

/** A SARIF 2.1.0 log of `diagnostics`, as JSON text. */
export function sarifLog(diagnostics: readonly Diagnostic[], o: SarifOptions): string {
  const codes = [...new Set(diagnostics.map((d) => d.code))].sort();
  const rules = codes.map((code) => {
    const doc = o.rules.get(code);
    const first = diagnostics.find((d) => d.code === code)!;
    return {
      id: code,
      shortDescription: { text: doc?.title ?? first.message },
      help: { text: doc?.hint ?? first.hint ?? "" },
      defaultConfiguration: { level: LEVEL[first.severity] },
    };
  });
  const results = diagnostics.map((d) => ({
    ruleId: d.code,
    ruleIndex: codes.indexOf(d.code),
    level: LEVEL[d.severity],
    message: { text: d.hint ? `${d.message}. ${d.hint}` : d.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: d.file.split("\\").join("/") },
          region: {
            startLine: d.line,
            startColumn: d.column,
            ...(d.endLine !== undefined ? { endLine: d.endLine } : {}),
            ...(d.endColumn !== undefined ? { endColumn: d.endColumn } : {}),
          },
        },
      },
    ],
  }));
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "hacloud",
            version: o.version,
            rules,
          },
        },
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}
