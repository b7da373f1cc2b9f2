/**
 * Bad input never gives a stack trace: property tests mutate real inventories,
 * globals files and the example topology (delete, duplicate and shuffle lines,
 * inject bytes, re-indent, truncate) and check that the importer and the
 * topology loader always answer with well-formed, located diagnostics. Then the
 * edge cases: empty, binary, huge and deeply nested input.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.ts";
import { parseGlobals } from "../../src/import/globals.ts";
import { importKolla } from "../../src/import/import-kolla.ts";
import { parseIniInventory } from "../../src/import/ini-inventory.ts";
import { MAX_INPUT_BYTES } from "../../src/spec/input.ts";
import { loadTopologyText } from "../../src/spec/load.ts";
import { readReference, REFERENCE, referenceMissing } from "../support/import-fixtures.ts";

const EXAMPLE = readFileSync("examples/packtpub-prod.yaml", "utf8");

/** Small stand-ins, so that the properties run even without shared/reference. */
const SAMPLE_INVENTORY = [
  "[control]",
  "cc01.os.example ansible_host=10.0.0.100",
  "cc[02:03].os.example",
  "[network]",
  "net01.os.example ansible_host=10.0.0.30 network_interface=eth0",
  "[loadbalancer:children]",
  "network",
  "[compute]",
  "cn01.os.example ansible_host=10.0.0.25",
  "[all:vars]",
  "ansible_user=kolla",
  "",
].join("\n");
const SAMPLE_GLOBALS = [
  "---",
  'kolla_base_distro: "ubuntu"',
  'openstack_release: "2025.1"',
  'kolla_internal_vip_address: "10.0.0.47"',
  'kolla_external_vip_address: "{{ kolla_internal_vip_address }}"',
  'keepalived_virtual_router_id: "51"',
  "enable_neutron_agent_ha: yes",
  "nested:",
  "  list: [1, 2, {a: b}]",
  "  block: |",
  "    text",
  "",
].join("\n");
const SAMPLE_HOSTS = "10.0.0.101 cc02.os.example\n10.0.0.102 cc03.os.example\n";

const INVENTORIES = [
  SAMPLE_INVENTORY,
  ...(referenceMissing ? [] : [REFERENCE.ch07Inventory, REFERENCE.kollaMultinode].map(readReference)),
];
const GLOBALS = [
  SAMPLE_GLOBALS,
  ...(referenceMissing ? [] : [REFERENCE.ch07Globals, REFERENCE.ch03Globals].map(readReference)),
];

/** One edit of a text, as an operator's slip or a damaged file would make it. */
type Mutation =
  | { kind: "delete"; at: number }
  | { kind: "duplicate"; at: number }
  | { kind: "swap"; a: number; b: number }
  | { kind: "inject"; at: number; text: string }
  | { kind: "indent"; at: number; prefix: string }
  | { kind: "truncate"; at: number };

const injected = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom(
    "[",
    "]",
    ":",
    "=",
    "'",
    '"',
    "#",
    ";",
    "{{",
    "}}",
    "\t",
    "\r",
    "\u2028",
    "\v",
    "- ",
    ": ",
    "&a",
    "*a",
    "!!binary",
    "\uFEFF",
    "\uD800",
  ),
  fc.uint8Array({ maxLength: 6 }).map((b) => String.fromCharCode(...b)),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("swap" as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant("inject" as const), at: fc.nat(), text: injected }),
  fc.record({
    kind: fc.constant("indent" as const),
    at: fc.nat(),
    prefix: fc.constantFrom(" ", "  ", "\t", "   ", ""),
  }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
);

function mutate(text: string, edits: readonly Mutation[]): string {
  let lines = text.split("\n");
  for (const m of edits) {
    const n = Math.max(1, lines.length);
    if (m.kind === "delete") lines.splice(m.at % n, 1);
    else if (m.kind === "duplicate") lines.splice(m.at % n, 0, lines[m.at % n] ?? "");
    else if (m.kind === "swap") {
      const a = m.a % n;
      const b = m.b % n;
      [lines[a], lines[b]] = [lines[b] ?? "", lines[a] ?? ""];
    } else if (m.kind === "inject") {
      const joined = lines.join("\n");
      const at = m.at % (joined.length + 1);
      lines = (joined.slice(0, at) + m.text + joined.slice(at)).split("\n");
    } else if (m.kind === "indent") {
      const i = m.at % n;
      lines[i] = m.prefix + (lines[i] ?? "").trimStart();
    } else {
      const joined = lines.join("\n");
      lines = joined.slice(0, m.at % (joined.length + 1)).split("\n");
    }
  }
  return lines.join("\n");
}

