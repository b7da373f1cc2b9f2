/**
 * YAML parsing that turns every syntax problem into a located diagnostic, and
 * finds the real line of an indentation slip (the YAML library often reports
 * the start of the enclosing mapping instead).
 */
import { isMap, isScalar, isSeq, type YAMLError } from "yaml";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { YamlSource } from "./source.ts";

/** Deeper nesting than this is refused before parsing (stack safety; no real file needs it). */
export const MAX_NESTING = 64;

/** A parsed YAML file and the problems found while parsing it. */
export interface ParsedYaml {
  readonly source: YamlSource | undefined;
  readonly data: unknown;
  readonly diagnostics: Diagnostic[];
}

/** Parses YAML text; `source` is undefined only when the text was refused before parsing. */
export function parseYaml(file: string, text: string): ParsedYaml {
  const deep = findExcessiveNesting(text);
  if (deep) {
    return {
      source: undefined,
      data: undefined,
      diagnostics: [
        {
          code: "HA004",
          severity: "error",
          message: `nesting deeper than ${MAX_NESTING} levels`,
          file,
          line: deep.line,
          column: deep.column,
          hint: "A topology or globals file is a few levels deep; check for a runaway paste or a generated file.",
        },
      ],
    };
  }
  const source = new YamlSource(file, text);
  const diagnostics: Diagnostic[] = [];
  const errors = source.errors;
  for (const e of errors) {
    const d = yamlErrorDiagnostic(source, e);
    // One slip often yields several parser errors that all map to the same diagnostic.
    if (!diagnostics.some((x) => x.code === d.code && x.line === d.line && x.message === d.message))
      diagnostics.push(d);
  }
  for (const w of source.warnings) {
    const span = source.spanOf(w.pos[0], w.pos[1]);
    diagnostics.push({
      code: "HA001",
      severity: "warning",
      message: `YAML: ${firstLine(w.message)}`,
      file,
      line: span.line,
      column: span.column,
      hint: "Valid YAML, but probably not what was meant.",
    });
  }
  const duplicates = duplicateKeyDiagnostics(source);
  diagnostics.push(...duplicates);
  let data: unknown;
  if (errors.length === 0 && duplicates.length === 0) {
    try {
      data = source.toJS();
    } catch (e) {
      diagnostics.push({
        code: "HA001",
        severity: "error",
        message: `YAML: ${firstLine((e as Error).message)}`,
        file,
        line: 1,
        column: 1,
        hint: "Aliases expand into too much data (a 'billion laughs' file?); write the values out.",
      });
    }
  }
  return { source, data, diagnostics };
}

/** Every key repeated within one mapping (HA006), found in one pass over the document. */
function duplicateKeyDiagnostics(source: YamlSource): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (source.isFast) return out; // the fast path refuses text with a repeated key
  const stack: unknown[] = [source.doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        stack.push(pair.value);
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (!seen.has(key)) {
          seen.add(key);
          continue;
        }
        const range = pair.key.range ?? [0, 0];
        const span = source.spanOf(range[0], range[1]);
        out.push({
          code: "HA006",
          severity: "error",
          message: `duplicate key \`${key.length > 60 ? key.slice(0, 60) + "…" : key}\`: YAML keeps only one of them`,
          file: source.file,
          line: span.line,
          column: span.column,
          hint: "Merge the two entries into one, or rename one of them.",
        });
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return out;
}

function firstLine(s: string): string {
  return s.split("\n")[0]!.trim();
}

