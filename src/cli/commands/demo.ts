import { join } from "node:path";

import { DEFAULT_LAB_TOPOLOGY } from "./lab.ts";
import type { RegisterCommand } from "./index.ts";

/**
 * `hacloud demo [FILE]`: the whole story on the embedded default — check,
 * render, SLA model, then the lab up and its status. It runs the same
 * commands an operator would type, in order, and stops at the first failure.
 */
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
        steps.push(["lab up: the control plane on this machine", ["lab", "up", topology]]);
        steps.push(["lab status", ["lab", "status"]]);
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
