/**
 * The HAProxy entries kolla-ansible's roles declare (`<role>_services.*.haproxy`
 * in ansible/roles/<role>/defaults/main.yml), for the services a hacloud
 * topology enables. Ports and extras follow kolla's defaults, per release:
 * the HTTP health checks of the API backends differ (see `httpCheckLines`).
 */
import type { Release } from "../spec/schema.ts";

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
  /** kolla's HTTP health check of the backend servers (by release: `httpCheckLines`). */
  readonly httpCheck?: HttpCheck;
}

/**
 * An API backend's HTTP health check as kolla declares it on master: `path` is the
 * GET it sends (answered 200), or null for `option httpchk` alone (horizon).
 * `pathOn2025` when 2025.x already sent that GET (placement); other services
 * were a bare `option httpchk` there (HAProxy: OPTIONS /, any 2xx/3xx is up).
 */
export interface HttpCheck {
  readonly path: "/healthcheck" | "/" | null;
  readonly pathOn2025?: boolean;
}

/**
 * The `backend_http_extra` health-check lines of one API backend in a release (ansible/roles/<role>/
 * defaults/main.yml): none on 2024.1 (a TCP connect is the check), `option httpchk` on 2025.1, and
 * on master a GET of the service's health path that must answer 200.
 */
export function httpCheckLines(check: HttpCheck | undefined, release: Release): string[] {
  if (check === undefined || release === "2024.1") return [];
  if (release === "master") {
    return check.path === null
      ? ["option httpchk"]
      : [`option httpchk GET ${check.path}`, "http-check expect status 200"];
  }
  return check.pathOn2025 && check.path !== null ? [`option httpchk GET ${check.path}`] : ["option httpchk"];
}

const HEALTHCHECK: HttpCheck = { path: "/healthcheck" };
const ROOT: HttpCheck = { path: "/" };

const API: readonly Omit<HaproxyEntry, "external">[] = [
  {
    name: "keystone",
    service: "keystone",
    group: "keystone",
    mode: "http",
    port: 5000,
    backendExtra: ["balance roundrobin"],
    httpCheck: HEALTHCHECK,
  },
  {
    name: "glance_api",
    service: "glance",
    group: "glance-api",
    mode: "http",
    port: 9292,
    frontendExtra: ["timeout client 6h"],
    backendExtra: ["timeout server 6h"],
    httpCheck: HEALTHCHECK,
  },
  { name: "nova_api", service: "nova", group: "nova-api", mode: "http", port: 8774, httpCheck: ROOT },
  {
    name: "nova_metadata",
    service: "nova",
    group: "nova-metadata",
    mode: "http",
    port: 8775,
    httpCheck: ROOT,
  },
  {
    name: "nova_novncproxy",
    service: "nova",
    group: "nova-novncproxy",
    mode: "http",
    port: 6080,
    backendExtra: ["timeout tunnel 1h"],
  },
  {
    name: "placement_api",
    service: "placement",
    group: "placement-api",
    mode: "http",
    port: 8780,
    httpCheck: { path: "/", pathOn2025: true },
  },
  {
    name: "neutron_server",
    service: "neutron",
    group: "neutron-server",
    mode: "http",
    port: 9696,
    httpCheck: HEALTHCHECK,
  },
  { name: "heat_api", service: "heat", group: "heat-api", mode: "http", port: 8004, httpCheck: HEALTHCHECK },
  {
    name: "heat_api_cfn",
    service: "heat",
    group: "heat-api-cfn",
    mode: "http",
    port: 8000,
    httpCheck: HEALTHCHECK,
  },
  {
    name: "horizon",
    service: "horizon",
    group: "horizon",
    mode: "http",
    port: 80,
    backendExtra: ["balance roundrobin"],
    httpCheck: { path: null },
  },
  {
    name: "cinder_api",
    service: "cinder",
    group: "cinder-api",
    mode: "http",
    port: 8776,
    when: "cinder",
    httpCheck: HEALTHCHECK,
  },
  {
    name: "masakari_api",
    service: "masakari",
    group: "masakari-api",
    mode: "http",
    port: 15868,
    when: "masakari",
    httpCheck: ROOT,
  },
];

/**
 * Internal entries are named `<name>` except keystone's (`keystone_internal`);
 * external entries `<name>_external`, rendered only when the external VIP
 * differs from the internal one (kolla's haproxy_enable_external_vip).
 */
export function apiEntries(opts: {
  readonly release: Release;
  readonly cinder: boolean;
  readonly masakari: boolean;
  /** kolla's etcd role (enable_etcd; the chapter's Masakari coordination backend). */
  readonly etcd: boolean;
  readonly externalVip: boolean;
}): HaproxyEntry[] {
  const out: HaproxyEntry[] = [];
  for (const api of API) {
    if (api.when === "cinder" && !opts.cinder) continue;
    if (api.when === "masakari" && !opts.masakari) continue;
    const e = {
      ...api,
      backendExtra: [...(api.backendExtra ?? []), ...httpCheckLines(api.httpCheck, opts.release)],
    };
    out.push({ ...e, name: e.name === "keystone" ? "keystone_internal" : e.name });
    if (opts.externalVip && e.name !== "nova_metadata") {
      out.push({ ...e, name: `${e.name}_external`, external: true });
    }
  }
  // roles/etcd/defaults/main.yml (2024.1 to master): the client port on the internal VIP, no check
  // beyond the TCP connect; Masakari's coordination backend_url points there.
  if (opts.etcd) out.push({ name: "etcd", service: "etcd", group: "etcd", mode: "http", port: 2379 });
  // The check of GET /api/overview (with the monitoring user's basic auth) exists on master only.
  out.push({
    name: "rabbitmq_management",
    service: "rabbitmq",
    group: "rabbitmq",
    mode: "http",
    port: 15672,
    backendExtra: opts.release === "master" ? ["option httpchk GET /api/overview"] : [],
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
