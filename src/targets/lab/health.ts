/**
 * The lab's control-plane health, as `lab up` gates on it and `lab status`
 * reports it: who holds the VIP, every load balancer's VRRP state (MASTER or
 * BACKUP, not FAULT), the state of every HAProxy backend server,
 * cluster membership of the clustered services, and a Keystone token issued
 * through the VIP from the client namespace.
 */
import { run } from "../../util/run.ts";
import { vrrpReady, type BackendState, type VrrpState } from "../target.ts";
import { haproxySocketPath, loadBalancers } from "./services/haproxy.ts";
import { vrrpState } from "./services/keepalived.ts";
import { haproxyCommand, parseShowStat } from "./haproxy-stats.ts";
import { hostDirs } from "./anchor.ts";
import { findLabHost } from "./layout.ts";
import { hostArgv, hostContext, type LabRuntime } from "./runtime.ts";
import type { LabClusterState, LabService } from "./service.ts";

/** Load balancers that hold an address (normally the internal VIP). */
export async function vipHolders(rt: LabRuntime, address = rt.layout.vip.internal): Promise<string[]> {
  const holders: string[] = [];
  await Promise.all(
    loadBalancers(rt.plan).map(async (lb) => {
      const ns = findLabHost(rt.layout, lb)?.netns;
      if (ns === undefined) return;
      const r = await run("ip", ["-n", ns, "-o", "-4", "addr", "show"], {
        timeoutMs: 5000,
        allowFailure: true,
      });
      if (r.exitCode === 0 && r.stdout.includes(` ${address}/`)) holders.push(lb);
    }),
  );
  return holders.sort();
}

/** Each load balancer's VRRP state, as its keepalived last reported it (see services/keepalived.ts). */
export function vrrpStates(rt: LabRuntime): { host: string; state: VrrpState }[] {
  return loadBalancers(rt.plan).flatMap((lb) => {
    const h = findLabHost(rt.layout, lb);
    return h === undefined ? [] : [{ host: lb, state: vrrpState(hostDirs(h)) }];
  });
}

/** Every backend server as each running load balancer's HAProxy sees it. */
export async function backendStates(rt: LabRuntime): Promise<{ states: BackendState[]; errors: string[] }> {
  const states: BackendState[] = [];
  const errors: string[] = [];
  await Promise.all(
    loadBalancers(rt.plan).map(async (lb) => {
      const host = findLabHost(rt.layout, lb);
      if (host === undefined) return;
      try {
        states.push(
          ...parseShowStat(lb, await haproxyCommand(haproxySocketPath(hostDirs(host)), "show stat", 10_000)),
        );
      } catch (e) {
        errors.push(`haproxy on ${lb}: ${(e as Error).message}`);
      }
    }),
  );
  return {
    states: states.sort((a, b) =>
      `${a.lb}${a.proxy}${a.server}`.localeCompare(`${b.lb}${b.proxy}${b.server}`),
    ),
    errors,
  };
}

/** Cluster state of a clustered service, asked on its hosts in turn until one answers. */
export async function clusterState(
  rt: LabRuntime,
  service: LabService,
): Promise<
  (LabClusterState & { readonly expected: number }) | { readonly error: string; readonly expected: number }
> {
  const hosts = service.hosts(rt.plan);
  let error = "no host answered";
  for (const h of hosts) {
    if (!rt.anchors.has(h) || service.cluster === undefined) continue;
    try {
      const s = await service.cluster(hostContext(rt, h));
      return { ...s, expected: hosts.length };
    } catch (e) {
      error = `${h}: ${(e as Error).message}`;
    }
  }
  return { error, expected: hosts.length };
}

/** The Keystone port on the internal VIP. */
function keystonePort(rt: LabRuntime): number {
  return rt.plan.haproxy.find((e) => e.service === "keystone" && e.vip === "internal")?.port ?? 5000;
}

/** The Keystone v3 URL at the lab VIP. */
export function keystoneUrl(rt: LabRuntime): string {
  return `http://${rt.layout.vip.internal}:${keystonePort(rt)}/v3`;
}

/** Asks Keystone for a token through the VIP, from the client namespace; ok on HTTP 201. */
export async function tokenThroughVip(rt: LabRuntime): Promise<{ ok: boolean; detail: string }> {
  if (!rt.anchors.has(rt.layout.client.name))
    return { ok: false, detail: "the client namespace is not running" };
  const body = JSON.stringify({
    auth: {
      identity: {
        methods: ["password"],
        password: {
          user: { name: "admin", domain: { name: "Default" }, password: rt.secrets.keystone_admin ?? "" },
        },
      },
      scope: { project: { name: "admin", domain: { name: "Default" } } },
    },
  });
  const [file, ...args] = hostArgv(rt, rt.layout.client.name, [
    "curl",
    "-sS",
    "-o",
    "/dev/null",
    "-w",
    "%{http_code}",
    "-m",
    "10",
    "-H",
    "Content-Type: application/json",
    "--data-binary",
    "@-",
    `${keystoneUrl(rt)}/auth/tokens`,
  ]);
  const r = await run(file!, args, { input: body, timeoutMs: 15_000, allowFailure: true });
  const code = r.stdout.trim();
  return code === "201"
    ? { ok: true, detail: "token issued through the VIP" }
    : {
        ok: false,
        detail: `POST ${keystoneUrl(rt)}/auth/tokens: ${code || r.stderr.trim() || `exit ${r.exitCode}`}`,
      };
}

/** What keeps the control plane from being healthy right now (empty when healthy). */
export async function gateProblems(rt: LabRuntime, services: readonly LabService[]): Promise<string[]> {
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
  // redundancy: a standby in FAULT (its track script has not risen yet) could not take the VIP over
  for (const v of vrrpStates(rt)) {
    if (!vrrpReady(v.state)) problems.push(`keepalived on ${v.host} is VRRP ${v.state}`);
  }
  const { states, errors } = await backendStates(rt);
  problems.push(...errors);
  for (const b of states)
    if (b.status !== "UP") problems.push(`haproxy on ${b.lb}: ${b.proxy}/${b.server} is ${b.status}`);
  for (const s of services) {
    if (s.cluster === undefined) continue;
    const c = await clusterState(rt, s);
    if ("error" in c) problems.push(`${s.name} cluster: ${c.error}`);
    else if (!c.primary || c.members.length !== c.expected) {
      problems.push(
        `${s.name} cluster: ${c.members.length}/${c.expected} members${c.primary ? "" : ", not primary"}`,
      );
    }
  }
  if (services.some((s) => s.name === "keystone")) {
    const t = await tokenThroughVip(rt);
    if (!t.ok) problems.push(`keystone: ${t.detail}`);
  }
  return problems;
}
