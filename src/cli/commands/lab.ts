/**
 * `hacloud lab up|status|logs|exec|down`: the lab, a rehearsal of the
 * topology's HA control plane on this machine (namespaces + the real Debian
 * daemons). These are the lab driver's own commands (src/targets/lab/driver.ts);
 * each subcommand is flags + one of them; progress events are printed with
 * their timings on stderr (src/cli/progress.ts), results on stdout.
 */
import { fileURLToPath } from "node:url";
import pc from "picocolors";
import { buildPlan } from "../../plan/build.ts";
import { labDriver } from "../../targets/lab/driver.ts";
import type { LabStatusReport } from "../../targets/lab/status.ts";
import type { LabService } from "../../targets/lab/service.ts";
import { LAB_SERVICES } from "../../targets/lab/services/index.ts";
import { UsageError } from "../io.ts";
import { loadTopologyOrFail } from "../load-topology.ts";
import { formatHelp, formatOf, JSON_HELP, jsonDocument, snakeKeys } from "../output.ts";
import { progressSink, seconds } from "../progress.ts";
import type { RegisterCommand } from "./index.ts";

// The lab's own operations, reached through its driver like everything a target offers.
const lab = labDriver.commands;

/** The example the lab brings up when no file is given: the chapter's cloud. */
export const DEFAULT_LAB_TOPOLOGY = fileURLToPath(
  new URL("../../../examples/packtpub-prod.yaml", import.meta.url),
);

/** The human summary of `lab status`. */
export function formatStatus(s: LabStatusReport, color: boolean): string {
  const c = color ? pc : pc.createColors(false);
  const out: string[] = [];
  out.push(`lab ${c.bold(s.cloud)} (from ${s.topologyFile})`);
  out.push(
    `VIP ${s.vip.address} held by ${s.vip.holder ?? c.red(s.vip.holders.length === 0 ? "nobody" : s.vip.holders.join(" and "))}`,
  );
  if (s.keystone_url !== null) out.push(`Keystone ${s.keystone_url}`);
  out.push("", "address mapping (topology → lab):");
  for (const n of s.networks) out.push(`  ${n.name.padEnd(12)} ${n.topology.padEnd(16)} → ${n.lab}`);
  out.push("", "hosts:");
  for (const h of s.hosts) {
    const addrs = Object.entries(h.addresses)
      .map(([n, a]) => `${n} ${a}`)
      .join(", ");
    out.push(
      `  ${h.up ? c.green("●") : c.red("○")} ${h.name.padEnd(10)} ${h.roles.join(",").padEnd(14)} ${addrs}`,
    );
    for (const sv of h.services) {
      const st = sv.state === "running" ? c.green(sv.state) : c.red(sv.state);
      out.push(`      ${sv.name.padEnd(12)} ${st}  ${c.dim(sv.detail)}`);
    }
  }
  out.push(
    `  ${s.client.up ? c.green("●") : c.red("○")} ${s.client.name.padEnd(10)} ${"client".padEnd(14)} ${Object.entries(
      s.client.addresses,
    )
      .map(([n, a]) => `${n} ${a}`)
      .join(", ")}`,
  );
  const down = s.haproxy.filter((b) => b.status !== "UP");
  out.push("", `haproxy backends: ${s.haproxy.length - down.length}/${s.haproxy.length} UP`);
  for (const b of down) out.push(`  ${b.lb}: ${b.proxy}/${b.server} ${c.red(b.status)}`);
  for (const k of s.clusters) {
    const whole = k.primary && k.members.length === k.expected;
    const count = `${k.members.length}/${k.expected} members`;
    out.push(
      `${k.service} cluster: ${whole ? count : c.red(count)}, ${k.primary ? "can serve" : c.red("cannot serve")} ${k.members.join(" ")}${k.error ? c.red(` (${k.error})`) : ""}`,
    );
  }
  if (s.clouds_yaml) out.push("", `clouds.yaml: ${s.clouds_yaml} (cloud ${s.os_cloud})`);
  return out.join("\n") + "\n";
}

