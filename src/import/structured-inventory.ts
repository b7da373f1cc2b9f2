/**
 * Inventories that are data rather than INI: Ansible's YAML inventory format
 * (`all: {hosts, children, vars}`) and the JSON that `ansible-inventory
 * --list` prints (groups with hosts and children, `_meta.hostvars`). Both
 * become the same Inventory the INI reader makes, every host and variable with
 * its line in the file, so import maps them alike. Pure.
 */
import type { Diagnostic, DocPath } from "../diagnostics/diagnostic.ts";
import { parseYaml } from "../spec/yaml-parse.ts";
import type { YamlSource } from "../spec/source.ts";
import { IMPORT_CODES as C, importDiagnostic } from "./codes.ts";
import { adoptTopLevelGroups, fillUngrouped, type ParsedInventory } from "./ini-inventory.ts";
import { Inventory, type InventoryGroup, type InventoryHost, type SourcePos } from "./inventory.ts";
import type { InventoryValue } from "./python-literal.ts";

/** Which format an inventory's text is in. */
export type InventoryFormat = "ini" | "yaml" | "json";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
const GROUP_KEYS = new Set(["hosts", "children", "vars"]);

/**
 * The format of an inventory's text: JSON when it opens with `{`, YAML when its
 * first line is a bare key (`all:`), INI otherwise (`[group]`, host lines).
 */
