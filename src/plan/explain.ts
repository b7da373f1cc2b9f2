/** A human summary of a Plan: what runs where, and how it fails over. */
import type { Plan } from "./types.ts";

/** Plain-text explanation of a Plan, for `hacloud plan`. */
export function explainPlan(plan: Plan): string {
  const out: string[] = [];
  const line = (s = "") => out.push(s);
  line(`cloud ${plan.cloud} (${plan.domain}), kolla-ansible ${plan.release}, ${plan.baseDistro} images`);
  line(
    `profile ${plan.profileName}; MariaDB through ${plan.databaseLoadBalancer === "proxysql" ? "ProxySQL" : "HAProxy (active/backup)"}`,
  );
  line();
  line("networks:");
  for (const n of plan.networks) line(`  ${n.name.padEnd(12)} ${n.cidr.padEnd(18)} ${n.interface}`);
  line();
  line("hosts:");
  for (const h of plan.hosts) {
    const addrs = Object.entries(h.addresses)
      .map(([net, ip]) => `${net}=${ip}`)
      .join(" ");
    line(`  ${h.name.padEnd(10)} ${h.roles.join(",").padEnd(14)} ${addrs}`);
  }
  line();
  const v = plan.vrrp;
  line(
    `VIP ${v.internalVip}${v.externalVip ? ` (external ${v.externalVip})` : ""}: keepalived instance ${v.name}, router id ${v.routerId}, ${v.traffic}`,
  );
  for (const m of v.members)
    line(`  ${m.host.padEnd(10)} priority ${m.priority} on ${m.interface} (${m.address})`);
  const k = plan.profile.keepalived;
  line(
    `  VRRPv${k.vrrpVersion} advert_int ${k.advertInt}s, all BACKUP + nopreempt, track script every ${k.checkInterval}s (fall ${k.checkFall}, rise ${k.checkRise})`,
  );
  line();
  line("HAProxy frontends on the VIP:");
  for (const s of plan.haproxy) {
    const servers = s.servers.map((x) => `${x.host}${x.backup ? "(backup)" : ""}`).join(" ");
    line(`  ${s.name.padEnd(22)} ${s.bindAddress}:${s.port} ${s.mode.padEnd(4)} -> ${servers}`);
  }
  line();
  line("quorum groups:");
  for (const q of plan.quorum) {
    line(
      `  ${q.name.padEnd(10)} ${q.members.length} members (${q.members.join(", ")}), needs ${q.majority}, tolerates ${q.tolerates} failure${q.tolerates === 1 ? "" : "s"}`,
    );
  }
  line();
  line(
    `neutron: ${plan.neutron.plugin}, routing ${plan.neutron.routing}; L3 agents on ${plan.neutron.l3Hosts.join(", ") || "none"}`,
  );
  if (plan.masakari.enabled) {
    line(
      `masakari: recovery ${plan.masakari.recovery}, coordination ${plan.masakari.coordination}, hacluster on ${plan.masakari.haclusterHosts.join(", ")}, remotes ${plan.masakari.haclusterRemoteHosts.join(", ")}`,
    );
  }
  if (plan.cinder.enabled) line(`cinder: ${plan.cinder.backend} on ${plan.cinder.volumeHosts.join(", ")}`);
  line();
  return out.join("\n");
}
