/**
 * Inventory values as Ansible's INI plugin reads them: it tries Python's
 * `ast.literal_eval` on each value and keeps the text when that fails. So
 * `port=22` is the number 22, `debug=True` a boolean, `ip="10.0.0.1"` text,
 * `list=[1,2]` a list, and `enabled=yes` stays the text "yes".
 */

/** A value read from an inventory. */
export type InventoryValue =
  string | number | boolean | null | InventoryValue[] | { [key: string]: InventoryValue };

/** Python literals nested deeper than this are kept as text (CPython refuses them as well). */
const MAX_DEPTH = 100;

class NotALiteral extends Error {}

/** `ast.literal_eval(text)` for the literals an inventory can hold, or the text itself. */
export function inventoryValue(text: string): InventoryValue {
  try {
    const p = new LiteralParser(text.replace(/^[ \t]+/, ""));
    const v = p.parseExpression(0);
    p.skipSpace();
    if (!p.atEnd()) throw new NotALiteral();
    return v;
  } catch (e) {
    if (e instanceof NotALiteral) return text;
    throw e;
  }
}

class LiteralParser {
  private i = 0;
  constructor(private readonly s: string) {}

  atEnd(): boolean {
    return this.i >= this.s.length;
  }

  /** Skips blanks and a trailing `# comment` (Python ignores both). */
  skipSpace(): void {
    while (this.i < this.s.length) {
      const ch = this.s[this.i]!;
      if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r" || ch === "\f") this.i++;
      else if (ch === "#") this.i = this.s.length;
      else break;
    }
  }