/** Every diagnostic: a code, a severity, a line inside its file, a column, a hint. */
function expectWellFormed(diagnostics: readonly Diagnostic[], texts: ReadonlyMap<string, string>) {
  // HA999: the importer made a topology its own schema refuses.
  expect(diagnostics.filter((d) => d.code === "HA999")).toEqual([]);
  const lineCounts = new Map([...texts].map(([f, t]) => [f, t.split("\n").length]));
  for (const d of diagnostics) {
    expect(d.code).toMatch(/^HA\d{3}$/);
    expect(["error", "warning", "info"]).toContain(d.severity);
    expect(d.message.length).toBeGreaterThan(0);
    expect(d.hint ?? "").not.toBe("");
    expect(Number.isInteger(d.line) && d.line >= 1).toBe(true);
    expect(Number.isInteger(d.column) && d.column >= 1).toBe(true);
    const lines = lineCounts.get(d.file);
    expect(lines, `diagnostic for unknown file ${d.file}`).toBeDefined();
    expect(d.line).toBeLessThanOrEqual(lines!);
  }
}

// FUZZ_RUNS=5000 for a longer hunt; the default keeps the unit suite quick.
const RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 150) };
const FUZZ_TIMEOUT = { timeout: Math.max(60_000, RUNS.numRuns * 400) };

describe("fuzzing the importer with mutated inputs", FUZZ_TIMEOUT, () => {
  it("mutated inventories: never a throw, always located diagnostics", () => {
    fc.assert(
      fc.property(fc.constantFrom(...INVENTORIES), fc.array(mutation, { maxLength: 6 }), (base, edits) => {
        const text = mutate(base, edits);
        const texts = new Map([
          ["inv", text],
          ["g.yml", SAMPLE_GLOBALS],
          ["hosts", SAMPLE_HOSTS],
          ["topology.yaml", ""],
        ]);
        const parsed = parseIniInventory("inv", text);
        expectWellFormed(parsed.diagnostics, texts);
        const r = importKolla({
          inventory: { file: "inv", text },
          globals: { file: "g.yml", text: SAMPLE_GLOBALS },
          hostsFile: { file: "hosts", text: SAMPLE_HOSTS },
        });
        texts.set("topology.yaml", r.yaml ?? "");
        expectWellFormed(r.diagnostics, texts);
        // Whatever it wrote must load.
        if (r.yaml !== undefined) expect(loadTopologyText("t.yaml", r.yaml).topology).toBeDefined();
      }),
      RUNS,
    );
  });

  it("mutated globals files, strict and lenient: never a throw, always located diagnostics", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...GLOBALS),
        fc.array(mutation, { maxLength: 6 }),
        fc.boolean(),
        (base, edits, lenient) => {
          const text = mutate(base, edits);
          const texts = new Map([
            ["inv", SAMPLE_INVENTORY],
            ["g.yml", text],
            ["hosts", SAMPLE_HOSTS],
          ]);
          expectWellFormed(parseGlobals("g.yml", text, { lenient }).diagnostics, texts);
          const r = importKolla({
            inventory: { file: "inv", text: SAMPLE_INVENTORY },
            globals: { file: "g.yml", text },
            hostsFile: { file: "hosts", text: SAMPLE_HOSTS },
            lenient,
          });
          texts.set("topology.yaml", r.yaml ?? "");
          expectWellFormed(r.diagnostics, texts);
          if (r.yaml !== undefined) expect(loadTopologyText("t.yaml", r.yaml).topology).toBeDefined();
        },
      ),
      RUNS,
    );
  });

  it("mutated hosts files: never a throw", () => {
    fc.assert(
      fc.property(fc.array(mutation, { maxLength: 6 }), (edits) => {
        const hosts = mutate(SAMPLE_HOSTS, edits);
        const r = importKolla({
          inventory: { file: "inv", text: SAMPLE_INVENTORY },
          globals: { file: "g.yml", text: SAMPLE_GLOBALS },
          hostsFile: { file: "hosts", text: hosts },
        });
        expectWellFormed(
          r.diagnostics,
          new Map([
            ["inv", SAMPLE_INVENTORY],
            ["g.yml", SAMPLE_GLOBALS],
            ["hosts", hosts],
            ["topology.yaml", r.yaml ?? ""],
          ]),
        );
      }),
      RUNS,
    );
  });
});

