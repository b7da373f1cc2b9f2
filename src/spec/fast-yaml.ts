/**
 * A fast path for the YAML that generators write: block mappings and
 * sequences of one-line scalars and one-line flow collections, comments only
 * in column 0. It yields the same data and the same node ranges as the `yaml`
 * library (a differential test holds it to that) at a fraction of the cost —
 * the library's parser was most of `check` on a 5,000-host file. Anything
 * outside that subset, or anything the library would warn about, returns
 * undefined and the caller parses with the library.
 */

/** A node of the fast tree: what the locator and `hasIn` need, with the library's ranges. */
export type FastNode = FastMap | FastSeq | FastScalar;

/** A mapping; keys are strings (the fast path refuses others). */
export interface FastMap {
  readonly kind: "map";
  readonly range: [number, number];
  readonly pairs: Map<string, { readonly keyRange: [number, number]; readonly value: FastNode }>;
}

/** A sequence. */
export interface FastSeq {
  readonly kind: "seq";
  readonly range: [number, number];
  readonly items: FastNode[];
}

/** A scalar, resolved by YAML 1.2's core schema. */
export interface FastScalar {
  readonly kind: "scalar";
  readonly range: [number, number];
  readonly value: unknown;
}

/** A document the fast path read: its tree, its data, and where each line starts. */
export interface FastDocument {
  readonly root: FastMap;
  readonly data: Record<string, unknown>;
  readonly lineStarts: number[];
}

/** Thrown inside the parser when the text leaves the subset; never escapes `parseFastYaml`. */
class Unsupported extends Error {}

function bail(): never {
  throw new Unsupported();
}

// Keys the library treats specially or that JavaScript objects do.
const RISKY_KEYS = new Set(["<<", "__proto__"]);
// The library refuses implicit keys longer than 1024 characters.
const MAX_KEY = 1000;

interface Line {
  readonly start: number;
  /** Offset of the line's end, before its newline. */
  readonly end: number;
  /** After the newline, or the text's end. */
  readonly next: number;
  readonly indent: number;
  /** Blank or comment lines follow it before the next content line. */
  gapAfter: boolean;
}

