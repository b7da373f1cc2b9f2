/**
 * Inventory directories and several `-i`, as Ansible reads them: every file of
 * a directory but those it skips by name, group_vars/ and host_vars/ with
 * Ansible's precedence, sources merged in order. Checked against the real
 * `ansible-inventory --list` on the same files, and through `hacloud import`.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { readInventorySource } from "../../src/cli/read-inventory.ts";
import { importKolla } from "../../src/import/import-kolla.ts";
import {
  ignoredInInventoryDir,
  parseInventorySources,
  type InventorySource,
} from "../../src/import/inventory-sources.ts";
import { ansibleList, expectSameInventory } from "../support/ansible-list.ts";
import { captureIO } from "../support/cli-io.ts";
import { ANSIBLE_INVENTORY } from "../support/import-fixtures.ts";
import { scratchDir } from "../support/validators.ts";

const scratch = scratchDir("hacloud-invdir-");
afterAll(() => scratch.remove());
const tmp = scratch.dir;

/** Writes files under `root`, `{relative path: text}`. */
function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

/** A kolla inventory split the way operators split it, with every vars-file spelling Ansible knows. */
const KOLLA_DIR: Record<string, string> = {
  "00-control": [
    "[control]",
    "cc01",
    "cc02 lvl=host-inline",
    "cc03 lvl=host-inline",
    "[control:vars]",
    "lvl=control-inline",
    "x=control-inline",
    "",
  ].join("\n"),
  "10-network.yml": [
    "all:",
    "  children:",
    "    network:",
    "      hosts:",
    "        net01:",
    // PyYAML's YAML 1.1: on is true, 0755 octal, y and "yes" stay text.
    '        net02: { ansible_host: 10.0.0.31, flag: on, mode: 0755, quoted: "yes", answer: y }',
    "    loadbalancer:",
    "      children:",
    "        network:",
    "",
  ].join("\n"),
  "20-compute": "[compute]\ncn[01:02]\n[all:vars]\nlvl=all-inline\ny=all-inline\n",
  "sub/30-storage": "[storage]\nstorage01 ansible_host=10.0.0.40\n",
  // Ansible skips these by name: none of their hosts may appear.
  "hosts.ini": "[storage]\nskipped-ini\n",
  "old~": "[storage]\nskipped-backup\n",
  "README.md": "[storage]\nskipped-md\n",
  ".hidden": "[storage]\nskipped-hidden\n",
  "group_vars/all.yml": "lvl: gv-all\nnetwork_interface: eth0\nansible_user: kolla\n",
  "group_vars/control/10-net.yml": "api_interface: bond0\nlvl: gv-control\n",
  "group_vars/control/20-more": "x: gv-control-more\n",
  "group_vars/control/sub/30-deep.yml": "deep: yes\n",
  "group_vars/control/skip.txt": "x: not-read\n",
  "group_vars/control.yml": "lvl: shadowed\n",
  "group_vars/network.json": '{"lvl": "gv-network-json", "n": 1}\n',
  "group_vars/computee.yml": "lvl: orphan\n",
  "host_vars/cc01.yml": "ansible_host: 10.0.0.100\n",
  "host_vars/cc02": "ansible_host: 10.0.0.101\n",
  "host_vars/cc03.yaml": "ansible_host: 10.0.0.102\nlvl: host-vars\n",
  "host_vars/net01/a.yml": "ansible_host: 10.0.0.30\n",
  "host_vars/net01/b/c.yml": "network_interface: eth9\n",
  "host_vars/cn01.json": '{"ansible_host": "10.0.0.25"}\n',
  "host_vars/cn02.yml": "ansible_host: 10.0.0.26\n",
};

