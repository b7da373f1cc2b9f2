/**
 * haproxy.cfg for a lab load balancer, from the same Plan entries kolla's
 * templates render (haproxy_main.cfg.j2 + haproxy_single_service_split.cfg.j2):
 * frontends on the VIP, backends over the controllers with the profile's
 * health-check options, MariaDB active/backup. Lab differences: lab
 * addresses, the stats socket in the host's run directory, logs to stdout
 * (the daemon's log file), maxconn sized for one machine. Pure.
 */
import { haproxyCheckOptions } from "../../../plan/profile.ts";
import type { HaproxyService, Plan } from "../../../plan/types.ts";

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
  /** Services the lab runs; only their entries are proxied. */
  readonly served: ReadonlySet<string>;
  /**
   * (services side, additive) Basic-auth credentials ("user:password") for an entry's HTTP check,
   * by entry name: kolla sends them to RabbitMQ's GET /api/overview, which answers 401 otherwise.
   */
  readonly checkCredentials?: Readonly<Record<string, string>>;
}

/** The Plan's HAProxy entries the lab serves: those of served services, plus MariaDB through HAProxy (no ProxySQL in Debian). */
export function labHaproxyEntries(plan: Plan, served: ReadonlySet<string>): HaproxyService[] {
  const entries = plan.haproxy.filter((e) => served.has(e.service));
  if (served.has("mariadb") && !entries.some((e) => e.name === plan.databaseHaproxy.name)) {
    entries.push(plan.databaseHaproxy);
  }
  return entries;
}

function section(head: string, lines: readonly string[]): string {
  return [head, ...lines.map((l) => `    ${l}`)].join("\n") + "\n";
}

function serviceSections(plan: Plan, e: HaproxyService, view: LabHaproxyView): string {
  const vip = e.vip === "external" ? (view.vip.external ?? view.vip.internal) : view.vip.internal;
  const check = haproxyCheckOptions(plan.profile.haproxy);
  const front: string[] = [`mode ${e.mode}`];
  if (e.mode === "http")
    front.push("http-request del-header X-Forwarded-Proto", "option httplog", "option forwardfor");
  else front.push("option tcplog");
  front.push(...e.frontendExtra);
  if (e.timeouts?.client !== undefined) front.push(`timeout client ${e.timeouts.client}`);
  front.push(`bind ${vip}:${e.port}`, `default_backend ${e.name}_back`);
  const back: string[] = [`mode ${e.mode}`, ...e.backendExtra];
  const credentials = view.checkCredentials?.[e.name];
  if (credentials !== undefined) {
    back.push(`http-check send hdr Authorization "Basic ${Buffer.from(credentials).toString("base64")}"`);
  }
  if (e.timeouts?.server !== undefined) back.push(`timeout server ${e.timeouts.server}`);
  for (const s of e.servers) {
    back.push(`server ${s.host} ${view.addressOf(s.host)}:${s.port} ${check}${s.backup ? " backup" : ""}`);
  }
  return section(`frontend ${e.name}_front`, front) + "\n" + section(`backend ${e.name}_back`, back);
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
      "balance roundrobin",
      "maxconn 4000",
    ]),
    section("listen stats", [
      `bind ${view.apiAddress}:1984`,
      "mode http",
      "stats enable",
      "stats uri /",
      "stats refresh 15s",
      "stats realm Haproxy\\ Stats",
      `stats auth openstack:${view.statsPassword}`,
    ]),
    section("frontend status", [
      `bind ${view.apiAddress}:61313`,
      `bind ${view.vip.internal}:61313`,
      "mode http",
      "monitor-uri /",
    ]),
    ...labHaproxyEntries(plan, view.served).map((e) => serviceSections(plan, e, view)),
  ];
  return parts.join("\n");
}
