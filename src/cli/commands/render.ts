import { resolve } from "node:path";
import { Option } from "@commander-js/extra-typings";
import { checkTopologyText, runRules } from "../../check.ts";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../../diagnostics/diagnostic.ts";
import { formatDiagnostics, summarize } from "../../diagnostics/format.ts";
import { buildPlan } from "../../plan/build.ts";
import type { Plan } from "../../plan/types.ts";
import { renderKolla } from "../../render/render.ts";
import { MANIFEST, writeRendered } from "../../render/write.ts";
import { loadTopologyText } from "../../spec/load.ts";
import { RELEASES, type Release } from "../../spec/schema.ts";
import { lookupTarget } from "../../targets/registry.ts";
import { CliFailure, errColor, type CliIO } from "../io.ts";
import { readInputOrFail } from "../inputs.ts";
import { formatHelp, formatOf, JSON_HELP, jsonDocument } from "../output.ts";
import { renderPaths } from "../repo-paths.ts";
import type { RegisterCommand } from "./index.ts";

/** `hacloud render FILE --out DIR`: the kolla-ansible files of a topology that passes `hacloud check`. */
export const registerRender: RegisterCommand = (program, io) => {
  program
    .command("render")
    .description(
      "write the kolla-ansible files (multinode, globals.yml, config/, hosts, Jenkinsfile, previews)",
    )
    .argument("<file>", "topology file")
    .requiredOption("-o, --out <dir>", "output directory (kolla files; hacloud only touches files it wrote)")
    .addOption(
      new Option("--release <release>", "render for this kolla-ansible release instead").choices(RELEASES),
    )
    .option("--force", "take over files in DIR that hacloud did not write (they are overwritten)")
    .option("--format <format>", formatHelp(), "text")
    .option("--json", `${JSON_HELP}: what was written, unchanged and removed`)
    .action((file, opts) => {
      const format = formatOf(opts);
      const plan = checkedPlan(file, opts.release, io);
      // The files name the topology and their directory relative to the repository they are committed to.
      const paths = renderPaths(io.cwd, file, opts.out);
      const files = renderKolla(plan, {
        topologyFile: paths.topologyFile,
        renderDir: paths.renderDir,
        verifyTarget: lookupTarget("kolla").found === "driver" ? "kolla" : undefined,
      });
      const result = writeRendered(resolve(io.cwd, opts.out), files, { adopt: opts.force ?? false });
      if (format === "json") {
        io.out(
          jsonDocument("render", {
            dir: opts.out,
            cloud: plan.cloud,
            release: plan.release,
            written: result.written,
            unchanged: result.unchanged,
            removed: result.removed,
          }),
        );
        return;
      }
      if (!io.quiet) {
        for (const p of result.written) io.out(`  wrote      ${p}\n`);
        for (const p of result.removed) io.out(`  removed    ${p}\n`);
      }
      io.out(
        `${opts.out}: kolla-ansible ${plan.release} files of ${plan.cloud}: ${result.written.length} written, ` +
          `${result.unchanged.length} unchanged, ${result.removed.length} removed (listed in ${MANIFEST})\n`,
      );
    });
};

/** The Plan of a topology that `hacloud check` passes (for `release`, when given); else prints why and fails. */
export function checkedPlan(file: string, release: Release | undefined, io: CliIO): Plan {
  const { text } = readInputOrFail(io, file);
  const checked = checkTopologyText(file, text);
  let diagnostics: Diagnostic[] = checked.diagnostics;
  let plan = checked.plan;
  if (plan && release !== undefined && release !== plan.release) {
    // Re-run the rules for the other release: some (ProxySQL, Valkey) depend on it.
    const loaded = loadTopologyText(file, text);
    if (loaded.topology && loaded.source) {
      const topology = { ...loaded.topology, kolla: { ...loaded.topology.kolla, release } };
      plan = buildPlan(topology);
      // HA0xx come from loading the file (release-independent); rules own HA100 and up.
      const rest = checked.diagnostics.filter((d) => /^HA0/.test(d.code));
      diagnostics = sortDiagnostics([
        ...rest,
        ...runRules({ file, topology, plan, source: loaded.source, peers: [] }),
      ]);
    }
  }
  const failed = !plan || hasErrors(diagnostics);
  // --quiet keeps the warnings `hacloud check` already printed (demo runs check, then render).
  if (diagnostics.length > 0 && (failed || !io.quiet))
    io.err(formatDiagnostics(diagnostics, { color: errColor(io), sources: checked.sources }));
  if (!plan || failed) {
    throw new CliFailure(
      `${file}: ${summarize(diagnostics)}; nothing rendered (run \`hacloud check ${file}\` for the details)`,
      1,
      { code: "E-TOPOLOGY-001" },
    );
  }
  return plan;
}
