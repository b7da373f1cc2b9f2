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
