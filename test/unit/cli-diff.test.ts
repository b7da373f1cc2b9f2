import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { unifiedDiff } from "../../src/render/unified-diff.ts";
import { captureIO } from "../support/cli-io.ts";
import { scratchDir } from "../support/validators.ts";

const EXAMPLE = "examples/packtpub-prod.yaml";

describe("unified diffs", () => {
  const scratch = scratchDir("hacloud-udiff-");
  afterAll(() => scratch.remove());

  it("apply with patch(1) and change as few lines as diff -u does", () => {
    const text = fc
      .array(fc.constantFrom("a", "b", "c", "d", "x"), { maxLength: 30 })
      .map((ls) => ls.map((l) => `${l}\n`).join(""));
    const changed = (d: string) => d.split("\n").filter((l) => /^[-+](?!--|\+\+)/.test(l)).length;
    fc.assert(
      fc.property(text, text, (a, b) => {
        const fa = join(scratch.dir, "a");
        const fb = join(scratch.dir, "b");
        writeFileSync(fa, a);
        writeFileSync(fb, b);
        let gnu = "";
        try {
          execFileSync("diff", ["-u", fa, fb]);
        } catch (e) {
          gnu = (e as { stdout: Buffer }).stdout.toString();
        }
        const mine = unifiedDiff("a", "b", a, b).text;
        expect(mine === "").toBe(gnu === "");
        expect(changed(mine)).toBe(changed(gnu));
        if (mine === "") return;
        const out = join(scratch.dir, "patched");
        execFileSync("patch", ["-s", "-o", out, fa], { input: mine });
        expect(readFileSync(out, "utf8")).toBe(b);
      }),
      { numRuns: 150 },
    );
    expect(unifiedDiff("a", "b", "a\nb\n", "c\n").text).toBe("--- a\n+++ b\n@@ -1,2 +1 @@\n-a\n-b\n+c\n");
  });
});

describe("hacloud diff", () => {
  const scratch = scratchDir("hacloud-diff-");
  afterAll(() => scratch.remove());
  const etc = join(scratch.dir, "etc-kolla");

  it("agrees with what render wrote (exit 0), and shows a change as a unified diff (exit 1)", async () => {
    expect(await main(["render", EXAMPLE, "--out", etc, "--quiet"], captureIO())).toBe(0);
    const same = captureIO();
    expect(await main(["diff", EXAMPLE, etc], same)).toBe(0);
    expect(same.stdout()).toMatch(/: \d+ same, 0 differ, 0 only rendered by hacloud, 0 only in /);

    const globals = join(etc, "globals.yml");
    writeFileSync(
      globals,
      readFileSync(globals, "utf8").replace(
        'keepalived_virtual_router_id: "51"',
        'keepalived_virtual_router_id: "52"',
      ),
    );
    mkdirSync(join(etc, "config", "nova"), { recursive: true });
    writeFileSync(join(etc, "config", "nova", "nova.conf"), "[DEFAULT]\ndebug = True\n");
    const io = captureIO();
    expect(await main(["diff", EXAMPLE, etc], io)).toBe(1);
    const out = io.stdout();
    expect(out).toContain(`--- ${etc}/globals.yml\n+++ hacloud/globals.yml\n@@ `);
    expect(out).toContain('-keepalived_virtual_router_id: "52"\n+keepalived_virtual_router_id: "51"\n');
    expect(out).toContain("  differs:  globals.yml (-1 +1)");
    expect(out).toContain("config/nova/nova.conf (not in the topology; kept as it is");

    const json = captureIO();
    expect(await main(["diff", EXAMPLE, etc, "--json"], json)).toBe(1);
    const doc = JSON.parse(json.stdout()) as {
      schema: string;
      differ: boolean;
      files: { path: string; status: string }[];
    };
    expect(doc.schema).toBe("hacloud-diff/1");
    expect(doc.files.find((f) => f.path === "globals.yml")?.status).toBe("differs");
    expect(doc.files.find((f) => f.path === "config/nova/nova.conf")?.status).toBe("only-existing");
  });

  it("names a missing directory as a usage error", async () => {
    expect(await main(["diff", EXAMPLE, join(scratch.dir, "nope")], captureIO())).toBe(2);
  });
});
