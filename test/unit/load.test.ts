import { describe, expect, it } from "vitest";
import { loadTopologyText } from "../../src/spec/load.ts";

describe("loading a topology", () => {
  it("reports an unknown key with a suggestion at the key's position", () => {
    const r = loadTopologyText("t.yaml", "version: 1\ncloud: x\nclod: y\n");
    const d = r.diagnostics.find((x) => x.code === "HA010");
    expect(d).toMatchObject({ line: 3, column: 1 });
    expect(d?.message).toContain("Did you mean `cloud`?");
  });
});
