import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { captureIO } from "../support/cli-io.ts";
import { checkTopologyFile } from "../../src/check.ts";
import { diagnosticsJson } from "../../src/diagnostics/diagnostic.ts";

/**
 * Every diagnostic the shipped examples print, reviewed: each is a real issue
 * of that design, not a false alarm. A new rule that adds one must be reviewed
 * here too.
 */
const REVIEWED: Readonly<Record<string, readonly string[]>> = {
  "examples/packtpub-prod.yaml": [
    // net01, net02, cn01, cn02 carry an address on eth2, which neutron plugs into br-ex
    // (provider networks put br-ex on the computes too): kolla says such an address is unusable.
    "HA410",
    "HA410",
    "HA410",
    "HA410",
    // storage01 is the only LVM cinder-volume host: its volumes stop with it.
    "HA800",
    // Masakari evacuates from shared storage, and kolla disables STONITH: no fencing.
    "HA510",
  ],
  "examples/minimal.yaml": [
    // The three converged controllers also hold the VIP (a deliberate compact design).
    "HA252",
  ],
};

describe.each(Object.keys(REVIEWED))("hacloud check %s", (file) => {
  it("passes (exit 0) and says what it found", async () => {
    const io = captureIO();
    expect(await main(["check", file], io)).toBe(0);
    expect(io.stdout()).toMatch(new RegExp(`(no problems|\\d+ (warning|note)s?.*) in ${file}\\n$`));
  });

  it("prints only the reviewed diagnostics", () => {
    const codes = checkTopologyFile(file).diagnostics.map((d) => d.code);
    expect([...codes].sort()).toEqual([...REVIEWED[file]!].sort());
  });

  it("matches the golden diagnostics", async () => {
    const json = diagnosticsJson(checkTopologyFile(file).diagnostics);
    await expect(json).toMatchFileSnapshot(
      `__golden__/check/${file.replace(/^examples\//, "example-").replace(/\.yaml$/, ".json")}`,
    );
  });
});
