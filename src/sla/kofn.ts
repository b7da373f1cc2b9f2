/**
 * Exact availability arithmetic for independent components: steady state from
 * rates, series, parallel, and k-of-n with identical or different members
 * (Poisson-binomial). Formulas and sources: docs/sla.md §2.
 */

/** Steady-state availability A = MTBF / (MTBF + MTTR). */
export function steadyState(mtbfH: number, mttrH: number): number {
  return mtbfH / (mtbfH + mttrH);
}

/** Series: every component must work, A = Π aᵢ. */
export function series(probs: readonly number[]): number {
  let a = 1;
  for (const p of probs) a *= p;
  return a;
}

/** Parallel (1-of-n): one working component suffices, A = 1 − Π (1 − aᵢ). */
export function parallel(probs: readonly number[]): number {
  let q = 1;
  for (const p of probs) q *= 1 - p;
  return 1 - q;
}

/**
 * P(at least k of the independent components work), each with its own
 * probability ("k-out-of-n:G"). A dynamic programme over the number of working
 * (or, when k is near n, failed) members, truncated at the threshold, so the
 * cost is O(n · min(k, n − k + 1)) and a 2-of-5000 gate is cheap.
 */
export function kOfN(k: number, probs: readonly number[]): number {
  const n = probs.length;
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (k === n) return series(probs);
  if (k === 1) return parallel(probs);
  const maxDown = n - k;
  if (k <= maxDown + 1) {
    // dist[j] = P(exactly j up so far), j < k; the last slot accumulates ">= k".
    const dist = new Float64Array(k + 1);
    dist[0] = 1;
    for (const p of probs) {
      dist[k] = dist[k]! + dist[k - 1]! * p;
      for (let j = k - 1; j >= 1; j--) dist[j] = dist[j]! * (1 - p) + dist[j - 1]! * p;
      dist[0] = dist[0] * (1 - p);
    }
    return dist[k]!;
  }
  // Count failures instead: P(down <= maxDown).
  const dist = new Float64Array(maxDown + 1);
  dist[0] = 1;
  for (const p of probs) {
    for (let j = maxDown; j >= 1; j--) dist[j] = dist[j]! * p + dist[j - 1]! * (1 - p);
    dist[0] = dist[0] * p;
  }
  let s = 0;
  for (const v of dist) s += v;
  return s;
}

/** k-of-n with identical members: Σ_{i=k..n} C(n,i) aⁱ (1−a)ⁿ⁻ⁱ. */
export function kOfNIdentical(k: number, n: number, a: number): number {
  return kOfN(k, new Array<number>(n).fill(a));
}

/** Binomial probability P(X = i) for X ~ Bin(n, p), computed without overflow for the small n the model conditions on. */
export function binomialPmf(n: number, i: number, p: number): number {
  if (i < 0 || i > n) return 0;
  let c = 1;
  for (let j = 1; j <= i; j++) c = (c * (n - i + j)) / j;
  return c * Math.pow(p, i) * Math.pow(1 - p, n - i);
}

/** "Nines" of an availability: −log10(1 − A); Infinity when A is 1. */
export function nines(a: number): number {
  return a >= 1 ? Infinity : -Math.log10(1 - a);
}

/** Minutes in a 30-day month, the month every figure here uses. */
export const MINUTES_PER_MONTH = 30 * 24 * 60;

/** Expected downtime in minutes per 30-day month. */
export function downtimeMinPerMonth(a: number): number {
  return (1 - a) * MINUTES_PER_MONTH;
}
