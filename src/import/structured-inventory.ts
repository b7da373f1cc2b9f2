/**
 * Inventories that are data rather than INI: Ansible's YAML inventory format
 * (`all: {hosts, children, vars}`, in YAML or JSON) and the JSON that
 * `ansible-inventory --list` prints (groups with hosts and children,
 * `_meta.hostvars`). Both
 * become the same Inventory the INI reader makes, every host and variable with
 * its line in the file, so import maps them alike. Pure.
 */
import type { Diagnostic, DocPath } from "../diagnostics/diagnostic.ts";
import { parseYaml } from "../spec/yaml-parse.ts";
import type { YamlSource } from "../spec/source.ts";
import { IMPORT_CODES as C, importDiagnostic } from "./codes.ts";
import type { ParsedInventory } from "./ini-inventory.ts";
import { Inventory, type InventoryGroup, type InventoryHost, type SourcePos } from "./inventory.ts";
import type { InventoryValue } from "./python-literal.ts";
import { pyyamlData } from "./pyyaml-values.ts";
import { reconcileInventory } from "./reconcile.ts";

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
  const diagnostics = readStructuredInventory(inv, file, text, format);
  diagnostics.push(...reconcileInventory(inv));
  return { inventory: inv, diagnostics };
}

/**
 * Reads a YAML or JSON inventory into `inv`, which may already hold earlier
 * sources; the caller reconciles once all sources are read.
 */
export function readStructuredInventory(
  inv: Inventory,
  file: string,
  text: string,
  format: "yaml" | "json",
): Diagnostic[] {
  const parsed = parseYaml(file, text);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  const source = parsed.source;
  if (!source || parsed.diagnostics.some((d) => d.severity === "error")) return diagnostics;
  const at = locator(source, file === inv.file ? undefined : file);
  const data = format === "yaml" ? pyyamlData(source) : parsed.data;
  const problem = (path: DocPath, message: string, hint: string) =>
    diagnostics.push(importDiagnostic(C.inventorySyntax, "error", message, file, at(path, "key"), hint));
  if (!isObj(data)) {
    problem(
      [],
      `a ${format.toUpperCase()} inventory is a mapping of groups`,
      "Give the groups at the top level: `all:`, `control:`…",
    );
    return diagnostics;
  }
  if (format === "json" && isListJson(data)) readListJson(inv, at, data, problem);
  else for (const [name, node] of Object.entries(data)) readYamlGroup(inv, at, name, node, [name], problem);
  return diagnostics;
}

type Problem = (path: DocPath, message: string, hint: string) => void;

/**
 * JSON comes in two dialects: what `ansible-inventory --list` prints (host and
 * child lists, `_meta`), and Ansible's YAML inventory format written as JSON
 * (host and child mappings), which is what Ansible's yaml plugin reads from
 * `-i inventory.json`.
 */
function isListJson(data: Obj): boolean {
  return (
    "_meta" in data ||
    Object.values(data).some((g) => isObj(g) && (Array.isArray(g["hosts"]) || Array.isArray(g["children"])))
  );
}

/** Where a path is in the file, as the inventory records it. */
type Locate = (path: DocPath, where?: "key" | "value") => SourcePos;

/** A Locate for a file; `stamp` names the file when it is not the inventory's own. */
export function locator(source: YamlSource, stamp: string | undefined): Locate {
  return (path, where = "value") => {
    const s = source.locate(path, where);
    return stamp ? { line: s.line, column: s.column, file: stamp } : { line: s.line, column: s.column };
  };
}

/** Copies variables into a host, group or vars layer, each with its place in the file. */
export function setVars(
  target: { vars: Record<string, InventoryValue>; varPositions: Record<string, SourcePos> },
  at: Locate,
  vars: Obj,
  path: DocPath,
): void {
  for (const [k, v] of Object.entries(vars)) {
    target.vars[k] = v as InventoryValue;
    target.varPositions[k] = at([...path, k], "key");
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
  at: Locate,
  name: string,
  node: unknown,
  path: DocPath,
  problem: Problem,
): void {
  const g = declareGroup(inv, name, at(path, "key"));
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
      const h = addHostAt(inv, name, host, at([...path, "hosts", host], "key"));
      if (isObj(vars)) setVars(h, at, vars, [...path, "hosts", host]);
    }
  } else if (hosts !== undefined && hosts !== null) {
    problem(
      [...path, "hosts"],
      `hosts of group ${name} must be a mapping of host names`,
      "Write each host as `name:` (with its variables under it).",
    );
  }
  if (isObj(node["vars"])) setVars(g, at, node["vars"], [...path, "vars"]);
  const children = node["children"];
  if (isObj(children)) {
    for (const [child, sub] of Object.entries(children)) {
      addChildAt(inv, g, child, at([...path, "children", child], "key"));
      readYamlGroup(inv, at, child, sub, [...path, "children", child], problem);
    }
  }
}

/** The JSON of `ansible-inventory --list`: groups with hosts, children and vars; `_meta.hostvars`. */
function readListJson(inv: Inventory, at: Locate, data: Obj, problem: Problem): void {
  for (const [name, node] of Object.entries(data)) {
    if (name === "_meta") continue;
    const path = [name];
    const g = declareGroup(inv, name, at(path, "key"));
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
    list("hosts").forEach((host, i) => addHostAt(inv, name, host, at([...path, "hosts", i])));
    list("children").forEach((child, i) => addChildAt(inv, g, child, at([...path, "children", i])));
    if (isObj(node["vars"])) setVars(g, at, node["vars"], [...path, "vars"]);
  }
  const meta = data["_meta"];
  const hostvars = isObj(meta) && isObj(meta["hostvars"]) ? meta["hostvars"] : {};
  for (const [host, vars] of Object.entries(hostvars))
    if (isObj(vars)) setVars(inv.host(host), at, vars, ["_meta", "hostvars", host]);
}
