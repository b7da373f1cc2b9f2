/**
 * Resolving kolla inventory groups to hosts: top-level host groups (control,
 * network, compute, storage, monitoring, loadbalancer) plus the `:children`
 * tree of kolla's upstream inventory.
 */
import type { Release } from "../spec/schema.ts";
import { KOLLA_CHILDREN_2024_1 } from "./groups-2024.1.ts";
import { KOLLA_CHILDREN_2025_1 } from "./groups-2025.1.ts";
import { KOLLA_CHILDREN_MASTER } from "./groups-master.ts";

/** Upstream `[group:children]` sections of a release's multinode inventory, in file order. */
export function kollaChildrenTable(
  release: Release = "master",
): readonly (readonly [string, readonly string[]])[] {
  return release === "2024.1"
    ? KOLLA_CHILDREN_2024_1
    : release === "2025.1"
      ? KOLLA_CHILDREN_2025_1
      : KOLLA_CHILDREN_MASTER;
}

/** The children table, with `loadbalancer:children network` dropped: hacloud places load balancers as hosts. */
export function kollaChildren(release: Release = "master"): ReadonlyMap<string, readonly string[]> {
  const m = new Map<string, string[]>();
  for (const [group, children] of kollaChildrenTable(release)) {
    if (group === "loadbalancer") continue;
    const list = m.get(group) ?? [];
    list.push(...children);
    m.set(group, list);
  }
  return m;
}

/** Resolves a group to its hosts (deduplicated, in the order top-level groups list them). */
export function resolveGroup(
  group: string,
  topLevel: Readonly<Record<string, readonly string[]>>,
  children: ReadonlyMap<string, readonly string[]> = kollaChildren(),
): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visiting = new Set<string>();
  const walk = (g: string): void => {
    if (visiting.has(g)) return;
    visiting.add(g);
    for (const h of topLevel[g] ?? []) {
      if (!seen.has(h)) {
        seen.add(h);
        out.push(h);
      }
    }
    for (const c of children.get(g) ?? []) walk(c);
  };
  walk(group);
  return out;
}
