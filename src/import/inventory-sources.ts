/**
 * Several inventory sources as one inventory, the way ansible-core assembles
 * them: every `-i` in order (a file, or a directory of inventory files), all
 * read into one set of groups and hosts and reconciled once, then each
 * source's `group_vars/` and `host_vars/` files as layers of variables
 * (ansible-core 2.14: InventoryManager.parse_source, the host_group_vars vars
 * plugin, DataLoader.find_vars_files). The caller reads the disk; this is pure.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { closest } from "../diagnostics/suggest.ts";
import { parseYaml } from "../spec/yaml-parse.ts";
import { IMPORT_CODES as C, importDiagnostic } from "./codes.ts";
import { readIniInventory, type ParsedInventory } from "./ini-inventory.ts";
import { emptyRecord, Inventory, type VarsDir, type VarsLayer } from "./inventory.ts";
import { pyyamlData } from "./pyyaml-values.ts";
import { reconcileInventory } from "./reconcile.ts";
import { inventoryFormat, locator, readStructuredInventory, setVars } from "./structured-inventory.ts";

/** One file's name (as the operator would write it) and text. */
export interface SourceFile {
  readonly file: string;
  readonly text: string;
}

/** A file under a source's group_vars/ or host_vars/. */
export interface VarsFile extends SourceFile {
  readonly dir: "group_vars" | "host_vars";
  /** Its path below that directory, `/`-separated: `control.yml`, `control/net.yml`. */
  readonly rel: string;
}

/** One `-i` argument as read from the disk. */
export interface InventorySource {
  /** The argument as given: a file or a directory. */
  readonly path: string;
  /** The inventory files Ansible parses for it, in its order: the file, or the directory's, sorted, recursively. */
  readonly files: readonly SourceFile[];
  /** Files of the directory that Ansible skips by their name (see ignoredInInventoryDir). */
  readonly skipped: readonly string[];
  /** Every file under group_vars/ and host_vars/ beside the file or in the directory (see keptInVarsDir). */
  readonly varsFiles: readonly VarsFile[];
  /** Directories directly under group_vars/ and host_vars/, as `group_vars/NAME`: they count even when empty. */
  readonly varsDirs: readonly string[];
}

// INVENTORY_IGNORE_EXTS (REJECT_EXTS + .orig .ini .cfg .retry) and the names
// InventoryManager always skips (ansible-core 2.14 config/base.yml, inventory/manager.py).
const IGNORED_EXTS = [
  ".pyc",
  ".pyo",
  ".swp",
  ".bak",
  "~",
  ".rpm",
  ".md",
  ".txt",
  ".rst",
  ".orig",
  ".ini",
  ".cfg",
  ".retry",
];
const IGNORED_ALWAYS = /^\.|^host_vars$|^group_vars$|^vars_plugins$/;
/** YAML_FILENAME_EXTENSIONS: how Ansible spells a vars file. */
const VARS_EXTS = [".yml", ".yaml", ".json"];

/** True when Ansible skips this name in an inventory directory (its default INVENTORY_IGNORE_EXTS). */
export function ignoredInInventoryDir(name: string): boolean {
  return IGNORED_ALWAYS.test(name) || IGNORED_EXTS.some((ext) => name.endsWith(ext));
}

/**
 * True when Ansible reads this entry inside a group_vars/NAME/ directory:
 * not hidden, not a `~` backup; directories without an extension are searched,
 * files without an extension or with a vars extension are read.
 */
export function keptInVarsDir(name: string, isDirectory: boolean): boolean {
  if (name.startsWith(".") || name.endsWith("~")) return false;
  const ext = extension(name);
  return isDirectory ? ext === "" : ext === "" || VARS_EXTS.includes(ext);
}

/** os.path.splitext's extension: from the last dot that is not leading. */
function extension(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 && name.slice(0, dot).replace(/^\.+/, "") !== "" ? name.slice(dot) : "";
}

