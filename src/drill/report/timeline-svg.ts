/**
 * The timeline of one drill as inline SVG: one lane per probe (ok, slow,
 * failed, binned to the pixel), the latency of each probe on a log scale, the
 * VIP holder as a coloured band, and the fault as a shaded span. Pure.
 */
import { USER_PROBES, type ProbeSample } from "../../probes/types.ts";
import type { DrillResult } from "../result.ts";
import { slowLimitMs, summarizeLatency } from "../stats.ts";
import { xmlEscape } from "../../report/xml.ts";

const W = 900;
const LEFT = 110;
const RIGHT = 16;
const LANE = 18;
const PLOT_W = W - LEFT - RIGHT;

/** Colours per outcome, and for VIP holders (by order of appearance). */
export const COLORS = {
  ok: "#2e9d4f",
  slow: "#e0a526",
  failed: "#d33a2c",
  none: "#eeeeee",
  fault: "#d33a2c",
} as const;
const HOLDER_COLORS = ["#3b6fd4", "#8e44ad", "#16a2a2", "#c2571a"];

type Outcome = "ok" | "slow" | "failed";

function binOutcomes(
  samples: readonly ProbeSample[],
  t0: number,
  span: number,
  bins: number,
  slow: number,
): (Outcome | undefined)[] {
  const out: (Outcome | undefined)[] = new Array<Outcome | undefined>(bins).fill(undefined);
  const rank = { ok: 0, slow: 1, failed: 2 } as const;
  for (const s of samples) {
    const i = Math.min(bins - 1, Math.max(0, Math.floor(((s.t - t0) / span) * bins)));
    const o: Outcome = !s.ok ? "failed" : s.ms > slow ? "slow" : "ok";
    const cur = out[i];
    if (cur === undefined || rank[o] > rank[cur]) out[i] = o;
  }
  // A slow probe (5/s) leaves empty pixels between samples: the last outcome holds until the next sample, up to 2 s.
  const hold = Math.ceil((2000 / span) * bins);
  let last: Outcome | undefined;
  let since = 0;
  for (let i = 0; i < bins; i++) {
    if (out[i] !== undefined) {
      last = out[i];
      since = 0;
    } else if (last !== undefined && ++since <= hold) out[i] = last;
  }
  return out;
}

/** Runs of equal values: [start index, length, value]. */
function runs<T>(xs: readonly T[]): [number, number, T][] {
  const out: [number, number, T][] = [];
  xs.forEach((x, i) => {
    const last = out[out.length - 1];
    if (last !== undefined && last[2] === x) last[1]++;
    else out.push([i, 1, x]);
  });
  return out;
}

const f1 = (x: number): string => (Math.round(x * 10) / 10).toString();

