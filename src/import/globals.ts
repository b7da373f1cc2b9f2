/**
 * Reading kolla-ansible's globals.yml: its variables with their positions, and
 * with `lenient`, recovery from indentation slips such as the book's
 * ` kolla_internal_vip_address: …` (one stray leading space), which PyYAML and
 * so kolla-ansible refuse too.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { describe } from "../spec/load.ts";
import type { YamlSource } from "../spec/source.ts";
import { findIndentSlip, parseYaml } from "../spec/yaml-parse.ts";
import { IMPORT_CODES as C, importDiagnostic } from "./codes.ts";
import { emptyRecord } from "./inventory.ts";

/** One variable of globals.yml, where its key and its value are. */
export interface GlobalVar {
  readonly name: string;
  readonly value: unknown;
  readonly line: number;
  readonly column: number;
  readonly keyLine: number;
  readonly keyColumn: number;
}

/** globals.yml read: `parsed` is false when the YAML could not be read at all. */
export interface ParsedGlobals {
  readonly file: string;
  readonly vars: ReadonlyMap<string, GlobalVar>;
  readonly parsed: boolean;
  readonly diagnostics: Diagnostic[];
}

/** Options for reading globals.yml. */
export interface GlobalsOptions {
  /** Read past indentation slips, reporting each as a warning. */
  readonly lenient?: boolean;
}

/** No real globals.yml has as many slips; past this, lenient mode gives up. */
const MAX_RECOVERIES = 50;

/** Reads globals.yml text. Never throws. */
export function parseGlobals(file: string, text: string, opts: GlobalsOptions = {}): ParsedGlobals {
  let current = text;
  const recovered: Diagnostic[] = [];
  for (let attempt = 0; ; attempt++) {
    const parsed = parseYaml(file, current);
    const slip = parsed.diagnostics.find((d) => d.code === "HA005" && !d.message.startsWith("a tab"));
    const fix = slip ? reindent(current, slip.line) : undefined;
    if (slip && fix && opts.lenient && attempt < MAX_RECOVERIES) {
      recovered.push(
        importDiagnostic(
          C.globalsRecovered,
          "warning",
          `${slip.message}; read as if it started in column ${fix.indent + 1} (--lenient)`,
          file,
          slip,
          `Fix the indentation in ${file}: as written, kolla-ansible (PyYAML) refuses the whole file.`,
        ),
      );
      current = fix.text;
      continue;
    }
    const diagnostics = parsed.diagnostics.map((d) =>
      d === slip && fix
        ? {
            ...d,
            hint: `${d.hint ?? ""} kolla-ansible (PyYAML) refuses this file too; or run with --lenient to read it anyway.`.trim(),
          }
        : d,
    );
    diagnostics.unshift(...recovered);
    if (parsed.diagnostics.some((d) => d.severity === "error") || !parsed.source) {
      return { file, vars: new Map(), parsed: false, diagnostics };
    }
    return collectVars(file, parsed.source, parsed.data, diagnostics);
  }
}

function collectVars(
  file: string,
  source: YamlSource,
  data: unknown,
  diagnostics: Diagnostic[],
): ParsedGlobals {
  const vars = new Map<string, GlobalVar>();
  // A file of comments only is an empty globals.yml: every variable keeps kolla's default.
  if (data === null || data === undefined) return { file, vars, parsed: true, diagnostics };
  if (typeof data !== "object" || Array.isArray(data)) {
    const at = source.locate([]);
    diagnostics.push(
      importDiagnostic(
        C.globalsNotMapping,
        "error",
        `globals.yml must be a mapping of variables (name: value), not ${describe(data)}`,
        file,
        at,
        "Write one `variable: value` per line, starting in column 1, as in kolla-ansible's etc/kolla/globals.yml.",
      ),
    );
    return { file, vars, parsed: false, diagnostics };
  }
  const record = emptyRecord<unknown>();
  Object.assign(record, data);
  for (const name of Object.keys(record)) {
    const value = source.locate([name], "value");
    const key = source.locate([name], "key");
    vars.set(name, {
      name,
      value: record[name],
      line: value.line,
      column: value.column,
      keyLine: key.line,
      keyColumn: key.column,
    });
  }
  return { file, vars, parsed: true, diagnostics };
}

/**
 * Re-indents one line to the nearest shallower level that makes it fit, so that
 * line numbers stay as they were. Undefined when no level fits.
 */
