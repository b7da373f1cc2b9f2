/**
 * An Ansible inventory as data: groups with their direct hosts, child groups and
 * variables, hosts with theirs, each with the place in the file that declared it,
 * and the queries Ansible answers (a group's hosts through its children, a
 * host's variables after group precedence).
 */
import type { InventoryValue } from "./python-literal.ts";

/** A 1-based position in the inventory file. */
export interface SourcePos {
  readonly line: number;
  readonly column: number;
  /** The file, when it is not the inventory's own (a directory, several `-i`, a vars file). */
  readonly file?: string;
}

/** Variables with the place each was set. */
export interface VarsLayer {
  readonly vars: Record<string, InventoryValue>;
  readonly varPositions: Record<string, SourcePos>;
}

/**
 * The `group_vars/` and `host_vars/` files of one inventory source (beside a
 * file, or in a directory), by group or host name: what Ansible's
 * host_group_vars plugin loads for that source.
 */
export interface VarsDir {
  readonly groups: Map<string, VarsLayer>;
  readonly hosts: Map<string, VarsLayer>;
}

/** One `[name]`, `[name:children]` or `[name:vars]` header. */
export interface GroupSection extends SourcePos {
  readonly kind: "hosts" | "children" | "vars";
}

/** A group as declared: direct members only. */
export interface InventoryGroup {
  readonly name: string;
  /** Hosts listed directly under the group, first-seen order. */
  readonly hosts: string[];
  readonly children: string[];
  readonly vars: Record<string, InventoryValue>;
  readonly varPositions: Record<string, SourcePos>;
  /** Every header of this group, in file order (repeated sections are merged). */
  readonly sections: GroupSection[];
  /** Where each child is named under a `:children` header. */
  readonly childRefs: Array<{ readonly name: string } & SourcePos>;
}

/** A host and the variables set on its host lines. */
export interface InventoryHost {
  readonly name: string;
  readonly vars: Record<string, InventoryValue>;
  readonly varPositions: Record<string, SourcePos>;
  /** Every host line that names it (or a range that expands to it), with its group. */
  readonly lines: Array<{ readonly group: string } & SourcePos>;
}

/** A null-prototype record, so that a variable called `__proto__` is just a variable. */
export function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A parsed inventory with Ansible's queries. */
export class Inventory {
  readonly groups = new Map<string, InventoryGroup>();
  readonly hosts = new Map<string, InventoryHost>();
  /** Vars files per inventory source, in `-i` order (later sources win). */
  readonly varsDirs: VarsDir[] = [];
  // Caches for the queries; any change to the group graph drops them.
  private parentIndex: Map<string, string[]> | undefined;
  private depthCache: Map<string, number> | undefined;
  // Direct membership as sets: a range can put 100 000 hosts in one group.
  private readonly members = new Map<string, Set<string>>();

  constructor(readonly file: string) {
    this.group("all");
    this.group("ungrouped");
    this.addChild("all", "ungrouped");
  }

  /** The group, created empty if it does not exist yet. */
  group(name: string): InventoryGroup {
    let g = this.groups.get(name);
    if (!g) {
      g = {
        name,
        hosts: [],
        children: [],
        vars: emptyRecord(),
        varPositions: emptyRecord(),
        sections: [],
        childRefs: [],
      };
      this.groups.set(name, g);
      this.invalidate();
    }
    return g;
  }

  /** The host, created without variables if it does not exist yet. */
  host(name: string): InventoryHost {
    let h = this.hosts.get(name);
    if (!h) {
      h = { name, vars: emptyRecord(), varPositions: emptyRecord(), lines: [] };
      this.hosts.set(name, h);
    }
    return h;
  }

  /** Adds a child group unless it is already one. */
  addChild(parent: string, child: string): void {
    const p = this.group(parent);
    if (!p.children.includes(child)) {
      p.children.push(child);
      this.invalidate();
    }
  }

  /** Removes a child edge (used to break a reported cycle so that queries terminate). */
  removeChild(parent: string, child: string): void {
    const p = this.groups.get(parent);
    const i = p ? p.children.indexOf(child) : -1;
    if (p && i >= 0) {
      p.children.splice(i, 1);
      this.invalidate();
    }
  }

  private invalidate(): void {
    this.parentIndex = undefined;
    this.depthCache = undefined;
  }

  /** Adds a host to a group's direct members unless it is already one. */
  addHost(group: string, host: string): void {
    const g = this.group(group);
    let set = this.members.get(group);
    if (!set) this.members.set(group, (set = new Set()));
    if (!set.has(host)) {
      set.add(host);
      g.hosts.push(host);
    }
  }

  /** True when the host is listed directly under the group. */
  hasDirect(group: string, host: string): boolean {
    return this.members.get(group)?.has(host) ?? false;
  }

  /** Takes a host out of a group's direct members. */
  removeHost(group: string, host: string): void {
    const g = this.groups.get(group);
    const i = g ? g.hosts.indexOf(host) : -1;
    if (g && i >= 0) g.hosts.splice(i, 1);
    this.members.get(group)?.delete(host);
  }

