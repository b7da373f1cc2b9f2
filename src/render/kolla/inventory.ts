/**
 * The kolla-ansible multinode inventory (INI): the topology's hosts in the
 * top-level groups, then every `[group:children]` section of the release's
 * upstream multinode, so that service-precheck finds every group a role names.
 */
import { kollaChildrenTable } from "../../kolla/group-tree.ts";
import { kollaRelease } from "../../kolla/releases.ts";
import type { Plan } from "../../plan/types.ts";
import { generatedHeader } from "../generated.ts";
import { interfaceVars } from "./interfaces.ts";

/** Top-level host groups, in upstream order, then the load balancers hacloud places itself. */
export const HOST_GROUPS = [
  "control",
  "network",
  "compute",
  "monitoring",
  "storage",
  "loadbalancer",
] as const;

/** The five groups that together mean "every host" in upstream children lists. */
const ALL_HOST_GROUPS = ["control", "network", "compute", "storage", "monitoring"];

/**
 * The release's `:children` table as hacloud writes it: upstream's, without
 * `loadbalancer:children network` (the topology lists its load balancers), and
 * with `loadbalancer` added to the groups meant for every host (baremetal,
 * common, node exporters…) when load balancers are dedicated hosts — otherwise
 * bootstrap-servers (hosts: baremetal) would not install a container engine on
 * them and the common role (cron, fluentd, kolla-toolbox) would skip them.
 */
export function inventoryChildren(plan: Plan): [string, string[]][] {
  const dedicated = dedicatedLoadBalancers(plan).length > 0;
  const out: [string, string[]][] = [];
  for (const [group, children] of kollaChildrenTable(plan.release)) {
    if (group === "loadbalancer") continue;
    const list = [...children];
    if (dedicated && ALL_HOST_GROUPS.every((g) => list.includes(g))) list.push("loadbalancer");
    out.push([group, list]);
  }
  return out;
}

/** Load balancers that are in none of the other top-level groups. */
export function dedicatedLoadBalancers(plan: Plan): string[] {
  const elsewhere = new Set(ALL_HOST_GROUPS.flatMap((g) => plan.groups[g] ?? []));
  return (plan.groups.loadbalancer ?? []).filter((h) => !elsewhere.has(h));
}

/** Renders DIR/multinode. */
export function renderInventory(plan: Plan, topologyFile: string): string {
  const release = kollaRelease(plan.release);
  const vars = interfaceVars(plan).filter((v) => v.where === "inventory");
  const byName = new Map(plan.hosts.map((h) => [h.name, h]));
  const hostLine = (name: string): string => {
    const h = byName.get(name);
    const parts = [name];
    if (h?.apiAddress) parts.push(`ansible_host=${h.apiAddress}`);
    for (const v of vars) {
      const o = v.overrides.get(name);
      if (o !== undefined) parts.push(`${v.name}=${o}`);
    }
    return parts.join(" ");
  };

  let s = generatedHeader(
    topologyFile,
    `kolla-ansible ${plan.release} multinode inventory of cloud ${plan.cloud}`,
  );
  s += "#\n# Hosts are named as the topology names them; ansible_host is the management address.\n";
  s += "# The host groups hold the topology's hosts; every [group:children] section below is\n";
  s += `# kolla-ansible's upstream ansible/inventory/multinode (${release.branch}).\n\n`;
  for (const g of HOST_GROUPS) {
    s += `[${g}]\n`;
    for (const name of plan.groups[g] ?? []) s += hostLine(name) + "\n";
    s += "\n";
  }
  s += "[deployment]\nlocalhost ansible_connection=local\n\n";
  if (vars.length > 0) {
    s += "# Interfaces that differ between hosts: defaults here, overrides on the host lines above\n";
    s += "# (kept out of globals.yml, whose extra vars would beat host vars).\n";
    s += "[all:vars]\n";
    for (const v of vars) s += `${v.name}=${v.value}\n`;
    s += "\n";
  }
  const dedicated = dedicatedLoadBalancers(plan);
  if (dedicated.length > 0) {
    s += `# Dedicated load balancers (${dedicated.join(", ")}) are added to the groups meant for every host.\n`;
  }
  const children = inventoryChildren(plan);
  children.forEach(([group, list], i) => {
    s += `[${group}:children]\n${list.map((c) => c + "\n").join("")}`;
    if (i < children.length - 1) s += "\n";
  });
  return s;
}
