/**
 * Minimal cut sets over hosts (and over zones): the smallest sets of hosts
 * whose failure, with every daemon otherwise healthy, takes a service down.
 * A gate "k of n" fails once n − k + 1 of its hosts fail, so its minimal cuts
 * are exactly those subsets; a service's (and the cloud's) minimal cuts are
 * the minimal sets among its gates' cuts. No search over all host subsets.
 */
import type { Gate, SlaModel } from "./model.ts";

/** Cut sets listed explicitly beyond this many are counted but not listed. */
export const MAX_LISTED_CUTS = 10_000;

/** A minimal cut set and the services it takes down. */
export interface CutSet {
  readonly hosts: readonly string[];
  readonly services: readonly string[];
}

/** A minimal set of zones whose loss takes services down. */
export interface ZoneCutSet {
  readonly zones: readonly string[];
  readonly services: readonly string[];
}

/** Minimal cut sets, and whether the list was cut short. */
export interface CutSets {
  readonly cutSets: readonly CutSet[];
  readonly truncated: boolean;
}

interface Family {
  readonly gate: Gate;
  readonly hosts: readonly string[];
  /** Failures among `hosts` that make the gate fail. */
  readonly m: number;
}

function families(gates: readonly Gate[]): Family[] {
  const out: Family[] = [];
  for (const g of gates) {
    const hosts = [...new Set(g.members.flatMap((m) => (m.host === undefined ? [] : [m.host])))];
    const m = g.members.length - g.k + 1;
    // m <= 0: the gate cannot hold even with every host up; no host set is "the" cause.
    if (m >= 1 && m <= hosts.length) out.push({ gate: g, hosts, m });
  }
  return out;
}

function* combinations<T>(items: readonly T[], size: number, start = 0, acc: T[] = []): Generator<T[]> {
  if (acc.length === size) {
    yield [...acc];
    return;
  }
  for (let i = start; i <= items.length - (size - acc.length); i++) {
    acc.push(items[i]!);
    yield* combinations(items, size, i + 1, acc);
    acc.pop();
  }
}

function gatesOf(model: SlaModel, services?: readonly string[]): Gate[] {
  const ids = new Set(
    model.services.filter((s) => services === undefined || services.includes(s.name)).flatMap((s) => s.gates),
  );
  return [...ids].map((id) => model.gates.get(id)!);
}

/**
 * Services of the model that a set of failed hosts takes down (every daemon
 * otherwise up). A service that is down with no host failed (a gate that can
 * never hold) is not blamed on the set.
 */
export function servicesDownWith(model: SlaModel, failed: ReadonlySet<string>): string[] {
  const down = new Set<string>();
  for (const [id, g] of model.gates) {
    if (g.members.length < g.k) continue;
    const up = g.members.filter((m) => m.host === undefined || !failed.has(m.host)).length;
    if (up < g.k) for (const s of model.services) if (s.gates.includes(id)) down.add(s.name);
  }
  return model.services.filter((s) => down.has(s.name)).map((s) => s.name);
}

/** Minimal host cut sets of size ≤ maxOrder over the given services (all by default), smallest first. */
export function hostCutSets(model: SlaModel, maxOrder = 3, services?: readonly string[]): CutSets {
  const fams = families(gatesOf(model, services)).filter((f) => f.m <= maxOrder);
  const order = new Map(model.hosts.map((h, i) => [h, i]));
  const seen = new Map<string, string[]>();
  let truncated = false;
  const isMinimal = (set: readonly string[]): boolean => {
    const s = new Set(set);
    return !fams.some((f) => f.m < set.length && f.hosts.filter((h) => s.has(h)).length >= f.m);
  };
  for (const f of [...fams].sort((a, b) => a.m - b.m)) {
    const hosts = [...f.hosts].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    for (const set of combinations(hosts, f.m)) {
      const key = set.join("+");
      if (seen.has(key)) continue;
      if (!isMinimal(set)) continue;
      if (seen.size >= MAX_LISTED_CUTS) {
        truncated = true;
        break;
      }
      seen.set(key, set);
    }
    if (truncated) break;
  }
  const scope = services === undefined ? undefined : new Set(services);
  const cutSets = [...seen.values()].map((hosts) => ({
    hosts,
    services: servicesDownWith(model, new Set(hosts)).filter((s) => scope === undefined || scope.has(s)),
  }));
  cutSets.sort(
    (a, b) =>
      a.hosts.length - b.hosts.length ||
      b.services.length - a.services.length ||
      a.hosts.join("+").localeCompare(b.hosts.join("+")),
  );
  return { cutSets, truncated };
}

/** Minimal zone cut sets of size ≤ maxOrder: whole zones lost at once. Empty when no host has a zone. */
export function zoneCutSets(model: SlaModel, maxOrder = 3): ZoneCutSet[] {
  const zones = [...new Set(model.zones.values())].sort();
  if (zones.length === 0) return [];
  const candidates = new Map<string, string[]>();
  for (const f of families(gatesOf(model))) {
    const count = new Map<string, number>();
    for (const h of f.hosts) {
      const z = model.zones.get(h);
      if (z !== undefined) count.set(z, (count.get(z) ?? 0) + 1);
    }
    const relevant = [...count.keys()].sort();
    const best = [...count.values()].sort((a, b) => b - a).slice(0, maxOrder);
    if (best.reduce((a, b) => a + b, 0) < f.m) continue;
    for (let size = 1; size <= Math.min(maxOrder, relevant.length); size++) {
      for (const set of combinations(relevant, size)) {
        if (set.reduce((acc, z) => acc + count.get(z)!, 0) >= f.m) candidates.set(set.join("+"), set);
      }
    }
  }
  const sets = [...candidates.values()].sort((a, b) => a.length - b.length);
  const minimal: string[][] = [];
  for (const s of sets) if (!minimal.some((m) => m.every((z) => s.includes(z)))) minimal.push(s);
  return minimal.map((zs) => {
    const failed = new Set(model.hosts.filter((h) => zs.includes(model.zones.get(h) ?? "")));
    return { zones: zs, services: servicesDownWith(model, failed) };
  });
}