  /** Groups that name `name` as a child. */
  parentsOf(name: string): string[] {
    if (!this.parentIndex) {
      this.parentIndex = new Map();
      for (const g of this.groups.values()) {
        for (const c of g.children) {
          const list = this.parentIndex.get(c);
          if (list) list.push(g.name);
          else this.parentIndex.set(c, [g.name]);
        }
      }
    }
    return this.parentIndex.get(name) ?? [];
  }

  /**
   * Every host of a group, through its children (Ansible's `groups[name]`):
   * the group's own hosts first, then each level of descendants. Undefined when
   * the group does not exist.
   */
  resolveGroup(name: string): string[] | undefined {
    const start = this.groups.get(name);
    if (!start) return undefined;
    const seenGroups = new Set<string>([name]);
    const seenHosts = new Set<string>();
    const out: string[] = [];
    let level: InventoryGroup[] = [start];
    while (level.length > 0) {
      const next: InventoryGroup[] = [];
      for (const g of level) {
        for (const h of g.hosts) {
          if (!seenHosts.has(h)) {
            seenHosts.add(h);
            out.push(h);
          }
        }
        for (const c of g.children) {
          if (seenGroups.has(c)) continue;
          seenGroups.add(c);
          const cg = this.groups.get(c);
          if (cg) next.push(cg);
        }
      }
      level = next;
    }
    return out;
  }

  /** Every group a host belongs to, directly or through children, `all` included. */
  groupsOf(host: string): string[] {
    const named = this.hosts.get(host)?.lines.map((l) => l.group) ?? [];
    const direct = [...new Set([...named, "ungrouped"])].filter((g) => this.hasDirect(g, host));
    const seen = new Set<string>(direct);
    const queue = [...direct];
    while (queue.length > 0) {
      for (const p of this.parentsOf(queue.shift()!)) {
        if (!seen.has(p)) {
          seen.add(p);
          queue.push(p);
        }
      }
    }
    seen.add("all");
    return [...seen];
  }

  /**
   * A host's variables as Ansible sees them: group variables from the shallowest
   * group to the deepest (ties by name), then the host's own.
   */
  hostVars(host: string): Record<string, InventoryValue> {
    const out = emptyRecord<InventoryValue>();
    for (const layer of this.varLayers(host)) Object.assign(out, layer.vars);
    return out;
  }

  /** Where the value hostVars(host)[name] was set: the last layer that sets it. */
  varOrigin(host: string, name: string): SourcePos | undefined {
    let at: SourcePos | undefined;
    for (const layer of this.varLayers(host)) at = layer.varPositions[name] ?? at;
    return at;
  }

  /**
   * The layers of a host's variables, lowest precedence first, in ansible-core's
   * order (VariableManager.get_vars with the default VARIABLE_PRECEDENCE): the
   * inventory's group vars (all, then by depth and name), every source's
   * group_vars/all, every source's group_vars of the other groups (source by
   * source), the inventory's host vars, every source's host_vars. So any
   * group_vars file beats any inventory group variable.
   */
  private *varLayers(host: string): Generator<VarsLayer> {
    const depth = this.depths();
    const groups = this.groupsOf(host).sort(
      (a, b) => (depth.get(a) ?? 0) - (depth.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0),
    );
    for (const g of groups) {
      const group = this.groups.get(g);
      if (group) yield group;
    }
    for (const dir of this.varsDirs) {
      const all = dir.groups.get("all");
      if (all) yield all;
    }
    for (const dir of this.varsDirs)
      for (const g of groups) {
        const layer = g === "all" ? undefined : dir.groups.get(g);
        if (layer) yield layer;
      }
    const own = this.hosts.get(host);
    if (own) yield own;
    for (const dir of this.varsDirs) {
      const layer = dir.hosts.get(host);
      if (layer) yield layer;
    }
  }

  /** The longest path from `all` to each group (Ansible's group depth). Assumes no cycles. */
  depths(): Map<string, number> {
    if (this.depthCache) return this.depthCache;
    const depth = new Map<string, number>([["all", 0]]);
    // Kahn's order over the child edges, so each group is settled after all its parents.
    const indegree = new Map<string, number>();
    for (const g of this.groups.values()) indegree.set(g.name, indegree.get(g.name) ?? 0);
    for (const g of this.groups.values())
      for (const c of g.children) indegree.set(c, (indegree.get(c) ?? 0) + 1);
    const queue = [...indegree].filter(([, n]) => n === 0).map(([g]) => g);
    while (queue.length > 0) {
      const g = queue.shift()!;
      const d = depth.get(g) ?? 0;
      for (const c of this.groups.get(g)?.children ?? []) {
        depth.set(c, Math.max(depth.get(c) ?? 0, d + 1));
        const left = (indegree.get(c) ?? 1) - 1;
        indegree.set(c, left);
        if (left === 0) queue.push(c);
      }
    }
    this.depthCache = depth;
    return depth;
  }
}
