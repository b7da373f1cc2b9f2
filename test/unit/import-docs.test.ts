import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { IMPORT_CODES } from "../../src/import/codes.ts";

describe("docs/import.md", () => {
  const doc = readFileSync("docs/import.md", "utf8");

  it("has a section with an example for every import code", () => {
    for (const code of Object.values(IMPORT_CODES)) {
      const start = doc.indexOf(`### ${code} — `);
      expect(start, code).toBeGreaterThan(0);
      const end = doc.indexOf("\n### ", start + 1);
      const section = doc.slice(start, end < 0 ? undefined : end);
      // An example: the code as the command prints it, or (HA999) why none can be shown.
      expect(section.includes(` ${code} `) || code === "HA999", code).toBe(true);
    }
  });

  it("documents no code the importer does not have", () => {
    const known = new Set<string>(Object.values(IMPORT_CODES));
    for (const m of doc.matchAll(/^### (HA9\d\d) — /gm)) expect(known.has(m[1]!), m[1]).toBe(true);
  });
});
