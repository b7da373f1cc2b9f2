/**
 * Number formatting shared by the text report, the JSON and the HTML summary:
 * percentages with as many digits as the nines need, minutes, seconds.
 */
import { nines } from "./kofn.ts";

/** Decimals a percentage needs to show its last significant nine (2 to 6). */
export function percentDigits(a: number): number {
  if (a >= 1 || a <= 0) return 2;
  return Math.min(6, Math.max(2, Math.ceil(nines(a)) - 1));
}

/** "99.99968 %"; `digits` defaults to what the figure itself needs. */
export function percent(a: number, digits = percentDigits(a)): string {
  if (a >= 1) return "100 %";
  if (a <= 0) return "0 %";
  return `${(a * 100).toFixed(digits)} %`;
}

/** Nines to one decimal ("5.5"), "∞" for a certain service. */
export function ninesText(a: number): string {
  const n = nines(a);
  return Number.isFinite(n) ? n.toFixed(1) : "∞";
}

/** Minutes with a precision that suits the size: "0.14 min", "22.96 min", "43200 min". */
export function minutes(m: number): string {
  if (m >= 1000) return `${Math.round(m)} min`;
  if (m >= 0.01 || m === 0) return `${m.toFixed(2)} min`;
  return `${(m * 60).toFixed(2)} s`;
}

/** A fraction of the budget as a percentage ("6.3 %", ">999 %"). */
export function budget(f: number): string {
  if (!Number.isFinite(f) || f > 9.99) return ">999 %";
  return `${(f * 100).toFixed(1)} %`;
}

/** Seconds to three significant decimals ("3.996 s"). */
export function seconds(s: number): string {
  return `${Math.round(s * 1000) / 1000} s`;
}

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visible(cell).length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell + " ".repeat(widths[i]! - visible(cell).length)))
      .join("  ")
      .trimEnd(),
  );
}

// Colour escapes take no room on screen.
const ANSI = new RegExp(String.fromCharCode(27) + "\\[[0-9;]*m", "g");
function visible(s: string): string {
  return s.replace(ANSI, "");
}
