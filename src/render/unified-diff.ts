/**
 * A unified diff of two texts (`diff -u` shape: ---/+++ headers, @@ hunks with
 * three lines of context), from a longest-common-subsequence of their lines.
 * Pure; used by `hacloud diff` to show what adopting hacloud would change.
 */

/** Texts longer than this (lines × lines) are shown as one replacement hunk instead. */
const MAX_CELLS = 4_000_000;
const CONTEXT = 3;

type Op = { readonly kind: " " | "-" | "+"; readonly line: string };

function lines(text: string): string[] {
  if (text === "") return [];
  const out = text.split("\n");
  if (out.at(-1) === "") out.pop();
  return out;
}

/** The edit script from a to b, as kept, removed and added lines. */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  if (a.length * b.length > MAX_CELLS)
    return [
      ...a.map((line) => ({ kind: "-" as const, line })),
      ...b.map((line) => ({ kind: "+" as const, line })),
    ];
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..], row by row in one flat array.
  const w = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * w);
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i * w + j] =
        a[i] === b[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: " ", line: a[i]! });
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
      // Removals before additions, as diff -u writes a changed line.
      ops.push({ kind: "-", line: a[i++]! });
    } else {
      ops.push({ kind: "+", line: b[j++]! });
    }
  }
  return ops;
}

/** What a diff changed: lines removed and added. */
export interface DiffStat {
  readonly removed: number;
  readonly added: number;
}

/** The unified diff from `a` (named `aName`) to `b`, or "" when they are equal. */
export function unifiedDiff(
  aName: string,
  bName: string,
  a: string,
  b: string,
): { text: string; stat: DiffStat } {
  if (a === b) return { text: "", stat: { removed: 0, added: 0 } };
  const ops = editScript(lines(a), lines(b));
  const changed = ops.map((op, k) => (op.kind !== " " ? k : -1)).filter((k) => k !== -1);
  const hunks: [number, number][] = [];
  for (const k of changed) {
    const last = hunks.at(-1);
    if (last && k - last[1] <= 2 * CONTEXT) last[1] = k;
    else hunks.push([k, k]);
  }
  // Line numbers of a and b at the start of each op.
  const aAt: number[] = [];
  const bAt: number[] = [];
  let an = 1;
  let bn = 1;
  for (const op of ops) {
    aAt.push(an);
    bAt.push(bn);
    if (op.kind !== "+") an++;
    if (op.kind !== "-") bn++;
  }
  const out = [`--- ${aName}`, `+++ ${bName}`];
  for (const [first, last] of hunks) {
    const from = Math.max(0, first - CONTEXT);
    const to = Math.min(ops.length - 1, last + CONTEXT);
    const slice = ops.slice(from, to + 1);
    const aLen = slice.filter((o) => o.kind !== "+").length;
    const bLen = slice.filter((o) => o.kind !== "-").length;
    const aStart = aLen === 0 ? aAt[from]! - 1 : aAt[from]!;
    const bStart = bLen === 0 ? bAt[from]! - 1 : bAt[from]!;
    // As diff -u writes a range: one line is just its number.
    const range = (start: number, len: number) => (len === 1 ? `${start}` : `${start},${len}`);
    out.push(`@@ -${range(aStart, aLen)} +${range(bStart, bLen)} @@`);
    for (const op of slice) out.push(`${op.kind}${op.line}`);
  }
  const removed = ops.filter((o) => o.kind === "-").length;
  const added = ops.filter((o) => o.kind === "+").length;
  return { text: out.join("\n") + "\n", stat: { removed, added } };
}