/** Parses `text` if it is inside the subset, or returns undefined. */
export function parseFastYaml(text: string): FastDocument | undefined {
  if (/[\t\r\uFEFF\\]/.test(text)) return undefined;
  try {
    return new Reader(text).document();
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

class Reader {
  private readonly lines: Line[] = [];
  private readonly lineStarts: number[] = [];
  /** Index into `lines` of the next content line. */
  private at = 0;

  constructor(private readonly text: string) {
    let start = 0;
    let afterGap = false;
    while (start <= text.length) {
      this.lineStarts.push(start);
      let end = text.indexOf("\n", start);
      const last = end === -1;
      if (last) end = text.length;
      const next = last ? text.length : end + 1;
      let indent = 0;
      while (start + indent < end && text.charCodeAt(start + indent) === 32) indent++;
      const first = text[start + indent];
      if (start + indent === end || first === "#") {
        // Blank lines and comments, only where the library keeps them out of every collection's range.
        if (indent !== 0) bail();
        afterGap = true;
        const previous = this.lines[this.lines.length - 1];
        if (previous) previous.gapAfter = true;
      } else {
        if (afterGap && indent !== 0 && this.lines.length > 0) bail();
        if (/^(---|\.\.\.)(\s|$)/.test(text.slice(start, start + 4)) || first === "%") bail();
        afterGap = false;
        this.lines.push({ start, end, next, indent, gapAfter: false });
      }
      if (last) break;
      start = next;
    }
  }

  document(): FastDocument {
    const first = this.lines[0];
    if (!first || first.indent !== 0) bail();
    const { node, data } = this.map(0);
    if (this.at !== this.lines.length) bail();
    return { root: node, data, lineStarts: this.lineStarts };
  }

  /**
   * A block mapping whose keys start in column `indent`, from the current line;
   * `first` is where its first key starts when that line opens with a dash.
   */
  private map(indent: number, first?: number): { node: FastMap; data: Record<string, unknown>; end: number } {
    const pairs: FastMap["pairs"] = new Map();
    const data: Record<string, unknown> = {};
    let start = -1;
    let end = 0;
    while (this.at < this.lines.length) {
      const line = this.lines[this.at]!;
      let p = line.start + indent;
      if (start === -1 && first !== undefined) p = first;
      else if (line.indent > indent) bail();
      else if (line.indent < indent || this.isItem(line)) break;
      const entry = this.pair(line, p, indent);
      if (start === -1) start = entry.keyRange[0];
      if (pairs.has(entry.key)) bail(); // the library path reports duplicates (HA006)
      pairs.set(entry.key, { keyRange: entry.keyRange, value: entry.value });
      data[entry.key] = entry.data;
      end = entry.end;
    }
    if (start === -1) bail();
    return { node: { kind: "map", range: [start, end], pairs }, data, end };
  }

  /** One `key: value` of a block mapping, at `p` on the current line, and the block under it. */
  private pair(
    line: Line,
    p: number,
    indent: number,
  ): { key: string; keyRange: [number, number]; value: FastNode; data: unknown; end: number } {
    const key = this.scalar(p, line.end, false);
    if (key.kind !== "key") bail();
    const name = key.value;
    if (typeof name !== "string" || name.length > MAX_KEY || RISKY_KEYS.has(name)) bail();
    let q = key.end + 1; // past the colon
    this.at++;
    while (q < line.end && this.text.charCodeAt(q) === 32) q++;
    if (q === line.end || this.text[q] === "#") {
      // `key:` followed by spaces, a comment or a blank line: the library's ranges reach further.
      if (q !== key.end + 1) bail();
      const next = this.lines[this.at];
      const nested = next && (next.indent > indent || (next.indent === indent && this.isItem(next)));
      if (nested) {
        const block = this.isItem(next) ? this.seq(next.indent) : this.map(next.indent);
        return { key: name, keyRange: key.range, value: block.node, data: block.data, end: block.end };
      }
      if (line.gapAfter) bail();
      const value: FastScalar = { kind: "scalar", range: [q, q], value: null };
      return { key: name, keyRange: key.range, value, data: null, end: q };
    }
    const value = this.inline(line, q, indent);
    return { key: name, keyRange: key.range, ...value };
  }

  private isItem(line: Line): boolean {
    const p = line.start + line.indent;
    return this.text[p] === "-" && (p + 1 === line.end || this.text[p + 1] === " ");
  }

  /** A block sequence whose dashes are in column `indent`. */
  private seq(indent: number): { node: FastSeq; data: unknown[]; end: number } {
    const items: FastNode[] = [];
    const data: unknown[] = [];
    let start = -1;
    let end = 0;
    while (this.at < this.lines.length) {
      const line = this.lines[this.at]!;
      if (line.indent !== indent || !this.isItem(line)) {
        if (line.indent >= indent) bail();
        break;
      }
      const dash = line.start + indent;
      if (start === -1) start = dash;
      let q = dash + 1;
      while (q < line.end && this.text.charCodeAt(q) === 32) q++;
      if (q === line.end || this.text[q] === "-" || this.text[q] === "#") bail();
      const probe =
        this.text[q] === "[" || this.text[q] === "{" ? undefined : this.scalar(q, line.end, false);
      if (probe?.kind === "key") {
        // `- key: value`: a mapping whose keys line up after the dash.
        const block = this.map(q - line.start, q);
        items.push(block.node);
        data.push(block.data);
        end = block.end;
      } else {
        this.at++;
        const value = this.inline(line, q, indent);
        items.push(value.value);
        data.push(value.data);
        end = value.end;
      }
    }
    return { node: { kind: "seq", range: [start, end], items }, data, end };
  }

  /** A one-line value at `q` (scalar or flow collection); nothing may follow it but a comment. */
  private inline(line: Line, q: number, indent: number): { value: FastNode; data: unknown; end: number } {
    let value: FastNode;
    let data: unknown;
    let after: number;
    if (this.text[q] === "[" || this.text[q] === "{") {
      const flow = this.flow(q, line.end);
      value = flow.node;
      data = flow.data;
      after = flow.end;
    } else {
      const s = this.scalar(q, line.end, false);
      if (s.kind === "key") bail(); // `a: b: c`
      value = { kind: "scalar", range: s.range, value: s.value };
      data = s.value;
      after = s.range[1];
    }
    this.trailer(after, line.end);
    const next = this.lines[this.at];
    if (next && next.indent > indent) bail(); // a multi-line scalar, or an error the library reports
    return { value, data, end: line.next };
  }

  /** Only spaces and a comment may follow a value on its line. */
  private trailer(p: number, end: number): void {
    let q = p;
    while (q < end && this.text.charCodeAt(q) === 32) q++;
    if (q === end) return;
    if (this.text[q] !== "#" || q === p) bail();
  }

  /** A flow collection that opens at `p` and closes on the same line. */
  private flow(p: number, end: number): { node: FastNode; data: unknown; end: number } {
    const open = this.text[p]!;
    const close = open === "[" ? "]" : "}";
    let q = p + 1;
    const skip = (): void => {
      while (q < end && this.text.charCodeAt(q) === 32) q++;
      if (q >= end) bail();
    };
    const items: FastNode[] = [];
    const list: unknown[] = [];
    const pairs: FastMap["pairs"] = new Map();
    const obj: Record<string, unknown> = {};
    skip();
    if (this.text[q] === close) {
      q++;
    } else {
      for (;;) {
        skip();
        if (open === "{") {
          const key = this.scalar(q, end, true);
          if (key.kind !== "key") bail();
          const name = key.value;
          if (typeof name !== "string" || RISKY_KEYS.has(name) || pairs.has(name)) bail();
          q = key.end + 1;
          skip();
          const v = this.flowValue(q, end);
          pairs.set(name, { keyRange: key.range, value: v.node });
          obj[name] = v.data;
          q = v.end;
        } else {
          const v = this.flowValue(q, end);
          items.push(v.node);
          list.push(v.data);
          q = v.end;
        }
        skip();
        const c = this.text[q];
        if (c === close) {
          q++;
          break;
        }
        if (c !== ",") bail();
        q++;
        skip();
        if (this.text[q] === close) bail(); // a trailing comma
      }
    }
    const range: [number, number] = [p, q];
    if (open === "[") return { node: { kind: "seq", range, items }, data: list, end: q };
    return { node: { kind: "map", range, pairs }, data: obj, end: q };
  }

  private flowValue(q: number, end: number): { node: FastNode; data: unknown; end: number } {
    const c = this.text[q];
    if (c === "[" || c === "{") return this.flow(q, end);
    const s = this.scalar(q, end, true);
    if (s.kind === "key") bail(); // a single-pair mapping inside a flow sequence
    return { node: { kind: "scalar", range: s.range, value: s.value }, data: s.value, end: s.range[1] };
  }

  /**
   * A quoted or plain scalar at `p`. When a `: ` (or `:` at the line's end)
   * follows it, it is a key and `end` is the colon's offset.
   */
  private scalar(
    p: number,
    end: number,
    inFlow: boolean,
  ): { kind: "key" | "value"; value: unknown; range: [number, number]; end: number } {
    const t = this.text;
    const c = t[p]!;
    let stop: number;
    let value: unknown;
    if (c === "'" || c === '"') {
      let q = p + 1;
      let out = "";
      for (;;) {
        const i = t.indexOf(c, q);
        if (i === -1 || i >= end) bail();
        out += t.slice(q, i);
        if (c === "'" && t[i + 1] === "'") {
          out += "'";
          q = i + 2;
          continue;
        }
        stop = i + 1;
        break;
      }
      value = out;
    } else {
      // Indicators that start something other than a plain scalar (or one the subset avoids).
      if ("?:,[]{}#&*!|>%@`".includes(c)) bail();
      if (c === "-" && (p + 1 >= end || t[p + 1] === " ")) bail();
      let q = p;
      let last = p; // just past the last non-space character
      while (q < end) {
        const ch = t[q]!;
        if (ch === ":" && (q + 1 === end || t[q + 1] === " ")) break;
        if (ch === ":" && inFlow) bail();
        if (ch === "#" && t[q - 1] === " ") break;
        if (inFlow && (ch === "," || ch === "[" || ch === "]" || ch === "{" || ch === "}")) break;
        if (ch === "'" || ch === '"') bail();
        if (ch !== " ") last = q + 1;
        q++;
      }
      stop = last;
      value = resolvePlain(t.slice(p, last));
    }
    let q = stop;
    while (q < end && t.charCodeAt(q) === 32) q++;
    const isKey = t[q] === ":" && (q + 1 === end || t[q + 1] === " ");
    if (isKey && q !== stop) bail(); // `key :` — the library's key range would differ
    return { kind: isKey ? "key" : "value", value, range: [p, stop], end: isKey ? q : stop };
  }
}

const INT = /^[-+]?[0-9]+$/;
const OCT = /^0o[0-7]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const NAN_INF = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain scalar's value under YAML 1.2's core schema, in the library's order of tests. */
export function resolvePlain(s: string): unknown {
  if (/^(?:~|[Nn]ull|NULL)?$/.test(s)) return null;
  if (/^(?:[Tt]rue|TRUE)$/.test(s)) return true;
  if (/^(?:[Ff]alse|FALSE)$/.test(s)) return false;
  if (OCT.test(s)) return parseInt(s.substring(2), 8);
  if (INT.test(s)) return parseInt(s, 10);
  if (HEX.test(s)) return parseInt(s.substring(2), 16);
  if (NAN_INF.test(s)) {
    if (s.slice(-3).toLowerCase() === "nan") return NaN;
    return s[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
  return s;
}
