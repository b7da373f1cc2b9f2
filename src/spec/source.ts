/**
 * A YAML file kept with its syntax tree, so that any path into the data
 * (from zod, from a rule) can be turned back into file:line:column.
 */
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
} from "yaml";
import type { DocPath } from "../diagnostics/diagnostic.ts";

/** A position in a file, 1-based as editors show it. */
export interface Span {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** A parsed YAML file: its text, its document (with positions) and a locator. */
export class YamlSource {
  readonly lineCounter = new LineCounter();
  readonly doc: Document.Parsed;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.doc = parseDocument(text, {
      lineCounter: this.lineCounter,
      // Duplicate keys are found by parseYaml in one pass: the library's own check is
      // quadratic in a mapping's size, which turns a few MB of keys into minutes.
      uniqueKeys: false,
      prettyErrors: false,
      keepSourceTokens: false,
      strict: true,
    });
  }

  /** The span of a character range. */
  spanOf(start: number, end: number): Span {
    const a = this.lineCounter.linePos(start);
    const b = this.lineCounter.linePos(Math.max(start, end));
    return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  }

  /**
   * Where a path points: the value node, or its key with `at: "key"`. A path
   * that does not exist (a missing key) resolves to the nearest existing parent.
   */
  locate(path: DocPath, at: "key" | "value" = "value"): Span {
    let node: unknown = this.doc.contents;
    let best: { start: number; end: number } | undefined = rangeOf(node);
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = pairIndex(node).get(String(seg));
        if (!pair) break;
        if (last && at === "key") {
          best = rangeOf(pair.key) ?? best;
          break;
        }
        node = pair.value;
        best = rangeOf(node) ?? rangeOf(pair.key) ?? best;
      } else if (isSeq(node) && typeof seg === "number") {
        node = node.items[seg];
        if (node === undefined) break;
        best = rangeOf(node) ?? best;
      } else {
        break;
      }
    }
    return best ? this.spanOf(best.start, best.end) : { line: 1, column: 1, endLine: 1, endColumn: 1 };
  }

  /** The text of one line (1-based), without its newline. */
  lineText(line: number): string {
    return this.text.split(/\r?\n/)[line - 1] ?? "";
  }
}

// Key -> first pair of each mapping, built on first use: locating every key of a
// large mapping (one diagnostic per unknown key) must not be quadratic.
const pairIndexes = new WeakMap<object, Map<string, Pair<unknown, unknown>>>();

function pairIndex(map: YAMLMap<unknown, unknown>): Map<string, Pair<unknown, unknown>> {
  let index = pairIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items) {
      const k = isPair(p) ? keyText(p.key) : undefined;
      if (k !== undefined && !index.has(k)) index.set(k, p);
    }
    pairIndexes.set(map, index);
  }
  return index;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function rangeOf(node: unknown): { start: number; end: number } | undefined {
  const range = (node as Node | null | undefined)?.range;
  if (!range) return undefined;
  return { start: range[0], end: range[1] };
}
