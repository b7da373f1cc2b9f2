/**
 * YAML inventories and `ansible-inventory --list` JSON as import inputs: the
 * same inventory in all three forms (INI, and what the real ansible-inventory
 * prints from it as JSON and as YAML) reads to the same groups, the same host
 * variables and the same topology.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { importKolla } from "../../src/import/import-kolla.ts";
import { parseIniInventory } from "../../src/import/ini-inventory.ts";
import type { Inventory } from "../../src/import/inventory.ts";
import { inventoryFormat, parseStructuredInventory } from "../../src/import/structured-inventory.ts";
import { main } from "../../src/cli/main.ts";
import { run } from "../../src/util/run.ts";
import { captureIO } from "../support/cli-io.ts";
import { ANSIBLE_INVENTORY, readReference, REFERENCE, referenceMissing } from "../support/import-fixtures.ts";

const tmp = mkdtempSync(join(tmpdir(), "hacloud-structured-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** What ansible-inventory prints for a file, as JSON or (`-y`) YAML. */
async function ansibleInventory(file: string, yaml: boolean): Promise<string> {
  const r = await run(ANSIBLE_INVENTORY!, ["-i", file, "--list", ...(yaml ? ["-y"] : [])], {
    timeoutMs: 120_000,
    env: { ANSIBLE_NOCOLOR: "1", ANSIBLE_LOCAL_TEMP: tmp, ANSIBLE_REMOTE_TEMP: tmp },
  });
  return r.stdout;
}

/** Every group's hosts through its children, and every host's variables: what Ansible answers. */
function answers(inv: Inventory): { groups: Record<string, string[]>; vars: Record<string, unknown> } {
  const groups: Record<string, string[]> = {};
  for (const g of inv.groups.keys()) groups[g] = [...(inv.resolveGroup(g) ?? [])].sort();
  const vars: Record<string, unknown> = {};
  for (const h of inv.hosts.keys()) vars[h] = inv.hostVars(h);
  return { groups, vars };
}

describe("inventory formats", () => {
  it("are told apart by their text", () => {
    expect(inventoryFormat('{"_meta": {}}')).toBe("json");
    expect(inventoryFormat("# comment\nall:\n  children:\n")).toBe("yaml");
    expect(inventoryFormat("[control]\ncc01\n")).toBe("ini");
    expect(inventoryFormat("cc01 ansible_host=10.0.0.1\n[control]\ncc01\n")).toBe("ini");
    expect(inventoryFormat("cc01:2222\n")).toBe("ini");
  });

  it("read a YAML inventory with Ansible's precedence: host over child group over parent", () => {
    const text = [
      "all:",
      "  vars: { ansible_user: root, level: all }",
      "  children:",
      "    control:",
      "      vars: { level: control }",
      "      hosts:",
      "        cc01: { ansible_host: 10.0.0.11 }",
      "        cc02: { ansible_host: 10.0.0.12, level: host }",
      "    network:",
      "      hosts: { net01: null }",
      "      children: { control: null }",
      "",
    ].join("\n");
    const { inventory, diagnostics } = parseStructuredInventory("inv.yml", text, "yaml");
    expect(diagnostics).toEqual([]);
    expect(inventory.resolveGroup("network")).toEqual(["net01", "cc01", "cc02"]);
    expect(inventory.hostVars("cc01")).toMatchObject({
      ansible_user: "root",
      level: "control",
      ansible_host: "10.0.0.11",
    });
    expect(inventory.hostVars("cc02")["level"]).toBe("host");
    expect(inventory.hosts.get("cc02")!.lines[0]).toEqual({ group: "control", line: 8, column: 9 });
  });

  it("report what is not an inventory at its line", () => {
    const { diagnostics } = parseStructuredInventory("inv.yml", "all:\n  hostz:\n    cc01:\n", "yaml");
    expect(diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([
      "inv.yml:2:3 HA900 `hostz` under group all is not hosts, children or vars",
    ]);
  });
});

describe.skipIf(!ANSIBLE_INVENTORY || referenceMissing)("against the real ansible-inventory", () => {
  it(
    "the book's chapter 7 inventory reads alike as INI and as ansible-inventory's JSON and YAML",
    { timeout: 300_000 },
    async () => {
      const file = REFERENCE.ch07Inventory;
      const ini = answers(parseIniInventory(file, readReference(file)).inventory);
      for (const yaml of [false, true]) {
        const text = await ansibleInventory(file, yaml);
        const format = inventoryFormat(text);
        expect(format).toBe(yaml ? "yaml" : "json");
        const parsed = parseStructuredInventory("list", text, format as "yaml" | "json");
        expect(parsed.diagnostics).toEqual([]);
        const got = answers(parsed.inventory);
        // ansible-inventory drops groups without hosts; every group it prints resolves alike.
        for (const [g, hosts] of Object.entries(got.groups)) expect(hosts, g).toEqual(ini.groups[g]);
        expect(got.vars).toEqual(ini.vars);
      }
    },
  );

  it(
    "imports the same topology from the rendered multinode, its JSON and its YAML, with -i",
    { timeout: 300_000 },
    async () => {
      const out = join(tmp, "kolla");
      expect(
        await main(["render", "examples/packtpub-prod.yaml", "--out", out, "--quiet"], captureIO()),
      ).toBe(0);
      const globals = { file: "globals.yml", text: readFileSync(join(out, "globals.yml"), "utf8") };
      const topology = (file: string, text: string) => {
        const r = importKolla({ inventory: { file, text }, globals, cloud: "packtpub-prod" });
        expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        return r.topology;
      };
      const multinode = join(out, "multinode");
      const fromIni = topology("multinode", readFileSync(multinode, "utf8"));
      expect(topology("list.json", await ansibleInventory(multinode, false))).toEqual(fromIni);
      expect(topology("list.yml", await ansibleInventory(multinode, true))).toEqual(fromIni);
      const io = captureIO();
      expect(
        await main(["import", "-i", multinode, "--globals", join(out, "globals.yml"), "--quiet"], io),
      ).toBe(0);
      expect(io.stdout()).toContain("hosts:");
    },
  );
});