/** Three sources of three kinds: an INI file with group_vars beside it, a directory, a JSON inventory. */
const MULTI: Record<string, string> = {
  "a/hosts": "[control]\ncc01 ansible_host=10.0.0.11 lvl=a\n[all:vars]\ny=a\n",
  "a/group_vars/all.yml": "lvl: a-gv\nz: a\n",
  "a/group_vars/control.yml": "w: a\nv: a\n",
  "b/10-hosts":
    "[control]\ncc01 lvl=b\ncc02 ansible_host=10.0.0.12\n[network]\nnet01 ansible_host=10.0.0.30\n",
  "b/group_vars/all.yml": "z: b\nv: b-all\n",
  "b/group_vars/control.yml": "w: b\n",
  "c/inventory.json": JSON.stringify({
    all: { children: { compute: { hosts: { cn01: { ansible_host: "10.0.0.25" } } } }, vars: { y: "c" } },
  }),
};

const GLOBALS = 'kolla_internal_vip_address: "10.0.0.47"\nopenstack_release: "2025.1"\n';

function read(path: string): InventorySource {
  const r = readInventorySource(captureIO(tmp), path);
  if (Array.isArray(r)) throw new Error(JSON.stringify(r));
  return r;
}

beforeAll(() => {
  writeTree(join(tmp, "kolla"), KOLLA_DIR);
  writeTree(join(tmp, "multi"), MULTI);
  writeFileSync(join(tmp, "globals.yml"), GLOBALS);
});

