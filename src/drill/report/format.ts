/** Number formatting shared by the reports, so text, JUnit and HTML agree. Pure. */
import { moveSeconds, placeAfter } from "../moves.ts";
import type { DrillResult } from "../result.ts";

/** Seconds with a unit: "3.42 s", "—" for null. */
export function secs(x: number | null | undefined): string {
  if (x === null || x === undefined) return "—";
  return `${x < 10 ? x.toFixed(2) : x.toFixed(1)} s`;
}

/** Milliseconds rounded for a table: "3", "12.5", "—". */
export function ms(x: number | null | undefined): string {
  if (x === null || x === undefined) return "—";
  return x < 10 ? x.toFixed(1) : Math.round(x).toString();
}

/** A threshold's measured value and limit: "3.72 ≤ 5". */
export function limitText(measured: number | null, max?: number, min?: number): string {
  const m = measured === null ? "n/a" : String(measured);
  if (max !== undefined && min !== undefined) return `${min} ≤ ${m} ≤ ${max}`;
  if (max !== undefined) return `${m} ≤ ${max}`;
  if (min !== undefined) return `${m} ≥ ${min}`;
  return m;
}

/** Pads cells into aligned columns (left-aligned first column, right-aligned others). */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
}

/** Where the VIP went: "VIP hap2 → hap1 in 3.40 s", or "VIP stayed on hap2" (unescaped text). */
export function vipText(d: DrillResult): string {
  const before = d.placedBefore["vip"] ?? null;
  const moved = moveSeconds(d.moves, "vip");
  return moved !== null
    ? `VIP ${before ?? "?"} → ${placeAfter(d.placedBefore, d.moves, "vip") ?? "?"} in ${secs(moved)}`
    : `VIP stayed on ${before ?? "?"}`;
}
