/**
 * The globals.yml variables hacloud derives from the topology. Setting one of
 * them again in kolla.extra_globals would deploy a value other than the one
 * every rule, the Plan and the lab were computed from (HA709).
 */
import type { Topology } from "../spec/schema.ts";

/** kolla variable -> the topology key that decides it. */
export const DERIVED_GLOBALS: Readonly<Record<string, string>> = {
  openstack_release: "kolla.release",
  kolla_base_distro: "kolla.base_distro",
  docker_registry: "kolla.registry",
  docker_registry_insecure: "kolla.registry_insecure",
  keepalived_traffic_mode: "kolla.keepalived_traffic",
  enable_proxysql: "kolla.enable_proxysql",
  kolla_internal_vip_address: "vip.internal",
  kolla_external_vip_address: "vip.external",
  keepalived_virtual_router_id: "vip.router_id",
  kolla_internal_fqdn: "vip.internal_fqdn",
  kolla_external_fqdn: "vip.external_fqdn",
  network_interface: "networks.management.interface",
  api_interface: "networks.management.interface",
  tunnel_interface: "networks.tenant.interface",
  kolla_external_vip_interface: "networks.external.interface",
  neutron_external_interface: "neutron.external_interface (or networks.external.interface)",
  neutron_plugin_agent: "neutron.plugin",
  enable_neutron_dvr: "neutron.routing",
  enable_neutron_agent_ha: "neutron.routing / neutron.l3_ha",
  neutron_compute_dvr_mode: "neutron.dvr_compute_mode",
  enable_neutron_provider_networks: "neutron.provider_networks",
  enable_cinder: "cinder.enabled",
  enable_cinder_backend_lvm: "cinder.backend",
  enable_cinder_backend_nfs: "cinder.backend",
  cinder_volume_group: "cinder.volume_group",
  enable_masakari: "masakari.enabled",
  enable_hacluster: "masakari.hacluster",
  enable_etcd: "masakari.coordination",
  enable_valkey: "masakari.coordination",
  enable_haproxy: "the load balancers (hosts with the loadbalancer role)",
  enable_keepalived: "the load balancers (hosts with the loadbalancer role)",
};

/**
 * Variables derived only when the topology declares what decides them: a network's interface
 * variable is rendered from the network, and a topology that does not declare the network (an
 * imported one: globals.yml names the interface, nothing gives its CIDR) keeps it in extra_globals.
 */
export const DERIVED_ONLY_WHEN: Readonly<Record<string, (t: Topology) => boolean>> = {
  tunnel_interface: (t) => t.networks.tenant !== undefined,
  kolla_external_vip_interface: (t) => t.networks.external !== undefined,
};

/** Whether hacloud renders `name` from this topology (so extra_globals may not set it). */
export function isDerivedGlobal(name: string, t: Topology): boolean {
  return name in DERIVED_GLOBALS && (DERIVED_ONLY_WHEN[name]?.(t) ?? true);
}
