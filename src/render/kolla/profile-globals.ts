/**
 * The failover profile's kolla variables. Where kolla exposes a variable for a
 * value, the profile is carried by that variable (globals.yml), not by a
 * config/ file: a variable keeps working across kolla upgrades, while a file
 * override freezes everything else in the file it replaces. Only values that
 * differ from kolla's own defaults (the kolla-default profile) are written.
 */
import { failoverProfile, haproxyCheckOptions } from "../../plan/profile.ts";
import type { FailoverProfile } from "../../plan/profile.ts";
import type { Plan } from "../../plan/types.ts";

/** One globals.yml variable the profile sets. */
export interface ProfileGlobal {
  readonly name: string;
  readonly value: string | number | readonly string[] | Readonly<Record<string, number | string>>;
  /** Where kolla reads it (for the comment and docs/render.md). */
  readonly source: string;
}

/** kolla's own values: what kolla renders when nothing is overridden. */
export const KOLLA_DEFAULTS: FailoverProfile = failoverProfile("kolla-default");

/** Galera option names of GaleraTuning fields. */
const GALERA_OPTIONS = [
  ["evsSuspectTimeout", "evs.suspect_timeout"],
  ["evsInactiveTimeout", "evs.inactive_timeout"],
  ["evsKeepalivePeriod", "evs.keepalive_period"],
  ["evsInactiveCheckPeriod", "evs.inactive_check_period"],
  ["evsInstallTimeout", "evs.install_timeout"],
] as const;

/** HAProxy timeout variables (roles/loadbalancer/defaults/main.yml) of HaproxyTuning.timeouts fields. */
const HAPROXY_TIMEOUTS = [
  ["httpRequest", "haproxy_http_request_timeout"],
  ["httpKeepAlive", "haproxy_http_keep_alive_timeout"],
  ["queue", "haproxy_queue_timeout"],
  ["connect", "haproxy_connect_timeout"],
  ["client", "haproxy_client_timeout"],
  ["server", "haproxy_server_timeout"],
  ["check", "haproxy_check_timeout"],
] as const;

/** The wsrep provider options a profile adds to kolla's (per-host gmcast/ist addresses stay kolla's). */
export function galeraProviderOptions(p: FailoverProfile): string[] {
  return GALERA_OPTIONS.filter(([field]) => p.galera[field] !== KOLLA_DEFAULTS.galera[field]).map(
    ([field, option]) => `${option}=${p.galera[field]}`,
  );
}

/** The profile's globals.yml variables, in a stable order. */
export function profileGlobals(plan: Plan): ProfileGlobal[] {
  const p = plan.profile;
  const d = KOLLA_DEFAULTS;
  const out: ProfileGlobal[] = [];
  const checks = haproxyCheckOptions(p.haproxy);
  if (checks !== haproxyCheckOptions(d.haproxy)) {
    out.push({
      name: "haproxy_health_check",
      value: checks,
      source: "roles/haproxy-config/defaults/main.yml (server lines of every kolla haproxy service)",
    });
  }
  for (const [field, name] of HAPROXY_TIMEOUTS) {
    if (p.haproxy.timeouts[field] !== d.haproxy.timeouts[field]) {
      out.push({ name, value: p.haproxy.timeouts[field], source: "roles/loadbalancer/defaults/main.yml" });
    }
  }
  if (p.haproxy.tcpRetries2 !== undefined) {
    out.push({
      name: "haproxy_host_ipv4_tcp_retries2",
      value: p.haproxy.tcpRetries2,
      source: "roles/loadbalancer/tasks/config-host.yml (sysctl net.ipv4.tcp_retries2 on load balancers)",
    });
  }
  const galera = galeraProviderOptions(p);
  if (galera.length > 0) {
    out.push({
      name: "mariadb_wsrep_extra_provider_options",
      value: galera,
      source: "roles/mariadb/templates/galera.cnf.j2 (appended to wsrep_provider_options)",
    });
  }
  if (p.rabbitmq.netTicktime !== d.rabbitmq.netTicktime) {
    out.push({
      name: "rabbitmq_extra_config",
      value: { net_ticktime: p.rabbitmq.netTicktime },
      source: "roles/rabbitmq/templates/rabbitmq.conf.j2 (extra rabbitmq.conf keys)",
    });
  }
  return out;
}