function yamlErrorDiagnostic(source: YamlSource, e: YAMLError): Diagnostic {
  const span = source.spanOf(e.pos[0], e.pos[1]);
  const base = { file: source.file, severity: "error" as const };
  if (e.code === "DUPLICATE_KEY") {
    const key = source.text.slice(e.pos[0], e.pos[1]).split(":")[0]!.trim();
    return {
      ...base,
      code: "HA006",
      message: `duplicate key${key ? ` \`${key}\`` : ""}: YAML keeps only one of them`,
      line: span.line,
      column: span.column,
      hint: "Merge the two entries into one, or rename one of them.",
    };
  }
  if (e.code === "TAB_AS_INDENT") {
    return {
      ...base,
      code: "HA005",
      message: "a tab is used for indentation; YAML allows only spaces",
      line: span.line,
      column: span.column,
      hint: "Replace the tab with spaces (2 per level is usual).",
    };
  }
  if (
    e.code === "BAD_INDENT" ||
    e.code === "MISSING_CHAR" ||
    e.code === "UNEXPECTED_TOKEN" ||
    // "a: 1\n  b: 2": the library blames line 1 (a multi-line key); the slip is line 2.
    e.code === "BLOCK_AS_IMPLICIT_KEY" ||
    e.code === "MULTILINE_IMPLICIT_KEY"
  ) {
    const slip = findIndentSlip(source.text);
    if (slip) {
      return {
        ...base,
        code: "HA005",
        line: slip.line,
        column: slip.column,
        message: slip.message,
        hint: slip.hint,
      };
    }
  }
  return {
    ...base,
    code: "HA001",
    message: `YAML syntax: ${firstLine(e.message)}`,
    line: span.line,
    column: span.column,
    hint: "Fix the YAML syntax at this position (quotes, brackets, colons and indentation).",
  };
}

interface Slip {
  line: number;
  column: number;
  message: string;
  hint: string;
}

interface Level {
  indent: number;
  line: number;
  key: string;
}

/**
 * Walks block-style lines and returns the first key whose indentation fits no
 * open level: more indented than a sibling that opened no block, or between
 * two levels. Flow collections, block scalars and continuation lines are skipped.
 */
export function findIndentSlip(text: string): Slip | undefined {
  const lines = text.split(/\r?\n/);
  const stack: Level[] = [];
  let opensBlock = true;
  let scalarIndent = -1; // inside a block scalar: lines indented more than this belong to it
  let flowDepth = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const content = raw.replace(/\s+#.*$/, "").trimEnd();
    const trimmed = content.trimStart();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith("---") || trimmed.startsWith("%"))
      continue;
    const indent = content.length - trimmed.length;
    if (scalarIndent >= 0) {
      if (indent > scalarIndent) continue;
      scalarIndent = -1;
    }
    if (flowDepth > 0) {
      flowDepth = Math.max(0, flowDepth + bracketBalance(trimmed));
      continue;
    }
    const isItem = trimmed.startsWith("- ") || trimmed === "-";
    const keyMatch = /^(?:-\s+)?("[^"]*"|'[^']*'|[^\s:#][^:#]*?)\s*:(?:\s|$)/.exec(trimmed);
    const key = keyMatch ? keyMatch[1]! : trimmed.slice(0, 20);
    const top = stack[stack.length - 1];
    if (!top || indent > top.indent) {
      if (top && !opensBlock) {
        return {
          line: i + 1,
          column: 1,
          message: `\`${key}\` is indented by ${indent} space${indent === 1 ? "" : "s"}, but \`${top.key}\` on line ${top.line} at the same level starts at column ${top.indent + 1}`,
          hint: `Indent \`${key}\` like its siblings: ${top.indent === 0 ? "remove the leading whitespace" : `start it in column ${top.indent + 1}`}.`,
        };
      }
      stack.push({ indent, line: i + 1, key });
    } else {
      while (stack.length > 0 && indent < stack[stack.length - 1]!.indent) stack.pop();
      const level = stack[stack.length - 1];
      if (!level || level.indent !== indent) {
        const expected = level ? level.indent : 0;
        return {
          line: i + 1,
          column: 1,
          message: `\`${key}\` is indented by ${indent} space${indent === 1 ? "" : "s"}, which matches no enclosing level (the nearest is column ${expected + 1})`,
          hint: `Align \`${key}\` with the keys it belongs with.`,
        };
      }
      level.line = i + 1;
      level.key = key;
    }
    const rest = keyMatch
      ? trimmed.slice(keyMatch[0].length).trim()
      : isItem
        ? trimmed.slice(1).trim()
        : trimmed;
    opensBlock = keyMatch ? rest === "" || /^[&!]\S*$/.test(rest) : isItem && rest === "";
    if (isItem && keyMatch) {
      // "- key: value": the item's further keys align with `key`, after the dash.
      const keyColumn = indent + (trimmed.length - trimmed.slice(1).trimStart().length);
      stack.push({ indent: keyColumn, line: i + 1, key });
    }
    if (/^[|>][-+0-9]*$/.test(rest)) {
      scalarIndent = indent;
      opensBlock = false;
    }
    flowDepth = Math.max(0, bracketBalance(rest));
  }
  return undefined;
}

function bracketBalance(s: string): number {
  let n = 0;
  let quote = "";
  for (const ch of s) {
    if (quote) {
      if (ch === quote) quote = "";
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "[" || ch === "{") n++;
    else if (ch === "]" || ch === "}") n--;
  }
  return n;
}

/** Finds the first place nesting (flow brackets or block indentation) exceeds MAX_NESTING. */
function findExcessiveNesting(text: string): { line: number; column: number } | undefined {
  let depth = 0;
  let line = 1;
  let col = 0;
  let quote = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    col++;
    if (ch === "\n") {
      line++;
      col = 0;
      quote = "";
      continue;
    }
    if (quote) {
      if (ch === quote) quote = "";
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "[" || ch === "{") {
      if (++depth > MAX_NESTING) return { line, column: col };
    } else if (ch === "]" || ch === "}") depth = Math.max(0, depth - 1);
    else if (ch === " " && col === 2 * MAX_NESTING + 1) {
      // a line indented past MAX_NESTING levels of two spaces
      const lineStart = i - col + 1;
      if (/^ +$/.test(text.slice(lineStart, i + 1))) return { line, column: col };
    }
  }
  return undefined;
}