/** The services named by --only (all when absent); unknown names are a usage error. */
function selectServices(only: string | undefined): readonly LabService[] {
  if (only === undefined) return LAB_SERVICES;
  const names = only
    .split(",")
    .map((n) => n.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !LAB_SERVICES.some((s) => s.name === n));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown lab service ${unknown.join(", ")}; known: ${LAB_SERVICES.map((s) => s.name).join(", ")}`,
    );
  }
  return LAB_SERVICES.filter((s) => names.includes(s.name));
}

/** `hacloud lab …`. */
export const registerLab: RegisterCommand = (program, io, setExit) => {
  const cmd = program
    .command(labDriver.name)
    .description(
      "rehearse the topology's HA control plane on this machine: namespaces and the real daemons (root)",
    );

  cmd
    .command("up")
    .description("bring the lab up (or repair it) and wait until the control plane is healthy")
    .argument("[file]", "topology file (default: the chapter's examples/packtpub-prod.yaml)")
    .option("--format <format>", formatHelp(), "text")
    .option("--json", JSON_HELP)
    .option("--gate-timeout <seconds>", "how long to wait for the control plane to be healthy", "120")
    .option(
      "--only <services>",
      `run only these services, comma-separated (of: ${LAB_SERVICES.map((s) => s.name).join(", ")})`,
    )
    .action(async (file, opts) => {
      // A wrong --format is a usage error now, not after minutes of bringing the lab up.
      const format = formatOf(opts);
      const topologyFile = file ?? DEFAULT_LAB_TOPOLOGY;
      const plan = buildPlan(loadTopologyOrFail(topologyFile, io));
      const services = selectServices(opts.only);
      const result = await lab.up({
        plan,
        topologyFile,
        services,
        sink: progressSink(io),
        gateTimeoutMs: Number(opts.gateTimeout) * 1000,
      });
      const status = await lab.status({ cloud: plan.cloud });
      if (format === "json") {
        io.out(jsonDocument("lab-up", snakeKeys({ ...status, up_ms: Math.round(result.totalMs) }) as object));
        return;
      }
      io.out(
        [
          `lab ${plan.cloud} is up in ${seconds(result.totalMs)}: VIP ${status.vip.address} held by ${status.vip.holder ?? "?"}`,
          ...(status.keystone_url !== null
            ? [`  reach it:   hacloud lab exec ${status.client.name} -- curl -s ${status.keystone_url}`]
            : []),
          ...(result.cloudsYaml !== undefined
            ? [
                `  openstack:  hacloud lab exec ${status.client.name} -- openstack token issue   (clouds.yaml: ${result.cloudsYaml})`,
              ]
            : []),
          `  status:     hacloud lab status        take it down: hacloud lab down`,
          "",
        ].join("\n"),
      );
    });

  cmd
    .command("status")
    .description("show hosts, addresses, services, the VIP holder, backends and cluster membership")
    .option("--format <format>", formatHelp(), "text")
    .option("--json", JSON_HELP)
    .option("--cloud <name>", "which lab (when several are up)")
    .action(async (opts) => {
      const s = await lab.status({ cloud: opts.cloud });
      io.out(
        formatOf(opts) === "json"
          ? jsonDocument("lab-status", snakeKeys(s) as object)
          : formatStatus(s, io.color),
      );
      const healthy =
        s.vip.holder !== null && s.hosts.every((h) => h.services.every((sv) => sv.state === "running"));
      if (!healthy) setExit(1);
    });

  cmd
    .command("logs")
    .description("print the last lines of a host's logs (all, or one service's)")
    .argument("<host>", "lab host (or the client)")
    .argument("[service]", "service name, e.g. haproxy, keepalived, mariadb")
    .option("-n, --lines <n>", "lines per file", "50")
    .option("--cloud <name>", "which lab (when several are up)")
    .action((host, service, opts) => {
      const tails = lab.logs(host, service, Number(opts.lines), opts.cloud);
      for (const t of tails) io.out(`==> ${t.file} <==\n${t.lines.join("\n")}${t.lines.length ? "\n" : ""}`);
    });

  cmd
    .command("exec")
    .description("run a command inside a lab host (default: a shell); `openstack` uses the lab's clouds.yaml")
    .argument("<host>", "lab host (or the client)")
    .argument("[command...]", "command and arguments, after --")
    .option("--cloud <name>", "which lab (when several are up)")
    .action(async (host, command, opts) => {
      setExit(await lab.exec(host, command, opts.cloud));
    });

  cmd
    .command("down")
    .description(
      "stop every daemon, delete every namespace and file the lab created (also after a killed `lab up`)",
    )
    .option("--cloud <name>", "only this lab")
    .action(async (opts) => {
      const r = await lab.down({ cloud: opts.cloud, sink: progressSink(io) });
      io.out(
        r.labs.length === 0
          ? "no lab to take down\n"
          : `lab ${r.labs.join(", ")} down in ${seconds(r.totalMs)}: ${r.processes} processes stopped, ${r.namespaces} namespaces deleted\n`,
      );
    });
};
