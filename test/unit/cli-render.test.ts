import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { captureIO } from "../support/cli-io.ts";
import { scratchDir } from "../support/validators.ts";

describe("hacloud render", () => {
  let scratch: ReturnType<typeof scratchDir>;
  beforeEach(() => {
    scratch = scratchDir("hacloud-cli-render-");
  });
  afterEach(() => scratch.remove());

  it("writes the kolla files, then reports them unchanged", async () => {
    const out = join(scratch.dir, "kolla");
    const io = captureIO();
    expect(await main(["render", "examples/packtpub-prod.yaml", "--out", out], io)).toBe(0);
    expect(io.stdout()).toMatch(
      /kolla-ansible 2025\.1 files of packtpub-prod: \d+ written, 0 unchanged, 0 removed/,
    );
    expect(readFileSync(join(out, "globals.yml"), "utf8")).toContain('openstack_release: "2025.1"');
    expect(readFileSync(join(out, "Jenkinsfile"), "utf8")).toContain(`defaultValue: '${out}'`);
    const again = captureIO();
    expect(await main(["render", "examples/packtpub-prod.yaml", "--out", out], again)).toBe(0);
    expect(again.stdout()).toMatch(/: 0 written, \d+ unchanged, 0 removed/);
  });

  it("renders for another release with --release, and removes what no longer applies", async () => {
    const out = join(scratch.dir, "kolla");
    const ff = "test/golden/testdata/packtpub-2024.1-fast-failover.yaml";
    expect(await main(["render", ff, "--out", out], captureIO())).toBe(0);
    expect(existsSync(join(out, "config/haproxy-config/mariadb.cfg"))).toBe(true);
    const io = captureIO();
    // On 2025.1 MariaDB goes through ProxySQL: the HAProxy override is an orphan now.
    expect(await main(["render", ff, "--out", out, "--release", "2025.1"], io)).toBe(0);
    expect(io.stdout()).toContain("removed    config/haproxy-config/mariadb.cfg");
    expect(existsSync(join(out, "config/haproxy-config/mariadb.cfg"))).toBe(false);
    expect(readFileSync(join(out, "globals.yml"), "utf8")).toContain('openstack_release: "2025.1"');
  });

  it("refuses to render a topology that hacloud check rejects, and writes nothing", async () => {
    const bad = join(scratch.dir, "bad.yaml");
    const text = readFileSync("examples/packtpub-prod.yaml", "utf8").replace(
      "router_id: 51",
      "router_id: 300",
    );
    writeFileSync(bad, text);
    const out = join(scratch.dir, "kolla");
    const io = captureIO();
    expect(await main(["render", bad, "--out", out], io)).toBe(1);
    expect(io.stderr()).toContain("nothing rendered");
    expect(io.stderr()).toMatch(/bad\.yaml:\d+:\d+: error HA\d{3}/);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses to overwrite a file it did not write unless --force", async () => {
    const out = join(scratch.dir, "kolla");
    expect(await main(["render", "examples/packtpub-prod.yaml", "--out", out], captureIO())).toBe(0);
    writeFileSync(join(out, ".hacloud-manifest"), "# emptied by hand\n");
    const io = captureIO();
    expect(await main(["render", "examples/packtpub-prod.yaml", "--out", out], io)).toBe(1);
    expect(io.stderr()).toContain("were not written by hacloud");
    expect(await main(["render", "examples/packtpub-prod.yaml", "--out", out, "--force"], captureIO())).toBe(
      0,
    );
  });
});

describe("hacloud secrets", () => {
  let scratch: ReturnType<typeof scratchDir>;
  beforeEach(() => {
    scratch = scratchDir("hacloud-cli-secrets-");
  });
  afterEach(() => scratch.remove());

  it(
    "writes passwords.yml mode 0600 without printing a value, refuses to overwrite, merges on request",
    async () => {
      const file = join(scratch.dir, "passwords.yml");
      const io = captureIO();
      expect(await main(["secrets", "examples/packtpub-prod.yaml", "--out", file], io)).toBe(0);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const text = readFileSync(file, "utf8");
      const values = [...text.matchAll(/^[a-z0-9_]+_password: (\S+)$/gm)].map((m) => m[1]!);
      expect(values.length).toBeGreaterThan(50);
      for (const v of values) expect(io.stdout() + io.stderr()).not.toContain(v);
      expect(io.stdout()).toContain("120 kolla-ansible 2025.1 passwords (mode 0600)");

      const refused = captureIO();
      expect(await main(["secrets", "--release", "2025.1", "--out", file], refused)).toBe(1);
      expect(refused.stderr()).toContain("exists; --merge");
      expect(readFileSync(file, "utf8")).toBe(text);

      const merged = captureIO();
      expect(await main(["secrets", "--release", "2025.1", "--out", file, "--merge"], merged)).toBe(0);
      // Every value but docker_registry_password, which kolla-genpwd leaves empty.
      expect(merged.stdout()).toContain("119 existing values kept");
      expect(readFileSync(file, "utf8")).toBe(text);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    },
    // kolla-genpwd's seven RSA-4096 key pairs take a while on a small machine.
    180_000,
  );

  it("needs a release", async () => {
    const io = captureIO();
    expect(await main(["secrets", "--out", join(scratch.dir, "p.yml")], io)).toBe(2);
    expect(existsSync(join(scratch.dir, "p.yml"))).toBe(false);
  });
});
