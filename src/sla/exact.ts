/**
 * Exact availability of "every gate holds" when gates share hosts. Daemons
 * belong to one gate each, so given the hosts' states the gates are
 * independent; we condition on the hosts that appear in two or more gates.
 * Those hosts fall into classes of interchangeable hosts (same gates, same
 * availability), so we enumerate how many of each class are up, not which:
 * Π (nᶜ + 1) states instead of 2ⁿ. Why this and not a BDD: docs/sla.md §2.
 */
import { binomialPmf, kOfN, series } from "./kofn.ts";
import type { Gate } from "./model.ts";

/** Conditioning beyond this many host states falls back to a bound. */
export const MAX_STATES = 2_000_000;

/** An availability and whether it is exact or the association lower bound. */
export interface Joint {
  readonly value: number;
  readonly exact: boolean;
}

interface HostClass {
  readonly n: number;
  readonly a: number;
}

interface GatePlan {
  readonly k: number;
  /** Members whose state needs no conditioning: their full probability. */
  readonly fixed: readonly number[];
  /** Classes this gate has members in, and the daemons' probability for those members. */
  readonly classes: readonly number[];
  readonly pd: number;
}

/** Product of the daemon availabilities a member needs. */
export function memberDaemonAvailability(
  daemons: readonly string[],
  daemonA: (kind: string) => number,
): number {
  return series(daemons.map(daemonA));
}

/**
 * P(all gates hold). `hostA` gives each host's availability (0 for a failed
 * host, 1 for one known to be up); `daemonA` each daemon kind's.
 */
export function jointAvailability(
  gates: readonly Gate[],
  hostA: (host: string) => number,
  daemonA: (kind: string) => number,
): Joint {
  const uses = new Map<string, Set<number>>();
  gates.forEach((g, gi) => {
    for (const m of g.members) {
      if (m.host === undefined) continue;
      const s = uses.get(m.host) ?? new Set<number>();
      s.add(gi);
      uses.set(m.host, s);
    }
  });
  // Hosts in two or more gates, with an uncertain state, are conditioned on; grouped by signature.
  const classIndex = new Map<string, number>();
  const classes: HostClass[] = [];
  const hostClass = new Map<string, number>();
  for (const [host, gs] of uses) {
    const a = hostA(host);
    if (gs.size < 2 || a <= 0 || a >= 1) continue;
    const key = `${[...gs].sort((x, y) => x - y).join(",")}|${a}`;
    let ci = classIndex.get(key);
    if (ci === undefined) {
      ci = classes.length;
      classIndex.set(key, ci);
      classes.push({ n: 0, a });
    }
    classes[ci] = { n: classes[ci]!.n + 1, a };
    hostClass.set(host, ci);
  }
  const plans: GatePlan[] = gates.map((g) => {
    const pd = memberDaemonAvailability(g.members[0]?.daemons ?? [], daemonA);
    const fixed: number[] = [];
    const cls = new Set<number>();
    for (const m of g.members) {
      const p = memberDaemonAvailability(m.daemons, daemonA);
      if (m.host === undefined) fixed.push(p);
      else if (hostClass.has(m.host)) cls.add(hostClass.get(m.host)!);
      else fixed.push(hostA(m.host) * p);
    }
    return { k: g.k, fixed, classes: [...cls], pd };
  });
  let states = 1;
  for (const c of classes) states *= c.n + 1;
  if (states > MAX_STATES) {
    // Gates are increasing functions of associated (independent) components,
    // so P(all hold) >= Π P(each holds) (Esary–Proschan).
    let bound = 1;
    for (const g of gates) bound *= jointAvailability([g], hostA, daemonA).value;
    return { value: bound, exact: false };
  }
  let constant = 1;
  const varying: GatePlan[] = [];
  for (const p of plans) {
    if (p.classes.length === 0) constant *= kOfN(p.k, p.fixed);
    else varying.push(p);
  }
  if (varying.length === 0 || constant === 0) return { value: constant, exact: true };

  const pmfs = classes.map((c) => Array.from({ length: c.n + 1 }, (_, u) => binomialPmf(c.n, u, c.a)));
  const caches = varying.map(() => new Map<string, number>());
  const u = new Array<number>(classes.length).fill(0);
  let total = 0;
  for (let s = 0; s < states; s++) {
    let w = 1;
    for (let c = 0; c < classes.length; c++) w *= pmfs[c]![u[c]!]!;
    if (w > 0) {
      let p = constant;
      for (let i = 0; i < varying.length && p > 0; i++) {
        const g = varying[i]!;
        const key = g.classes.map((c) => u[c]).join(",");
        let v = caches[i]!.get(key);
        if (v === undefined) {
          const probs = [...g.fixed];
          for (const c of g.classes) for (let j = 0; j < u[c]!; j++) probs.push(g.pd);
          v = kOfN(g.k, probs);
          caches[i]!.set(key, v);
        }
        p *= v;
      }
      total += w * p;
    }
    // Next count vector (mixed radix).
    for (let c = 0; c < classes.length; c++) {
      if (u[c]! < classes[c]!.n) {
        u[c]!++;
        break;
      }
      u[c] = 0;
    }
  }
  return { value: total, exact: true };
}

/**
 * Conditions on zone failures when zones have a rate: enumerates zone states,
 * hosts in a failed zone are down, and the rest fail independently.
 */
export function withZones(
  zoneOf: ReadonlyMap<string, string>,
  zoneA: number | undefined,
  hostA: (host: string) => number,
  evaluate: (hostA: (host: string) => number) => Joint,
): Joint {
  const zones = [...new Set(zoneOf.values())].sort();
  if (zoneA === undefined || zoneA >= 1 || zones.length === 0) return evaluate(hostA);
  if (zones.length > 16) {
    // 2^16 zone states is the most we enumerate; beyond, zones are folded into their hosts (a bound).
    const r = evaluate((h) => hostA(h) * (zoneOf.has(h) ? zoneA : 1));
    return { value: r.value, exact: false };
  }
  let total = 0;
  let exact = true;
  for (let mask = 0; mask < 1 << zones.length; mask++) {
    const down = new Set(zones.filter((_, i) => (mask >> i) & 1));
    const w = zones.reduce((acc, _, i) => acc * ((mask >> i) & 1 ? 1 - zoneA : zoneA), 1);
    if (w === 0) continue;
    const r = evaluate((h) => {
      const z = zoneOf.get(h);
      return z !== undefined && down.has(z) ? 0 : hostA(h);
    });
    exact &&= r.exact;
    total += w * r.value;
  }
  return { value: total, exact };
}
