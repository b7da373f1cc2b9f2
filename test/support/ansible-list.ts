/**
 * The real `ansible-inventory --list` as the import tests' reference: its JSON,
 * and every group's hosts through its children as Ansible resolves them.
 */
import { expect } from "vitest";
import type { Inventory } from "../../src/import/inventory.ts";
import { run } from "../../src/util/run.ts";
import { ANSIBLE_INVENTORY } from "./import-fixtures.ts";

/** What `ansible-inventory --list` prints. */
export interface AnsibleList {
  _meta: { hostvars: Record<string, Record<string, unknown>> };
  [group: string]: { hosts?: string[]; children?: string[] } | AnsibleList["_meta"];
}

/**
 * ansible-inventory's answer for one or more `-i` sources, with only the given
 * inventory plugins enabled; a source no plugin could parse fails the run.
 */
export async function ansibleList(
  sources: readonly string[],
  o: { readonly plugins: string; readonly tmp: string },
): Promise<AnsibleList> {
  const r = await run(ANSIBLE_INVENTORY!, [...sources.flatMap((s) => ["-i", s]), "--list"], {
    timeoutMs: 60_000,
    env: {
      ANSIBLE_INVENTORY_ENABLED: o.plugins,
      ANSIBLE_INVENTORY_UNPARSED_FAILED: "true",
      ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED: "true",
      ANSIBLE_NOCOLOR: "1",
      ANSIBLE_LOCAL_TEMP: o.tmp,
      ANSIBLE_REMOTE_TEMP: o.tmp,
    },
  });
  return JSON.parse(r.stdout) as AnsibleList;
}

/** Every group's hosts through its children, from ansible's JSON. */
export function ansibleMembership(list: AnsibleList): Map<string, Set<string>> {
  const groups = Object.keys(list).filter((k) => k !== "_meta");
  const get = (g: string) => list[g] as { hosts?: string[]; children?: string[] } | undefined;
  const out = new Map<string, Set<string>>();
  for (const g of groups) {
    const hosts = new Set<string>();
    const seen = new Set<string>();
    const queue = [g];
    while (queue.length > 0) {
      const cur = queue.shift()!;
      if (seen.has(cur)) continue;
      seen.add(cur);
      for (const h of get(cur)?.hosts ?? []) hosts.add(h);
      queue.push(...(get(cur)?.children ?? []));
    }
    out.set(g, hosts);
  }
  return out;
}

function sorted(s: Iterable<string>): string[] {
  return [...s].sort();
}

/** Expects our inventory to resolve every group to ansible's hosts, and every host to ansible's variables. */
export function expectSameInventory(ours: Inventory, theirs: AnsibleList): void {
  const membership = ansibleMembership(theirs);
  expect(membership.size).toBeGreaterThan(1);
  for (const [group, hosts] of membership) {
    expect({ group, hosts: sorted(ours.resolveGroup(group) ?? []) }).toEqual({ group, hosts: sorted(hosts) });
  }
  // Groups ansible leaves out of --list are the empty ones.
  for (const group of ours.groups.keys()) {
    if (!membership.has(group))
      expect({ group, hosts: ours.resolveGroup(group) }).toEqual({ group, hosts: [] });
  }
  // ansible lists in hostvars only hosts that have variables; every one of those is ours.
  for (const host of Object.keys(theirs._meta.hostvars)) expect(ours.hosts.has(host), host).toBe(true);
  for (const host of ours.hosts.keys()) {
    expect({ host, vars: { ...ours.hostVars(host) } }).toEqual({
      host,
      vars: theirs._meta.hostvars[host] ?? {},
    });
  }
}
