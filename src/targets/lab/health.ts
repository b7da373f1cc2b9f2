/**
 * The lab's health gate, as `lab up` waits for it and `verify` asks it: every
 * clustered service's cluster whole and able to serve, and whatever each
 * service adds through its own `gate` (the load balancers: the VIP held once
 * and every backend UP; Keystone: a token through the VIP). The engine names
 * no service here: what healthy means is each service's knowledge.
 */
import { hostContext, type LabRuntime } from "./runtime.ts";
import type { LabClusterState, LabService } from "./service.ts";

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

async function clusterProblems(rt: LabRuntime, s: LabService): Promise<string[]> {
  if (s.cluster === undefined) return [];
  const c = await clusterState(rt, s);
  if ("error" in c) return [`${s.name} cluster: ${c.error}`];
  if (c.primary && c.members.length === c.expected) return [];
  return [`${s.name} cluster: ${c.members.length}/${c.expected} members${c.primary ? "" : ", not primary"}`];
}

/** What keeps the control plane from being healthy right now (empty when healthy), in service order. */
export async function gateProblems(rt: LabRuntime, services: readonly LabService[]): Promise<string[]> {
  const per = await Promise.all(
    services.map(async (s) => [...((await s.gate?.(rt)) ?? []), ...(await clusterProblems(rt, s))]),
  );
  return per.flat();
}