/** The sources as one inventory. Never throws: every problem is a located diagnostic. */
export function parseInventorySources(sources: readonly InventorySource[]): ParsedInventory {
  const inv = new Inventory(sources[0]?.path ?? "inventory");
  const diagnostics: Diagnostic[] = [];
  for (const source of sources) {
    for (const f of source.files) diagnostics.push(...readInventoryFile(inv, f));
    for (const name of source.skipped) {
      // Backups and documents are skipped on purpose; an .ini or .cfg file is usually an inventory.
      if (!/\.(ini|cfg)$/.test(name)) continue;
      diagnostics.push(
        importDiagnostic(
          C.inventoryFileSkipped,
          "warning",
          `${name} is not read: in an inventory directory Ansible skips files ending in ${name.endsWith(".ini") ? ".ini" : ".cfg"} (INVENTORY_IGNORE_EXTS), so kolla-ansible does not see its hosts either`,
          name,
          { line: 1, column: 1 },
          `Rename it without the extension, or pass it with its own -i ${name}.`,
        ),
      );
    }
  }
  diagnostics.push(...reconcileInventory(inv));
  for (const source of sources) {
    const dir: VarsDir = { groups: new Map(), hosts: new Map() };
    for (const kind of ["group_vars", "host_vars"] as const) {
      const names = kind === "group_vars" ? [...inv.groups.keys()] : [...inv.hosts.keys()];
      const found = findVarsFiles(source, kind, names, diagnostics);
      for (const [name, files] of found) {
        const layer = loadVarsFiles(files, diagnostics);
        if (layer) (kind === "group_vars" ? dir.groups : dir.hosts).set(name, layer);
      }
    }
    inv.varsDirs.push(dir);
  }
  return { inventory: inv, diagnostics };
}

/** One inventory file, by the first plugin of Ansible's default list that would take it. */
function readInventoryFile(inv: Inventory, f: SourceFile): Diagnostic[] {
  const unread = (what: string, hint: string) => [
    importDiagnostic(
      C.inventorySourceUnread,
      "error",
      `${f.file} is ${what}; hacloud reads inventory files, it does not run programs or plugins`,
      f.file,
      { line: 1, column: 1 },
      hint,
    ),
  ];
  const listHint = `Let Ansible assemble it: \`ansible-inventory -i ${f.file} --list > inventory.json\`, then import inventory.json.`;
  if (f.text.startsWith("#!")) return unread("an inventory script (it starts with #!)", listHint);
  if (/\.toml$/i.test(f.file)) return unread("a TOML inventory", listHint);
  // The auto plugin's files: YAML whose top-level `plugin:` names the inventory plugin to run.
  const plugin = /^plugin\s*:\s*(\S+)/m.exec(f.text);
  if (plugin) {
    return unread(
      `the configuration of the inventory plugin ${plugin[1]!.replace(/^["']|["']$/g, "")}`,
      listHint,
    );
  }
  const format = inventoryFormat(f.text);
  if (format === "ini") return readIniInventory(inv, f.file, f.text);
  return readStructuredInventory(inv, f.file, f.text, format);
}

/**
 * The vars files Ansible loads for each name, as DataLoader.find_vars_files
 * finds them: the first of NAME, NAME.yml, NAME.yaml, NAME.json that exists
 * (NAME may be a directory, then all the files in it, sorted, recursively).
 */
