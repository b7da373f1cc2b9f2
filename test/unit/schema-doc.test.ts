import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { topologyJsonSchema } from "../../src/spec/schema.ts";

describe("docs/topology.schema.json", () => {
  it("is the schema the code validates with (regenerate: npx tsx scripts/gen-schema.ts)", () => {
    const onDisk: unknown = JSON.parse(readFileSync("docs/topology.schema.json", "utf8"));
    expect(onDisk).toEqual(topologyJsonSchema());
  });
  it("rejects unknown keys, so editors flag typos too", () => {
    expect((topologyJsonSchema() as { additionalProperties?: boolean }).additionalProperties).toBe(false);
  });
});

/** Every property of every object in a JSON Schema, by path, with whether it carries a description. */
function properties(node: unknown, path: string, out: { path: string; described: boolean }[]): void {
  if (node === null || typeof node !== "object") return;
  const n = node as Record<string, unknown>;
  for (const [key, child] of Object.entries((n.properties ?? {}) as Record<string, unknown>)) {
    const described = typeof (child as { description?: unknown }).description === "string";
    out.push({ path: `${path}.${key}`, described });
    properties(child, `${path}.${key}`, out);
  }
  if (typeof n.additionalProperties === "object") properties(n.additionalProperties, `${path}.*`, out);
  if (typeof n.items === "object") properties(n.items, `${path}[]`, out);
  for (const k of ["anyOf", "oneOf", "allOf"])
    for (const alt of (n[k] ?? []) as unknown[]) properties(alt, path, out);
}

describe("the topology schema's help", () => {
  it("describes every property, so editors show help on hover", () => {
    const found: { path: string; described: boolean }[] = [];
    properties(topologyJsonSchema(), "", found);
    expect(found.length).toBeGreaterThan(50);
    expect(found.filter((p) => !p.described).map((p) => p.path)).toEqual([]);
  });
});
