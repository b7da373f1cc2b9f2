/**
 * Loading a topology file: read, parse YAML, validate against the schema, and
 * turn every problem into a located diagnostic. Never throws on bad input.
 */
import type { z } from "zod";
import type { Diagnostic, DocPath } from "../diagnostics/diagnostic.ts";
import { didYouMean } from "../diagnostics/suggest.ts";
import { MAX_INPUT_BYTES, readTextFile } from "./input.ts";
import { KOLLA_FILE_WORDS, kollaFileKind } from "./kolla-file.ts";
import { topologySchema, type Topology } from "./schema.ts";
import type { YamlSource } from "./source.ts";
import { parseYaml } from "./yaml-parse.ts";

/** A loaded topology: `topology` is set only when the file passed the schema. */
export interface LoadedTopology {
  readonly file: string;
  readonly source: YamlSource | undefined;
  readonly topology: Topology | undefined;
  readonly diagnostics: Diagnostic[];
}

/** Reads and validates a topology file. */
export function loadTopologyFile(file: string): LoadedTopology {
  const read = readTextFile(file);
  if (!read.ok) return { file, source: undefined, topology: undefined, diagnostics: [read.diagnostic] };
  return loadTopologyText(file, read.text);
}

/** Validates topology text already in memory (tests, the dashboard, fuzzing). */
export function loadTopologyText(file: string, text: string): LoadedTopology {
  if (text.trim() === "") {
    return {
      file,
      source: undefined,
      topology: undefined,
      diagnostics: [
        {
          code: "HA007",
          severity: "error",
          message: "the file is empty",
          file,
          line: 1,
          column: 1,
          hint: "Start from examples/minimal.yaml or run `hacloud schema` for the format.",
        },
      ],
    };
  }
  if (text.length > MAX_INPUT_BYTES) {
    // Files are refused by readTextFile; text handed over in memory gets the same limit.
    const message = `the text is ${(text.length / 1048576).toFixed(1)} MiB; inputs are limited to ${MAX_INPUT_BYTES / 1048576} MiB`;
    const hint = "This does not look like a topology file; check what was passed in.";
    const diagnostic = { code: "HA003", severity: "error" as const, message, file, line: 1, column: 1, hint };
    return { file, source: undefined, topology: undefined, diagnostics: [diagnostic] };
  }
  const kolla = kollaFileKind(text);
  if (kolla) {
    const message = `this is ${KOLLA_FILE_WORDS[kolla.kind]}, not a hacloud topology`;
    const hint =
      "Make a topology from a kolla deployment with `hacloud import --inventory INVENTORY --globals globals.yml`, then check that.";
    const diagnostic = {
      code: "HA008",
      severity: "error" as const,
      message,
      file,
      line: kolla.line,
      column: 1,
      hint,
    };
    return { file, source: undefined, topology: undefined, diagnostics: [diagnostic] };
  }
  const parsed = parseYaml(file, text);
  const source = parsed.source;
  if (!source || parsed.diagnostics.some((d) => d.severity === "error")) {
    return { file, source, topology: undefined, diagnostics: parsed.diagnostics };
  }
  const data = parsed.data;
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    const span = source.locate([]);
    return {
      file,
      source,
      topology: undefined,
      diagnostics: [
        ...parsed.diagnostics,
        {
          code: "HA007",
          severity: "error",
          message: `the top level must be a mapping of keys (version, cloud, hosts…), not ${describe(data)}`,
          file,
          line: span.line,
          column: span.column,
          hint: "Start from examples/minimal.yaml or run `hacloud schema` for the format.",
        },
      ],
    };
  }
  const result = topologySchema.safeParse(data);
  if (result.success) return { file, source, topology: result.data, diagnostics: parsed.diagnostics };
  const diagnostics = [...parsed.diagnostics];
  for (const issue of result.error.issues) diagnostics.push(...issueDiagnostics(source, data, issue));
  return { file, source, topology: undefined, diagnostics };
}

/** What a value is, in words, for "expected X, got Y" messages. */
export function describe(v: unknown): string {
  if (v === null || v === undefined) return "nothing (null)";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return `the text "${v.length > 40 ? v.slice(0, 40) + "…" : v}"`;
  return `the ${typeof v} ${typeof v === "number" || typeof v === "boolean" ? String(v) : "value"}`;
}

function valueAt(data: unknown, path: DocPath): { found: boolean; value: unknown } {
  let cur: unknown = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object" || !(String(seg) in cur)) {
      return { found: false, value: undefined };
    }
    cur = (cur as Record<string, unknown>)[String(seg)];
  }
  return { found: true, value: cur };
}

