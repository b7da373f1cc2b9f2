/**
 * `defineRule`: a rule module states its facts once (code, severity, why, hint)
 * and writes a `find` that returns hits; the code, severity and default hint
 * are filled into each Finding here, so no rule can report under a wrong code.
 */
import type { DocPath, Finding } from "../diagnostics/diagnostic.ts";
import type { YamlSource } from "../spec/source.ts";
import type { CodeDoc, Rule, RuleContext, RuleExample } from "./types.ts";

/** One problem a rule found: where (a path into the YAML data) and what. */
export interface Hit {
  readonly path: DocPath;
  readonly message: string;
  /** Point at the key rather than the value. */
  readonly at?: "key" | "value";
  /** A hint specific to this hit; the rule's hint otherwise. */
  readonly hint?: string;
}

/** A rule as a module writes it. */
export interface RuleSpec extends CodeDoc {
  readonly example: RuleExample;
  readonly find: (ctx: RuleContext) => readonly Hit[];
}

/** Builds a Rule whose findings carry its code, severity and hint. */
export function defineRule(spec: RuleSpec): Rule {
  const { find, ...doc } = spec;
  return {
    ...doc,
    check: (ctx) =>
      find(ctx).map((h): Finding => ({
        code: doc.code,
        severity: doc.severity,
        message: h.message,
        path: h.path,
        at: h.at,
        hint: h.hint ?? doc.hint,
      })),
  };
}

/** True when the file itself spells out this path (as opposed to a schema default). */
export function written(source: YamlSource, path: DocPath): boolean {
  return source.hasIn(path);
}

/** "line N" of a path in the same file, for messages that name a second place. */
export function lineOf(source: YamlSource, path: DocPath, at: "key" | "value" = "key"): string {
  return `line ${source.locate(path, at).line}`;
}

/** "file:line:column" of a path, for messages that point into another file (a peer). */
export function placeOf(source: YamlSource, path: DocPath, at: "key" | "value" = "value"): string {
  const s = source.locate(path, at);
  return `${source.file}:${s.line}:${s.column}`;
}

/** "a, b and c". */
export function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]!}`;
}
