/**
 * Writing an imported topology as YAML: keys in the schema's order, and a
 * comment on each value saying which file and line it came from.
 */
import { Document, isMap, isPair, isScalar, isSeq, parse, type Node } from "yaml";
import { topologySchema } from "../spec/schema.ts";

interface SchemaDef {
  type?: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  valueType?: unknown;
  element?: unknown;
}

function defOf(schema: unknown): SchemaDef | undefined {
  let s = schema as { def?: SchemaDef } | undefined;
  while (s?.def && ["optional", "default", "nullable", "prefault"].includes(s.def.type ?? "")) {
    s = s.def.innerType as { def?: SchemaDef } | undefined;
  }
  return s?.def;
}

/** A copy of `value` whose object keys follow the schema's declaration order (unknown keys last). */
export function inSchemaOrder(value: unknown, schema: unknown = topologySchema): unknown {
  const def = defOf(schema);
  if (Array.isArray(value)) return value.map((v) => inSchemaOrder(v, def?.element));
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (def?.type === "object" && def.shape) {
    for (const key of Object.keys(def.shape))
      if (key in obj) out[key] = inSchemaOrder(obj[key], def.shape[key]);
    for (const key of Object.keys(obj)) if (!(key in out)) out[key] = obj[key];
    return out;
  }
  // Records (hosts, networks) keep their own order; their values follow the value schema.
  for (const key of Object.keys(obj))
    out[key] = inSchemaOrder(obj[key], def?.type === "record" ? def.valueType : undefined);
  return out;
}

/** Paths whose lists read best on one line (`roles: [control]`). */
const FLOW = /^hosts\.[^.]+\.(roles|addresses|interfaces)$/;

/**
 * YAML text for a topology: `origins` maps dotted paths (`vip.internal`) to
 * where the value came from, written as a comment after the value.
 */
export function topologyYaml(data: unknown, origins: ReadonlyMap<string, string>, header: string): string {
  const doc = new Document(inSchemaOrder(data));
  doc.commentBefore = header;
  decorate(doc.contents, [], origins);
  // doubleQuotedMinMultiLineLength: the library folds long quoted strings over lines, and not always losslessly.
  const text = () =>
    doc.toString({ lineWidth: 0, flowCollectionPadding: true, doubleQuotedMinMultiLineLength: Infinity });
  // Verbatim config files must load back byte for byte. A block literal reads best, but YAML
  // turns CR LF into LF and may drop blank-only last lines: those files are written quoted.
  const overrides = doc.getIn(["kolla", "config_overrides"]);
  if (!isMap(overrides)) return text();
  for (const pair of overrides.items) if (isScalar(pair.value)) pair.value.type = "BLOCK_LITERAL";
  const wanted =
    (data as { kolla?: { config_overrides?: Record<string, string> } }).kolla?.config_overrides ?? {};
  const got = (parse(text()) as { kolla?: { config_overrides?: Record<string, string> } }).kolla
    ?.config_overrides;
  for (const pair of overrides.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    if (isScalar(pair.value) && got?.[key] !== wanted[key]) pair.value.type = "QUOTE_DOUBLE";
  }
  return text();
}

function decorate(node: Node | null, path: string[], origins: ReadonlyMap<string, string>) {
  if (!isMap(node)) return;
  for (const pair of node.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const p = [...path, String(pair.key.value)];
    const dotted = p.join(".");
    const value = pair.value as Node | null;
    if ((isSeq(value) || isMap(value)) && FLOW.test(dotted)) {
      // Comments cannot sit inside a one-line collection: gather its children's after it.
      value.flow = true;
      const notes = [...origins]
        .filter(([k]) => k === dotted || k.startsWith(dotted + "."))
        .map(([, v]) => v);
      if (notes.length > 0) value.comment = ` ${notes.join("; ")}`;
      continue;
    }
    const origin = origins.get(dotted);
    if (origin && isScalar(value)) value.comment = ` ${origin}`;
    else if (origin) pair.key.commentBefore = ` ${origin}`;
    decorate(value, p, origins);
  }
}
