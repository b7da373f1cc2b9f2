import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { captureIO } from "../support/cli-io.ts";

const DATA = "test/unit/testdata";

describe("hacloud check", () => {
  it("exits 0 on a clean topology and says so", async () => {
    const io = captureIO();
    expect(await main(["check", `${DATA}/valid-demo.yaml`], io)).toBe(0);
    expect(io.stdout()).toBe(`no problems in ${DATA}/valid-demo.yaml\n`);
  });

  it("exits 0 with warnings only", async () => {
    const io = captureIO();
    expect(await main(["check", `${DATA}/valid-two-controllers.yaml`], io)).toBe(0);
    expect(io.stdout()).toContain("warning HA302");
    expect(io.stdout()).toMatch(
      /2 warnings, 2 notes in test\/unit\/testdata\/valid-two-controllers\.yaml\n$/,
    );
  });

  it("exits 1 with errors, each with location, code frame and hint, then a summary", async () => {
    const io = captureIO();
    expect(await main(["check", `${DATA}/invalid-addressing.yaml`], io)).toBe(1);
    const out = io.stdout();
    expect(out).toContain(`${DATA}/invalid-addressing.yaml:11:18: error HA101 the internal VIP 10.0.1.10`);
    expect(out).toContain(" 11 | vip: { internal: 10.0.1.10, router_id: 51 }");
    expect(out).toMatch(/\n {4}\| {18}\^{9}\n/);
    expect(out).toContain("  hint: Pick an unused address inside the management network");
    expect(out).toMatch(/4 errors in test\/unit\/testdata\/invalid-addressing\.yaml\n$/);
  });

  it("prints the JSON shape with --format json", async () => {
    const io = captureIO();
    expect(await main(["check", `${DATA}/invalid-router-id-zero.yaml`, "--format", "json"], io)).toBe(1);
    const parsed = JSON.parse(io.stdout()) as { diagnostics: Record<string, unknown>[] };
    expect(parsed.diagnostics).toHaveLength(1);
    expect(Object.keys(parsed.diagnostics[0]!)).toEqual([
      "code",
      "severity",
      "message",
      "file",
      "line",
      "column",
      "hint",
    ]);
    expect(parsed.diagnostics[0]).toMatchObject({ code: "HA200", severity: "error", line: 9, column: 40 });
  });

  it("compares router ids with --peer clouds on the same segment", async () => {
    const clash = captureIO();
    const args = ["check", `${DATA}/valid-demo.yaml`, "--peer"];
    expect(await main([...args, `${DATA}/peers/other-cloud-vrid-51.yaml`], clash)).toBe(1);
    expect(clash.stdout()).toContain(
      `error HA201 router_id 51 is also used by cloud \`other\` (${DATA}/peers/other-cloud-vrid-51.yaml:9:41)`,
    );
    const distinct = captureIO();
    expect(await main([...args, `${DATA}/peers/other-cloud-vrid-52.yaml`], distinct)).toBe(0);
  });

  it("takes --peer more than once", async () => {
    const io = captureIO();
    const peers = ["other-cloud-vrid-52.yaml", "other-cloud-vrid-51.yaml"].flatMap((p) => [
      "--peer",
      `${DATA}/peers/${p}`,
    ]);
    expect(await main(["check", `${DATA}/valid-demo.yaml`, ...peers], io)).toBe(1);
    expect(io.stdout().match(/error HA201/g)).toHaveLength(1);
  });

  it("exits 2 on usage errors: a bad --format, the file as its own peer, an unreadable file", async () => {
    const format = captureIO();
    expect(await main(["check", `${DATA}/valid-demo.yaml`, "--format", "xml"], format)).toBe(2);
    expect(format.stderr()).toContain("--format must be one of text, json, sarif, not xml");
    const self = captureIO();
    expect(
      await main(["check", `${DATA}/valid-demo.yaml`, "--peer", `./${DATA}/valid-demo.yaml`], self),
    ).toBe(2);
    const missing = captureIO();
    expect(await main(["check", `${DATA}/no-such-file.yaml`], missing)).toBe(2);
    expect(missing.stdout()).toContain(
      `${DATA}/no-such-file.yaml:1:1: error HA002 file not found: ${DATA}/no-such-file.yaml`,
    );
    const none = captureIO();
    expect(await main(["check"], none)).toBe(2);
  });
});
