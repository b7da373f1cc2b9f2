/**
 * Loading a topology for commands that need a valid one: schema problems are
 * printed with code frames and end the command with exit code 1.
 */
import { hasErrors } from "../diagnostics/diagnostic.ts";
import { formatDiagnostics, summarize } from "../diagnostics/format.ts";
import { loadTopologyFile } from "../spec/load.ts";
import type { Topology } from "../spec/schema.ts";
import { CliFailure, type CliIO } from "./io.ts";

/** The topology in `file`, or a CliFailure after printing its diagnostics. */
export function loadTopologyOrFail(file: string, io: CliIO): Topology {
  const loaded = loadTopologyFile(file);
  if (!loaded.topology || hasErrors(loaded.diagnostics)) {
    const sources = new Map(loaded.source ? [[file, loaded.source.text]] : []);
    io.err(formatDiagnostics(loaded.diagnostics, { color: io.color, sources }));
    throw new CliFailure(
      `${file}: ${summarize(loaded.diagnostics)}; fix them (or run \`hacloud check ${file}\`)`,
      1,
      { code: "E-TOPOLOGY-001" },
    );
  }
  return loaded.topology;
}
