/**
 * The HAProxy entries kolla-ansible's roles declare (`<role>_services.*.haproxy`
 * in ansible/roles/<role>/defaults/main.yml), for the services a hacloud
 * topology enables. Ports and extras follow kolla's defaults.
 */

/** One kolla haproxy entry, before hosts are filled in. */
export interface HaproxyEntry {
  readonly name: string;
  readonly service: string;
  /** kolla inventory group whose hosts are the backend servers. */
  readonly group: string;
  readonly mode: "http" | "tcp";
  readonly port: number;
  readonly listenPort?: number;
  readonly external?: boolean;
  readonly activePassive?: boolean;
  readonly frontendExtra?: readonly string[];
  readonly backendExtra?: readonly string[];
  /** Included only when the topology enables this feature. */
  readonly when?: "cinder" | "masakari";
}

const API: readonly Omit<HaproxyEntry, "external">[] = [
  {
    name: "keystone",
    service: "keystone",
    group: "keystone",
    mode: "http",
    port: 5000,
    backendExtra: ["balance roundrobin"],
  },
  {
    name: "glance_api",
    service: "glance",
    group: "glance-api",
    mode: "http",
    port: 9292,
    frontendExtra: ["timeout client 6h"],
    backendExtra: ["timeout server 6h"],
  },
  { name: "nova_api", service: "nova", group: "nova-api", mode: "http", port: 8774 },
  { name: "nova_metadata", service: "nova", group: "nova-metadata", mode: "http", port: 8775 },
  {
    name: "nova_novncproxy",
    service: "nova",
    group: "nova-novncproxy",
    mode: "http",
    port: 6080,
    backendExtra: ["timeout tunnel 1h"],
  },
  { name: "placement_api", service: "placement", group: "placement-api", mode: "http", port: 8780 },
  { name: "neutron_server", service: "neutron", group: "neutron-server", mode: "http", port: 9696 },
  { name: "heat_api", service: "heat", group: "heat-api", mode: "http", port: 8004 },
  { name: "heat_api_cfn", service: "heat", group: "heat-api-cfn", mode: "http", port: 8000 },
  {
    name: "horizon",
    service: "horizon",
    group: "horizon",
    mode: "http",
    port: 80,
    backendExtra: ["balance roundrobin"],
  },
  { name: "cinder_api", service: "cinder", group: "cinder-api", mode: "http", port: 8776, when: "cinder" },
  {
    name: "masakari_api",
    service: "masakari",
    group: "masakari-api",
    mode: "http",
    port: 15868,
    backendExtra: ["option httpchk GET /"],
    when: "masakari",
  },
];

/**
 * Internal entries are named `<name>` except keystone's (`keystone_internal`);
 * external entries `<name>_external`, rendered only when the external VIP
 * differs from the internal one (kolla's haproxy_enable_external_vip).
 */
export function apiEntries(opts: {
  readonly cinder: boolean;
  readonly masakari: boolean;
  readonly externalVip: boolean;
}): HaproxyEntry[] {
  const out: HaproxyEntry[] = [];
  for (const e of API) {
    if (e.when === "cinder" && !opts.cinder) continue;
    if (e.when === "masakari" && !opts.masakari) continue;
    out.push({ ...e, name: e.name === "keystone" ? "keystone_internal" : e.name });
    if (opts.externalVip && e.name !== "nova_metadata") {
      out.push({ ...e, name: `${e.name}_external`, external: true });
    }
  }
  out.push({
    name: "rabbitmq_management",
    service: "rabbitmq",
    group: "rabbitmq",
    mode: "http",
    port: 15672,
    backendExtra: ["option httpchk GET /api/overview"],
  });
  return out;
}

/** MariaDB through HAProxy: first host active, the rest backup; long TCP timeouts for pooled connections. */
export const MARIADB_ENTRY: HaproxyEntry = {
  name: "mariadb",
  service: "mariadb",
  group: "mariadb",
  mode: "tcp",
  port: 3306,
  activePassive: true,
  frontendExtra: ["option clitcpka"],
  backendExtra: ["option srvtcpka"],
};
