/**
 * DIR/hosts: an /etc/hosts block for every host of the cloud (kolla's
 * RabbitMQ precheck wants each hostname to resolve to its api_interface
 * address) and the VIP's names, between markers so a tool can replace it.
 */
import type { Plan } from "../../plan/types.ts";
import { generatedLines } from "../generated.ts";

/** The block's first and last lines. */
export function hostsMarkers(cloud: string): { readonly begin: string; readonly end: string } {
  return { begin: `# BEGIN hacloud ${cloud}`, end: `# END hacloud ${cloud}` };
}

/** Renders DIR/hosts. */
export function renderHosts(plan: Plan, topologyFile: string): string {
  const rows: [string, string][] = [];
  if (plan.internalFqdn !== plan.vrrp.internalVip) rows.push([plan.vrrp.internalVip, plan.internalFqdn]);
  const ext = plan.vrrp.externalVip;
  if (ext !== undefined && plan.externalFqdn !== ext && plan.externalFqdn !== plan.internalFqdn) {
    rows.push([ext, plan.externalFqdn]);
  }
  for (const h of plan.hosts) {
    if (!h.apiAddress) continue;
    rows.push([h.apiAddress, h.fqdn === h.name ? h.name : `${h.fqdn} ${h.name}`]);
  }
  const width = Math.max(15, ...rows.map(([a]) => a.length));
  const { begin, end } = hostsMarkers(plan.cloud);
  const body = rows.map(([a, names]) => `${a.padEnd(width)} ${names}\n`).join("");
  return `${begin}\n# ${generatedLines(topologyFile).join(" ")}\n${body}${end}\n`;
}
