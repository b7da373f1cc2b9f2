/**
 * Small helpers shared by the controller services (MariaDB, RabbitMQ,
 * memcached, Keystone): where a service runs, a host's API address, probes
 * run inside a host, and secrets shaped for daemons that want a format of
 * their own (Fernet keys, Erlang cookies).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Plan } from "../../../plan/types.ts";
import type { LabHostContext } from "../service.ts";

/** Hosts that run a placed service (kolla group resolution already done by the Plan). */
export function placedHosts(plan: Plan, service: string): readonly string[] {
  return plan.services.find((s) => s.name === service)?.hosts ?? [];
}

/** The host's lab address on the API (management) network. */
export function apiAddress(ctx: LabHostContext): string {
  const a = ctx.addresses[ctx.plan.apiNetwork];
  if (a === undefined) throw new Error(`${ctx.host.name} has no address on ${ctx.plan.apiNetwork}`);
  return a;
}

/** A peer's lab address on the API network. */
export function peerAddress(ctx: LabHostContext, host: string): string {
  return ctx.addressOf(host, ctx.plan.apiNetwork);
}

/** Lab API addresses of the load balancers (where HAProxy's connections to backends come from). */
export function loadBalancerAddresses(ctx: LabHostContext): string[] {
  return (ctx.plan.groups.loadbalancer ?? []).map((h) => peerAddress(ctx, h));
}

/** A secret by name, or a clear error naming what is missing (never its value). */
export function secret(ctx: LabHostContext, name: string): string {
  const s = ctx.secrets[name];
  if (s === undefined || s === "") throw new Error(`lab secret ${name} is missing`);
  return s;
}

/**
 * A Fernet key (url-safe base64 of 32 bytes, padded, as keystone-manage
 * fernet_setup writes) derived from a lab secret: the engine's secrets are
 * short random strings, and deriving keeps every host's key repository
 * identical without copying files between hosts.
 */
export function fernetKey(seed: string, label: string): string {
  const raw = createHash("sha256").update(`${label}\0${seed}`).digest();
  return raw.toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
}

/** An Erlang cookie (upper-case letters and digits, as RabbitMQ generates) derived from a lab secret. */
export function erlangCookie(seed: string): string {
  return createHash("sha256").update(`erlang-cookie\0${seed}`).digest("hex").toUpperCase().slice(0, 32);
}

/** Runs a command in the host and reports whether it succeeded, instead of throwing. */
export async function succeeds(
  ctx: LabHostContext,
  argv: readonly string[],
  opts: { readonly timeoutMs?: number; readonly user?: string; readonly input?: string } = {},
): Promise<boolean> {
  try {
    await ctx.exec(argv, opts);
    return true;
  } catch {
    return false;
  }
}

/**
 * argv for a bash script with arguments ($0, $1…), run without any startup file. Node gives a
 * child a socketpair as stdin, and Debian's bash (built with SSH_SOURCE_BASHRC) takes a socket on
 * stdin for sshd and sources /etc/bash.bashrc and ~/.bashrc before `-c`: whatever the operator keeps
 * there (measured here: a pyenv init that took 61 s) would run inside every probe.
 */
export function bashScript(script: string, ...args: readonly string[]): string[] {
  return ["bash", "--norc", "--noprofile", "-c", script, ...args];
}

/** True when a TCP port accepts a connection from inside the host (bash's /dev/tcp, no extra tools). */
export function tcpOpen(
  ctx: LabHostContext,
  address: string,
  port: number,
  timeoutMs = 2000,
): Promise<boolean> {
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  return succeeds(
    ctx,
    ["timeout", String(seconds), ...bashScript('exec 3<>"/dev/tcp/$0/$1"', address, String(port))],
    { timeoutMs: timeoutMs + 2000 },
  );
}

/** A daemon's log as it is now, or "" before it has written one (health checks read it). */
export function readLog(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/** Reads a file inside the host, or undefined when it does not exist. */
export async function readHostFile(ctx: LabHostContext, path: string): Promise<string | undefined> {
  try {
    return (await ctx.exec(["cat", "--", path], { timeoutMs: 10_000 })).stdout;
  } catch {
    return undefined;
  }
}

/** Bounded polling: calls `attempt` until it returns a value, or throws the last error at the deadline. */
export async function retry<T>(
  what: string,
  attempt: () => Promise<T>,
  opts: { readonly timeoutMs: number; readonly intervalMs: number },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      return await attempt();
    } catch (e) {
      last = e;
    }
    if (Date.now() + opts.intervalMs > deadline) break;
    await new Promise((r) => setTimeout(r, opts.intervalMs));
  }
  const reason = last instanceof Error ? last.message : String(last);
  throw new Error(`${what} did not succeed within ${Math.round(opts.timeoutMs / 1000)} s: ${reason}`);
}

/** Quotes a string for an SQL literal (MariaDB, NO_BACKSLASH_ESCAPES off). */
export function sqlString(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}
