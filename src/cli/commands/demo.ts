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
/** The Plan of a topology file, or undefined when it does not load (check then says why). */
function planOf(file: string) {
  const topology = loadTopologyFile(file).topology;
  return topology === undefined ? undefined : buildPlan(topology);
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
        // --quiet: render checks again, and its warnings are the ones check just printed.
        ["render: the kolla-ansible files", ["render", topology, "--out", out, "--quiet"]],
        ["sla: the availability model", ["sla", topology]],
      ];
      if (opts.lab) {
        steps.push(["lab up: the cloud on this machine", ["lab", "up", topology]]);
        steps.push(["lab status", ["lab", "status"]]);
        steps.push(["verify: the chapter's checks, automated", ["verify"]]);
        const plan = planOf(topology);
        const placed = (service: string) =>
          plan?.services.some((s) => s.name === service && s.hosts.length > 0);
        const openstack = (...args: string[]) => ["lab", "exec", "client", "--", "openstack", ...args];
        if (placed("neutron-l3-agent"))
          steps.push([
            "the chapter's own check: an L3 agent on each network node",
            openstack("network", "agent", "list", "--agent-type", "l3"),
          ]);
        if (placed("nova-compute"))
          steps.push([
            "the chapter's own check: nova-compute up on each compute",
            openstack("compute", "service", "list", "--service", "nova-compute"),
          ]);
        const member = plan?.masakari.enabled ? plan.masakari.haclusterHosts[0] : undefined;
        if (member !== undefined) {
          steps.push([
            "the chapter's own check: Masakari (instance-ha) in the catalogue",
            openstack("service", "list"),
          ]);
          steps.push([
            "Pacemaker as kolla's CI checks it: the controllers Online, the computes RemoteOnline",
            ["lab", "exec", member, "--", "crm_mon", "-1"],
          ]);
        }
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
