import { cpSync, existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { loadTopologyFile } from "../../src/spec/load.ts";
import { captureIO } from "../support/cli-io.ts";
import { scratchDir } from "../support/validators.ts";

/** The commands of the README's block between the readme-examples markers, as argv lists. */
function readmeCommands(): string[][] {
  const readme = readFileSync("README.md", "utf8");
  const block = /<!-- readme-examples: begin -->\n```sh\n([\s\S]*?)```\n<!-- readme-examples: end -->/.exec(
    readme,
  );
  expect(block, "the README's readme-examples block").not.toBeNull();
  return block![1]!
    .trim()
    .split("\n")
    .map((line) => {
      expect(line).toMatch(/^\.\/hacloud /);
      return line.split(/\s+/).slice(1);
    });
}

describe("the README's first commands", () => {
  const scratch = scratchDir("hacloud-readme-");
  afterAll(() => scratch.remove());
  // A fresh clone as far as these commands can tell: the examples, nothing rendered yet.
  cpSync("examples", join(scratch.dir, "examples"), { recursive: true });

  // secrets draws RSA keys for kolla (nova, keystone…): slow on a busy machine.
  it("run as written, in order, from a clone", { timeout: 300_000 }, async () => {
    const commands = readmeCommands();
    expect(commands.map((c) => c[0])).toEqual(["check", "render", "secrets", "import", "sla"]);
    for (const argv of commands) {
      const io = captureIO(scratch.dir);
      expect(await main(argv, io), `hacloud ${argv.join(" ")}\n${io.stderr()}`).toBe(0);
    }
    const passwords = join(scratch.dir, "out/passwords.yml");
    expect(statSync(passwords).mode & 0o777).toBe(0o600);
    const imported = join(scratch.dir, "out/imported.yaml");
    expect(existsSync(imported)).toBe(true);
    expect(loadTopologyFile(imported).topology?.hosts["cc01"]?.roles).toEqual(["control"]);
  });
});
