import { describe, expect, it } from "vitest";
import { expandHostPattern } from "../../src/import/host-pattern.ts";
import { parseIniInventory } from "../../src/import/ini-inventory.ts";
import { inventoryValue } from "../../src/import/python-literal.ts";
import { shlexSplit } from "../../src/import/shlex.ts";

describe("INI inventory positions", () => {
  const text = [
    "# comment",
    "[control]",
    "  cc01.os ansible_host=10.0.0.100   network_interface=eth0",
    "cc[02:03].os",
    "",
    "[control:vars]",
    "ansible_user = kolla",
    "[loadbalancer:children]",
    "control",
  ].join("\n");
  const { inventory, diagnostics } = parseIniInventory("inv", text);

  it("has no problems", () => expect(diagnostics).toEqual([]));

  it("locates hosts, their variables, group headers and group variables", () => {
    expect(inventory.hosts.get("cc01.os")?.lines).toEqual([{ group: "control", line: 3, column: 3 }]);
    expect(inventory.hosts.get("cc01.os")?.varPositions.ansible_host).toEqual({ line: 3, column: 11 });
    expect(inventory.hosts.get("cc01.os")?.varPositions.network_interface).toEqual({ line: 3, column: 37 });
    expect(inventory.hosts.get("cc03.os")?.lines).toEqual([{ group: "control", line: 4, column: 1 }]);
    expect(inventory.groups.get("control")?.sections).toEqual([
      { kind: "hosts", line: 2, column: 1 },
      { kind: "vars", line: 6, column: 1 },
    ]);
    expect(inventory.groups.get("control")?.varPositions.ansible_user).toEqual({ line: 7, column: 1 });
    expect(inventory.groups.get("loadbalancer")?.childRefs).toEqual([
      { name: "control", line: 9, column: 1 },
    ]);
  });

  it("resolves a group through its children and merges variables", () => {
    expect(inventory.resolveGroup("loadbalancer")).toEqual(["cc01.os", "cc02.os", "cc03.os"]);
    expect(inventory.resolveGroup("nope")).toBeUndefined();
    expect(inventory.hostVars("cc02.os")).toEqual({ ansible_user: "kolla" });
    expect({ ...inventory.hostVars("cc01.os") }).toEqual({
      ansible_user: "kolla",
      ansible_host: "10.0.0.100",
      network_interface: "eth0",
    });
  });
});

describe("INI inventory problems", () => {
  it("reports every problem, not only the first, each at its line", () => {
    const { diagnostics } = parseIniInventory(
      "inv",
      ["[a]", "h x='open", "[b c]", "[a:children]", "ghost", "[d:vars]", "k=v", "[e]", "n[3:1]"].join("\n"),
    );
    expect(diagnostics.map((d) => [d.code, d.severity, d.line])).toEqual([
      ["HA900", "error", 2],
      ["HA900", "error", 3],
      ["HA901", "warning", 9], // n[3:1] is empty: Ansible skips it silently
      ["HA903", "error", 6],
      ["HA902", "error", 5],
    ]);
    for (const d of diagnostics) expect(d.hint).toBeTruthy();
  });

  it("suggests the dash/underscore twin of an undefined child group", () => {
    const { diagnostics } = parseIniInventory("inv", "[kolla-logs]\nh\n[common:children]\nkolla_logs\n");
    expect(diagnostics[0]?.hint).toContain("Did you mean `kolla-logs`?");
  });

  it("reports a cycle once and still answers queries", () => {
    const { inventory, diagnostics } = parseIniInventory(
      "inv",
      "[a:children]\nb\n[b:children]\nc\n[c:children]\na\n[c]\nh\n",
    );
    expect(diagnostics.map((d) => d.code)).toEqual(["HA904"]);
    expect(diagnostics[0]?.message).toContain("a → b → c → a");
    expect(inventory.resolveGroup("a")).toEqual(["h"]);
  });

  it("spots a YAML inventory given by mistake", () => {
    const { diagnostics } = parseIniInventory("inv.yml", "---\nall:\n  hosts:\n");
    expect(diagnostics[0]?.message).toContain("looks like YAML");
  });

  it("copes with a chain of 5000 child groups (no recursion limit)", () => {
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) lines.push(`[g${i}:children]`, `g${i + 1}`);
    lines.push("[g5000]", "deep");
    const { inventory, diagnostics } = parseIniInventory("inv", lines.join("\n"));
    expect(diagnostics).toEqual([]);
    expect(inventory.resolveGroup("g0")).toEqual(["deep"]);
    expect(inventory.hostVars("deep")).toEqual({});
  });
});

describe("host patterns", () => {
  it("expands ranges as Ansible does", () => {
    expect(expandHostPattern("control[01:03]")).toEqual({
      ok: true,
      hosts: ["control01", "control02", "control03"],
      port: undefined,
    });
    expect(expandHostPattern("n[a:c]:2222")).toEqual({ ok: true, hosts: ["na", "nb", "nc"], port: 2222 });
    expect(expandHostPattern("w[1:5:2]-[x:y]")).toMatchObject({
      hosts: ["w1-x", "w1-y", "w3-x", "w3-y", "w5-x", "w5-y"],
    });
    expect(expandHostPattern("[::1]:22")).toEqual({ ok: true, hosts: ["::1"], port: 22 });
  });

  it("refuses bad and oversized ranges", () => {
    expect(expandHostPattern("n[01:3]").ok).toBe(false);
    expect(expandHostPattern("n[1:]").ok).toBe(false);
    expect(expandHostPattern("n[1:3:0]").ok).toBe(false);
    expect(JSON.stringify(expandHostPattern("n[0:99999999]"))).toContain("more than 100000 hosts");
    expect(expandHostPattern("n[0:999][0:999]")).toMatchObject({ ok: false });
    expect(expandHostPattern("h:")).toMatchObject({ ok: false });
  });
});

describe("inventory values (Python literals)", () => {
  it("reads what ast.literal_eval reads and keeps the rest as text", () => {
    expect(inventoryValue("22")).toBe(22);
    expect(inventoryValue("01")).toBe("01");
    expect(inventoryValue("0x1F")).toBe(31);
    expect(inventoryValue("-1.5e3")).toBe(-1500);
    expect(inventoryValue("True")).toBe(true);
    expect(inventoryValue("yes")).toBe("yes");
    expect(inventoryValue("None")).toBe(null);
    expect(inventoryValue("'a' \"b\"")).toBe("ab");
    expect(inventoryValue("[1, 'x', (2,), {'k': None}]")).toEqual([1, "x", [2], { k: null }]);
    expect(inventoryValue("(1)")).toBe(1);
    expect(inventoryValue("5 # note")).toBe(5);
    expect(inventoryValue("{1, 2}")).toBe("{1, 2}");
    expect(inventoryValue("[".repeat(500))).toBe("[".repeat(500));
    expect(inventoryValue("10.0.0.1")).toBe("10.0.0.1");
  });
});

describe("shlex", () => {
  it("splits host lines as Python's shlex does", () => {
    const r = shlexSplit(`h a="x y" b='q' c=d\\ e f=g#comment`);
    expect(r).toEqual({
      ok: true,
      words: [
        { text: "h", offset: 0 },
        { text: "a=x y", offset: 2 },
        { text: "b=q", offset: 10 },
        { text: "c=d e", offset: 16 },
        { text: "f=g", offset: 23 },
      ],
    });
    expect(shlexSplit(`h a="x`)).toMatchObject({ ok: false, message: "No closing quotation" });
  });
});
