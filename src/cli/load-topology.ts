/**
 * Loading a topology for commands that need a valid one: the file is read
 * like every input (relative to the command's directory, `-` for standard
 * input, exit code 2 when it cannot be read); schema problems are printed
 * with code frames and end the command with exit code 1.
 */
import { hasErrors } from "../diagnostics/diagnostic.ts";
import { formatDiagnostics, summarize } from "../diagnostics/format.ts";
import { loadTopologyText, type LoadedTopology } from "../spec/load.ts";
import type { Topology } from "../spec/schema.ts";
import { readInputOrFail } from "./inputs.ts";
import { CliFailure, errColor, type CliIO } from "./io.ts";

/** The loaded topology in `file` (valid or not); a usage failure when the file cannot be read. */
export function loadTopology(file: string, io: CliIO): LoadedTopology {
  const input = readInputOrFail(io, file);
  return loadTopologyText(input.file, input.text);
}

/** The topology in `file`, or a CliFailure after printing its diagnostics. */
export function loadTopologyOrFail(file: string, io: CliIO): Topology {
  return validTopology(loadTopology(file, io), io);
}

/** The topology of a loaded file, or a CliFailure after printing its diagnostics. */
export function validTopology(loaded: LoadedTopology, io: CliIO): Topology {
  if (!loaded.topology || hasErrors(loaded.diagnostics)) {
    const sources = new Map(loaded.source ? [[loaded.file, loaded.source.text]] : []);
    io.err(formatDiagnostics(loaded.diagnostics, { color: errColor(io), sources }));
    throw new CliFailure(
      `${loaded.file}: ${summarize(loaded.diagnostics)}; fix them (or run \`hacloud check ${loaded.file}\`)`,
      1,
      { code: "E-TOPOLOGY-001" },
    );
  }
  return loaded.topology;
}
