/**
 * globals.yml: the topology as kolla-ansible variables, section by section,
 * each section stringified by `yaml` (so quoting is always right) under a
 * comment that says where it comes from. Names and defaults per release are
 * in src/kolla/releases.ts.
 */
import { stringify } from "yaml";
import { kollaBool, kollaRelease, type KollaRelease } from "../../kolla/releases.ts";
import type { Plan } from "../../plan/types.ts";
import { comment, generatedHeader } from "../generated.ts";
import { interfaceVars } from "./interfaces.ts";
import { profileGlobals } from "./profile-globals.ts";

type Vars = Record<string, unknown>;

interface Section {
  readonly title: string;
  readonly notes?: readonly string[];
  readonly vars: Vars;
}

/** Renders DIR/globals.yml. */
export function renderGlobals(plan: Plan, topologyFile: string): string {
  const r = kollaRelease(plan.release);
  const extra = plan.extraGlobals;
  const sections = globalsSections(plan, r);
  let s = "---\n";
  s += generatedHeader(
    topologyFile,
    `kolla-ansible ${plan.release} globals.yml of cloud ${plan.cloud} (failover profile: ${plan.profileName})`,
  );
  for (const sec of sections) {
    const vars: Vars = {};
    const shadowed: string[] = [];
    for (const [k, v] of Object.entries(sec.vars)) {
      if (k in extra) shadowed.push(k);
      else vars[k] = v;
    }
    if (Object.keys(vars).length === 0 && (sec.notes ?? []).length === 0 && shadowed.length === 0) continue;
    s += "\n" + comment([sec.title, ...(sec.notes ?? [])]);
    for (const k of shadowed) s += comment([`${k}: set by extra_globals below`]);
    if (Object.keys(vars).length > 0) s += yamlVars(vars);
  }
  if (Object.keys(extra).length > 0) {
    s += "\n" + comment(["extra_globals from the topology, verbatim"]);
    s += yamlVars(extra);
  }
  return s;
}

function yamlVars(vars: Vars): string {
  // YAML 1.1 rules, as Ansible's PyYAML reads them.
  return stringify(vars, {
    defaultStringType: "QUOTE_DOUBLE",
    defaultKeyType: "PLAIN",
    lineWidth: 0,
    version: "1.1",
  });
}

function globalsSections(plan: Plan, r: KollaRelease): Section[] {
  const b = (v: boolean): boolean | string => kollaBool(r, v);
  const sameVip = plan.vrrp.externalVip === undefined;
  const kollaExternalFqdnDefault = sameVip ? plan.internalFqdn : (plan.vrrp.externalVip ?? "");

  const kolla: Vars = { kolla_base_distro: plan.baseDistro, openstack_release: plan.release };

  const vip: Vars = { kolla_internal_vip_address: plan.vrrp.internalVip };
  if (!sameVip) vip.kolla_external_vip_address = plan.vrrp.externalVip;
  if (plan.internalFqdn !== plan.vrrp.internalVip) vip.kolla_internal_fqdn = plan.internalFqdn;
  if (plan.externalFqdn !== kollaExternalFqdnDefault) vip.kolla_external_fqdn = plan.externalFqdn;
  // kolla's group_vars write the VRID as a string ("51").
  vip.keepalived_virtual_router_id = String(plan.vrrp.routerId);
  if (plan.vrrp.traffic === "unicast") vip.keepalived_traffic_mode = "unicast";

  const ifaces: Vars = {};
  const perHost: string[] = [];
  for (const v of interfaceVars(plan)) {
    if (v.where === "globals") ifaces[v.name] = v.value;
    else perHost.push(`${v.name}: set in the inventory ([all:vars] and host lines) because hosts differ`);
  }

  const registry: Vars = {};
  if (plan.registry !== undefined) {
    registry.docker_registry = plan.registry;
    if (plan.registryInsecure) registry.docker_registry_insecure = b(true);
  }

  const n = plan.neutron;
  const neutron: Vars = { neutron_plugin_agent: n.plugin };
  if (n.agentHa) neutron.enable_neutron_agent_ha = b(true);
  if (n.routing === "dvr") {
    neutron.enable_neutron_dvr = b(true);
    neutron.neutron_compute_dvr_mode = n.dvrComputeMode;
  }
  if (n.providerNetworks) neutron.enable_neutron_provider_networks = b(true);

  const c = plan.cinder;
  const cinder: Vars = {};
  if (c.enabled) {
    cinder.enable_cinder = b(true);
    if (c.backend === "lvm") {
      cinder.enable_cinder_backend_lvm = b(true);
      cinder.cinder_volume_group = c.volumeGroup;
    } else if (c.backend === "nfs") {
      cinder.enable_cinder_backend_nfs = b(true);
    } else if (c.backend === "ceph") {
      cinder.cinder_backend_ceph = b(true);
    }
    // From 2025.1 the cinder precheck fails when groups['cinder-volume'] (the controllers,
    // upstream) has more than one host and no cinder_cluster_name is set
    // (roles/cinder/tasks/precheck.yml). Ceph volumes can run active/active as a cluster;
    // LVM volumes live on one storage host, so there is no cluster to name.
    if (plan.release !== "2024.1") {
      if (c.backend === "ceph") cinder.cinder_cluster_name = `${plan.cloud}-volumes`;
      else cinder.cinder_cluster_skip_precheck = b(true);
    }
  }

  const m = plan.masakari;
  const masakari: Vars = {};
  const masakariNotes: string[] = [];
  if (m.enabled) {
    masakari.enable_masakari = b(true);
    masakari.enable_hacluster = b(m.hacluster);
    if (m.coordination === "etcd") masakari.enable_etcd = b(true);
    if (m.coordination === "valkey") {
      masakari[r.keyValueStoreVar] = b(true);
      if (r.keyValueStoreVar === "enable_redis")
        masakariNotes.push(`${plan.release} has Redis where later releases have Valkey`);
    }
  }

  const database: Vars = {};
  const proxysql = plan.databaseLoadBalancer === "proxysql";
  if (proxysql !== r.proxysqlDefault) database.enable_proxysql = b(proxysql);

  const profile: Vars = {};
  for (const g of profileGlobals(plan)) profile[g.name] = g.value;

  return [
    { title: "Kolla options", vars: kolla },
    { title: "Virtual IP and keepalived", vars: vip },
    { title: "Network interfaces", notes: perHost, vars: ifaces },
    { title: "Container registry", vars: registry },
    { title: "Neutron", vars: neutron },
    { title: "Cinder", vars: cinder },
    {
      title: "Masakari instance HA (coordination backend and pacemaker for the host monitor)",
      notes: masakariNotes,
      vars: masakari,
    },
    {
      title: "Database load balancing",
      notes: [`MariaDB through ${proxysql ? "ProxySQL" : "HAProxy (active/backup)"}`],
      vars: database,
    },
    {
      title: `Failover profile ${plan.profileName}: kolla variables that carry it (config/README.md lists the rest)`,
      notes: Object.keys(profile).length === 0 ? ["kolla's defaults: nothing to override"] : [],
      vars: profile,
    },
  ];
}
