import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkTopologyText } from "../../src/check.ts";
import { demo, markedLines } from "../../src/rules/example.ts";
import { ALL_CODES, LOADER_CODES, RULES } from "../../src/rules/registry.ts";
import type { RuleFamily } from "../../src/rules/types.ts";
import { exampleDiagnostics } from "../../scripts/gen-rules-doc.ts";

const RANGES: Record<RuleFamily, readonly [number, number]> = {
  input: [1, 19],
  addressing: [100, 199],
  keepalived: [200, 249],
  loadbalancer: [250, 299],
  quorum: [300, 399],
  neutron: [400, 499],
  masakari: [500, 599],
  naming: [600, 699],
  kolla: [700, 799],
  spof: [800, 899],
};

describe("the rule registry", () => {
  it("has unique codes, in order, each inside its family's range", () => {
    const codes = ALL_CODES.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual(codes);
    for (const c of ALL_CODES) {
      const n = Number(c.code.slice(2));
      const [lo, hi] = RANGES[c.family];
      expect(n >= lo && n <= hi, `${c.code} (${c.family})`).toBe(true);
    }
  });

  it("has more than 40 HA rules", () => {
    expect(RULES.length).toBeGreaterThan(40);
  });

  it("documents every code: title, why, at least one source, a hint", () => {
    for (const c of ALL_CODES) {
      expect(c.title.length, c.code).toBeGreaterThan(5);
      expect(c.rationale.length, c.code).toBeGreaterThan(60);
      expect(c.sources.length, c.code).toBeGreaterThan(0);
      expect(c.hint.length, c.code).toBeGreaterThan(5);
    }
  });

  it("documents every code the loader can emit (src/spec)", () => {
    const emitted = new Set<string>();
    for (const f of readdirSync("src/spec")) {
      for (const m of readFileSync(`src/spec/${f}`, "utf8").matchAll(/"(HA0\d\d)"/g)) emitted.add(m[1]!);
    }
    expect(emitted.size).toBeGreaterThan(5);
    expect([...emitted].filter((c) => !LOADER_CODES.some((l) => l.code === c))).toEqual([]);
  });

  it("starts every example from a demo topology that is clean on its own", () => {
    expect(checkTopologyText("demo.yaml", demo()).diagnostics).toEqual([]);
  });
});

describe.each(ALL_CODES.map((c) => ({ code: c.code, c })))("$code's failing example", ({ code, c }) => {
  const { diagnostics } = exampleDiagnostics(c);

  it(`yields ${code}`, () => {
    expect(diagnostics.map((d) => d.code)).toContain(code);
  });

  if ("topology" in c.example) {
    const topology = c.example.topology;
    const also = c.example.also ?? [];

    it("points at the line the example marks", () => {
      const marks = markedLines(topology, code);
      expect(marks.length).toBeGreaterThan(0);
      const lines = diagnostics
        .filter((d) => d.code === code && d.file === "topology.yaml")
        .map((d) => d.line);
      expect(
        lines.some((l) => marks.includes(l)),
        `${code} at ${lines.join(",")}, marked ${marks.join(",")}`,
      ).toBe(true);
    });

    it("yields no other code than those it declares, and every one it declares", () => {
      const others = new Set(diagnostics.filter((d) => d.code !== code).map((d) => d.code));
      expect([...others].sort()).toEqual([...also].sort());
    });
  }
});
