/**
 * HAProxy on the lab's load balancers: kolla's frontends and backends for the
 * services the lab runs (see haproxy-config.ts), in the foreground in
 * master-worker mode, with the load balancer host preparation kolla does
 * (ip_nonlocal_bind so the BACKUP can bind the VIP, the profile's tcp_retries2).
 */
import type { Plan } from "../../../plan/types.ts";
import { haproxyCommand } from "../haproxy-stats.ts";
import type { LabHostContext, LabService } from "../service.ts";
import { labHaproxyConfig } from "./haproxy-config.ts";

/** The stats socket of a load balancer (a path in its run directory, visible from the machine too). */
export function haproxySocketPath(dirs: { readonly run: string }): string {
  return `${dirs.run}/haproxy.sock`;
}

/** Path of a load balancer's haproxy.cfg. */
export function haproxyConfigPath(dirs: { readonly etc: string }): string {
  return `${dirs.etc}/haproxy/haproxy.cfg`;
}

/** The load balancer hosts (kolla's `loadbalancer` group). */
export function loadBalancers(plan: Plan): readonly string[] {
  return plan.vrrp.members.map((m) => m.host);
}

/** The lab's HAProxy. */
export const haproxyService: LabService = {
  name: "haproxy",
  phase: 10,
  start: "parallel",
  hosts: loadBalancers,
  packages: ["haproxy", "socat"],
  secrets: ["haproxy_stats"],
  directories: (ctx) => [{ path: `${ctx.dirs.etc}/haproxy` }],
  files: (ctx: LabHostContext) => [
    {
      path: haproxyConfigPath(ctx.dirs),
      mode: 0o600,
      content: labHaproxyConfig(ctx.plan, {
        vip: ctx.vip,
        apiAddress: ctx.addresses[ctx.plan.apiNetwork] ?? "",
        addressOf: (h) => ctx.addressOf(h, ctx.plan.apiNetwork),
        socketPath: haproxySocketPath(ctx.dirs),
        statsPassword: ctx.secrets.haproxy_stats ?? "",
        proxied: ctx.proxied,
      }),
    },
  ],
  async setup(ctx) {
    const sysctls = ["net.ipv4.ip_nonlocal_bind=1", "net.ipv6.ip_nonlocal_bind=1"];
    const retries = ctx.plan.profile.haproxy.tcpRetries2;
    if (retries !== undefined) sysctls.push(`net.ipv4.tcp_retries2=${retries}`);
    await ctx.exec(["sysctl", "-q", "-w", ...sysctls]);
  },
  processes: (ctx) => [
    {
      name: "haproxy",
      argv: ["haproxy", "-W", "-db", "-f", haproxyConfigPath(ctx.dirs), "-p", `${ctx.dirs.run}/haproxy.pid`],
      stopTimeoutMs: 2000,
    },
  ],
  configFile: haproxyConfigPath,
  locate: (ctx, what) => (what === "stats-socket" ? haproxySocketPath(ctx.dirs) : undefined),
  async health(ctx) {
    try {
      const info = await haproxyCommand(haproxySocketPath(ctx.dirs), "show info", 10_000);
      return /^Name: HAProxy/m.test(info)
        ? { ok: true, detail: "running" }
        : { ok: false, detail: "unexpected answer on the stats socket" };
    } catch (e) {
      return { ok: false, detail: `stats socket: ${(e as Error).message}` };
    }
  },
};
