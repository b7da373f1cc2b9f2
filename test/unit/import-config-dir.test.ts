/**
 * kolla's config directory read back by `hacloud import --config-dir`: what a
 * failover profile renders comes back as `profile:`, everything else as
 * verbatim `kolla.config_overrides` that render writes back byte for byte, and
 * secrets stay out of the topology.
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import type { ConfigFile } from "../../src/import/config-overrides.ts";
import { importKolla } from "../../src/import/import-kolla.ts";
import { topologyYaml } from "../../src/import/topology-yaml.ts";
import { buildPlan } from "../../src/plan/build.ts";
import { renderedProfile } from "../../src/render/kolla/profile-files.ts";
import { renderKolla } from "../../src/render/render.ts";
import { loadTopologyFile, loadTopologyText } from "../../src/spec/load.ts";
import type { Topology } from "../../src/spec/schema.ts";
import { captureIO } from "../support/cli-io.ts";
import { scratchDir } from "../support/validators.ts";

const TOPOLOGIES = [
  "examples/packtpub-prod.yaml",
  "examples/packtpub-dvr.yaml",
  "examples/minimal.yaml",
  "test/golden/testdata/packtpub-fast-failover.yaml",
  "test/golden/testdata/packtpub-2024.1-fast-failover.yaml",
  "test/golden/testdata/packtpub-2024.1.yaml",
];

/** A file hacloud does not model, with the bytes a hand-edited file has: CRLF, trailing blanks, no final newline. */
const NOVA_COMPUTE =
  "# ours\r\n[DEFAULT]\r\nresume_guests_state_on_host_boot = true  \r\n\r\n[libvirt]\n\tcpu_mode = host-passthrough";

function rendered(t: Topology): Map<string, string> {
  return renderKolla(buildPlan(t), { topologyFile: "cloud.yaml" });
}

/** The config/ files of a render as a config directory, plus `extra`. */
function configDir(files: Map<string, string>, extra: Record<string, string> = {}): ConfigFile[] {
  const out: ConfigFile[] = [];
  for (const [p, text] of files)
    if (p.startsWith("config/")) out.push({ rel: p.slice(7), file: `etc/${p}`, text });
  for (const [rel, text] of Object.entries(extra)) out.push({ rel, file: `etc/config/${rel}`, text });
  return out;
}

function reimport(t: Topology, files: Map<string, string>, extra: Record<string, string> = {}) {
  return importKolla({
    inventory: { file: "multinode", text: files.get("multinode")! },
    globals: { file: "globals.yml", text: files.get("globals.yml")! },
    configDir: { dir: "etc/config", files: configDir(files, extra), renderProfile: renderedProfile },
    cloud: t.cloud,
  });
}

