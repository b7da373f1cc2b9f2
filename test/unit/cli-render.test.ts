import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { captureIO } from "../support/cli-io.ts";
import { scratchDir } from "../support/validators.ts";

/** Every file under dir. */
function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

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
    // Outside a repository the files name their directory relative to its parent.
    expect(readFileSync(join(out, "Jenkinsfile"), "utf8")).toContain(`defaultValue: 'kolla'`);
    const again = captureIO();
    expect(await main(["render", "examples/packtpub-prod.yaml", "--out", out], again)).toBe(0);
    expect(again.stdout()).toMatch(/: 0 written, \d+ unchanged, 0 removed/);
  });

  it("renders byte-identical files from any directory and any clone: paths are the repository's", async () => {
    const repo = join(scratch.dir, "ops");
    mkdirSync(join(repo, ".git"), { recursive: true });
    mkdirSync(join(repo, "clouds"));
    writeFileSync(join(repo, "clouds", "prod.yaml"), readFileSync("examples/packtpub-prod.yaml"));
    const renderFrom = async (cwd: string, file: string, out: string): Promise<Map<string, string>> => {
      expect(await main(["render", file, "--out", out], captureIO(cwd))).toBe(0);
      const dir = join(cwd, out);
      const files = new Map(walk(dir).map((f) => [f.slice(dir.length), readFileSync(f, "utf8")]));
      rmSync(dir, { recursive: true });
      return files;
    };
    const fromRoot = await renderFrom(repo, "clouds/prod.yaml", "kolla/prod");
    const fromSub = await renderFrom(join(repo, "clouds"), "prod.yaml", "../kolla/prod");
    const clone = join(scratch.dir, "elsewhere", "ops-clone");
    cpSync(repo, clone, { recursive: true });
    const fromClone = await renderFrom(clone, join(clone, "clouds/prod.yaml"), "kolla/prod");
    expect(fromSub).toEqual(fromRoot);
    expect(fromClone).toEqual(fromRoot);
    const jenkinsfile = fromRoot.get("/Jenkinsfile")!;
    expect(jenkinsfile).toContain("defaultValue: 'kolla/prod'");
    expect(jenkinsfile).toContain("defaultValue: 'clouds/prod.yaml'");
    for (const [name, text] of fromRoot) expect(text, name).not.toContain(scratch.dir);
  });

  it("renders a verify stage only through a target that exists", async () => {
    const out = join(scratch.dir, "kolla");
    expect(await main(["render", "examples/packtpub-prod.yaml", "--out", out], captureIO())).toBe(0);
    const jenkinsfile = readFileSync(join(out, "Jenkinsfile"), "utf8");
    // `hacloud verify --target kolla` is planned, not built (src/targets/registry.ts).
    expect(await main(["verify", "--target", "kolla"], captureIO())).toBe(1);
    expect(jenkinsfile).not.toMatch(/sh .*hacloud verify/);
    expect(jenkinsfile).toContain("No verify stage yet");
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
