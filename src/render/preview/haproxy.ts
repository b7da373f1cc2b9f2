/**
 * HAProxy configuration as kolla-ansible produces it on a load balancer:
 * haproxy.cfg from roles/loadbalancer/templates/haproxy/haproxy_main.cfg.j2
 * plus one services.d/<service>.cfg per enabled service from
 * roles/haproxy-config/templates/haproxy_single_service_split.cfg.j2 (kolla
 * runs `haproxy -f haproxy.cfg -f services.d/`). The building blocks are
 * exported so the lab's haproxy is built from the same code.
 */
import { haproxyCheckOptions, type HaproxyTuning } from "../../plan/profile.ts";
import type { HaproxyServer, HaproxyService } from "../../plan/types.ts";

/** kolla's fixed values (group_vars, roles/loadbalancer/defaults/main.yml). */
export const KOLLA_HAPROXY = {
  statsPort: 1984,
  monitorPort: 61313,
  metricsPort: 9101,
  syslogPort: 5140,
  syslogFacility: "local1",
  maxConnections: 40000,
  threads: 1,
  defaultsMaxConnections: 10000,
  balance: "roundrobin",
  user: "openstack",
  socket: "/var/lib/kolla/haproxy/haproxy.sock",
  frontendHttpExtra: ["option httplog", "option forwardfor"],
  frontendTcpExtra: ["option tcplog"],
} as const;

/** Host-specific values of haproxy_main.cfg. */
export interface HaproxyMainOptions {
  /** The load balancer's api_interface address. */
  readonly apiAddress: string;
  readonly internalVip: string;
  /** `stats auth` password: a placeholder in previews. */
  readonly statsPassword: string;
  /** Group of the stats socket (kolla: "kolla"; it must exist where the file is checked). */
  readonly socketGroup: string;
  /** The prometheus exporter listener (kolla: on whenever haproxy is). */
  readonly metrics: boolean;
}

/** The `global` and `defaults` sections with a profile's timeouts. */
export function globalAndDefaults(
  t: HaproxyTuning,
  o: Pick<HaproxyMainOptions, "apiAddress" | "socketGroup">,
): string {
  const k = KOLLA_HAPROXY;
  return [
    "global",
    "    chroot /var/lib/haproxy",
    "    user haproxy",
    "    group haproxy",
    "    daemon",
    `    log ${o.apiAddress}:${k.syslogPort} ${k.syslogFacility}`,
    `    maxconn ${k.maxConnections}`,
    `    nbthread ${k.threads}`,
    `    stats socket ${k.socket} group ${o.socketGroup} mode 660`,
    "",
    "defaults",
    "    log global",
    "    option redispatch",
    "    retries 3",
    `    timeout http-request ${t.timeouts.httpRequest}`,
    `    timeout http-keep-alive ${t.timeouts.httpKeepAlive}`,
    `    timeout queue ${t.timeouts.queue}`,
    `    timeout connect ${t.timeouts.connect}`,
    `    timeout client ${t.timeouts.client}`,
    `    timeout server ${t.timeouts.server}`,
    `    timeout check ${t.timeouts.check}`,
    `    balance ${k.balance}`,
    `    maxconn ${k.defaultsMaxConnections}`,
    "",
  ].join("\n");
}

/** haproxy_main.cfg: global, defaults, stats, metrics and the monitor frontend keepalived's peers probe. */
export function haproxyMain(t: HaproxyTuning, o: HaproxyMainOptions): string {
  const k = KOLLA_HAPROXY;
  let s = globalAndDefaults(t, o) + "\n";
  s += [
    "listen stats",
    `   bind ${o.apiAddress}:${k.statsPort}`,
    "   mode http",
    "   stats enable",
    "   stats uri /",
    "   stats refresh 15s",
    "   stats realm Haproxy\\ Stats",
    `   stats auth ${k.user}:${o.statsPassword}`,
    "",
  ].join("\n");
  if (o.metrics) {
    s += [
      "",
      "listen metrics",
      `   bind ${o.apiAddress}:${k.metricsPort}`,
      "   mode http",
      "   http-request use-service prometheus-exporter if { path /metrics }",
      "",
    ].join("\n");
  }
  const status = ["", "frontend status", `    bind ${o.apiAddress}:${k.monitorPort}`];
  if (o.apiAddress !== o.internalVip) status.push(`    bind ${o.internalVip}:${k.monitorPort}`);
  status.push("    mode http", "    monitor-uri /", "");
  return s + status.join("\n");
}

/** One backend server line: `server <host> <ip>:<port> <check options>[ backup]`. */
export function serverLine(server: HaproxyServer, checkOptions: string): string {
  return `server ${server.host} ${server.address}:${server.port} ${checkOptions}${server.backup ? " backup" : ""}`;
}

/** MariaDB's check options: kolla checks the clustercheck port (or 3306) with the profile's timing. */
export function mariadbCheckOptions(t: HaproxyTuning, checkPort: number): string {
  return haproxyCheckOptions(t).replace(/^check\b/, `check port ${checkPort}`);
}

/** How kolla builds one service's frontend and backend. */
export interface ServiceBlockOptions {
  /** Options after `server <host> <ip>:<port>`. */
  readonly checkOptions: string;
  /** Backend lines after the service's own extras (mariadb: `option httpchk` for clustercheck). */
  readonly backendAfter?: readonly string[];
}

/** `frontend <name>_front` as the split template writes it. */
export function frontendBlock(svc: HaproxyService): string {
  const lines = [`frontend ${svc.name}_front`, `    mode ${svc.mode}`];
  const clientTimeout = svc.timeouts?.client;
  if (svc.mode === "http") {
    if (svc.vip === "external") lines.push("    http-request deny if { path -i -m beg /server-status }");
    lines.push("    http-request del-header X-Forwarded-Proto");
    for (const x of [...svc.frontendExtra, ...KOLLA_HAPROXY.frontendHttpExtra]) lines.push(`    ${x}`);
    lines.push("    http-request set-header X-Forwarded-Proto https if { ssl_fc }");
  } else {
    const own = [...svc.frontendExtra, ...(clientTimeout ? [`timeout client ${clientTimeout}`] : [])];
    for (const x of [...own, ...KOLLA_HAPROXY.frontendTcpExtra]) lines.push(`    ${x}`);
  }
  lines.push(`    bind ${svc.bindAddress}:${svc.port}`, `    default_backend ${svc.name}_back`);
  return lines.join("\n") + "\n";
}

/** `backend <name>_back` with one server line per host. */
export function backendBlock(svc: HaproxyService, o: ServiceBlockOptions): string {
  const lines = [`backend ${svc.name}_back`, `    mode ${svc.mode}`];
  const timeouts = Object.entries(svc.timeouts ?? {})
    .filter(([k]) => k !== "client")
    .map(([k, v]) => `timeout ${k} ${v}`);
  for (const x of [...svc.backendExtra, ...timeouts, ...(o.backendAfter ?? [])]) lines.push(`    ${x}`);
  for (const server of svc.servers) lines.push(`    ${serverLine(server, o.checkOptions)}`);
  return lines.join("\n") + "\n";
}

/** A service's services.d content: frontend, blank line, backend. */
export function serviceBlocks(svc: HaproxyService, o: ServiceBlockOptions): string {
  return frontendBlock(svc) + "\n" + backendBlock(svc, o);
}
