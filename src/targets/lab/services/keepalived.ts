/**
 * Keepalived on the lab's load balancers: the Plan's VRRP instance holding
 * the lab VIP over the management bridge (multicast VRRP works between
 * namespaces), tracking the local HAProxy like kolla's check_alive.sh.
 */
import { readFileSync } from "node:fs";
import { run } from "../../../util/run.ts";
import { hostDirs } from "../anchor.ts";
import { findLabHost } from "../layout.ts";
import type { LabRuntime } from "../runtime.ts";
import type { LabHostContext, LabService } from "../service.ts";
import { haproxySocketPath, loadBalancers } from "./haproxy.ts";
import {
  checkAliveScript,
  labKeepalivedConfig,
  parseVrrpState,
  vrrpNotifyScript,
} from "./keepalived-config.ts";
import { vrrpReady, type VrrpState } from "../../target.ts";

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

/** Where keepalived's VRRP process writes its PID (-r), and where the notify script records the state. */
export function vrrpPaths(dirs: { readonly run: string }): { readonly pid: string; readonly state: string } {
  return { pid: `${dirs.run}/keepalived-vrrp.pid`, state: `${dirs.run}/keepalived-vrrp.state` };
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

/**
 * Load balancers that hold an address (normally the internal VIP) on a link
 * that carries traffic: a crashed or unplugged master keeps the address on a
 * dead link, and holds nothing for the clients. The health gate, `verify` and
 * the drills all ask this one question.
 */
export async function vipHolders(rt: LabRuntime, address = rt.layout.vip.internal): Promise<string[]> {
  const holders: string[] = [];
  await Promise.all(
    loadBalancers(rt.plan).map(async (lb) => {
      const ns = findLabHost(rt.layout, lb)?.netns;
      if (ns === undefined) return;
      const r = await run("ip", ["-n", ns, "-j", "addr", "show"], {
        timeoutMs: 10_000,
        allowFailure: true,
      }).catch(() => undefined);
      if (r === undefined || r.exitCode !== 0) return;
      if (holdsOnLiveLink(r.stdout, address)) holders.push(lb);
    }),
  );
  return holders.sort();
}

/** True when `ip -j addr show` output has `address` on a link whose operstate is UP. */
export function holdsOnLiveLink(ipJson: string, address: string): boolean {
  const links = JSON.parse(ipJson || "[]") as { operstate?: string; addr_info?: { local?: string }[] }[];
  return links.some((l) => l.operstate === "UP" && (l.addr_info ?? []).some((a) => a.local === address));
}

/** Each load balancer's VRRP state, as its keepalived last reported it. */
export function vrrpStates(rt: LabRuntime): { host: string; state: VrrpState }[] {
  return loadBalancers(rt.plan).flatMap((lb) => {
    const h = findLabHost(rt.layout, lb);
    return h === undefined ? [] : [{ host: lb, state: vrrpState(hostDirs(h)) }];
  });
}

/** The VIPs held exactly once, and every load balancer able to hold them (a FAULT standby could not). */
async function vipGate(rt: LabRuntime): Promise<string[]> {
  const problems: string[] = [];
  const holders = await vipHolders(rt);
  if (holders.length !== 1) {
    problems.push(
      `VIP ${rt.layout.vip.internal} is held by ${holders.length === 0 ? "no load balancer" : holders.join(" and ")}`,
    );
  }
  if (rt.layout.vip.external !== undefined) {
    const ext = await vipHolders(rt, rt.layout.vip.external);
    if (ext.length !== 1)
      problems.push(`external VIP ${rt.layout.vip.external} is held by ${ext.length} load balancers`);
  }
  for (const v of vrrpStates(rt)) {
    if (!vrrpReady(v.state)) problems.push(`keepalived on ${v.host} is VRRP ${v.state}`);
  }
  return problems;
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
          notifyScript: notifyScriptPath(ctx),
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
  gate: vipGate,
  configFile: keepalivedConfigPath,
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
