import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { captureIO } from "../support/cli-io.ts";
import { loadTopologyFile } from "../../src/spec/load.ts";

const dir = mkdtempSync(join(tmpdir(), "hacloud-import-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(
  join(dir, "multinode"),
  "[control]\ncc01.os.example\ncc02.os.example\ncc03.os.example\n[network]\nnet01.os.example\n[loadbalancer:children]\nnetwork\n",
);
writeFileSync(
  join(dir, "globals.yml"),
  'openstack_release: "2025.1"\n kolla_internal_vip_address: "10.0.0.47"\n',
);
writeFileSync(
  join(dir, "globals-ok.yml"),
  'openstack_release: "2025.1"\nkolla_internal_vip_address: "10.0.0.47"\n',
);
writeFileSync(
  join(dir, "hosts"),
  "10.0.0.11 cc01.os.example\n10.0.0.12 cc02.os.example\n10.0.0.13 cc03.os.example\n10.0.0.21 net01.os.example\n",
);

describe("hacloud import", () => {
  it("writes a topology that loads, and exits 0", async () => {
    const io = captureIO(dir);
    const code = await main(
      [
        "import",
        "--inventory",
        "multinode",
        "--globals",
        "globals.yml",
        "--hosts-file",
        "hosts",
        "--lenient",
        "--out",
        "t.yaml",
        "--cloud",
        "demo",
      ],
      io,
    );
    expect(code).toBe(0);
    expect(io.stdout()).toBe("");
    expect(io.stderr()).toContain("globals.yml:2:1: warning HA920");
    expect(io.stderr()).toContain("wrote t.yaml");
    const loaded = loadTopologyFile(join(dir, "t.yaml"));
    expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(loaded.topology?.cloud).toBe("demo");
    expect(readFileSync(join(dir, "t.yaml"), "utf8")).toContain("# hosts:1 cc01.os.example");
  });

  it("prints the topology on stdout without --out", async () => {
    const io = captureIO(dir);
    expect(
      await main(
        ["import", "--inventory", "multinode", "--globals", "globals-ok.yml", "--hosts-file", "hosts"],
        io,
      ),
    ).toBe(0);
    expect(io.stdout()).toMatch(/^# Imported by `hacloud import`/);
    expect(io.stdout()).toContain("cidr: 10.0.0.0/24");
  });

  it("exits 1 with located diagnostics, a code frame and a hint when it cannot write the topology", async () => {
    const io = captureIO(dir);
    expect(
      await main(
        ["import", "--inventory", "multinode", "--globals", "globals.yml", "--out", "never.yaml"],
        io,
      ),
    ).toBe(1);
    const err = io.stderr();
    expect(err).toContain("globals.yml:2:1: error HA005");
    expect(err).toContain(' 2 |  kolla_internal_vip_address: "10.0.0.47"');
    expect(err).toContain("hint:");
    expect(err).toContain("multinode:2:1: error HA940 cc01.os.example has no address");
    expect(err).toContain("no topology written");
    expect(existsSync(join(dir, "never.yaml"))).toBe(false);
  });

  it("--format json prints check's JSON shape", async () => {
    const io = captureIO(dir);
    expect(
      await main(["import", "--inventory", "multinode", "--globals", "globals.yml", "--format", "json"], io),
    ).toBe(1);
    const json = JSON.parse(io.stdout()) as { diagnostics: Array<Record<string, unknown>> };
    expect(json.diagnostics[0]).toEqual({
      code: "HA005",
      severity: "error",
      message: expect.any(String) as unknown,
      file: "globals.yml",
      line: 2,
      column: 1,
      hint: expect.any(String) as unknown,
    });
  });

  it("reports unreadable and binary input files as diagnostics, exit 2 (as every command)", async () => {
    writeFileSync(join(dir, "binary"), Buffer.from([0x5b, 0x61, 0x5d, 0x0a, 0x00, 0xff]));
    const io = captureIO(dir);
    expect(await main(["import", "--inventory", "binary", "--globals", "missing.yml"], io)).toBe(2);
    expect(io.stderr()).toContain(
      "binary:2:2: error HA003 binary is not UTF-8 text (binary byte 0xff at offset 5)",
    );
    expect(io.stderr()).toContain("missing.yml:1:1: error HA002 file not found");
  });

  it("exits 2 on usage errors", async () => {
    expect(await main(["import", "--inventory", "multinode"], captureIO(dir))).toBe(2);
    expect(
      await main(
        ["import", "--inventory", "multinode", "--globals", "globals.yml", "--format", "xml"],
        captureIO(dir),
      ),
    ).toBe(2);
    const io = captureIO(dir);
    expect(
      await main(
        ["import", "--inventory", "multinode", "--globals", "globals.yml", "--out", "./globals.yml"],
        io,
      ),
    ).toBe(2);
    expect(io.stderr()).toContain("would overwrite");
  });
});
