/**
 * Our INI inventory reader against the real thing: for the book's and kolla's
 * inventories and a set of tricky synthetic ones, every group must resolve to
 * the same hosts as `ansible-inventory --list` says, with the same variables.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseIniInventory } from "../../src/import/ini-inventory.ts";
import { run } from "../../src/util/run.ts";
import { ansibleList, expectSameInventory } from "../support/ansible-list.ts";
import { ANSIBLE_INVENTORY, readReference, REFERENCE, referenceMissing } from "../support/import-fixtures.ts";

/** ansible-inventory's answer for a file; only the INI plugin, and failure is failure. */
const iniList = (file: string) => ansibleList([file], { plugins: "ini", tmp });

/** Compares our reading of `text` with ansible's reading of the same file. */
async function expectParity(file: string, text: string) {
  const ours = parseIniInventory(file, text);
  expect(ours.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  expectSameInventory(ours.inventory, await iniList(file));
}

const SYNTHETIC: Record<string, string> = {
  ranges: [
    "solo ansible_host=10.0.0.9",
    "[control]",
    "control[01:03] ansible_user=kolla",
    "cc[a:c]:2222",
    "web[1:9:4]-[x:y].lab",
    "[compute]",
    "cn[8:11]",
    "",
  ].join("\n"),
  values: [
    "[g]",
    `h1 a=1 b="x y" c=True d=yes e='[1, 2]' f=0x10 g=01 h="'q'" i=1.5 j=a#b k=None`,
    "h2 path='/a b/c' n=-3 t=\"(1,)\" d=\"{'k': [1, 'v']}\" # a comment",
    "h3\tansible_host=10.0.0.3",
    "[g:vars]",
    "v1 = hello # kept: no comments in :vars",
    "v2=5 # but python drops this one",
    'v3="quoted"',
    "v4 = 'single'",
    "empty=",
    "",
  ].join("\n"),
  precedence: [
    "[all:vars]",
    "x=all",
    "y=all",
    "z=all",
    "[parent]",
    "[parent:vars]",
    "x=parent",
    "y=parent",
    "[parent:children]",
    "child",
    "[child]",
    "h1 z=host",
    "h2",
    "[child:vars]",
    "y=child",
    "[zeta]",
    "h1",
    "[zeta:vars]",
    "x=zeta",
    "",
  ].join("\n"),
  merging: [
    "; kolla-style: sections repeated and children declared before their groups",
    "[openvswitch:children]",
    "network",
    "[network]",
    "net01",
    "[openvswitch:children]",
    "compute",
    "[compute]",
    "cn01",
    "[network]",
    "net02",
    "net01",
    "[ungrouped]",
    "net01",
    "loner",
    "[all]",
    "everywhere",
    "[dash-group:children]",
    "kolla_logs",
    "[kolla_logs:children]",
    "network",
    "[deep1:children]",
    "deep2",
    "[deep2:children]",
    "deep3",
    "[deep3]",
    "bottom",
    "",
  ].join("\n"),
  crlf: "[control]\r\ncc01 ansible_host=10.0.0.100\r\n\r\n[compute]\r\ncn01\r\n",
};

const tmp = mkdtempSync(join(tmpdir(), "hacloud_parity_"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const NEEDS = "needs ansible-inventory (Debian package ansible-core; scripts/test installs it)";

describe.skipIf(!ANSIBLE_INVENTORY)(`INI inventory parity with ansible-inventory (${NEEDS})`, () => {
  describe.skipIf(referenceMissing !== undefined)("the reference inventories", () => {
    const cases = {
      "book Chapter03": REFERENCE.ch03Inventory,
      "book Chapter07": REFERENCE.ch07Inventory,
      "kolla multinode": REFERENCE.kollaMultinode,
      "kolla all-in-one": REFERENCE.kollaAllInOne,
    };
    for (const [name, file] of Object.entries(cases)) {
      it(`resolves every group of ${name} as ansible does`, async () => {
        await expectParity(file, readReference(file));
      }, 90_000);
    }
  });

  describe("synthetic inventories", () => {
    beforeAll(() => {
      for (const [name, text] of Object.entries(SYNTHETIC)) writeFileSync(join(tmp, name), text);
    });
    for (const name of Object.keys(SYNTHETIC)) {
      it(`reads ${name} as ansible does`, async () => {
        await expectParity(join(tmp, name), SYNTHETIC[name]!);
      }, 90_000);
    }
  });
});

/** Files ansible-inventory refuses; we must refuse them too, at the line ansible names. */
const BROKEN: Record<string, { text: string; code: string; line: number }> = {
  "undefined child": { text: "[a]\nh\n[p:children]\na\nmissing\n", code: "HA902", line: 5 },
  "vars of undefined group": { text: "[a]\nh\n[ghost:vars]\nx=1\n", code: "HA903", line: 3 },
  "unknown section type": { text: "[a]\nh\n[a:host]\nx\n", code: "HA900", line: 3 },
  "space in section": { text: "[a]\nh\n[a b]\nx\n", code: "HA900", line: 3 },
  "missing equals": { text: "[a]\nh ansible_host 10.0.0.1\n", code: "HA900", line: 2 },
  "unclosed quote": { text: "[a]\nh x='oops\n", code: "HA900", line: 2 },
  "bad range": { text: "[a]\nh[01:3]\n", code: "HA901", line: 2 },
  "trailing colon": { text: "[a]\nh:\n", code: "HA900", line: 2 },
  "children not a name": { text: "[a]\nh\n[p:children]\na b\n", code: "HA900", line: 4 },
  cycle: { text: "[a:children]\nb\n[b:children]\na\n", code: "HA904", line: 4 },
};

describe.skipIf(!ANSIBLE_INVENTORY)(`INI inventories that ansible-inventory refuses (${NEEDS})`, () => {
  for (const [name, c] of Object.entries(BROKEN)) {
    it(`refuses ${name} at the line ansible names`, async () => {
      // ansible wraps its warnings at 80 columns, also after a hyphen inside the file name
      const file = join(tmp, `broken_${name.replace(/\W+/g, "_")}`);
      writeFileSync(file, c.text);
      const r = await run(ANSIBLE_INVENTORY!, ["-i", file, "--list"], {
        timeoutMs: 60_000,
        allowFailure: true,
        env: {
          ANSIBLE_INVENTORY_ENABLED: "ini",
          ANSIBLE_INVENTORY_UNPARSED_FAILED: "true",
          ANSIBLE_NOCOLOR: "1",
        },
      });
      expect(r.exitCode).not.toBe(0);
      const ansibleLine = new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:(\\d+):`).exec(
        r.stderr.replace(/\n/g, " "),
      )?.[1];
      const ours = parseIniInventory(file, c.text).diagnostics.filter((d) => d.severity === "error");
      expect(ours.map((d) => [d.code, d.line])).toEqual([[c.code, c.line]]);
      // ansible names no line for a loop of groups, a bad range or a bad host pattern; otherwise we agree.
      if (ansibleLine !== undefined) expect(Number(ansibleLine)).toBe(c.line);
      else expect(["HA901", "HA904", "HA900"]).toContain(c.code);
    }, 90_000);
  }
});
