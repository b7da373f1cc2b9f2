/**
 * What ansible-core does once every inventory source is read
 * (InventoryData.reconcile_inventory, and the loop check of add_child): groups
 * without a parent join `all`, `ungrouped` holds exactly the hosts in no other
 * group, and groups that contain each other are reported and cut. Run once
 * over the merged inventory, so a directory or several `-i` reconcile as one.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { IMPORT_CODES as C, importDiagnostic } from "./codes.ts";
import type { Inventory } from "./inventory.ts";

/** Reconciles a parsed inventory; the diagnostics are the cycles found. */
export function reconcileInventory(inv: Inventory): Diagnostic[] {
  adoptTopLevelGroups(inv);
  const diagnostics = breakCycles(inv);
  // Cutting a cycle can leave a group without a parent.
  adoptTopLevelGroups(inv);
  fillUngrouped(inv);
  return diagnostics;
}

/** Reports every cycle of child groups once and cuts it, so that later queries terminate. */
function breakCycles(inv: Inventory): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const state = new Map<string, 1 | 2>(); // 1 on the stack, 2 done
  for (const root of inv.groups.keys()) {
    if (state.has(root)) continue;
    const stack: Array<{ name: string; next: number }> = [{ name: root, next: 0 }];
    state.set(root, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const children = inv.groups.get(top.name)?.children ?? [];
      if (top.next >= children.length) {
        state.set(top.name, 2);
        stack.pop();
        continue;
      }
      const child = children[top.next++]!;
      const s = state.get(child);
      if (s === 1) {
        const from = stack.findIndex((f) => f.name === child);
        const loop = [...stack.slice(from).map((f) => f.name), child];
        const ref = inv.groups.get(top.name)?.childRefs.find((r) => r.name === child);
        diagnostics.push(
          importDiagnostic(
            C.groupCycle,
            "error",
            `groups contain each other: ${loop.join(" → ")}`,
            ref?.file ?? inv.file,
            ref ?? { line: 1, column: 1 },
            `Remove \`${child}\` from [${top.name}:children]; a group cannot be its own descendant.`,
          ),
        );
        inv.removeChild(top.name, child);
        top.next--;
      } else if (s === undefined) {
        state.set(child, 1);
        stack.push({ name: child, next: 0 });
      }
    }
  }
  return diagnostics;
}

/** Every group without a parent becomes a child of `all`. */
function adoptTopLevelGroups(inv: Inventory): void {
  for (const g of [...inv.groups.values()]) {
    if (g.name !== "all" && inv.parentsOf(g.name).length === 0) inv.addChild("all", g.name);
  }
}

/** `ungrouped` holds exactly the hosts listed in no other group. */
function fillUngrouped(inv: Inventory): void {
  for (const host of inv.hosts.keys()) {
    const direct = new Set(inv.hosts.get(host)!.lines.map((l) => l.group));
    direct.delete("all");
    if (direct.has("ungrouped")) {
      if (direct.size > 1) inv.removeHost("ungrouped", host);
    } else if (direct.size === 0) inv.addHost("ungrouped", host);
  }
}
