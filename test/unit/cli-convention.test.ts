import { execFileSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Command } from "@commander-js/extra-typings";
import { colorFor } from "../../src/cli/io.ts";
import { buildProgram, main } from "../../src/cli/main.ts";
import { captureIO } from "../support/cli-io.ts";
import { scratchDir } from "../support/validators.ts";

const EXAMPLE = "examples/packtpub-prod.yaml";
const DATA = "test/unit/testdata";
const ESC = "\x1b[";

/** Every key of a JSON value, as paths. */
function keys(v: unknown, path = ""): string[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => keys(x, `${path}[${i}]`));
  if (v === null || typeof v !== "object") return [];
  return Object.entries(v).flatMap(([k, x]) => [`${path}.${k}`, ...keys(x, `${path}.${k}`)]);
}

function findCommand(program: Command, path: string): Command {
  let cmd = program;
  for (const name of path.split(" ")) cmd = (cmd.commands as Command[]).find((c) => c.name() === name)!;
  return cmd;
}

async function run(argv: string[], cwd?: string, stdin?: string) {
  const io = captureIO(cwd, stdin);
  const code = await main(argv, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe("one CLI convention", () => {
  const scratch = scratchDir("hacloud-convention-");
  afterAll(() => scratch.remove());
  cpSync("examples", join(scratch.dir, "examples"), { recursive: true });

  it("offers --format and --json on every command that prints a result", () => {
    const program = buildProgram(captureIO());
    const printing = [
      "check",
      "import",
      "plan",
      "sla",
      "verify",
      "drill",
      "lab status",
      "lab up",
      "render",
      "secrets",
    ];
    for (const path of printing) {
      const flags = findCommand(program, path).options.map((o) => o.long);
      expect(flags, path).toEqual(expect.arrayContaining(["--format", "--json"]));
    }
  });

  // secrets draws RSA keys for kolla: slow on a busy machine.
  it("prints JSON that names its schema and version, with one key casing", { timeout: 300_000 }, async () => {
    const docs: [string, string[]][] = [
      ["check", ["check", EXAMPLE, "--json"]],
      ["plan", ["plan", EXAMPLE, "--json"]],
      ["sla", ["sla", EXAMPLE, "--format", "json"]],
      ["render", ["render", EXAMPLE, "--out", "out/r", "--json"]],
      ["secrets", ["secrets", EXAMPLE, "--out", "out/pw.yml", "--json"]],
      [
        "import",
        [
          "import",
          "--inventory",
          "out/r/multinode",
          "--globals",
          "out/r/globals.yml",
          "--out",
          "out/i.yaml",
          "--json",
        ],
      ],
    ];
    const outputs: string[] = [];
    for (const [name, argv] of docs) {
      const r = await run(argv, scratch.dir);
      outputs.push(r.out, r.err);
      expect(r.code, `${argv.join(" ")}: ${r.err}`).toBe(0);
      const doc = JSON.parse(r.out) as Record<string, unknown>;
      expect(Object.keys(doc)[0], name).toBe("schema");
      expect(doc["schema"]).toBe(`hacloud-${name}/1`);
      // snake_case: no key has an upper-case letter (plan's extra_globals keep the operator's own names).
      expect(
        keys(doc).filter((k) => /[A-Z]/.test(k.split(".").at(-1)!)),
        name,
      ).toEqual([]);
    }
    // secrets says what it wrote, never a value.
    const written = readFileSync(join(scratch.dir, "out/pw.yml"), "utf8");
    const value = /^database_password: (.+)$/m.exec(written)![1]!;
    expect(JSON.stringify(docs)).not.toContain(value);
    expect(outputs.join("")).not.toContain(value);
  });

  it("prints a JSON error object when a JSON command fails", async () => {
    const missing = await run(["plan", "missing.yaml", "--json"], scratch.dir);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.out)).toMatchObject({
      schema: "hacloud-error/1",
      error: { code: "E-INPUT-001", exit_code: 2 },
    });
    expect(missing.err).toContain("hacloud: error E-INPUT-001 missing.yaml");
    const usage = await run(["sla", EXAMPLE, "--json", "--max-order", "zero"], scratch.dir);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.out)).toMatchObject({ error: { code: "E-USAGE-001", exit_code: 2 } });
    const unknownFlag = await run(["plan", EXAMPLE, "--json", "--bogus"], scratch.dir);
    expect(unknownFlag.code).toBe(2);
    expect(JSON.parse(unknownFlag.out)).toMatchObject({ error: { code: "E-USAGE-001" } });
  });

  it("gives a missing input file the same exit code, 2, in every command", async () => {
    const argvs = [
      ["check", "missing.yaml"],
      ["plan", "missing.yaml"],
      ["sla", "missing.yaml"],
      ["render", "missing.yaml", "--out", "out/m"],
      ["secrets", "missing.yaml", "--out", "out/m.yml"],
      ["import", "--inventory", "missing", "--globals", "missing.yml"],
      ["sla", EXAMPLE, "--measured", "missing.json"],
    ];
    for (const argv of argvs) expect((await run(argv, scratch.dir)).code, argv.join(" ")).toBe(2);
  });

  it("decides colour per stream, and --no-color and NO_COLOR turn it off", async () => {
    expect(colorFor({ isTTY: true }, {})).toBe(true);
    expect(colorFor({ isTTY: false }, {})).toBe(false);
    expect(colorFor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(colorFor({ isTTY: true }, { TERM: "dumb" })).toBe(false);
    expect(colorFor({ isTTY: false }, { FORCE_COLOR: "1" })).toBe(true);
    const bad = join(scratch.dir, "bad.yaml");
    writeFileSync(bad, readFileSync(EXAMPLE, "utf8").replace("router_id: 51", "router_id: 300"));
    const render = async (argv: string[], errColor: boolean) => {
      const io = { ...captureIO(scratch.dir), color: true, errColor };
      await main(argv, io);
      return io.stderr();
    };
    // A terminal on stdout, a file on stderr (`render … 2>warnings.txt`): stderr stays plain.
    expect(await render(["render", bad, "--out", "out/b"], false)).not.toContain(ESC);
    expect(await render(["render", bad, "--out", "out/b"], true)).toContain(ESC);
    expect(await render(["render", bad, "--out", "out/b", "--no-color"], true)).not.toContain(ESC);
    expect(await render(["--no-color", "render", bad, "--out", "out/b"], true)).not.toContain(ESC);
  });

  it("--quiet prints only the result", async () => {
    const loud = await run(["render", EXAMPLE, "--out", "out/q"], scratch.dir);
    const quiet = await run(["render", EXAMPLE, "--out", "out/q2", "--quiet"], scratch.dir);
    expect(loud.out).toContain("  wrote      multinode");
    expect(loud.err).toContain("warning HA410");
    expect(quiet.out).not.toContain("  wrote ");
    expect(quiet.out).toMatch(/^out\/q2: kolla-ansible 2025\.1 files of packtpub-prod: \d+ written/);
    expect(quiet.err).toBe("");
  });

  it("demo prints each warning once", async () => {
    const r = await run(["demo", EXAMPLE, "--no-lab", "--out", "out/demo"], scratch.dir);
    expect(r.code, r.err).toBe(0);
    const all = r.out + r.err;
    const check = await run(["check", EXAMPLE], scratch.dir);
    const count = (s: string) => s.match(/warning HA410/g)?.length ?? 0;
    expect(count(check.out)).toBe(4);
    expect(count(all)).toBe(count(check.out));
  });

  it("suggests the name meant for scenarios, profiles, targets and hosts", async () => {
    const scenario = await run(["drill", "lb-master-crsh"]);
    expect(scenario.code).toBe(2);
    expect(scenario.err).toContain("Did you mean `lb-master-crash`?");
    const profile = await run(["drill", "lb-master-crash", "--profile", "fast-failvoer"]);
    expect(profile.err).toContain("Did you mean `fast-failover`?");
    const target = await run(["verify", "--target", "lba"]);
    expect(target.err).toContain("Did you mean `lab`?");
    const host = await run(["sla", EXAMPLE, "--fail", "cc1"]);
    expect(host.err).toContain("Did you mean `cc01`?");
  });

  it("prints the version of package.json", async () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    const r = await run(["--version"]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${pkg.version}\n`);
  });
});

describe("hacloud check", () => {
  const scratch = scratchDir("hacloud-check-");
  afterAll(() => scratch.remove());

  it("checks several files at once, and standard input as -", async () => {
    const text = readFileSync(`${DATA}/invalid-router-id-zero.yaml`, "utf8");
    const r = await run(
      ["check", `${DATA}/valid-demo.yaml`, "-", `${DATA}/valid-two-controllers.yaml`],
      undefined,
      text,
    );
    expect(r.code).toBe(1);
    expect(r.out).toContain("<stdin>:9:40: error HA200");
    expect(r.out).toContain(`${DATA}/valid-two-controllers.yaml:`);
    expect(r.out).toMatch(/1 error, 2 warnings, 2 notes in 3 files\n$/);
  });

  it("writes SARIF 2.1.0 with each diagnostic's rule and place", async () => {
    const r = await run(["check", EXAMPLE, "--format", "sarif"]);
    expect(r.code).toBe(0);
    const log = JSON.parse(r.out) as {
      version: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string; shortDescription: { text: string } }[] } };
        results: {
          ruleId: string;
          level: string;
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
          }[];
        }[];
      }[];
    };
    expect(log.version).toBe("2.1.0");
    const [run0] = log.runs;
    const text = await run(["check", EXAMPLE, "--json"]);
    const diagnostics = (JSON.parse(text.out) as { diagnostics: { code: string; line: number }[] })
      .diagnostics;
    expect(run0!.results.map((x) => [x.ruleId, x.locations[0]!.physicalLocation.region.startLine])).toEqual(
      diagnostics.map((d) => [d.code, d.line]),
    );
    expect(run0!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe(EXAMPLE);
    expect(run0!.tool.driver.rules.find((x) => x.id === "HA800")?.shortDescription.text).toMatch(
      /single point of failure/,
    );
  });

  it("writes JUnit XML with --junit: a case per file, failed when it has errors", async () => {
    const xml = join(scratch.dir, "check.xml");
    const r = await run([
      "check",
      `${DATA}/valid-demo.yaml`,
      `${DATA}/invalid-addressing.yaml`,
      "--junit",
      xml,
    ]);
    expect(r.code).toBe(1);
    const junit = readFileSync(xml, "utf8");
    expect(junit).toContain(
      `<testcase classname="hacloud.check" name="${DATA}/valid-demo.yaml" time="0.000"/>`,
    );
    expect(junit).toMatch(
      /name="test\/unit\/testdata\/invalid-addressing\.yaml"[^>]*>\n\s*<failure message="4 errors/,
    );
  });

  it("fails on warnings beyond --max-warnings", async () => {
    const file = `${DATA}/valid-two-controllers.yaml`;
    expect((await run(["check", file, "--max-warnings", "2"])).code).toBe(0);
    const over = await run(["check", file, "--max-warnings", "1"]);
    expect(over.code).toBe(1);
    expect(over.out).toContain("2 warnings, more than --max-warnings 1");
    expect((await run(["check", file, "--max-warnings", "-1"])).code).toBe(2);
  });

  it("says a kolla file is one, instead of an unknown-key error per variable", async () => {
    const globals = 'kolla_base_distro: "ubuntu"\nopenstack_release: "2025.1"\nnetwork_interface: "eth0"\n';
    const inventory = "[control]\ncc01\ncc02\n\n[network]\nnet01\n";
    for (const [text, what] of [
      [globals, "a kolla-ansible globals.yml"],
      [inventory, "an Ansible inventory (INI"],
    ] as const) {
      const r = await run(["check", "-"], undefined, text);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`<stdin>:1:1: error HA008 this is ${what}`);
      expect(r.out).toContain("hacloud import");
      expect(r.out).not.toContain("HA010");
    }
    const book = "../shared/reference/book/Chapter07/globals.yml";
    if (existsSync(book)) {
      const r = await run(["check", book]);
      expect(r.out.match(/error HA\d+/g)).toEqual(["error HA008"]);
    }
  });
});

describe("shell completion", () => {
  it("completes commands, subcommands and flags in bash, from the command tree", () => {
    const script = execFileSync(process.execPath, ["bin/hacloud.mjs", "completion", "bash"]).toString();
    const complete = (line: string): string =>
      execFileSync("bash", [
        "-c",
        `${script}\nread -ra COMP_WORDS <<< "$1"; [[ "$1" == *" " ]] && COMP_WORDS+=(""); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); _hacloud; echo "\${COMPREPLY[*]}"`,
        "bash",
        line,
      ])
        .toString()
        .trim();
    expect(complete("hacloud ch")).toBe("check");
    expect(complete("hacloud lab u")).toBe("up");
    expect(complete("hacloud check --max")).toBe("--max-warnings");
    expect(complete("hacloud drill --for")).toBe("--format");
    expect(complete("hacloud completion ")).toBe("--help");
  });

  it("writes a zsh script naming every command", () => {
    const script = execFileSync(process.execPath, ["bin/hacloud.mjs", "completion", "zsh"]).toString();
    expect(script.startsWith("#compdef hacloud\n")).toBe(true);
    for (const c of ["check", "render", "import", "lab up", "drill", "completion"])
      expect(script).toContain(`"${c}"`);
  });
});
