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
    cidr: z
      .cidrv4({ error: "must be an IPv4 network in CIDR form such as 10.0.0.0/24" })
      .describe("The network's IPv4 range, e.g. 10.0.0.0/24; every host address on it must fall inside"),
    interface: ifname.describe(
      "Interface name on every host attached to this network, unless the host overrides it",
    ),
    gateway: ipv4.optional().describe("The network's default gateway, when it has one"),
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
  internal_fqdn: z
    .string()
    .optional()
    .describe("kolla_internal_fqdn: the name that resolves to the internal VIP (default: the VIP's address)"),
  external_fqdn: z
    .string()
    .optional()
    .describe("kolla_external_fqdn: the name that resolves to the external VIP (default: internal_fqdn)"),
});

/** A verbatim config override may be this large (kolla's biggest, a service's policy file, is ~100 KiB). */
export const MAX_CONFIG_OVERRIDE_BYTES = 1024 * 1024;
/** So many verbatim config overrides at most. */
export const MAX_CONFIG_OVERRIDES = 1000;

/**
 * A path under /etc/kolla/config: relative, `/`-separated, no `.` or `..`
 * segment, so that rendering it can never write outside DIR/config.
 */
export const CONFIG_OVERRIDE_PATH =
  /^(?!\.{1,2}(?:\/|$))(?!.*\/\.{1,2}(?:\/|$))[A-Za-z0-9._@+-]+(?:\/[A-Za-z0-9._@+-]+)*$/;

const configOverrides = z
  .record(
    z
      .string()
      .max(255, "must be at most 255 characters")
      .regex(
        CONFIG_OVERRIDE_PATH,
        "must be a path relative to kolla's config directory, such as nova/nova.conf: no leading `/`, no `.` or `..`, letters, digits and `._@+-`",
      )
      .refine((p) => p !== "README.md", "README.md is the index hacloud writes into config/"),
    z.string().max(MAX_CONFIG_OVERRIDE_BYTES, `must be at most ${MAX_CONFIG_OVERRIDE_BYTES / 1024} KiB`),
  )
  .refine((r) => Object.keys(r).length <= MAX_CONFIG_OVERRIDES, `at most ${MAX_CONFIG_OVERRIDES} files`);

const kolla = z.strictObject({
  release: z.enum(RELEASES).describe("openstack_release / kolla-ansible branch"),
  base_distro: z
    .enum(["ubuntu", "debian", "rocky", "centos"])
    .default("ubuntu")
    .describe("kolla_base_distro: the distribution kolla's container images are built on"),
  registry: z.string().optional().describe("docker_registry host:port"),
  registry_insecure: z
    .boolean()
    .optional()
    .describe("docker_registry_insecure: pull from the registry over plain HTTP"),
  keepalived_traffic: z
    .enum(["multicast", "unicast"])
    .optional()
    .describe("keepalived_traffic_mode: how the load balancers' VRRP adverts travel (default multicast)"),
  enable_proxysql: z
    .boolean()
    .optional()
    .describe("MariaDB through ProxySQL (default on from 2025.1) or through HAProxy active/backup"),
  extra_globals: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("Further globals.yml variables, written verbatim after hacloud's own"),
  config_overrides: configOverrides
    .optional()
    .describe(
      "Files of /etc/kolla/config (kolla's node_custom_config) that hacloud does not model, keyed by their path under it (e.g. nova/nova-compute.conf), written byte for byte into DIR/config by `hacloud render`; `hacloud import --config-dir` fills it",
    ),
});

const neutron = z.strictObject({
  plugin: z
    .enum(["openvswitch", "ovn", "linuxbridge"])
    .default("openvswitch")
    .describe("neutron_plugin_agent: the ML2 mechanism driver"),
  routing: z
    .enum(["l3-ha", "dvr", "legacy"])
    .default("l3-ha")
    .describe("How routers survive a network node: VRRP between L3 agents (l3-ha), DVR, or neither (legacy)"),
  dvr_compute_mode: z
    .enum(["dvr", "dvr_no_external"])
    .optional()
    .describe(
      "neutron_compute_dvr_mode: whether computes also route floating IPs (dvr) or not (default dvr)",
    ),
  provider_networks: z
    .boolean()
    .optional()
    .describe("enable_neutron_provider_networks: instances attach to the external network directly"),
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
  backend: z
    .enum(["none", "lvm", "ceph", "nfs"])
    .default("none")
    .describe(
      "The cinder-volume backend: enable_cinder_backend_lvm, ceph (external) or nfs; none for no Cinder",
    ),
  enabled: z.boolean().optional().describe("enable_cinder; defaults to true when a backend is set"),
  volume_group: z
    .string()
    .optional()
    .describe("cinder_volume_group: the LVM volume group on the storage hosts (default cinder-volumes)"),
});

const masakari = z.strictObject({
  enabled: z.boolean().default(true).describe("enable_masakari: instance HA on the computes"),
  recovery: z
    .enum(["auto", "reserved_host", "auto_priority", "rh_priority"])
    .default("auto")
    .describe("The failover segment's recovery method: where evacuated instances go"),
  coordination: z
    .enum(["etcd", "valkey", "none"])
    .optional()
    .describe("The coordination backend Masakari's engines share (etcd, or valkey/redis)"),
  shared_storage: z
    .boolean()
    .optional()
    .describe("Instances live on shared storage, so that nova evacuate keeps their disks"),
  hacluster: z
    .boolean()
    .optional()
    .describe("enable_hacluster: pacemaker for the host monitor (default true)"),
  reserved_hosts: z
    .array(z.string())
    .optional()
    .describe("Computes kept empty to receive evacuated instances (recovery reserved_host, rh_priority)"),
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
    .default("30d")
    .describe("The period the target is measured over, in days, e.g. 30d"),
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
    version: z
      .literal(1, { error: "must be 1, the only topology format version" })
      .describe("The topology format's version: 1"),
    cloud: name.describe("Cloud name"),
    domain: z
      .string()
      .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)*$/, "must be a DNS domain such as os.example")
      .describe("DNS domain of the hosts"),
    kolla: kolla.describe("kolla-ansible's release, images and further globals.yml variables"),
    sla: sla.optional().describe("The availability target the SLA model and drills are judged against"),
    networks: z
      .record(name, network)
      .describe("Networks keyed by name: management, tenant, external, storage…"),
    vip: vip.describe("The virtual IP keepalived moves between the load balancers"),
    hosts: z.record(z.string(), host).describe("Hosts keyed by short name"),
    neutron: neutron.optional().describe("Neutron's plugin and how routers survive a network node"),
    cinder: cinder.optional().describe("Block storage: Cinder's volume backend"),
    masakari: masakari.optional().describe("Instance HA: Masakari's recovery and what it relies on"),
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
