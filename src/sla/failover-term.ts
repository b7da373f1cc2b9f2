/**
 * The failover term: a component failure that a gate survives still costs
 * clients the failover's downtime. Unavailability added = Σ over components c
 * of λ_c × E[longest failover c causes] (first order: failovers are short
 * next to MTBF, and rare enough not to overlap). docs/sla.md §3.
 */
import type { Mechanism, MechanismId } from "./failover.ts";
import type { Gate } from "./model.ts";

/** One component whose failure causes failovers, and its contribution. */
export interface FailoverCause {
  readonly host: string;
  readonly kind: string;
  /** Failures per hour. */
  readonly rate: number;
  /** Expected client-visible seconds per failure (the longest concurrent failover). */
  readonly expectedSeconds: number;
}

interface Chance {
  readonly p: number;
  readonly seconds: number;
}

/** E[max] of independent events that each happen with probability p and last `seconds`. */
export function expectedLongest(chances: readonly Chance[]): number {
  const sorted = [...chances].filter((c) => c.p > 0 && c.seconds > 0).sort((a, b) => b.seconds - a.seconds);
  let none = 1;
  let e = 0;
  for (const c of sorted) {
    e += c.seconds * c.p * none;
    none *= 1 - c.p;
  }
  return e;
}

/**
 * Every failover cause among the gates, with `failed` hosts already down
 * (they no longer fail, and the survivors are the candidates for "active").
 */
export function failoverCauses(
  gates: readonly Gate[],
  mechanisms: Readonly<Record<MechanismId, Mechanism>>,
  rate: (kind: string) => number,
  failed: ReadonlySet<string> = new Set(),
): FailoverCause[] {
  const byCause = new Map<string, { host: string; kind: string; chances: Chance[] }>();
  for (const g of gates) {
    const alive = g.members.filter((m) => m.host === undefined || !failed.has(m.host));
    // A gate with no spare member does not fail over: losing one is an outage, counted structurally.
    if (alive.length <= g.k) continue;
    const firstHost = alive.find((m) => m.host !== undefined)?.host;
    for (const m of alive) {
      if (m.host === undefined) continue;
      for (const t of g.triggers) {
        if (t.kind !== "host" && !m.daemons.includes(t.kind)) continue;
        const p = t.who === "any" ? 1 : t.who === "active" ? 1 / alive.length : m.host === firstHost ? 1 : 0;
        const key = `${m.host}\u0000${t.kind}`;
        const entry = byCause.get(key) ?? { host: m.host, kind: t.kind, chances: [] };
        entry.chances.push({ p, seconds: mechanisms[t.mechanism].seconds });
        byCause.set(key, entry);
      }
    }
  }
  return [...byCause.values()].map((c) => ({
    host: c.host,
    kind: c.kind,
    rate: rate(c.kind),
    expectedSeconds: expectedLongest(c.chances),
  }));
}

/** Fraction of time lost to failovers among the gates. */
export function failoverUnavailability(causes: readonly FailoverCause[]): number {
  let u = 0;
  for (const c of causes) u += (c.rate * c.expectedSeconds) / 3600;
  return Math.min(1, u);
}
