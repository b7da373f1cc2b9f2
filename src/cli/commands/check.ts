import { resolve } from "node:path";
import { checkTopologyText, type TextInput } from "../../check.ts";
import {
  diagnosticsJson,
  hasErrors,
  sortDiagnostics,
  type Diagnostic,
} from "../../diagnostics/diagnostic.ts";
import { formatDiagnostics, summarize } from "../../diagnostics/format.ts";
import { readTextFile } from "../../spec/input.ts";
import { UsageError } from "../io.ts";
import type { RegisterCommand } from "./index.ts";

const FORMATS = ["text", "json"] as const;

/**
 * `hacloud check FILE [--peer FILE…] [--format text|json]`: every problem at
 * once; exit 0 without errors (warnings allowed), 1 with errors, 2 on usage
 * errors (bad flags, or a file that cannot be read).
 */
export const registerCheck: RegisterCommand = (program, io, setExit) => {
  program
    .command("check")
    .description("check a topology file against the HA rules (docs/rules.md lists every code)")
    .argument("<file>", "topology file")
    .option(
      "--peer <file>",
      "another cloud's topology that shares layer-2 segments with this one (repeatable)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option("--format <format>", "text or json", "text")
    .action((file, opts) => {
      if (!(FORMATS as readonly string[]).includes(opts.format)) {
        throw new UsageError(`--format must be text or json, not ${opts.format}`);
      }
      const abs = (f: string) => resolve(io.cwd, f);
      if (opts.peer.some((p) => abs(p) === abs(file))) {
        throw new UsageError(`--peer ${file} names the file being checked; peers are the other clouds`);
      }
      const unreadable: Diagnostic[] = [];
      const read = (f: string): TextInput | undefined => {
        const r = readTextFile(abs(f));
        if (r.ok) return { file: f, text: r.text };
        unreadable.push({ ...r.diagnostic, file: f, message: r.diagnostic.message.replace(abs(f), f) });
        return undefined;
      };
      const topology = read(file);
      const peers = opts.peer.map(read).filter((p): p is TextInput => p !== undefined);
      const result = topology ? checkTopologyText(topology.file, topology.text, { peers }) : undefined;
      const diagnostics = sortDiagnostics([...(result?.diagnostics ?? []), ...unreadable]);
      if (opts.format === "json") {
        io.out(diagnosticsJson(diagnostics));
      } else {
        const sources = new Map(result?.sources ?? []);
        if (diagnostics.length > 0) io.out(formatDiagnostics(diagnostics, { color: io.color, sources }));
        io.out(`${summarize(diagnostics)} in ${file}\n`);
      }
      // Nothing was checked when an input file could not be read: that is a usage error.
      setExit(unreadable.some((d) => d.code === "HA002") ? 2 : hasErrors(diagnostics) ? 1 : 0);
    });
};
