import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkTopologyFile } from "../../src/check.ts";
import { diagnosticsJson, hasErrors } from "../../src/diagnostics/diagnostic.ts";

const DIR = "test/unit/testdata";

/** Fixtures checked against other clouds (`--peer`). */
const PEERS: Readonly<Record<string, readonly string[]>> = {
  "invalid-router-id-clash.yaml": [`${DIR}/peers/other-cloud-vrid-51.yaml`],
  "valid-demo.yaml": [`${DIR}/peers/other-cloud-vrid-52.yaml`],
};

const fixtures = readdirSync(DIR).filter((f) => f.endsWith(".yaml"));

describe.each(fixtures)("hacloud check %s", (name) => {
  const result = checkTopologyFile(`${DIR}/${name}`, { peers: PEERS[name] ?? [] });

  if (name.startsWith("valid-")) {
    it("finds no error", () => {
      expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    });
  } else {
    it("finds errors", () => {
      expect(hasErrors(result.diagnostics)).toBe(true);
    });
  }

  it("prints the reviewed diagnostics (golden)", async () => {
    await expect(diagnosticsJson(result.diagnostics)).toMatchFileSnapshot(
      `__golden__/check/${name.replace(/\.yaml$/, ".json")}`,
    );
  });
});

describe("the fixtures", () => {
  it("include valid and invalid topologies", () => {
    expect(fixtures.filter((f) => f.startsWith("valid-")).length).toBeGreaterThan(1);
    expect(fixtures.filter((f) => f.startsWith("invalid-")).length).toBeGreaterThan(3);
  });
});
