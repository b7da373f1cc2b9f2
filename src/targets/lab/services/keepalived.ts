/**
 * Keepalived on the lab's load balancers: the Plan's VRRP instance holding
 * the lab VIP over the management bridge (multicast VRRP works between
 * namespaces), tracking the local HAProxy like kolla's check_alive.sh.
 */
import { readFileSync } from "node:fs";
import type { LabHostContext, LabService } from "../service.ts";
import { haproxySocketPath, loadBalancers } from "./haproxy.ts";
import { checkAliveScript, labKeepalivedConfig, vrrpNotifyScript } from "./keepalived-config.ts";
import { vrrpReady, type VrrpState } from "../../../observe/types.ts";
import { parseVrrpState } from "../../../observe/vip.ts";

/** Path of a load balancer's keepalived.conf. */
export function keepalivedConfigPath(dirs: { readonly etc: string }): string {
  return `${dirs.etc}/keepalived/keepalived.conf`;
}

function checkScriptPath(ctx: LabHostContext): string {
  return `${ctx.dirs.etc}/keepalived/check_alive.sh`;
}

function notifyScriptPath(ctx: LabHostContext): string {
  return `${ctx.dirs.etc}/keepalived/notify.sh`;
}

/**
 * Where keepalived's VRRP process writes its PID (-r), the FIFO it reports state changes on, and where
 * the FIFO's reader records the state.
 */
export function vrrpPaths(dirs: { readonly run: string }): {
  readonly pid: string;
  readonly fifo: string;
  readonly state: string;
} {
  return {
    pid: `${dirs.run}/keepalived-vrrp.pid`,
    fifo: `${dirs.run}/keepalived-vrrp.fifo`,
    state: `${dirs.run}/keepalived-vrrp.state`,
  };
}

/**
 * The VRRP state of a load balancer's keepalived, read from the machine (the host's run directory is a
 * real path): MASTER, BACKUP (a standby that can take over), FAULT (a failing track script or link:
 * it cannot), STOP, or UNKNOWN (keepalived is not running or has not reported yet).
 */
export function vrrpState(dirs: { readonly run: string }): VrrpState {
  const p = vrrpPaths(dirs);
  const read = (path: string): string | undefined => {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  };
  const pid = Number.parseInt(read(p.pid) ?? "", 10);
  return parseVrrpState(read(p.state), Number.isNaN(pid) ? undefined : pid);
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
    const vrrp = vrrpPaths(ctx.dirs);
    return [
      { path: checkScriptPath(ctx), mode: 0o700, content: checkAliveScript(haproxySocketPath(ctx.dirs)) },
      {
        path: notifyScriptPath(ctx),
        mode: 0o700,
        content: vrrpNotifyScript(vrrp.state, vrrp.pid),
      },
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
          notifyFifo: { fifo: vrrp.fifo, script: notifyScriptPath(ctx) },
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
        vrrpPaths(ctx.dirs).pid,
        "-c",
        `${ctx.dirs.run}/keepalived-checkers.pid`,
      ],
      stopTimeoutMs: 3000,
    },
  ],
  // Healthy in MASTER or BACKUP: a load balancer in FAULT is up but cannot take the VIP over.
  configFile: keepalivedConfigPath,
  locate: (ctx, what) =>
    what === "vrrp-state"
      ? vrrpPaths(ctx.dirs).state
      : what === "vrrp-pid"
        ? vrrpPaths(ctx.dirs).pid
        : undefined,
  async health(ctx) {
    const state = vrrpState(ctx.dirs);
    const { stdout } = await ctx.exec(["ip", "-o", "-4", "addr", "show"]);
    const holds = stdout.includes(` ${ctx.vip.internal}/`) ? ", holds the VIP" : "";
    const why: Partial<Record<VrrpState, string>> = {
      FAULT: ": it cannot take the VIP over (its track script or a tracked link is failing)",
      UNKNOWN: ": no VRRP state reported yet",
    };
    return {
      ok: vrrpReady(state),
      detail: `VRRP ${state}${holds}${why[state] ?? ""}`,
    };
  },
};