describe("fuzzing the topology loader with a mutated examples/packtpub-prod.yaml", FUZZ_TIMEOUT, () => {
  it("never throws, and every diagnostic is located in the file", () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (edits) => {
        const text = mutate(EXAMPLE, edits);
        const r = loadTopologyText("t.yaml", text);
        expectWellFormed(r.diagnostics, new Map([["t.yaml", text]]));
        if (!r.topology) expect(r.diagnostics.some((d) => d.severity === "error")).toBe(true);
      }),
      { numRuns: 2 * RUNS.numRuns },
    );
  });
});

/** Inputs no real file looks like; each must be refused or read with located diagnostics. */
const EDGE_CASES: Record<string, () => string> = {
  empty: () => "",
  blank: () => "\n\n   \n",
  "NUL bytes (binary)": () => "version: 1\0\0\x01\x02\n[control]\n",
  "huge (> 8 MiB)": () => "a: " + "x".repeat(MAX_INPUT_BYTES) + "\n",
  "1000 levels of block nesting": () =>
    Array.from({ length: 1000 }, (_, i) => `${" ".repeat(2 * i)}k${i}:`).join("\n"),
  "1000 levels of flow nesting": () => "a: " + "[".repeat(1000) + "]".repeat(1000) + "\n",
  "1000 nested sequences": () => "- ".repeat(1000) + "x\n",
  "a million-alias bomb": () =>
    [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      ...Array.from(
        { length: 9 },
        (_, i) =>
          `${"bcdefghij"[i]}: &${"bcdefghij"[i]} [${`*${i === 0 ? "a" : "bcdefghij"[i - 1]}, `.repeat(10).slice(0, -2)}]`,
      ),
    ].join("\n"),
  "wrong types everywhere": () =>
    "version: [1]\ncloud: {a: b}\ndomain: 7\nkolla: yes\nnetworks: []\nvip: ~\nhosts: 'x'\nkolla_internal_vip_address: [1]\nkeepalived_virtual_router_id: {}\nopenstack_release: 2025.1\n",
  "a long line": () => "[control]\n" + "h".repeat(200_000) + " a=" + "[".repeat(5000) + "\n",
  "100000 groups": () =>
    Array.from({ length: 100_000 }, (_, i) => `[g${i}:children]\ng${i + 1}`).join("\n") + "\n[g100000]\nh\n",
  "20000 unknown keys": () => Array.from({ length: 20_000 }, (_, i) => `k${i}: v`).join("\n"),
};

describe("edge-case inputs", () => {
  for (const [name, make] of Object.entries(EDGE_CASES)) {
    it(`${name}: as a topology, as an inventory and as globals.yml`, () => {
      const text = make();
      const loaded = loadTopologyText("t.yaml", text);
      expect(loaded.topology).toBeUndefined();
      expect(loaded.diagnostics.some((d) => d.severity === "error")).toBe(true);
      expectWellFormed(loaded.diagnostics, new Map([["t.yaml", text]]));

      for (const [inventory, globals] of [
        [text, SAMPLE_GLOBALS],
        [SAMPLE_INVENTORY, text],
      ] as const) {
        const r = importKolla({
          inventory: { file: "inv", text: inventory },
          globals: { file: "g.yml", text: globals },
          hostsFile: { file: "hosts", text: SAMPLE_HOSTS },
          lenient: true,
        });
        expectWellFormed(
          r.diagnostics,
          new Map([
            ["inv", inventory],
            ["g.yml", globals],
            ["hosts", SAMPLE_HOSTS],
            ["topology.yaml", r.yaml ?? ""],
          ]),
        );
        // An empty or odd inventory may still import nothing useful; it must say why.
        if (r.yaml === undefined) expect(r.diagnostics.some((d) => d.severity === "error")).toBe(true);
      }
    }, 120_000);
  }
});