function findVarsFiles(
  source: InventorySource,
  kind: "group_vars" | "host_vars",
  names: readonly string[],
  diagnostics: Diagnostic[],
): Map<string, VarsFile[]> {
  const files = source.varsFiles.filter((f) => f.dir === kind);
  const byRel = new Map(files.map((f) => [f.rel, f]));
  const dirs = new Set(
    source.varsDirs.filter((d) => d.startsWith(`${kind}/`)).map((d) => d.slice(kind.length + 1)),
  );
  const used = new Set<string>();
  const out = new Map<string, VarsFile[]>();
  for (const name of names) {
    const spellings = ["", ...VARS_EXTS].map((ext) => name + ext).filter((s) => dirs.has(s) || byRel.has(s));
    const first = spellings[0];
    if (first === undefined) continue;
    used.add(first);
    const chosen = dirs.has(first)
      ? files.filter((f) => f.rel.startsWith(`${first}/`)).sort((a, b) => comparePaths(a.rel, b.rel))
      : [byRel.get(first)!];
    out.set(name, chosen);
    for (const other of spellings.slice(1)) {
      used.add(other);
      const shadowed = byRel.get(other) ?? files.find((f) => f.rel.startsWith(`${other}/`));
      if (!shadowed) continue;
      diagnostics.push(
        importDiagnostic(
          C.varsFileShadowed,
          "warning",
          `${kind}/${other} is not read: Ansible reads only the first of ${name}, ${name}.yml, ${name}.yaml, ${name}.json, and ${kind}/${first}${dirs.has(first) ? "/" : ""} comes first`,
          shadowed.file,
          { line: 1, column: 1 },
          `Merge it into ${kind}/${first}${dirs.has(first) ? "/ (as a file in that directory)" : ""} and remove it.`,
        ),
      );
    }
  }
  const known = kind === "group_vars" ? "group" : "host";
  for (const top of new Set([...files.map((f) => f.rel.split("/")[0]!), ...dirs])) {
    if (used.has(top)) continue;
    const ext = extension(top);
    if (ext !== "" && !VARS_EXTS.includes(ext) && !dirs.has(top)) continue;
    const stem = dirs.has(top) || ext === "" ? top : top.slice(0, -ext.length);
    const file = byRel.get(top) ?? files.find((f) => f.rel.startsWith(`${top}/`));
    if (!file) continue;
    const guess = closest(stem, names);
    diagnostics.push(
      importDiagnostic(
        C.varsFileUnused,
        "warning",
        `${kind}/${top} is for a ${known} \`${stem}\` that the inventory does not have; Ansible ignores it`,
        file.file,
        { line: 1, column: 1 },
        guess
          ? `Did you mean ${kind}/${guess}${ext}? Rename the file to the ${known}'s name.`
          : `Rename it to a ${known} of the inventory, or remove it.`,
      ),
    );
  }
  return out;
}

/** Python's sorted() of each directory level: compares paths segment by segment. */
function comparePaths(a: string, b: string): number {
  const x = a.split("/");
  const y = b.split("/");
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return x.length - y.length;
}

/** One name's vars files as one layer, later files winning (combine_vars, hash_behaviour=replace). */
function loadVarsFiles(files: readonly VarsFile[], diagnostics: Diagnostic[]): VarsLayer | undefined {
  const layer: VarsLayer = { vars: emptyRecord(), varPositions: emptyRecord() };
  let any = false;
  for (const f of files) {
    if (f.text.startsWith("$ANSIBLE_VAULT;")) {
      diagnostics.push(
        importDiagnostic(
          C.varsFileInvalid,
          "warning",
          `${f.file} is encrypted with ansible-vault; its variables are not read`,
          f.file,
          { line: 1, column: 1 },
          "Import from `ansible-inventory --list --vault-password-file …` output, or keep the variables hacloud needs (ansible_host, network_interface) in a plain file.",
        ),
      );
      continue;
    }
    const parsed = parseYaml(f.file, f.text);
    diagnostics.push(...parsed.diagnostics);
    if (!parsed.source || parsed.diagnostics.some((d) => d.severity === "error")) continue;
    const data = pyyamlData(parsed.source);
    if (data === null || data === undefined) continue; // Ansible ignores empty files
    if (typeof data !== "object" || Array.isArray(data)) {
      const at = parsed.source.locate([], "value");
      diagnostics.push(
        importDiagnostic(
          C.varsFileInvalid,
          "error",
          `${f.file} must be a mapping of variables (name: value), not ${Array.isArray(data) ? "a list" : "a single value"}; Ansible refuses it`,
          f.file,
          at,
          "Write one `name: value` per line at the top level.",
        ),
      );
      continue;
    }
    setVars(layer, locator(parsed.source, f.file), data as Record<string, unknown>, []);
    any = true;
  }
  return any ? layer : undefined;
}
