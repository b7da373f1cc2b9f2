/**
 * haproxy.cfg for a lab load balancer, from the same Plan entries kolla's
 * templates render: the services' frontends and backends come from the kolla
 * preview's own blocks (render/preview/haproxy.ts) with lab addresses, so the
 * lab proxies exactly what kolla would. The global section is the lab's:
 * the stats socket in the host's run directory, logs to stdout (the daemon's
 * log file) instead of syslog, no chroot, maxconn sized for one machine;
 * defaults, stats and monitor listeners follow kolla's haproxy_main.cfg.j2.
 * MariaDB is active/backup, checked on 3306 (no clustercheck). Pure.
 */
import { haproxyCheckOptions } from "../../../plan/profile.ts";
import type { HaproxyService, Plan } from "../../../plan/types.ts";
import type { LabProxied } from "../service.ts";
import { KOLLA_HAPROXY, serviceBlocks, type ServiceBlockOptions } from "../../../render/preview/haproxy.ts";

/** What the lab changes in kolla's haproxy configuration. */
export interface LabHaproxyView {
  /** Lab VIPs. */
  readonly vip: { readonly internal: string; readonly external?: string };
  /** This load balancer's lab address on the API network. */
  readonly apiAddress: string;
  /** Lab API address of a backend host. */
  readonly addressOf: (host: string) => string;
  readonly socketPath: string;
  readonly statsPassword: string;
  /** The entries the lab's services answer (runtime.ts proxiedEntries): only these are proxied. */
  readonly proxied: readonly LabProxied[];
}

function section(head: string, lines: readonly string[]): string {
  return [head, ...lines.map((l) => `    ${l}`)].join("\n") + "\n";
}

/** A Plan entry moved to lab addresses: its frontend on the lab VIP, its servers on the controllers' lab addresses. */
export function labHaproxyService(e: HaproxyService, view: LabHaproxyView): HaproxyService {
  return {
    ...e,
    bindAddress: e.vip === "external" ? (view.vip.external ?? view.vip.internal) : view.vip.internal,
    servers: e.servers.map((s) => ({ ...s, address: view.addressOf(s.host) })),
  };
}

/** kolla's check options, or the service's own (MariaDB: its port itself, as the lab has no clustercheck). */
function blockOptions(plan: Plan, p: LabProxied): ServiceBlockOptions {
  const e = p.entry;
  const checkOptions = p.checkOptions ?? haproxyCheckOptions(plan.profile.haproxy);
  // kolla authenticates the check of RabbitMQ's GET /api/overview, which answers 401 otherwise; only where
  // the release checks over HTTP (master): 2025.1 and 2024.1 check RabbitMQ's port with a TCP connect.
  const credentials = e.backendExtra.some((x) => x.startsWith("option httpchk"))
    ? p.checkCredentials
    : undefined;
  if (credentials === undefined) return { checkOptions };
  const basic = Buffer.from(credentials).toString("base64");
  return { checkOptions, backendAfter: [`http-check send hdr Authorization "Basic ${basic}"`] };
}

/** The whole haproxy.cfg of one lab load balancer. */
export function labHaproxyConfig(plan: Plan, view: LabHaproxyView): string {
  const t = plan.profile.haproxy.timeouts;
  const parts = [
    `# haproxy.cfg of a hacloud lab load balancer (cloud ${plan.cloud}, profile ${plan.profileName}).\n` +
      "# Generated from the Plan like kolla's haproxy templates; do not edit, run `hacloud lab up` again.\n",
    section("global", [
      // kolla: 40000; one machine runs every load balancer of the lab
      "maxconn 4000",
      "nbthread 1",
      `stats socket ${view.socketPath} mode 600 level admin`,
      "log stdout format raw local0 notice",
    ]),
    section("defaults", [
      "log global",
      "option redispatch",
      "retries 3",
      `timeout http-request ${t.httpRequest}`,
      `timeout queue ${t.queue}`,
      `timeout connect ${t.connect}`,
      `timeout client ${t.client}`,
      `timeout server ${t.server}`,
      `timeout check ${t.check}`,
      `timeout http-keep-alive ${t.httpKeepAlive}`,
      `balance ${KOLLA_HAPROXY.balance}`,
      "maxconn 4000",
    ]),
    section("listen stats", [
      `bind ${view.apiAddress}:${KOLLA_HAPROXY.statsPort}`,
      "mode http",
      "stats enable",
      "stats uri /",
      "stats refresh 15s",
      "stats realm Haproxy\\ Stats",
      `stats auth ${KOLLA_HAPROXY.user}:${view.statsPassword}`,
    ]),
    section("frontend status", [
      `bind ${view.apiAddress}:${KOLLA_HAPROXY.monitorPort}`,
      `bind ${view.vip.internal}:${KOLLA_HAPROXY.monitorPort}`,
      "mode http",
      "monitor-uri /",
    ]),
    ...view.proxied.map((p) => serviceBlocks(labHaproxyService(p.entry, view), blockOptions(plan, p))),
  ];
  return parts.join("\n");
}