export function reindent(text: string, line: number): { text: string; indent: number } | undefined {
  const lines = text.split("\n");
  const target = lines[line - 1];
  if (target === undefined) return undefined;
  const indent = target.length - target.trimStart().length;
  const levels = new Set<number>([0]);
  for (let i = 0; i < line - 1; i++) {
    const t = lines[i]!.trimStart();
    if (t === "" || t.startsWith("#")) continue;
    const n = lines[i]!.length - t.length;
    if (n < indent) levels.add(n);
  }
  for (const level of [...levels].sort((a, b) => b - a)) {
    const copy = [...lines];
    copy[line - 1] = " ".repeat(level) + target.trimStart();
    const candidate = copy.join("\n");
    const next = findIndentSlip(candidate);
    if (!next || next.line > line) return { text: candidate, indent: level };
  }
  return undefined;
}

/** What kolla's `| bool` makes of a value, and whether the value was a recognisable yes/no. */
export function kollaBool(value: unknown): { value: boolean; recognised: boolean } {
  if (typeof value === "boolean") return { value, recognised: true };
  if (value === null || value === undefined) return { value: false, recognised: true };
  if (typeof value === "number") return { value: value === 1, recognised: value === 0 || value === 1 };
  if (typeof value === "string") {
    const s = value.toLowerCase();
    if (["yes", "on", "1", "true"].includes(s)) return { value: true, recognised: true };
    return { value: false, recognised: ["no", "off", "0", "false", ""].includes(s) };
  }
  return { value: false, recognised: false };
}

/** kolla-ansible's defaults for the variables that globals.yml usually refers to. */
export const KOLLA_DEFAULTS: Readonly<Record<string, unknown>> = {
  network_interface: "eth0",
  api_interface: "{{ network_interface }}",
  tunnel_interface: "{{ network_interface }}",
  storage_interface: "{{ network_interface }}",
  kolla_external_vip_interface: "{{ network_interface }}",
  neutron_external_interface: "eth1",
  kolla_external_vip_address: "{{ kolla_internal_vip_address }}",
  kolla_internal_fqdn: "{{ kolla_internal_vip_address }}",
  keepalived_virtual_router_id: "51",
  neutron_plugin_agent: "openvswitch",
  kolla_base_distro: "rocky",
  enable_haproxy: "yes",
  enable_keepalived: "{{ enable_haproxy | bool }}",
  enable_neutron_dvr: "no",
  enable_neutron_agent_ha: "no",
  enable_masakari: "no",
};

const SIMPLE_REFERENCE = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(\|\s*bool\s*)?\}\}$/;

/** A variable's value with `{{ other_variable }}` references followed, or why it cannot be. */
export type Resolved =
  | { readonly ok: true; readonly value: unknown; readonly fromDefault: boolean }
  | { readonly ok: false; readonly reason: string };

/**
 * Resolves a variable: its value in globals.yml or kolla's default, following
 * plain `{{ name }}` (and `{{ name | bool }}`) references. Any other Jinja is
 * left to kolla-ansible and reported as not resolvable.
 */
export function resolveGlobal(vars: ReadonlyMap<string, GlobalVar>, name: string): Resolved | undefined {
  const seen: string[] = [];
  let current = name;
  let fromDefault = false;
  for (;;) {
    if (seen.includes(current))
      return { ok: false, reason: `\`${[...seen, current].join("` → `")}\` refer to each other` };
    seen.push(current);
    let value: unknown;
    if (vars.has(current)) value = vars.get(current)!.value;
    else if (Object.hasOwn(KOLLA_DEFAULTS, current)) {
      value = KOLLA_DEFAULTS[current];
      fromDefault = true;
    } else if (current === name) return undefined;
    else return { ok: false, reason: `\`${current}\` is not set in globals.yml` };
    if (typeof value !== "string" || !value.includes("{{")) return { ok: true, value, fromDefault };
    const m = SIMPLE_REFERENCE.exec(value.trim());
    if (!m) return { ok: false, reason: `\`${value}\` is a Jinja expression hacloud does not evaluate` };
    if (m[2]) {
      const inner = resolveGlobal(vars, m[1]!);
      if (!inner) return { ok: false, reason: `\`${m[1]}\` is not set in globals.yml` };
      if (!inner.ok) return inner;
      return { ok: true, value: kollaBool(inner.value).value, fromDefault: fromDefault || inner.fromDefault };
    }
    current = m[1]!;
  }
}
