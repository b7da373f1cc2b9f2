/**
 * Notes on an inventory's groups that do not change the topology but matter to
 * the operator: sections declared twice (Ansible merges them silently) and
 * group names that differ between kolla-ansible releases.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { IMPORT_CODES as C, importDiagnostic } from "./codes.ts";
import type { Inventory, SourcePos } from "./inventory.ts";

/**
 * Groups renamed in kolla-ansible 2026.1 (and so on master): 2024.1-2025.2 use
 * the hyphenated names (`groups['kolla-logs']`, service group `kolla-toolbox`),
 * later releases the underscored ones (`hosts: kolla_logs`, group `kolla_toolbox`).
 */
const RENAMED_2026: ReadonlyArray<{ readonly old: string; readonly now: string; readonly effect: string }> = [
  {
    old: "kolla-logs",
    now: "kolla_logs",
    effect: "the play that creates the kolla_logs volume finds no hosts",
  },
  {
    old: "kolla-toolbox",
    now: "kolla_toolbox",
    effect: "prechecks fail: the kolla_toolbox service's group is missing",
  },
];

/** Infos on repeated sections; warnings on group names the release will not find. */
export function inventoryGroupNotes(inv: Inventory, release: string | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const g of inv.groups.values()) {
    const first = new Map<string, SourcePos>();
    for (const s of g.sections) {
      const header = s.kind === "hosts" ? `[${g.name}]` : `[${g.name}:${s.kind}]`;
      const seen = first.get(s.kind);
      if (seen === undefined) {
        first.set(s.kind, s);
        continue;
      }
      const where = seen.file === s.file ? `line ${seen.line}` : `${seen.file ?? inv.file}:${seen.line}`;
      out.push(
        importDiagnostic(
          C.sectionRepeated,
          "info",
          `${header} is declared again (first on ${where}); Ansible merges the two`,
          s.file ?? inv.file,
          s,
          `Merge the sections into one, so that ${header} is read in one place.`,
        ),
      );
    }
  }
  if (release === undefined) return out;
  const newNames = release === "master";
  for (const r of RENAMED_2026) {
    const used = newNames ? r.old : r.now;
    const expected = newNames ? r.now : r.old;
    const g = inv.groups.get(used);
    if (!g || inv.groups.has(expected) || g.sections.length === 0) continue;
    out.push(
      importDiagnostic(
        C.groupRenamed,
        "warning",
        newNames
          ? `[${used}]: kolla-ansible master (2026.1 and later) calls this group \`${expected}\`; with this inventory ${r.effect}`
          : `[${used}]: kolla-ansible ${release} calls this group \`${expected}\` (the underscored name came in 2026.1)`,
        g.sections[0]!.file ?? inv.file,
        g.sections[0]!,
        `Rename the group to \`${expected}\` for openstack_release ${release}; hacloud's rendered inventory uses the right name.`,
      ),
    );
  }
  return out;
}
