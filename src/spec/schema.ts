/**
 * The topology file format, version 1: one strict zod schema that is both the
 * TypeScript type of a parsed topology and the source of `hacloud schema`.
 * Unknown keys are errors (strictObject) so a typo never passes silently.
 */
import { z } from "zod";

/** Host roles; each maps onto kolla-ansible's top-level inventory groups. */
export const ROLES = ["loadbalancer", "control", "network", "compute", "storage", "monitoring"] as const;
export type Role = (typeof ROLES)[number];

/** kolla-ansible releases whose differences hacloud renders (ProxySQL, CLI spellings, group_vars). */
export const RELEASES = ["master", "2025.1", "2024.1"] as const;
export type Release = (typeof RELEASES)[number];

/** Failover tuning profiles: kolla's own values, or ours. */
export const PROFILES = ["kolla-default", "fast-failover"] as const;
export type ProfileName = (typeof PROFILES)[number];

const name = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "must be lowercase letters, digits and inner hyphens");
const ipv4 = z.ipv4({ error: "must be an IPv4 address such as 10.0.0.20" });
const ifname = z
  .string()
  .regex(/^[A-Za-z0-9_.:@-]{1,15}$/, "must be a Linux interface name of at most 15 characters");

const network = z
  .strictObject({
    cidr: z.cidrv4({ error: "must be an IPv4 network in CIDR form such as 10.0.0.0/24" }),
    interface: ifname.describe(
      "Interface name on every host attached to this network, unless the host overrides it",
    ),
    gateway: ipv4.optional(),
  })
  .describe("A layer-2 network of the cloud");

const host = z
  .strictObject({
    roles: z
      .array(z.enum(ROLES))
      .min(1, "a host needs at least one role")
      .describe("kolla-ansible top-level groups this host belongs to"),
    addresses: z
      .record(z.string(), ipv4)
      .describe("Address of the host on each network it is attached to, keyed by network name"),
    interfaces: z
      .record(z.string(), ifname)
      .optional()
      .describe("Per-host interface name overrides, keyed by network name (kolla per-host variables)"),
    fqdn: z.string().optional().describe("Fully qualified name; defaults to <name>.<domain>"),
    zone: z.string().optional().describe("Failure domain (rack, power feed) for the SLA model"),
  })
  .describe("A machine of the cloud");

const vip = z.strictObject({
  internal: ipv4.describe("kolla_internal_vip_address: an unused address in the management network"),
  external: ipv4.optional().describe("kolla_external_vip_address, when it differs from the internal VIP"),
  router_id: z
    .number()
    .int("must be a whole number")
    .describe("keepalived_virtual_router_id (VRID): 1-255, unique per layer-2 domain"),
  internal_fqdn: z.string().optional(),
  external_fqdn: z.string().optional(),
});

const kolla = z.strictObject({
  release: z.enum(RELEASES).describe("openstack_release / kolla-ansible branch"),
  base_distro: z.enum(["ubuntu", "debian", "rocky", "centos"]).default("ubuntu"),
  registry: z.string().optional().describe("docker_registry host:port"),
  registry_insecure: z.boolean().optional(),
  keepalived_traffic: z.enum(["multicast", "unicast"]).optional(),
  enable_proxysql: z
    .boolean()
    .optional()
    .describe("MariaDB through ProxySQL (default on from 2025.1) or through HAProxy active/backup"),
  extra_globals: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("Further globals.yml variables, written verbatim after hacloud's own"),
});

const neutron = z.strictObject({
  plugin: z.enum(["openvswitch", "ovn", "linuxbridge"]).default("openvswitch"),
  routing: z.enum(["l3-ha", "dvr", "legacy"]).default("l3-ha"),
  dvr_compute_mode: z.enum(["dvr", "dvr_no_external"]).optional(),
  provider_networks: z.boolean().optional(),
  external_interface: ifname
    .optional()
    .describe("neutron_external_interface; defaults to the external network's"),
  l3_ha: z.boolean().optional().describe("Also set enable_neutron_agent_ha when routing is dvr (a conflict)"),
  metadata_agent: z
    .boolean()
    .optional()
    .describe("Run neutron-metadata-agent with the L3 agent (default true)"),
});

const cinder = z.strictObject({
  backend: z.enum(["none", "lvm", "ceph", "nfs"]).default("none"),
  enabled: z.boolean().optional().describe("enable_cinder; defaults to true when a backend is set"),
  volume_group: z.string().optional(),
});

const masakari = z.strictObject({
  enabled: z.boolean().default(true),
  recovery: z.enum(["auto", "reserved_host", "auto_priority", "rh_priority"]).default("auto"),
  coordination: z.enum(["etcd", "valkey", "none"]).optional(),
  shared_storage: z
    .boolean()
    .optional()
    .describe("Instances live on shared storage, so that nova evacuate keeps their disks"),
  hacluster: z
    .boolean()
    .optional()
    .describe("enable_hacluster: pacemaker for the host monitor (default true)"),
  reserved_hosts: z.array(z.string()).optional(),
});

const rate = z.strictObject({
  mtbf_h: z.number().positive().describe("Mean time between failures, hours"),
  mttr_h: z.number().positive().describe("Mean time to repair, hours"),
});

const sla = z.strictObject({
  target: z
    .union([z.number(), z.string().regex(/^\d+(\.\d+)?%$/, "must be a percentage such as 99.95%")])
    .describe("Availability target, e.g. 99.95%"),
  window: z
    .string()
    .regex(/^\d+d$/, "must be a number of days such as 30d")
    .default("30d"),
  rates: z
    .record(z.string(), rate)
    .optional()
    .describe(
      "Failure and repair rates per component kind (host, haproxy, mariadb, …) overriding the defaults",
    ),
});

/** The whole topology file. */
export const topologySchema = z
  .strictObject({
    version: z.literal(1, { error: "must be 1, the only topology format version" }),
    cloud: name.describe("Cloud name"),
    domain: z
      .string()
      .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)*$/, "must be a DNS domain such as os.example")
      .describe("DNS domain of the hosts"),
    kolla,
    sla: sla.optional(),
    networks: z
      .record(name, network)
      .describe("Networks keyed by name: management, tenant, external, storage…"),
    vip,
    hosts: z.record(z.string(), host).describe("Hosts keyed by short name"),
    neutron: neutron.optional(),
    cinder: cinder.optional(),
    masakari: masakari.optional(),
    profile: z.enum(PROFILES).default("kolla-default").describe("Failover tuning profile"),
  })
  .describe("hacloud topology: one HA OpenStack cloud built with kolla-ansible");

/** A topology as written (after defaults). */
export type Topology = z.output<typeof topologySchema>;
export type TopologyHost = Topology["hosts"][string];

/** JSON Schema for editors (YAML language servers). */
export function topologyJsonSchema(): object {
  return z.toJSONSchema(topologySchema, { io: "input", target: "draft-2020-12" });
}