describe("render → import --config-dir → render", () => {
  for (const file of TOPOLOGIES) {
    it(`gives back ${file}'s profile and every config/ file byte for byte`, () => {
      const t = loadTopologyFile(file).topology!;
      const files = rendered(t);
      const r = reimport(t, files, { "nova/nova-compute.conf": NOVA_COMPUTE });
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const back = r.topology!;
      expect(back.profile).toBe(t.profile);
      expect(back.kolla.config_overrides).toEqual({ "nova/nova-compute.conf": NOVA_COMPUTE });
      // The profile's own variables are carried by `profile:`, not copied into extra_globals.
      expect(Object.keys(back.kolla.extra_globals ?? {})).not.toContain("haproxy_health_check");
      const again = rendered(back);
      for (const [p, text] of files)
        if (p.startsWith("config/") && p !== "config/README.md") expect(again.get(p), p).toBe(text);
      expect(again.get("config/nova/nova-compute.conf")).toBe(NOVA_COMPUTE);
      expect([...again.keys()].filter((p) => p.startsWith("config/")).sort()).toEqual(
        [...files.keys(), "config/nova/nova-compute.conf"].filter((p) => p.startsWith("config/")).sort(),
      );
    });
  }

  it("keeps a profile's file that was edited verbatim, and says the profile was not recognised", () => {
    const t = loadTopologyFile("test/golden/testdata/packtpub-fast-failover.yaml").topology!;
    const files = rendered(t);
    files.set(
      "config/nova.conf",
      files.get("config/nova.conf")!.replace("service_down_time = 8", "service_down_time = 9"),
    );
    const r = reimport(t, files);
    expect(r.topology!.profile).toBe("kolla-default");
    const partial = r.diagnostics.find((d) => d.code === "HA961");
    expect(partial?.message).toContain("nova.conf differs");
    expect(Object.keys(r.topology!.kolla.config_overrides ?? {})).toContain("nova.conf");
    // Nothing is lost: kolla-default renders no override, so every file comes back verbatim.
    const again = rendered(r.topology!);
    expect(again.get("config/nova.conf")).toBe(files.get("config/nova.conf"));
  });

  it("does not carry secrets, binary files or hacloud's own README", () => {
    const t = loadTopologyFile("examples/packtpub-prod.yaml").topology!;
    const files = rendered(t);
    const r = importKolla({
      inventory: { file: "multinode", text: files.get("multinode")! },
      globals: { file: "globals.yml", text: files.get("globals.yml")! },
      configDir: {
        dir: "etc/config",
        renderProfile: renderedProfile,
        files: [
          ...configDir(files),
          {
            rel: "nova/ceph.client.nova.keyring",
            file: "etc/config/nova/ceph.client.nova.keyring",
            text: "[client.nova]\n\tkey = AQBx\n",
          },
          {
            rel: "octavia/server.pem",
            file: "etc/config/octavia/server.pem",
            text: "-----BEGIN RSA PRIVATE KEY-----\nMII\n",
          },
          {
            rel: "nova/nova-api.conf",
            file: "etc/config/nova/nova-api.conf",
            text: "[database]\npassword = hunter2\n",
          },
          { rel: "glance/logo.png", file: "etc/config/glance/logo.png", text: undefined },
          { rel: "bad name.conf", file: "etc/config/bad name.conf", text: "x\n" },
        ],
      },
      cloud: t.cloud,
    });
    expect(r.topology!.kolla.config_overrides).toBeUndefined();
    expect(
      r.diagnostics.filter((d) => d.code === "HA963").map((d) => `${d.file}:${d.line} ${d.severity}`),
    ).toEqual([
      "etc/config/bad name.conf:1 warning",
      "etc/config/glance/logo.png:1 warning",
      "etc/config/nova/ceph.client.nova.keyring:1 warning",
      "etc/config/nova/nova-api.conf:1 warning",
      "etc/config/octavia/server.pem:1 warning",
    ]);
    expect(r.yaml).not.toContain("hunter2");
  });

  it("writes any text into the topology YAML so that it loads back byte for byte", () => {
    const unit = fc.constantFrom("a", " ", "\t", "#", ":", "-", "'", '"', "|", "é", "{", "\\");
    const line = fc.string({ unit, maxLength: 12 });
    const text = fc.array(fc.tuple(line, fc.constantFrom("\n", "\r\n")), { maxLength: 8 }).chain((ls) =>
      fc.constantFrom(true, false).map((end) => {
        const s = ls.map(([l, eol]) => l + eol).join("");
        return end ? s : s.replace(/\r?\n$/, "");
      }),
    );
    const t = loadTopologyFile("examples/minimal.yaml").topology!;
    fc.assert(
      fc.property(text, (content) => {
        const data = { ...t, kolla: { ...t.kolla, config_overrides: { "x/y.conf": content } } };
        const loaded = loadTopologyText("t.yaml", topologyYaml(data, new Map(), " t"));
        expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        expect(loaded.topology!.kolla.config_overrides!["x/y.conf"]).toBe(content);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses override paths that would leave the config directory", () => {
    const t = readFileSync("examples/minimal.yaml", "utf8");
    for (const bad of ["../etc/passwd", "/etc/passwd", "nova/../../x", "README.md", "a//b"]) {
      const text = t.replace(/^kolla:\n/m, `kolla:\n  config_overrides: { ${JSON.stringify(bad)}: "x" }\n`);
      const loaded = loadTopologyText("t.yaml", text);
      expect(loaded.topology, bad).toBeUndefined();
      expect(
        loaded.diagnostics.map((d) => d.code),
        bad,
      ).toContain("HA013");
    }
  });
});

describe("hacloud import --config-dir and hacloud diff", () => {
  const scratch = scratchDir("hacloud-configdir-");
  afterAll(() => scratch.remove());

  it("round-trips a deployed /etc/kolla: the config/ files compare the same", async () => {
    const etc = join(scratch.dir, "etc-kolla");
    const src = "test/golden/testdata/packtpub-fast-failover.yaml";
    expect(await main(["render", src, "--out", etc, "--quiet"], captureIO())).toBe(0);
    mkdirSync(join(etc, "config", "nova"), { recursive: true });
    writeFileSync(join(etc, "config", "nova", "nova-compute.conf"), NOVA_COMPUTE);
    const out = join(scratch.dir, "cloud.yaml");
    const imp = captureIO();
    const args = ["import", "-i", join(etc, "multinode"), "--globals", join(etc, "globals.yml")];
    expect(await main([...args, "--config-dir", join(etc, "config"), "--out", out], imp)).toBe(0);
    expect(imp.stderr()).toContain("HA960");
    const topology = readFileSync(out, "utf8");
    expect(topology).toContain("profile: fast-failover");
    expect(topology).toContain("nova/nova-compute.conf");

    const json = captureIO();
    await main(["diff", out, etc, "--json"], json);
    const doc = JSON.parse(json.stdout()) as { files: { path: string; status: string }[] };
    const config = doc.files.filter((f) => f.path.startsWith("config/") && f.path !== "config/README.md");
    expect(config.length).toBeGreaterThan(5);
    expect(config.filter((f) => f.status === "only-existing" || f.status === "only-hacloud")).toEqual([]);
    expect(config.find((f) => f.path === "config/nova/nova-compute.conf")?.status).toBe("same");
    // The profile's files differ only in their "generated from" stamp (another topology file name).
    const text = captureIO();
    await main(["diff", out, etc], text);
    const sections = text.stdout().split(/^(?=--- )/m);
    const profileFiles = sections.filter((d) => /^\+\+\+ hacloud\/config\/(?!README)/m.test(d));
    expect(profileFiles.length).toBeGreaterThan(5);
    for (const d of profileFiles)
      for (const l of d.split("\n").filter((l) => /^[-+](?![-+]{2} )/.test(l))) expect(l).toMatch(/^[-+]#/);

    // A change to the verbatim file shows in the diff.
    writeFileSync(join(etc, "config", "nova", "nova-compute.conf"), "[DEFAULT]\n");
    const edited = captureIO();
    expect(await main(["diff", out, etc], edited)).toBe(1);
    expect(edited.stdout()).toContain("differs:  config/nova/nova-compute.conf");
  });

  it("names a --config-dir that is not a directory as a usage error", async () => {
    const io = captureIO();
    const args = ["import", "-i", "examples/minimal.yaml", "--globals", "examples/minimal.yaml"];
    expect(await main([...args, "--config-dir", join(scratch.dir, "nope")], io)).toBe(2);
  });
});
