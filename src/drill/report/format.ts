/** Number formatting shared by the reports, so text, JUnit and HTML agree. Pure. */
import { moveSeconds, placeAfter } from "../moves.ts";
import type { DrillResult, ProbeResult } from "../result.ts";

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

/**
 * A threshold's measured value against its limit, as a comparison that is
 * true: "3.42 s ≤ limit 5 s" when it held, "102.9 s > limit 25 s" when it did
 * not. The value gets the fewest decimals that keep the comparison true (5.04
 * against 5 is "5.04 s > limit 5 s", never "5.0 s > 5 s"). Metrics named `_s`
 * are seconds.
 */
export function limitText(measured: number | null, max?: number, min?: number, metric = ""): string {
  const unit = metric.endsWith("_s") ? " s" : "";
  const lim = (x: number) => `${x}${unit}`;
  if (measured === null) {
    const bounds = [
      min !== undefined ? `minimum ${lim(min)}` : "",
      max !== undefined ? `limit ${lim(max)}` : "",
    ];
    return `not measured (${bounds.filter((b) => b !== "").join(", ") || "no limit"})`;
  }
  const above = max !== undefined && measured > max;
  const below = min !== undefined && measured < min;
  const shown = (bound: number | undefined, holds: (v: number) => boolean): string => {
    for (let digits = unit === "" ? 0 : 1; digits <= 3; digits++) {
      const v = Number(measured.toFixed(digits));
      if (holds(v) && (bound === undefined || (v === bound) === (measured === bound))) return `${v}${unit}`;
    }
    return `${measured}${unit}`;
  };
  if (above) return `${shown(max, (v) => v > max)} > limit ${lim(max)}`;
  if (below) return `${shown(min, (v) => v < min)} < minimum ${lim(min)}`;
  const within = (v: number) => (max === undefined || v <= max) && (min === undefined || v >= min);
  const m = shown(max ?? min, within);
  if (max !== undefined && min !== undefined) return `minimum ${lim(min)} ≤ ${m} ≤ limit ${lim(max)}`;
  if (max !== undefined) return `${m} ≤ limit ${lim(max)}`;
  if (min !== undefined) return `${m} ≥ minimum ${lim(min)}`;
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

/** How the reports name what a drill tracks (the keys of placedBefore). */
const TRACKED_LABELS: Readonly<Record<string, string>> = {
  vip: "VIP",
  router: "router",
  "router-api": "router per Neutron's API",
};

/**
 * Where each tracked thing went: "VIP hap2 → hap1 in 3.40 s", or "VIP stayed on hap2", and the
 * same for the workload's router (unescaped text).
 */
export function placementText(d: DrillResult): string {
  const what = Object.keys(d.placedBefore);
  return (what.length > 0 ? what : ["vip"])
    .map((w) => {
      const label = TRACKED_LABELS[w] ?? w;
      const before = d.placedBefore[w] ?? null;
      const moved = moveSeconds(d.moves, w);
      return moved !== null
        ? `${label} ${before ?? "?"} → ${placeAfter(d.placedBefore, d.moves, w) ?? "?"} in ${secs(moved)}`
        : `${label} stayed on ${before ?? "?"}`;
    })
    .join("; ");
}

/** A tenant probe's paths: "cn01 0 of 420 lost (longest gap 0.05 s); cn02 …" (unescaped), or undefined. */
export function pathsText(p: ProbeResult): string | undefined {
  if (p.targets === undefined || p.targets.length < 2) return undefined;
  return p.targets
    .map((t) => `${t.target} ${t.failed} of ${t.total} lost (longest gap ${secs(t.longestGapS)})`)
    .join("; ");
}
