import { Option } from "@commander-js/extra-typings";
import { closeSync, existsSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { generatePasswords } from "../../render/kolla/genpwd.ts";
import { parsePasswordsYaml, passwordsYaml } from "../../render/kolla/passwords.ts";
import { RELEASES, type Release } from "../../spec/schema.ts";
import { loadTopologyOrFail } from "../load-topology.ts";
import { readInputOrFail } from "../inputs.ts";
import { formatHelp, formatOf, JSON_HELP, jsonDocument } from "../output.ts";
import { CliFailure, UsageError, type CliIO } from "../io.ts";
import type { RegisterCommand } from "./index.ts";

/** `hacloud secrets [FILE] --out PASSWORDS`: kolla's passwords.yml from random bytes, mode 0600, never printed. */
export const registerSecrets: RegisterCommand = (program, io) => {
  program
    .command("secrets")
    .description("write kolla-ansible's passwords.yml (every key of the release, random values, mode 0600)")
    .argument("[file]", "topology file (gives the kolla release)")
    .requiredOption("-o, --out <file>", "passwords file to write")
    .addOption(
      new Option("--release <release>", "kolla-ansible release (instead of the topology's)").choices(
        RELEASES,
      ),
    )
    .option("--merge", "keep the existing file's values and add the keys it lacks (like kolla-mergepwd)")
    .option("--force", "replace an existing file with all-new values")
    .option("--format <format>", formatHelp(), "text")
    .option("--json", `${JSON_HELP}: the file, the release and how many keys (never a value)`)
    .action(async (file, opts) => {
      const format = formatOf(opts);
      if (opts.merge && opts.force) throw new UsageError("--merge and --force exclude each other");
      const release: Release | undefined =
        opts.release ?? (file !== undefined ? loadTopologyOrFail(file, io).kolla.release : undefined);
      if (release === undefined) throw new UsageError("name a topology file or give --release");

      const out = resolve(io.cwd, opts.out);
      let existing: Record<string, unknown> | undefined;
      if (existsSync(out)) {
        if (!opts.merge && !opts.force) {
          throw new CliFailure(
            `${opts.out} exists; --merge keeps its values and adds missing keys, --force replaces every value`,
          );
        }
        if (opts.merge) existing = readExisting(io, opts.out);
      }
      const values = await generatePasswords(release, { existing });
      writeSecretFile(out, passwordsYaml(values, release));
      const keys = Object.keys(values).length;
      const kept = Object.entries(existing ?? {}).filter(
        ([k, v]) => v !== "" && JSON.stringify(v) === JSON.stringify(values[k]),
      ).length;
      if (format === "json") {
        io.out(
          jsonDocument("secrets", {
            file: opts.out,
            release,
            mode: "0600",
            keys,
            kept: existing ? kept : null,
          }),
        );
        return;
      }
      io.out(
        `${opts.out}: ${keys} kolla-ansible ${release} passwords (mode 0600${existing ? `, ${kept} existing values kept` : ""}); ` +
          "keep it out of version control\n",
      );
    });
};

function readExisting(io: CliIO, file: string): Record<string, unknown> {
  const read = readInputOrFail(io, file);
  try {
    return parsePasswordsYaml(read.text);
  } catch (e) {
    // The parser's message never quotes the file's content.
    throw new CliFailure(`${file}: ${(e as Error).message}`);
  }
}

/** Writes a 0600 file via a new temporary file and a rename, so no reader ever sees it partial or wider. */
function writeSecretFile(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.hacloud-${process.pid}`);
  const fd = openSync(tmp, "wx", 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, file);
}