function dotted(path: DocPath): string {
  return path.length === 0 ? "(top level)" : path.map(String).join(".");
}

type Issue = z.core.$ZodIssue;

function issueDiagnostics(source: YamlSource, data: unknown, issue: Issue): Diagnostic[] {
  const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
  const mk = (
    code: string,
    message: string,
    hint: string,
    at: DocPath = path,
    where: "key" | "value" = "value",
  ) => {
    const span = source.locate(at, where);
    return {
      code,
      severity: "error" as const,
      message,
      file: source.file,
      line: span.line,
      column: span.column,
      endLine: span.endLine,
      endColumn: span.endColumn,
      hint,
    };
  };
  if (issue.code === "unrecognized_keys") {
    const known = knownKeysAt(path);
    return issue.keys.map((key) =>
      mk(
        "HA010",
        `unknown key \`${key}\` in ${dotted(path)}.${didYouMean(key, known)}`,
        known.length > 0 ? `Allowed here: ${known.join(", ")}.` : "Remove it.",
        [...path, key],
        "key",
      ),
    );
  }
  const { found, value } = valueAt(data, path);
  const last = path[path.length - 1];
  if (path[0] === "version" && path.length === 1) {
    return [
      found
        ? mk("HA014", `unsupported topology version ${String(value)}: ${issue.message}`, "Set `version: 1`.")
        : mk(
            "HA012",
            "missing required key `version`",
            "Add `version: 1` at the top of the file.",
            [],
            "value",
          ),
    ];
  }
  if (!found) {
    return [
      mk(
        "HA012",
        `missing required key \`${String(last)}\` in ${dotted(path.slice(0, -1))}`,
        `Add \`${String(last)}:\`; run \`hacloud schema\` to see what it takes.`,
        path.slice(0, -1),
        path.length > 1 ? "key" : "value",
      ),
    ];
  }
  if (issue.code === "invalid_type") {
    return [
      mk(
        "HA011",
        `${dotted(path)} must be ${article(issue.expected)}, not ${describe(value)}`,
        hintForType(issue.expected),
      ),
    ];
  }
  if (issue.code === "invalid_value") {
    const allowed = issue.values.map((v) => String(v));
    return [
      mk(
        "HA013",
        `${dotted(path)}: ${describe(value)} is not one of ${allowed.join(", ")}.${didYouMean(String(value), allowed)}`,
        `Use one of: ${allowed.join(", ")}.`,
      ),
    ];
  }
  if (issue.code === "invalid_key") {
    return [mk("HA013", `${dotted(path)}: invalid key: ${issue.message}`, "Rename the key.", path, "key")];
  }
  return [
    mk(
      "HA013",
      `${dotted(path)}: ${issue.message}`,
      "Correct the value; `hacloud schema` describes each key.",
    ),
  ];
}

function article(expected: string): string {
  const words: Record<string, string> = {
    object: "a mapping",
    array: "a list",
    string: "text",
    number: "a number",
    boolean: "true or false",
  };
  return words[expected] ?? expected;
}

function hintForType(expected: string): string {
  if (expected === "object") return "Write it as `key: value` lines indented under it.";
  if (expected === "array") return "Write it as a list: `[a, b]` or `- a` lines.";
  if (expected === "string") return "Quote the value if YAML reads it as something else.";
  if (expected === "number") return "Write a plain number without quotes.";
  if (expected === "boolean") return "Write true or false.";
  return "Correct the value's type.";
}

/** The keys a strict object in the schema accepts at a path (for "did you mean"). */
function knownKeysAt(path: DocPath): string[] {
  let schema: unknown = topologySchema;
  for (const seg of path) {
    schema = unwrap(schema);
    const def = (schema as { def?: { type?: string; shape?: Record<string, unknown>; valueType?: unknown } })
      .def;
    if (def?.type === "object" && def.shape) schema = def.shape[String(seg)];
    else if (def?.type === "record") schema = def.valueType;
    else if (def?.type === "array") schema = (def as { element?: unknown }).element;
    else return [];
  }
  schema = unwrap(schema);
  const def = (schema as { def?: { type?: string; shape?: Record<string, unknown> } }).def;
  return def?.type === "object" && def.shape ? Object.keys(def.shape) : [];
}

function unwrap(schema: unknown): unknown {
  let s = schema as { def?: { type?: string; innerType?: unknown } } | undefined;
  while (s?.def && (s.def.type === "optional" || s.def.type === "default" || s.def.type === "nullable")) {
    s = s.def.innerType as typeof s;
  }
  return s;
}
