import { join } from "node:path";

import { buildPlan } from "../../plan/build.ts";
import { loadTopologyFile } from "../../spec/load.ts";
import { DEFAULT_LAB_TOPOLOGY } from "./lab.ts";
import type { RegisterCommand } from "./index.ts";

/**
 * `hacloud demo [FILE]`: the whole story on the embedded default — check,
 * render, SLA model, then the lab up, its status, the chapter's checks
 * (`verify`, and `openstack network agent list` as the chapter types it). It
 * runs the same commands an operator would type, in order, and stops at the
 * first failure.
 */
/** True when the topology places L3 agents (the lab then runs the network tier); false when it does not load. */
function hasL3Agents(file: string): boolean {
  const topology = loadTopologyFile(file).topology;
  if (topology === undefined) return false;
  return buildPlan(topology).services.some((s) => s.name === "neutron-l3-agent" && s.hosts.length > 0);
}

export const registerDemo: RegisterCommand = (program, io, setExit) => {
  program
    .command("demo")
    .description(
      "check, render, model and bring up in the lab the chapter's cloud (or FILE); needs root for the lab",
    )
    .argument("[file]", "topology file (default: examples/packtpub-prod.yaml)")
    .option("--out <dir>", "where to render the kolla files (default: out/<file name>)")
    .option("--no-lab", "stop after check, render and the SLA model")
    .action(async (file, opts) => {
      const topology = file ?? DEFAULT_LAB_TOPOLOGY;
      const out = opts.out ?? join("out", topology.replace(/^.*\//, "").replace(/\.ya?ml$/, ""));
      const steps: [string, string[]][] = [
        ["check: the HA lint", ["check", topology]],
        ["render: the kolla-ansible files", ["render", topology, "--out", out]],
        ["sla: the availability model", ["sla", topology]],
      ];
      if (opts.lab) {
        steps.push(["lab up: the cloud on this machine", ["lab", "up", topology]]);
        steps.push(["lab status", ["lab", "status"]]);
        steps.push(["verify: the chapter's checks, automated", ["verify"]]);
        if (hasL3Agents(topology))
          steps.push([
            "the chapter's own check: an L3 agent on each network node",
            ["lab", "exec", "client", "--", "openstack", "network", "agent", "list", "--agent-type", "l3"],
          ]);
      }
      const { main } = await import("../main.ts");
      for (const [title, argv] of steps) {
        io.out(`\n━━ ${title}  (hacloud ${argv.join(" ")})\n\n`);
        const code = await main(argv, io);
        if (code !== 0) {
          io.err(`\nhacloud demo: \`hacloud ${argv.join(" ")}\` exited ${code}; stopping here.\n`);
          setExit(code);
          return;
        }
      }
      if (opts.lab)
        io.out(
          `\nThe lab stays up: explore it with \`hacloud lab status\`, take it down with \`hacloud lab down\`.\n`,
        );
    });
};
