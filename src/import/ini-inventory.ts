/**
 * Ansible's INI inventory format, read the way ansible-core's `ini` inventory
 * plugin reads it (checked against `ansible-inventory --list` in the tests), with
 * a position for every host, group header and variable. Where Ansible stops at
 * the first error, this reports every problem and keeps going.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { closest } from "../diagnostics/suggest.ts";
import { IMPORT_CODES as C, importDiagnostic } from "./codes.ts";
import { expandHostPattern } from "./host-pattern.ts";
import { Inventory, type SourcePos } from "./inventory.ts";
import { reconcileInventory } from "./reconcile.ts";
import { inventoryValue } from "./python-literal.ts";
import { shlexSplit } from "./shlex.ts";

/** An inventory and the problems found reading it. */
export interface ParsedInventory {
  readonly inventory: Inventory;
  readonly diagnostics: Diagnostic[];
}

// Python's \w and \s are Unicode-aware; these are their JavaScript spellings.
const SECTION = /^\[([^:\]\s]+)(?::([\p{L}\p{N}_]+))?\]\s*(?:#.*)?$/u;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/u;
// str.splitlines() boundaries: Ansible counts lines with these.
// eslint-disable-next-line no-control-regex -- Python's splitlines() really does split at \x1c-\x1e
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;

interface Line {
  readonly text: string;
  /** Offset of the line's first character in the whole text. */
  readonly offset: number;
}

/** Parses INI inventory text. Never throws: every problem is a located diagnostic. */
export function parseIniInventory(file: string, text: string): ParsedInventory {
  const inv = new Inventory(file);
  const diagnostics = readIniInventory(inv, file, text);
  diagnostics.push(...reconcileInventory(inv));
  return { inventory: inv, diagnostics };
}

/**
 * Reads INI inventory text into `inv`, which may already hold earlier sources
 * (a directory, several `-i`): as Ansible's ini plugin does, a child or a
 * `:vars` group declared by an earlier source counts as declared. The caller
 * reconciles once all sources are read.
 */
export function readIniInventory(inv: Inventory, file: string, text: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const find = positionFinder(text);
  const stamp = file === inv.file ? undefined : file;
  const position = (offset: number): SourcePos => (stamp ? { ...find(offset), file: stamp } : find(offset));
  const err = (code: string, message: string, at: SourcePos, hint: string) =>
    diagnostics.push(importDiagnostic(code, "error", message, file, at, hint));
  const warn = (code: string, message: string, at: SourcePos, hint: string) =>
    diagnostics.push(importDiagnostic(code, "warning", message, file, at, hint));

  // Children and vars sections may name groups declared further down; these wait until the end.
  const pendingChildren = new Map<string, Array<{ parent: string } & SourcePos>>();
  const pendingVars = new Map<string, SourcePos>();
  let group = "ungrouped";
  // "skip": the lines of a section Ansible would refuse, already reported.
  let state: "hosts" | "children" | "vars" | "skip" = "hosts";

  for (const line of splitLines(text)) {
    const lead = line.text.length - line.text.trimStart().length;
    const content = line.text.trim();
    if (content === "" || content[0] === "#" || content[0] === ";") continue;
    const at = (col = 0) => position(line.offset + lead + col);

    const section = SECTION.exec(content);
    if (section) {
      const name = section[1]!;
      const kind = section[2] ?? "hosts";
      if (kind !== "hosts" && kind !== "children" && kind !== "vars") {
        err(
          C.inventorySyntax,
          `section [${name}:${kind}] has an unknown type \`${kind}\``,
          at(name.length + 2),
          "A section is [group], [group:children] or [group:vars].",
        );
        state = "skip";
        continue;
      }
      const isNew = !inv.groups.has(name);
      const g = inv.group(name);
      g.sections.push({ kind, ...at() });
      if (isNew && kind === "vars" && !pendingChildren.has(name)) pendingVars.set(name, at());
      if (kind !== "vars") {
        pendingVars.delete(name);
        const waiting = pendingChildren.get(name);
        if (waiting) {
          for (const w of waiting) inv.addChild(w.parent, name);
          pendingChildren.delete(name);
        }
      }
      group = name;
      state = kind;
      continue;
    }
    if (content.startsWith("[") && content.endsWith("]")) {
      err(
        C.inventorySyntax,
        `invalid section header \`${content}\``,
        at(),
        "A section header is [name], [name:children] or [name:vars], with no spaces and no `:` or `]` in the name.",
      );
      continue;
    }

    if (state === "skip") continue;
    if (state === "hosts") readHostLine(inv, group, content, at, err, warn);
    else if (state === "vars") {
      const eq = content.indexOf("=");
      if (eq < 0) {
        err(
          C.inventorySyntax,
          `expected \`key=value\` in [${group}:vars], got \`${clip(content)}\``,
          at(),
          "Write one `name=value` per line in a :vars section.",
        );
        continue;
      }
      const key = content.slice(0, eq).trim();
      const g = inv.group(group);
      g.vars[key] = inventoryValue(content.slice(eq + 1).trim());
      g.varPositions[key] = at();
    } else {
      const m = GROUP_NAME.exec(content);
      if (!m) {
        err(
          C.inventorySyntax,
          `expected a group name in [${group}:children], got \`${clip(content)}\``,
          at(),
          "List one group name per line under a :children section; hosts go under [group].",
        );
        continue;
      }
      const child = m[1]!;
      inv.group(group).childRefs.push({ name: child, ...at() });
      if (inv.groups.has(child)) inv.addChild(group, child);
      else {
        const list = pendingChildren.get(child) ?? [];
        list.push({ parent: group, ...at() });
        pendingChildren.set(child, list);
      }
    }
  }

  for (const [name, at] of pendingVars) {
    err(
      C.undefinedVarsGroup,
      `[${name}:vars] sets variables for a group that is never declared`,
      at,
      `Declare the group with [${name}] or [${name}:children], or remove the section; ansible-inventory refuses this file.`,
    );
  }
  const known = [...inv.groups.keys()];
  for (const [name, refs] of pendingChildren) {
    for (const ref of refs) {
      const guess = closestName(name, known);
      err(
        C.undefinedChild,
        `[${ref.parent}:children] includes \`${name}\`, a group that is never declared`,
        ref,
        `${guess ? `Did you mean \`${guess}\`? ` : ""}Declare it with [${name}] (it may stay empty) or remove the line; ansible-inventory refuses this file.`,
      );
    }
    // Keep going as if it were declared empty, so that the rest can be checked.
    inv.group(name);
    for (const ref of refs) inv.addChild(ref.parent, name);
  }
  return diagnostics;
}

type ErrFn = (code: string, message: string, at: SourcePos, hint: string) => void;

function readHostLine(
  inv: Inventory,
  group: string,
  content: string,
  at: (col?: number) => SourcePos,
  err: ErrFn,
  warn: ErrFn,
) {
  const split = shlexSplit(content);
  if (!split.ok) {
    err(
      C.inventorySyntax,
      `cannot read the host line: ${split.message.toLowerCase()}`,
      at(split.offset),
      "Close the quote, or escape the character with a backslash.",
    );
    return;
  }
  const [first, ...rest] = split.words;
  if (!first || first.text === "") {
    err(C.inventorySyntax, "expected a host name", at(), "Start the line with the host's name.");
    return;
  }
  if (first.text === "---" || /^[A-Za-z_][\w-]*:$/.test(first.text)) {
    err(
      C.inventorySyntax,
      `\`${clip(first.text)}\` looks like YAML; this reader takes INI inventories`,
      at(first.offset),
      "Give the INI inventory (kolla-ansible's `multinode` format), or convert with `ansible-inventory -i FILE --list`.",
    );
    return;
  }
  const vars: Array<{ key: string; value: string; col: number }> = [];
  for (const w of rest) {
    const eq = w.text.indexOf("=");
    if (eq < 0) {
      err(
        C.inventorySyntax,
        `expected a \`key=value\` host variable, got \`${clip(w.text)}\``,
        at(w.offset),
        "Host variables are written `name=value` after the host name; quote values that contain spaces.",
      );
      return;
    }
    vars.push({ key: w.text.slice(0, eq), value: w.text.slice(eq + 1), col: w.offset });
  }
  const expanded = expandHostPattern(first.text);
  if (!expanded.ok) {
    err(
      C.hostRange,
      expanded.message,
      at(first.offset),
      "Write ranges as name[01:03] (same width when zero-padded), name[a:c] or name[1:9:2].",
    );
    return;
  }
  const pos = at(first.offset);
  if (expanded.hosts.length === 0) {
    warn(
      C.hostRange,
      `host range \`${clip(first.text)}\` expands to no host (Ansible skips it silently)`,
      pos,
      "Write the range from the lower to the higher bound, e.g. name[1:3].",
    );
  }
  for (const name of expanded.hosts) {
    const h = inv.host(name);
    inv.addHost(group, name);
    h.lines.push({ group, ...pos });
    if (expanded.port !== undefined) {
      h.vars.ansible_port = expanded.port;
      h.varPositions.ansible_port = pos;
    }
    for (const v of vars) {
      h.vars[v.key] = inventoryValue(v.value);
      h.varPositions[v.key] = at(v.col);
    }
  }
}

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (const m of text.matchAll(LINE_BREAK)) {
    out.push({ text: text.slice(start, m.index), offset: start });
    start = m.index + m[0].length;
  }
  if (start < text.length) out.push({ text: text.slice(start), offset: start });
  return out;
}

/** Offset -> editor line and column (lines end at "\n", as editors and the YAML locator count them). */
export function positionFinder(text: string): (offset: number) => SourcePos {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  };
}

function clip(s: string): string {
  return s.length > 60 ? s.slice(0, 60) + "…" : s;
}

function closestName(name: string, known: readonly string[]): string | undefined {
  // Dashes and underscores are the usual slip between kolla releases (kolla-logs / kolla_logs).
  const norm = (s: string) => s.replace(/[-_]/g, "").toLowerCase();
  return known.find((k) => k !== name && norm(k) === norm(name)) ?? closest(name, known);
}
