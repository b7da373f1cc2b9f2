/**
 * Where the image registry is, compared with the cloud: a VIP (HA710), or a
 * host whose kolla services already bind the registry's port (HA711).
 */
import { splitHostPort } from "../net/ipv4.ts";
import type { Hit } from "./define.ts";
import type { RuleContext } from "./types.ts";

/** Ports kolla binds on a host's api address, by inventory group, besides the HAProxy backends. */
const GROUP_PORTS: Readonly<Record<string, readonly number[]>> = {
  mariadb: [3306, 4567, 4568, 4444],
  rabbitmq: [5672, 15672, 25672, 4369],
  memcached: [11211],
  loadbalancer: [1984, 61313],
};

function registryTarget(ctx: RuleContext): { host: string; port?: number } | undefined {
  const r = ctx.topology.kolla.registry;
  return r === undefined ? undefined : splitHostPort(r);
}

/** HA710: the registry address is one of the VIPs (or their names). */
export function registryIsVip(ctx: RuleContext): Hit[] {
  const target = registryTarget(ctx);
  if (!target) return [];
  const v = ctx.topology.vip;
  const names = [v.internal, v.external, v.internal_fqdn, v.external_fqdn].filter(
    (x): x is string => x !== undefined,
  );
  if (!names.includes(target.host)) return [];
  return [
    {
      path: ["kolla", "registry"],
      message: `the registry ${ctx.topology.kolla.registry!} is on a VIP, where only HAProxy's frontends listen`,
    },
  ];
}

/** Which services listen on each port of a host. */
function portsOf(ctx: RuleContext, host: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const s of ctx.plan.haproxy) {
    if (s.servers.some((x) => x.host === host)) out.set(s.listenPort, s.service);
  }
  for (const [group, ports] of Object.entries(GROUP_PORTS)) {
    const members =
      group === "loadbalancer"
        ? (ctx.plan.groups.loadbalancer ?? [])
        : (ctx.plan.services.find((s) => s.name === group)?.hosts ?? []);
    if (members.includes(host))
      for (const p of ports) if (!out.has(p)) out.set(p, group === "loadbalancer" ? "haproxy" : group);
  }
  if (
    ctx.plan.masakari.coordination === "etcd" &&
    (ctx.plan.services.find((s) => s.name === "etcd")?.hosts ?? []).includes(host)
  ) {
    out.set(2379, "etcd");
    out.set(2380, "etcd");
  }
  if (ctx.plan.databaseLoadBalancer === "proxysql" && (ctx.plan.groups.loadbalancer ?? []).includes(host))
    out.set(6032, "proxysql");
  return out;
}

/** HA711: the registry runs on a cloud host at a port a kolla service binds there. */
export function registryClash(ctx: RuleContext): Hit[] {
  const target = registryTarget(ctx);
  if (!target || target.port === undefined) return [];
  const host = ctx.plan.hosts.find(
    (h) =>
      h.name === target.host || h.fqdn === target.host || Object.values(h.addresses).includes(target.host),
  );
  if (!host) return [];
  const service = portsOf(ctx, host.name).get(target.port);
  if (service === undefined) return [];
  return [
    {
      path: ["kolla", "registry"],
      message: `the registry ${ctx.topology.kolla.registry!} is on ${host.name}, where ${service} already listens on port ${target.port}`,
    },
  ];
}