  parseExpression(depth: number): InventoryValue {
    if (depth > MAX_DEPTH) throw new NotALiteral();
    this.skipSpace();
    const ch = this.s[this.i];
    if (ch === undefined) throw new NotALiteral();
    if (ch === "[") return this.parseSequence("]", depth);
    if (ch === "(") return this.parseSequence(")", depth);
    if (ch === "{") return this.parseDict(depth);
    if (ch === "+" || ch === "-") {
      this.i++;
      this.skipSpace();
      const n = this.parseNumber();
      return ch === "-" ? -n : n;
    }
    if (/[0-9.]/.test(ch)) return this.parseNumber();
    const str = this.tryStrings();
    if (str !== undefined) return str;
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.i))?.[0];
    if (word === "True" || word === "False" || word === "None") {
      this.i += word.length;
      return word === "True" ? true : word === "False" ? false : null;
    }
    throw new NotALiteral();
  }

  private parseSequence(close: "]" | ")", depth: number): InventoryValue {
    this.i++;
    const items: InventoryValue[] = [];
    let sawComma = false;
    for (;;) {
      this.skipSpace();
      if (this.s[this.i] === close) {
        this.i++;
        // "(1)" is the number 1, not a tuple; "(1,)" and "()" are tuples.
        if (close === ")" && items.length === 1 && !sawComma) return items[0]!;
        return items;
      }
      items.push(this.parseExpression(depth + 1));
      this.skipSpace();
      if (this.s[this.i] === ",") {
        this.i++;
        sawComma = true;
      } else if (this.s[this.i] !== close) throw new NotALiteral();
    }
  }

  private parseDict(depth: number): { [key: string]: InventoryValue } {
    this.i++;
    const out: { [key: string]: InventoryValue } = Object.create(null) as { [key: string]: InventoryValue };
    for (;;) {
      this.skipSpace();
      if (this.s[this.i] === "}") {
        this.i++;
        return out;
      }
      const key = this.parseExpression(depth + 1);
      this.skipSpace();
      // A set literal ({1, 2}) has no JSON form; keep the text like a failed literal.
      if (this.s[this.i] !== ":" || (typeof key === "object" && key !== null)) throw new NotALiteral();
      this.i++;
      out[typeof key === "string" ? key : JSON.stringify(key)] = this.parseExpression(depth + 1);
      this.skipSpace();
      if (this.s[this.i] === ",") this.i++;
      else if (this.s[this.i] !== "}") throw new NotALiteral();
    }
  }

  private parseNumber(): number {
    const rest = this.s.slice(this.i);
    const m =
      /^0[xX](?:_?[0-9a-fA-F])+|^0[oO](?:_?[0-7])+|^0[bB](?:_?[01])+/.exec(rest) ??
      /^(?:[0-9](?:_?[0-9])*)?(?:\.(?:[0-9](?:_?[0-9])*)?)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?/.exec(rest);
    const text = m?.[0] ?? "";
    if (text === "" || text === "." || /^\.[eE]/.test(text)) throw new NotALiteral();
    const next = rest[text.length];
    // 1j (complex), 1L, 12abc: not something JSON can hold, or not a literal.
    if (next !== undefined && /[A-Za-z0-9_]/.test(next)) throw new NotALiteral();
    const clean = text.replace(/_/g, "");
    let n: number;
    if (/^0[xXoObB]/.test(clean)) {
      const radix = /^0[xX]/.test(clean) ? 16 : /^0[oO]/.test(clean) ? 8 : 2;
      n = parseInt(clean.slice(2), radix);
    } else if (/^[0-9]+$/.test(clean)) {
      // Python 3 refuses decimal integers with leading zeros ("01"), except all zeros.
      if (/^0[0-9]/.test(clean) && !/^0+$/.test(clean)) throw new NotALiteral();
      n = Number(clean);
    } else {
      n = Number(clean);
    }
    if (!Number.isFinite(n)) throw new NotALiteral();
    this.i += text.length;
    return n;
  }

  /** One or more adjacent string literals ('a' "b" is "ab"), or undefined when none starts here. */
  private tryStrings(): string | undefined {
    let out: string | undefined;
    for (;;) {
      const m = /^([rRbBuU]{0,2})('''|"""|'|")/.exec(this.s.slice(this.i));
      if (!m) return out;
      const prefix = m[1]!.toLowerCase();
      if (!/^(|r|b|u|br|rb)$/.test(prefix)) throw new NotALiteral();
      this.i += m[0].length;
      out = (out ?? "") + this.readString(m[2]!, prefix.includes("r"));
      this.skipSpace();
    }
  }

  private readString(quote: string, raw: boolean): string {
    let out = "";
    for (;;) {
      if (this.i >= this.s.length) throw new NotALiteral();
      if (this.s.startsWith(quote, this.i)) {
        this.i += quote.length;
        return out;
      }
      const ch = this.s[this.i]!;
      if ((ch === "\n" || ch === "\r") && quote.length === 1) throw new NotALiteral();
      if (ch === "\\" && this.i + 1 < this.s.length) {
        const next = this.s[this.i + 1]!;
        if (raw) {
          out += ch + next;
          this.i += 2;
          continue;
        }
        this.i += 2;
        out += this.escape(next);
        continue;
      }
      out += ch;
      this.i++;
    }
  }

  private escape(c: string): string {
    const simple: Record<string, string> = {
      n: "\n",
      t: "\t",
      r: "\r",
      "\\": "\\",
      "'": "'",
      '"': '"',
      a: "\x07",
      b: "\b",
      f: "\f",
      v: "\v",
      "0": "\0",
      "\n": "",
    };
    if (c in simple && c !== "0") return simple[c]!;
    const hex = (len: number) => {
      const h = this.s.slice(this.i, this.i + len);
      if (h.length !== len || !/^[0-9a-fA-F]+$/.test(h)) throw new NotALiteral();
      this.i += len;
      const cp = parseInt(h, 16);
      if (cp > 0x10ffff) throw new NotALiteral();
      return String.fromCodePoint(cp);
    };
    if (c === "x") return hex(2);
    if (c === "u") return hex(4);
    if (c === "U") return hex(8);
    if (/[0-7]/.test(c)) {
      let digits = c;
      while (digits.length < 3 && /[0-7]/.test(this.s[this.i] ?? "")) digits += this.s[this.i++];
      return String.fromCodePoint(parseInt(digits, 8));
    }
    // Python keeps unknown escapes as written (with a warning).
    return "\\" + c;
  }
}
