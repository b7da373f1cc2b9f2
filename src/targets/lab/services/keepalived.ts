/**
 * Keepalived on the lab's load balancers: the Plan's VRRP instance holding
 * the lab VIP over the management bridge (multicast VRRP works between
 * namespaces), tracking the local HAProxy like kolla's check_alive.sh.
 */
import type { LabHostContext, LabService } from "../service.ts";
import { haproxySocketPath, loadBalancers } from "./haproxy.ts";
import { checkAliveScript, labKeepalivedConfig } from "./keepalived-config.ts";

/** Path of a load balancer's keepalived.conf. */
export function keepalivedConfigPath(dirs: { readonly etc: string }): string {
  return `${dirs.etc}/keepalived/keepalived.conf`;
}

function checkScriptPath(ctx: LabHostContext): string {
  return `${ctx.dirs.etc}/keepalived/check_alive.sh`;
}

/** The interface carrying a network on this host. */
function interfaceOn(ctx: LabHostContext, network: string | undefined): string | undefined {
  return network === undefined ? undefined : ctx.host.interfaces[network];
}

/** The lab's Keepalived. */
export const keepalivedService: LabService = {
  name: "keepalived",
  // after HAProxy is healthy: a first failing check_alive costs `rise` x `interval` (kolla: 20 s) before the VIP comes up
  phase: 11,
  start: "parallel",
  hosts: loadBalancers,
  packages: ["keepalived", "socat"],
  secrets: ["keepalived"],
  directories: (ctx) => [{ path: `${ctx.dirs.etc}/keepalived` }],
  files: (ctx) => {
    const externalNet = ctx.plan.networks.find((n) => n.interface === ctx.plan.vrrp.externalInterface)?.name;
    const externalInterface = interfaceOn(ctx, externalNet) ?? ctx.plan.vrrp.externalInterface;
    return [
      { path: checkScriptPath(ctx), mode: 0o700, content: checkAliveScript(haproxySocketPath(ctx.dirs)) },
      {
        path: keepalivedConfigPath(ctx.dirs),
        mode: 0o600,
        content: labKeepalivedConfig(ctx.plan, {
          host: ctx.host.name,
          vip: {
            internal: ctx.vip.internal,
            ...(ctx.vip.external !== undefined ? { external: ctx.vip.external, externalInterface } : {}),
          },
          addressOf: (h) => ctx.addressOf(h, ctx.plan.apiNetwork),
          checkScript: checkScriptPath(ctx),
          password: ctx.secrets.keepalived ?? "",
        }),
      },
    ];
  },
  processes: (ctx) => [
    {
      name: "keepalived",
      // -n foreground, -l log to the console (our log file), -D detailed; pid files in the host's own /run
      argv: [
        "keepalived",
        "-n",
        "-l",
        "-D",
        "-f",
        keepalivedConfigPath(ctx.dirs),
        "-p",
        `${ctx.dirs.run}/keepalived.pid`,
        "-r",
        `${ctx.dirs.run}/keepalived-vrrp.pid`,
        "-c",
        `${ctx.dirs.run}/keepalived-checkers.pid`,
      ],
      stopTimeoutMs: 3000,
    },
  ],
  async health(ctx) {
    const { stdout } = await ctx.exec(["ip", "-o", "-4", "addr", "show"]);
    const holds = stdout.includes(` ${ctx.vip.internal}/`);
    return { ok: true, detail: holds ? "running, holds the VIP" : "running, backup" };
  },
};