export function inventoryFormat(text: string): InventoryFormat {
  if (text.trimStart().startsWith("{")) return "json";
  const first = text.split(/\r?\n/).find((l) => l.trim() !== "" && !/^\s*[#;]/.test(l)) ?? "";
  return /^[^\s[=#]+:\s*(#.*)?$/.test(first) ? "yaml" : "ini";
}

/** Reads a YAML or JSON inventory. Never throws: every problem is a located diagnostic. */
export function parseStructuredInventory(
  file: string,
  text: string,
  format: "yaml" | "json",
): ParsedInventory {
  const inv = new Inventory(file);
  const parsed = parseYaml(file, text);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  const source = parsed.source;
  if (!source || parsed.diagnostics.some((d) => d.severity === "error"))
    return { inventory: inv, diagnostics };
  const problem = (path: DocPath, message: string, hint: string) =>
    diagnostics.push(
      importDiagnostic(C.inventorySyntax, "error", message, file, at(source, path, "key"), hint),
    );
  if (!isObj(parsed.data)) {
    problem(
      [],
      `a ${format.toUpperCase()} inventory is a mapping of groups`,
      "Give the groups at the top level: `all:`, `control:`…",
    );
    return { inventory: inv, diagnostics };
  }
  if (format === "json") readListJson(inv, source, parsed.data, problem);
  else
    for (const [name, node] of Object.entries(parsed.data))
      readYamlGroup(inv, source, name, node, [name], problem);
  adoptTopLevelGroups(inv);
  fillUngrouped(inv);
  return { inventory: inv, diagnostics };
}

type Problem = (path: DocPath, message: string, hint: string) => void;

/** Where a path is in the file, as the inventory records it (line and column). */
function at(source: YamlSource, path: DocPath, where: "key" | "value" = "value"): SourcePos {
  const s = source.locate(path, where);
  return { line: s.line, column: s.column };
}

function setVars(
  target: {
    vars: Record<string, InventoryValue>;
    varPositions: Record<string, { line: number; column: number }>;
  },
  source: YamlSource,
  vars: Obj,
  path: DocPath,
): void {
  for (const [k, v] of Object.entries(vars)) {
    target.vars[k] = v as InventoryValue;
    target.varPositions[k] = at(source, [...path, k], "key");
  }
}

/**
 * A group where the file declares it: its first place is its section (a group
 * under several parents is how YAML inventories are written, not a repeat to
 * merge, HA906).
 */
function declareGroup(inv: Inventory, name: string, pos: SourcePos): InventoryGroup {
  const g = inv.group(name);
  if (g.sections.length === 0) g.sections.push({ kind: "hosts", ...pos });
  return g;
}

/** A host listed under a group at a place in the file. */
function addHostAt(inv: Inventory, group: string, host: string, pos: SourcePos): InventoryHost {
  inv.addHost(group, host);
  const h = inv.host(host);
  h.lines.push({ group, ...pos });
  return h;
}

/** A child group named under a group at a place in the file. */
function addChildAt(inv: Inventory, g: InventoryGroup, child: string, pos: SourcePos): void {
  inv.group(child);
  inv.addChild(g.name, child);
  g.childRefs.push({ name: child, ...pos });
}

/** One group of a YAML inventory, and the groups under it (a group may be declared in several places). */
function readYamlGroup(
  inv: Inventory,
  source: YamlSource,
  name: string,
  node: unknown,
  path: DocPath,
  problem: Problem,
): void {
  const g = declareGroup(inv, name, at(source, path, "key"));
  if (node === null || node === undefined) return;
  if (!isObj(node)) {
    problem(
      path,
      `group ${name} must be a mapping of hosts, children and vars`,
      "Write `hosts:`, `children:` or `vars:` under it.",
    );
    return;
  }
  for (const key of Object.keys(node))
    if (!GROUP_KEYS.has(key))
      problem(
        [...path, key],
        `\`${key}\` under group ${name} is not hosts, children or vars`,
        "Put hosts under `hosts:` and groups under `children:`.",
      );
  const hosts = node["hosts"];
  if (isObj(hosts)) {
    for (const [host, vars] of Object.entries(hosts)) {
      const h = addHostAt(inv, name, host, at(source, [...path, "hosts", host], "key"));
      if (isObj(vars)) setVars(h, source, vars, [...path, "hosts", host]);
    }
  } else if (hosts !== undefined && hosts !== null) {
    problem(
      [...path, "hosts"],
      `hosts of group ${name} must be a mapping of host names`,
      "Write each host as `name:` (with its variables under it).",
    );
  }
  if (isObj(node["vars"])) setVars(g, source, node["vars"], [...path, "vars"]);
  const children = node["children"];
  if (isObj(children)) {
    for (const [child, sub] of Object.entries(children)) {
      addChildAt(inv, g, child, at(source, [...path, "children", child], "key"));
      readYamlGroup(inv, source, child, sub, [...path, "children", child], problem);
    }
  }
}

/** The JSON of `ansible-inventory --list`: groups with hosts, children and vars; `_meta.hostvars`. */
function readListJson(inv: Inventory, source: YamlSource, data: Obj, problem: Problem): void {
  for (const [name, node] of Object.entries(data)) {
    if (name === "_meta") continue;
    const path = [name];
    const g = declareGroup(inv, name, at(source, path, "key"));
    if (!isObj(node)) {
      problem(
        path,
        `group ${name} must be an object of hosts, children and vars`,
        "Give ansible-inventory --list's output as it prints it.",
      );
      continue;
    }
    const list = (key: string): string[] => {
      const v = node[key];
      if (v === undefined) return [];
      if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v;
      problem(
        [...path, key],
        `${key} of group ${name} must be a list of names`,
        "Give ansible-inventory --list's output as it prints it.",
      );
      return [];
    };
    list("hosts").forEach((host, i) => addHostAt(inv, name, host, at(source, [...path, "hosts", i])));
    list("children").forEach((child, i) => addChildAt(inv, g, child, at(source, [...path, "children", i])));
    if (isObj(node["vars"])) setVars(g, source, node["vars"], [...path, "vars"]);
  }
  const meta = data["_meta"];
  const hostvars = isObj(meta) && isObj(meta["hostvars"]) ? meta["hostvars"] : {};
  for (const [host, vars] of Object.entries(hostvars))
    if (isObj(vars)) setVars(inv.host(host), source, vars, ["_meta", "hostvars", host]);
}
