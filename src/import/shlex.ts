/**
 * Splitting an inventory host line into words the way Ansible's INI plugin does
 * (Python's `shlex.split(line, comments=True)`, POSIX mode), keeping where each
 * word starts so that diagnostics can point at it.
 */

/** One word of a host line and the 0-based offset where it starts in the line. */
export interface ShlexWord {
  readonly text: string;
  readonly offset: number;
}

/** The words of a line, or why the line cannot be split. */
export type ShlexResult =
  | { readonly ok: true; readonly words: ShlexWord[] }
  | { readonly ok: false; readonly message: string; readonly offset: number };

const WHITESPACE = new Set([" ", "\t", "\r", "\n"]);

/**
 * POSIX shlex: whitespace separates words, quotes group, a backslash escapes the
 * next character outside quotes (and `"` or `\` inside double quotes), and `#`
 * outside quotes ends the line — also in the middle of a word, as Python does.
 */
export function shlexSplit(line: string): ShlexResult {
  const words: ShlexWord[] = [];
  let word = "";
  let start = -1;
  let quoted = false; // a word made only of quotes ("") still counts
  let quote: "'" | '"' | undefined;
  let quoteStart = 0;
  const flush = () => {
    if (start >= 0 && (word !== "" || quoted)) words.push({ text: word, offset: start });
    word = "";
    start = -1;
    quoted = false;
  };
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === "\\" && i + 1 < line.length && (line[i + 1] === '"' || line[i + 1] === "\\"))
        word += line[++i];
      else word += ch;
      continue;
    }
    if (WHITESPACE.has(ch)) {
      flush();
      continue;
    }
    if (ch === "#") break;
    if (start < 0) start = i;
    if (ch === "'" || ch === '"') {
      quote = ch;
      quoted = true;
      quoteStart = i;
    } else if (ch === "\\") {
      if (i + 1 >= line.length) return { ok: false, message: "No escaped character", offset: i };
      word += line[++i];
    } else {
      word += ch;
    }
  }
  if (quote) return { ok: false, message: "No closing quotation", offset: quoteStart };
  flush();
  return { ok: true, words };
}
