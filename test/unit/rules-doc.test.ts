import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ALL_CODES } from "../../src/rules/registry.ts";
import { renderRulesDoc } from "../../scripts/gen-rules-doc.ts";

describe("docs/rules.md", () => {
  const onDisk = readFileSync("docs/rules.md", "utf8");

  it("is generated from the registry (regenerate: npx tsx scripts/gen-rules-doc.ts)", () => {
    expect(onDisk).toBe(renderRulesDoc());
  });

  it("has a section with an example and its diagnostic for every code", () => {
    for (const c of ALL_CODES) {
      const start = onDisk.indexOf(`### ${c.code} — `);
      expect(start, c.code).toBeGreaterThan(0);
      const section = onDisk.slice(start, onDisk.indexOf("\n### ", start + 1));
      expect(section, c.code).toContain(`: ${c.severity} ${c.code} `);
      expect(section, c.code).toContain("Fix: ");
    }
  });
});
