import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import type { CliIO } from "../../src/cli/io.ts";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const EXAMPLE = here("../../examples/packtpub-prod.yaml");

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: CliIO = {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    color: false,
    cwd: process.cwd(),
  };
  const code = await main(argv, io);
  return { code, out, err };
}

describe("hacloud sla", () => {
  it("prints the service table, SPOFs and cut sets for the example", async () => {
    const r = await run("sla", EXAMPLE);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Service\s+Availability\s+Nines\s+Downtime\/month\s+Budget used/);
    expect(r.out).toContain("per 30-day month");
    expect(r.out).toMatch(/storage01\s+→ block-storage/);
    expect(r.out).toMatch(/cc01 \+ cc02\s+→ identity-api/);
  });

  it("--json --fail reports which services a failure takes down, and why", async () => {
    const r = await run("sla", EXAMPLE, "--json", "--fail", "cc01,cc02");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { services: { name: string; up: boolean; reason: string }[] };
    expect(j.services.find((s) => s.name === "database")).toMatchObject({
      up: false,
      reason: "Galera has 1 of 3 votes, needs 2 (cc01, cc02 down)",
    });
  });

  it("an unknown --fail host is a usage error with a suggestion", async () => {
    const r = await run("sla", EXAMPLE, "--fail", "cc1");
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown host `cc1`. Did you mean `cc01`?");
  });

  it("--measured shows predicted and measured side by side", async () => {
    const r = await run("sla", EXAMPLE, "--measured", here("../fixtures/sla/drills-kolla-default.json"));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/lb-master-haproxy-kill\s+4\.996 s\s+4\.4 s\s+passed/);
    expect(r.err).toContain("HA863");
  });

  it("a malformed measured report fails with located diagnostics", async () => {
    const bad = here("../fixtures/sla/drills-malformed.json");
    const r = await run("sla", EXAMPLE, "--measured", bad);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${bad}:9:79: error HA861 drills[0].probes[0].downtime_s must be seconds`);
    expect(r.out).toBe("");
  });

  it("rejects a bad --max-order", async () => {
    const r = await run("sla", EXAMPLE, "--max-order", "0");
    expect(r.code).toBe(2);
  });
});
