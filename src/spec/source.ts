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
  type YAMLError,
  type YAMLMap,
  type YAMLWarning,
} from "yaml";
import type { DocPath } from "../diagnostics/diagnostic.ts";
import { parseFastYaml, type FastDocument, type FastNode } from "./fast-yaml.ts";

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
  /** The fast path's tree when the text is inside its subset (see fast-yaml.ts). */
  private readonly fast: FastDocument | undefined;
  private parsed: Document.Parsed | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
    /** `fastPath: false` parses with the library only (the differential test's reference). */
    options: { readonly fastPath?: boolean } = {},
  ) {
    this.fast = options.fastPath === false ? undefined : parseFastYaml(text);
    if (this.fast) this.lineCounter.lineStarts = this.fast.lineStarts;
    else this.parsed = parseWithLibrary(text, this.lineCounter);
  }

  /**
   * The `yaml` library's document. On the fast path it is parsed only when
   * asked for, with its own line counter.
   */
  get doc(): Document.Parsed {
    this.parsed ??= parseWithLibrary(this.text, new LineCounter());
    return this.parsed;
  }

  /** The library's errors (none on the fast path, which takes only text the library reads cleanly). */
  get errors(): readonly YAMLError[] {
    return this.fast ? [] : this.doc.errors;
  }

  /** The library's warnings (none on the fast path). */
  get warnings(): readonly YAMLWarning[] {
    return this.fast ? [] : this.doc.warnings;
  }

  /** True when the fast path read the text (no duplicate keys, errors or warnings to look for). */
  get isFast(): boolean {
    return this.fast !== undefined;
  }

  /** The data, as plain JavaScript values. */
  toJS(): unknown {
    return this.fast ? this.fast.data : this.doc.toJS({ maxAliasCount: 1000 });
  }

  /** True when the file itself spells out this path (the library's `hasIn`). */
  hasIn(path: DocPath): boolean {
    if (!this.fast) return this.doc.hasIn(path);
    let node: FastNode = this.fast.root;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      let child: FastNode | undefined;
      if (node.kind === "map") child = typeof seg === "string" ? node.pairs.get(seg)?.value : undefined;
      else if (node.kind === "seq") child = node.items[itemIndex(seg)];
      if (child === undefined) return false;
      if (i < path.length - 1 && child.kind === "scalar") return false;
      node = child;
    }
    return true;
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
    if (this.fast) return this.locateFast(this.fast.root, path, at);
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

  private locateFast(root: FastNode, path: DocPath, at: "key" | "value"): Span {
    let node: FastNode | undefined = root;
    let best = root.range;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      if (node.kind === "map") {
        const pair = node.pairs.get(String(seg));
        if (!pair) break;
        if (i === path.length - 1 && at === "key") {
          best = pair.keyRange;
          break;
        }
        node = pair.value;
        best = node.range;
      } else if (node.kind === "seq" && typeof seg === "number") {
        const item: FastNode | undefined = node.items[seg];
        if (item === undefined) break;
        node = item;
        best = node.range;
      } else break;
    }
    return this.spanOf(best[0], best[1]);
  }

  /** The text of one line (1-based), without its newline. */
  lineText(line: number): string {
    return this.text.split(/\r?\n/)[line - 1] ?? "";
  }
}

function parseWithLibrary(text: string, lineCounter: LineCounter): Document.Parsed {
  return parseDocument(text, {
    lineCounter,
    // Duplicate keys are found by parseYaml in one pass: the library's own check is
    // quadratic in a mapping's size, which turns a few MB of keys into minutes.
    uniqueKeys: false,
    prettyErrors: false,
    keepSourceTokens: false,
    strict: true,
  });
}

/** A sequence index as the library reads one from a path segment, or -1. */
function itemIndex(seg: unknown): number {
  const n = typeof seg === "string" && seg !== "" ? Number(seg) : seg;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 ? n : -1;
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