/** The SVG for one drill, or a short note when it has no timeline. */
export function timelineSvg(d: DrillResult): string {
  const tl = d.timeline;
  const ph = d.phases;
  if (tl === undefined || ph === undefined) return `<p class="note">No timeline: the drill did not run.</p>`;
  const t0 = ph.start;
  const span = Math.max(1, ph.end - ph.start);
  const x = (t: number): number => LEFT + ((t - t0) / span) * PLOT_W;
  const bins = PLOT_W;
  const parts: string[] = [];
  let y = 20;

  const probes = USER_PROBES.filter((p) => tl.samples.some((s) => s.probe === p));
  for (const p of probes) {
    const samples = tl.samples.filter((s) => s.probe === p);
    const slow = slowLimitMs(summarizeLatency(samples.filter((s) => s.t < ph.faultAt)));
    const outcomes = binOutcomes(samples, t0, span, bins, slow);
    parts.push(`<g class="lane" data-lane="${p}">`);
    parts.push(`<text x="${LEFT - 6}" y="${y + 13}" text-anchor="end">${p}</text>`);
    parts.push(`<rect x="${LEFT}" y="${y}" width="${PLOT_W}" height="${LANE - 4}" fill="${COLORS.none}"/>`);
    for (const [i, n, o] of runs(outcomes)) {
      if (o === undefined) continue;
      parts.push(
        `<rect class="${o}" x="${LEFT + i}" y="${y}" width="${n}" height="${LANE - 4}" fill="${COLORS[o]}"><title>${p}: ${o}</title></rect>`,
      );
    }
    parts.push(`</g>`);
    y += LANE;
  }

  // VIP holder band.
  const holders = [...new Set(tl.vip.flatMap((v) => v.holders))].sort();
  const colorOf = (h: string): string => HOLDER_COLORS[holders.indexOf(h) % HOLDER_COLORS.length]!;
  parts.push(`<g class="lane vip" data-lane="vip-holder">`);
  parts.push(`<text x="${LEFT - 6}" y="${y + 13}" text-anchor="end">VIP holder</text>`);
  parts.push(`<rect x="${LEFT}" y="${y}" width="${PLOT_W}" height="${LANE - 4}" fill="${COLORS.none}"/>`);
  const vip = [...tl.vip].sort((a, b) => a.t - b.t);
  vip.forEach((v, i) => {
    const next = vip[i + 1]?.t ?? ph.end;
    const label = v.holders.length === 0 ? "none" : v.holders.join("+");
    const fill =
      v.holders.length === 1 ? colorOf(v.holders[0]!) : v.holders.length === 0 ? COLORS.none : COLORS.failed;
    // +0.5 px: adjacent segments overlap instead of leaving anti-aliased seams
    const w = Math.max(0, Math.min(x(ph.end), x(next) + 0.5) - x(v.t));
    if (w > 0)
      parts.push(
        `<rect x="${f1(x(v.t))}" y="${y}" width="${f1(w)}" height="${LANE - 4}" fill="${fill}"><title>VIP: ${xmlEscape(label)}</title></rect>`,
      );
  });
  parts.push(`</g>`);
  y += LANE;

  // Latency chart of successful requests: max latency per bin, log scale from 1 ms to the largest.
  const chartTop = y + 8;
  const chartH = 120;
  const maxMs = Math.max(10, ...tl.samples.map((s) => s.ms));
  const ly = (v: number): number =>
    chartTop + chartH - (Math.log10(Math.max(1, v)) / Math.log10(maxMs)) * chartH;
  parts.push(`<g class="latency">`);
  parts.push(
    `<rect x="${LEFT}" y="${chartTop}" width="${PLOT_W}" height="${chartH}" fill="none" stroke="#ccc"/>`,
  );
  for (const tick of [1, 10, 100, 1000, 10_000, 100_000].filter((v) => v <= maxMs)) {
    parts.push(
      `<line x1="${LEFT}" x2="${LEFT + PLOT_W}" y1="${f1(ly(tick))}" y2="${f1(ly(tick))}" stroke="#eee"/>`,
    );
    parts.push(
      `<text x="${LEFT - 6}" y="${f1(ly(tick) + 4)}" text-anchor="end">${tick >= 1000 ? `${tick / 1000} s` : `${tick} ms`}</text>`,
    );
  }
  const lineColors = ["#3b6fd4", "#2e9d4f", "#8e44ad", "#c2571a"];
  probes.forEach((p, pi) => {
    const per = new Array<number>(bins).fill(-1);
    for (const s of tl.samples) {
      if (s.probe !== p || !s.ok) continue;
      const i = Math.min(bins - 1, Math.max(0, Math.floor(((s.t - t0) / span) * bins)));
      per[i] = Math.max(per[i]!, s.ms);
    }
    // One polyline per stretch of answers: no line is drawn across an outage.
    const maxJump = Math.ceil((2000 / span) * bins);
    const segments: string[][] = [];
    let lastI = -Infinity;
    per.forEach((v, i) => {
      if (v < 0) return;
      if (i - lastI > maxJump || segments.length === 0) segments.push([]);
      segments[segments.length - 1]!.push(`${LEFT + i},${f1(ly(v))}`);
      lastI = i;
    });
    for (const pts of segments.filter((x) => x.length > 1)) {
      parts.push(
        `<polyline data-probe="${p}" points="${pts.join(" ")}" fill="none" stroke="${lineColors[pi % lineColors.length]}" stroke-width="1"/>`,
      );
    }
    parts.push(
      `<text x="${LEFT + 8 + pi * 110}" y="${chartTop + 14}" fill="${lineColors[pi % lineColors.length]}">${p}</text>`,
    );
  });
  parts.push(`</g>`);
  y = chartTop + chartH + 6;

  // Fault span and events across everything.
  const fx = x(ph.faultAt);
  const ux = x(ph.undoAt);
  const top = 14;
  parts.unshift(
    `<rect class="fault" x="${f1(fx)}" y="${top}" width="${f1(Math.max(1, ux - fx))}" height="${y - top}" fill="${COLORS.fault}" fill-opacity="0.08"/>`,
    `<line class="fault-start" x1="${f1(fx)}" x2="${f1(fx)}" y1="${top}" y2="${y}" stroke="${COLORS.fault}" stroke-width="1.5"/>`,
    `<line class="fault-end" x1="${f1(ux)}" x2="${f1(ux)}" y1="${top}" y2="${y}" stroke="${COLORS.fault}" stroke-dasharray="4 3"/>`,
    `<text x="${f1(fx + 3)}" y="${top - 2}" fill="${COLORS.fault}">fault</text>`,
    `<text x="${f1(ux + 3)}" y="${top - 2}" fill="${COLORS.fault}">undo</text>`,
  );
  // Time axis.
  const seconds = span / 1000;
  const step = seconds > 120 ? 30 : seconds > 60 ? 10 : seconds > 20 ? 5 : 2;
  for (let s = 0; s <= seconds; s += step) {
    const tx = LEFT + (s / seconds) * PLOT_W;
    parts.push(`<line x1="${f1(tx)}" x2="${f1(tx)}" y1="${y}" y2="${y + 4}" stroke="#888"/>`);
    parts.push(`<text x="${f1(tx)}" y="${y + 16}" text-anchor="middle">${s} s</text>`);
  }
  y += 22;
  const legend = holders
    .map(
      (h, i) => `<tspan fill="${colorOf(h)}">■ ${xmlEscape(h)}</tspan>${i < holders.length - 1 ? " " : ""}`,
    )
    .join("");
  parts.push(
    `<text x="${LEFT}" y="${y + 6}"><tspan fill="${COLORS.ok}">■ ok</tspan> <tspan fill="${COLORS.slow}">■ slow</tspan> <tspan fill="${COLORS.failed}">■ failed</tspan>  VIP: ${legend}</text>`,
  );
  y += 14;
  return (
    `<svg class="timeline" data-scenario="${d.scenario}" data-profile="${d.profile}" xmlns="http://www.w3.org/2000/svg" ` +
    `viewBox="0 0 ${W} ${y}" width="${W}" height="${y}" font-family="sans-serif" font-size="11">` +
    parts.join("") +
    `</svg>`
  );
}
