import { buildPlan } from "../../plan/build.ts";
import { explainPlan } from "../../plan/explain.ts";
import { loadTopologyOrFail } from "../load-topology.ts";
import type { RegisterCommand } from "./index.ts";

/** `hacloud plan FILE [--json]`: what hacloud derives from a topology. */
export const registerPlan: RegisterCommand = (program, io) => {
  program
    .command("plan")
    .description("show the Plan derived from a topology: placement, VIP and VRRP, HAProxy, quorum groups")
    .argument("<file>", "topology file")
    .option("--json", "print the Plan as JSON (the data every other command reads)")
    .action((file, opts) => {
      const plan = buildPlan(loadTopologyOrFail(file, io));
      io.out(opts.json ? JSON.stringify(plan, null, 2) + "\n" : explainPlan(plan));
    });
};
