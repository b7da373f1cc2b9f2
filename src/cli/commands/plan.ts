import { buildPlan } from "../../plan/build.ts";
import { explainPlan } from "../../plan/explain.ts";
import { loadTopologyOrFail } from "../load-topology.ts";
import { formatHelp, formatOf, JSON_HELP, jsonDocument, snakeKeys } from "../output.ts";
import type { RegisterCommand } from "./index.ts";

/** Plan fields keyed by the operator's own names, printed as written. */
const VERBATIM = new Set(["extraGlobals", "configOverrides"]);

/** `hacloud plan FILE [--format text|json]`: what hacloud derives from a topology. */
export const registerPlan: RegisterCommand = (program, io) => {
  program
    .command("plan")
    .description("show the Plan derived from a topology: placement, VIP and VRRP, HAProxy, quorum groups")
    .argument("<file>", "topology file (`-` for standard input)")
    .option("--format <format>", formatHelp(), "text")
    .option("--json", `${JSON_HELP}: the Plan, the data every other command reads`)
    .action((file, opts) => {
      const format = formatOf(opts);
      const plan = buildPlan(loadTopologyOrFail(file, io));
      io.out(
        format === "json" ? jsonDocument("plan", snakeKeys(plan, VERBATIM) as object) : explainPlan(plan),
      );
    });
};