describe("an inventory directory", () => {
  it("skips what Ansible skips by name (INVENTORY_IGNORE_EXTS and hidden files)", () => {
    for (const name of ["hosts.ini", "a.cfg", "x~", "x.bak", "x.orig", "n.md", "t.txt", "r.retry", ".git"])
      expect(ignoredInInventoryDir(name), name).toBe(true);
    for (const name of ["hosts", "hosts.yml", "inventory.json", "multinode", "ini"])
      expect(ignoredInInventoryDir(name), name).toBe(false);
    const source = read("kolla");
    expect(source.files.map((f) => f.file)).toEqual([
      "kolla/00-control",
      "kolla/10-network.yml",
      "kolla/20-compute",
      "kolla/sub/30-storage",
    ]);
  });

  it("gives group_vars over inventory group vars, host_vars over the host line, as Ansible's precedence does", () => {
    const { inventory: inv } = parseInventorySources([read("kolla")]);
    expect(inv.hostVars("cc01")).toMatchObject({
      lvl: "gv-control", // group_vars/control/ beats [control:vars] and group_vars/all
      x: "gv-control-more", // later file of the directory wins
      deep: true,
      api_interface: "bond0",
      ansible_host: "10.0.0.100",
      y: "all-inline",
    });
    expect(inv.hostVars("cc02")["lvl"]).toBe("host-inline"); // a host's own line beats any group_vars
    expect(inv.hostVars("cc03")["lvl"]).toBe("host-vars"); // host_vars beats the host's line
    expect(inv.hostVars("net01")).toMatchObject({ lvl: "gv-network-json", network_interface: "eth9" });
    expect(inv.hostVars("cc01")["x"]).not.toBe("not-read");
    expect(inv.hostVars("net02")).toMatchObject({ flag: true, mode: 493, quoted: "yes", answer: "y" });
    expect(inv.varOrigin("cc03", "lvl")).toEqual({ line: 2, column: 1, file: "kolla/host_vars/cc03.yaml" });
  });

  it("reports the files Ansible passes over, each at its file", () => {
    const { diagnostics } = parseInventorySources([read("kolla")]);
    expect(diagnostics.map((d) => `${d.file}:${d.line} ${d.severity} ${d.code}`)).toEqual([
      "kolla/hosts.ini:1 warning HA909",
      "kolla/group_vars/control.yml:1 warning HA911",
      "kolla/group_vars/computee.yml:1 warning HA912",
    ]);
    expect(diagnostics[2]!.hint).toContain("group_vars/compute.yml");
  });

  it("reports a vars file that is not a mapping at its line, and an inventory script as unread", () => {
    const source: InventorySource = {
      path: "inv",
      files: [{ file: "inv/dynamic", text: "#!/usr/bin/env python3\nprint('{}')\n" }],
      skipped: [],
      varsFiles: [
        { dir: "group_vars", rel: "all.yml", file: "inv/group_vars/all.yml", text: "# vars\n- a\n- b\n" },
      ],
      varsDirs: [],
    };
    const { diagnostics } = parseInventorySources([source]);
    expect(diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code}`)).toEqual([
      "inv/dynamic:1:1 error HA908",
      "inv/group_vars/all.yml:2:1 error HA910",
    ]);
    expect(diagnostics[0]!.hint).toContain("ansible-inventory -i inv/dynamic --list");
  });

  it("imports host_vars' ansible_host and group_vars' api_interface as inline variables would be", () => {
    const r = importKolla({
      inventory: [read("kolla")],
      globals: { file: "globals.yml", text: GLOBALS },
      cloud: "split",
    });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const hosts = r.topology!.hosts;
    expect(hosts["cc01"]).toMatchObject({
      addresses: { management: "10.0.0.100" },
      interfaces: { management: "bond0" },
    });
    expect(hosts["net01"]).toMatchObject({
      roles: ["loadbalancer", "network"],
      addresses: { management: "10.0.0.30" },
      interfaces: { management: "eth9" },
    });
    expect(hosts["storage01"]?.addresses).toEqual({ management: "10.0.0.40" });
    // Every value says which file it came from.
    expect(r.yaml).toContain("# kolla/host_vars/cc01.yml:1 ansible_host");
    expect(r.yaml).toContain("kolla/group_vars/control/10-net.yml:1 api_interface");
  });
});

describe("several -i", () => {
  it("merge in order: later sources add hosts and groups and win for the same variable", () => {
    const { inventory: inv, diagnostics } = parseInventorySources(
      ["multi/a/hosts", "multi/b", "multi/c/inventory.json"].map(read),
    );
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(inv.resolveGroup("control")).toEqual(["cc01", "cc02"]);
    expect(inv.hostVars("cc01")).toMatchObject({
      ansible_host: "10.0.0.11",
      lvl: "b", // b's host line over a's
      y: "c", // the last source's all vars
      z: "b", // b's group_vars/all over a's
      w: "b",
      v: "a", // any group_vars/control beats every group_vars/all
    });
  });

  it("through the CLI: a file, a directory and a JSON inventory make one topology", async () => {
    const io = captureIO(tmp);
    const args = ["import", "-i", "multi/a/hosts", "-i", "multi/b", "-i", "multi/c/inventory.json"];
    expect(
      await main([...args, "--globals", "globals.yml", "--cloud", "multi", "--out", "multi.yaml"], io),
    ).toBe(0);
    const yaml = readFileSync(join(tmp, "multi.yaml"), "utf8");
    expect(yaml).toContain("from hosts, b, inventory.json and globals.yml");
    for (const host of ["cc01", "cc02", "net01", "cn01"]) expect(yaml).toContain(`  ${host}:\n`);
  });

  it("an unreadable file inside a directory is a usage error naming it", async () => {
    writeTree(join(tmp, "broken"), { hosts: "[control]\ncc01\n", "group_vars/all.yml": "a: \u0000\n" });
    const io = captureIO(tmp);
    expect(await main(["import", "-i", "broken", "--globals", "globals.yml"], io)).toBe(2);
    expect(io.stderr()).toContain("broken/group_vars/all.yml");
  });
});

const NEEDS = "needs ansible-inventory (Debian package ansible-core; scripts/test installs it)";

describe.skipIf(!ANSIBLE_INVENTORY)(`directories and several -i against ansible-inventory (${NEEDS})`, () => {
  const cases: Record<string, string[]> = {
    "a kolla inventory directory with group_vars and host_vars": ["kolla"],
    "an INI file, a directory and a JSON inventory": ["multi/a/hosts", "multi/b", "multi/c/inventory.json"],
    "the same sources in the other order": ["multi/c/inventory.json", "multi/b", "multi/a/hosts"],
  };
  for (const [name, paths] of Object.entries(cases)) {
    it(`reads ${name} as ansible does`, async () => {
      const ours = parseInventorySources(paths.map(read));
      expect(ours.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const theirs = await ansibleList(
        paths.map((p) => join(tmp, p)),
        { plugins: "yaml,ini", tmp },
      );
      expectSameInventory(ours.inventory, theirs);
    }, 90_000);
  }
});
