/**
 * DIR/config/: the /etc/kolla/config/ overrides (kolla's node_custom_config)
 * that carry the failover profile where kolla has no variable for it. Only
 * values that differ from kolla's defaults are written, so kolla-default
 * yields nothing but the README. Paths and merge rules, per kolla task:
 *
 * - keepalived: roles/loadbalancer/tasks/config.yml, `template` with
 *   with_first_found keepalived/<host>/keepalived.conf → keepalived/keepalived.conf
 *   → the role's template. A whole file, rendered as a Jinja template.
 * - haproxy: roles/haproxy-config/tasks/main.yml, first_found
 *   haproxy-config/<host>/<svc>.cfg → haproxy-config/<svc>.cfg → split template:
 *   replaces the whole services.d/<svc>.cfg of that kolla service.
 * - neutron: roles/neutron/tasks/config.yml, merge_configs of
 *   neutron/l3_agent.ini (+ neutron/<host>/l3_agent.ini): key-level INI merge.
 * - masakari: roles/masakari/tasks/config.yml, merge_configs of masakari.conf,
 *   masakari/<svc>.conf, masakari/masakari-monitors.conf.
 * - nova: roles/nova{,-cell}/tasks/config.yml, merge_configs of nova.conf.
 *
 * Then the topology's verbatim kolla.config_overrides, byte for byte: files an
 * existing deployment had that hacloud does not model (`import --config-dir`).
 */
import type { Plan } from "../../plan/types.ts";
import { comment, generatedLines } from "../generated.ts";
import { serviceBlocks } from "../preview/haproxy.ts";
import { KOLLA_CHECK_SCRIPT } from "../preview/keepalived.ts";
import {
  keepalivedOverridden,
  loadBalancerKeepalived,
  mariadbOverridden,
  serviceBlockOptions,
} from "../preview/load-balancer.ts";
import { KOLLA_DEFAULTS, profileGlobals } from "./profile-globals.ts";

/** Neutron's own default for ha_vrrp_advert_int (kolla never sets it). */
const NEUTRON_HA_VRRP_ADVERT_INT = 2;

/** One override file and the line for config/README.md. */
interface Override {
  readonly path: string;
  readonly content: string;
  readonly summary: string;
}

/** Files under DIR/config/, keyed by path under DIR. */
export function renderConfig(plan: Plan, topologyFile: string): Map<string, string> {
  const overrides = [
    ...keepalivedOverrides(plan, topologyFile),
    ...mariadbOverride(plan, topologyFile),
    ...neutronOverride(plan, topologyFile),
    ...masakariOverrides(plan, topologyFile),
  ];
  const out = new Map<string, string>();
  out.set("config/README.md", readme(plan, topologyFile, overrides));
  for (const o of overrides) out.set(o.path, o.content);
  // Verbatim files last: like extra_globals, the operator's text wins over hacloud's own.
  for (const [path, text] of Object.entries(plan.configOverrides)) out.set(`config/${path}`, text);
  return out;
}

function header(topologyFile: string, kollaTask: string): string {
  return comment([...generatedLines(topologyFile), `kolla-ansible reads it in ${kollaTask}.`]);
}

function keepalivedOverrides(plan: Plan, topologyFile: string): Override[] {
  if (!keepalivedOverridden(plan)) return [];
  const k = plan.profile.keepalived;
  return plan.vrrp.members.map((member) => ({
    path: `config/keepalived/${member.host}/keepalived.conf`,
    content:
      header(topologyFile, "roles/loadbalancer/tasks/config.yml (replaces the keepalived.conf.j2 output)") +
      comment([
        `Per host because the VRRP priority is the host's position in [loadbalancer] (${member.host}: ${member.priority}).`,
      ]) +
      "\n" +
      // The override is rendered by Ansible's template module: the password stays a variable.
      loadBalancerKeepalived(plan, member, {
        checkScript: KOLLA_CHECK_SCRIPT,
        authPass: "{{ keepalived_password }}",
      }),
    summary:
      `VRRPv${k.vrrpVersion} advert_int ${k.advertInt}s, track script every ${k.checkInterval}s ` +
      `(fall ${k.checkFall}, rise ${k.checkRise})` +
      (k.garpMasterRefresh > 0 ? `, gratuitous ARP every ${k.garpMasterRefresh}s` : "") +
      " — kolla's template hard-codes advert_int 1, interval 2, fall 2, rise 10",
  }));
}

function mariadbOverride(plan: Plan, topologyFile: string): Override[] {
  if (!mariadbOverridden(plan)) return [];
  const svc = plan.databaseHaproxy;
  return [
    {
      path: "config/haproxy-config/mariadb.cfg",
      content:
        header(
          topologyFile,
          "roles/haproxy-config/tasks/main.yml (replaces services.d/mariadb.cfg on every load balancer)",
        ) +
        comment([
          "MariaDB's server lines come from roles/mariadb/defaults internal_haproxy_members, not from",
          "haproxy_health_check, so the profile's checks need this file. Servers are the [mariadb] hosts.",
        ]) +
        "\n" +
        serviceBlocks(svc, serviceBlockOptions(plan, svc)),
      summary:
        "MariaDB through HAProxy: the profile's check timing" +
        (plan.profile.haproxy.shutdownSessions
          ? " and `on-marked-down shutdown-sessions`, so pooled DB connections to a dead node are cut instead of hanging until `timeout server`"
          : ""),
    },
  ];
}

function neutronOverride(plan: Plan, topologyFile: string): Override[] {
  const n = plan.neutron;
  const advert = plan.profile.neutron.haVrrpAdvertInt;
  if (!n.agentHa || n.plugin === "ovn" || n.l3Hosts.length === 0 || advert === NEUTRON_HA_VRRP_ADVERT_INT)
    return [];
  return [
    {
      path: "config/neutron/l3_agent.ini",
      content:
        header(topologyFile, "roles/neutron/tasks/config.yml (merged key by key into l3_agent.ini)") +
        "\n[DEFAULT]\n" +
        `ha_vrrp_advert_int = ${advert}\n`,
      summary: `neutron L3 HA routers advertise every ${advert}s (neutron's default: ${NEUTRON_HA_VRRP_ADVERT_INT}s)`,
    },
  ];
}

function masakariOverrides(plan: Plan, topologyFile: string): Override[] {
  if (!plan.masakari.enabled) return [];
  const m = plan.profile.masakari;
  const d = KOLLA_DEFAULTS.masakari;
  const out: Override[] = [];
  if (m.hostmonitorInterval !== d.hostmonitorInterval) {
    out.push({
      path: "config/masakari/masakari-monitors.conf",
      content:
        header(topologyFile, "roles/masakari/tasks/config.yml (merged into masakari-monitors.conf)") +
        "\n[host]\n" +
        `monitoring_interval = ${m.hostmonitorInterval}\n`,
      summary: `masakari-hostmonitor polls pacemaker every ${m.hostmonitorInterval}s (default ${d.hostmonitorInterval}s)`,
    });
  }
  if (m.waitAfterServiceUpdate !== d.waitAfterServiceUpdate) {
    out.push({
      path: "config/masakari.conf",
      content:
        header(
          topologyFile,
          "roles/masakari/tasks/config.yml (merged into masakari.conf of api and engine)",
        ) +
        comment(["wait_period_after_service_update is a [DEFAULT] option (masakari/conf/engine.py)."]) +
        "\n[DEFAULT]\n" +
        `wait_period_after_service_update = ${m.waitAfterServiceUpdate}\n`,
      summary: `masakari-engine waits ${m.waitAfterServiceUpdate}s after disabling nova-compute (default ${d.waitAfterServiceUpdate}s)`,
    });
  }
  if (m.novaServiceDownTime !== d.novaServiceDownTime || m.novaReportInterval !== d.novaReportInterval) {
    out.push({
      path: "config/nova.conf",
      content:
        header(
          topologyFile,
          "roles/nova/tasks/config.yml and roles/nova-cell/tasks/config.yml (merged into nova.conf)",
        ) +
        comment(["nova must see a failed compute host as down before masakari can evacuate it."]) +
        "\n[DEFAULT]\n" +
        `service_down_time = ${m.novaServiceDownTime}\n` +
        `report_interval = ${m.novaReportInterval}\n`,
      summary: `nova marks a compute host down after ${m.novaServiceDownTime}s (reports every ${m.novaReportInterval}s; defaults ${d.novaServiceDownTime}s/${d.novaReportInterval}s)`,
    });
  }
  return out;
}

function readme(plan: Plan, topologyFile: string, overrides: readonly Override[]): string {
  const lines = [
    `<!-- ${generatedLines(topologyFile).join(" ")} -->`,
    "",
    `# kolla-ansible overrides for ${plan.cloud} (failover profile: ${plan.profileName})`,
    "",
    "Copy this directory to `/etc/kolla/config/` on the deploy host (kolla's `node_custom_config`).",
    "",
  ];
  if (overrides.length === 0) {
    lines.push("Nothing to override: the profile is kolla's own defaults.", "");
  } else {
    lines.push("| file | what it changes |", "| --- | --- |");
    for (const o of overrides) lines.push(`| \`${o.path.replace(/^config\//, "")}\` | ${o.summary} |`);
    lines.push("");
  }
  const verbatim = Object.keys(plan.configOverrides);
  if (verbatim.length > 0) {
    lines.push(
      "Kept verbatim from the topology's `kolla.config_overrides` (hacloud does not model them):",
      "",
      ...verbatim.map((p) => `- \`${p}\``),
      "",
    );
  }
  const vars = profileGlobals(plan);
  if (vars.length > 0) {
    lines.push("The rest of the profile is carried by kolla variables in `globals.yml`:", "");
    for (const v of vars) lines.push(`- \`${v.name}\` — ${v.source}`);
    lines.push("");
  }
  if (vars.some((v) => v.name === "mariadb_wsrep_extra_provider_options")) {
    lines.push(
      "Galera timeouts go through `mariadb_wsrep_extra_provider_options`, not `galera.cnf`: kolla merges",
      "`galera.cnf` key by key, and a `wsrep_provider_options` there would replace kolla's per-host",
      "`gmcast.listen_addr` and `ist.recv_addr`.",
      "",
    );
  }
  const m = plan.profile.masakari;
  const d = KOLLA_DEFAULTS.masakari;
  if (
    plan.masakari.enabled &&
    plan.masakari.hacluster &&
    (m.remoteMonitorInterval !== d.remoteMonitorInterval || m.remoteMonitorTimeout !== d.remoteMonitorTimeout)
  ) {
    lines.push(
      "Pacemaker's remote resources are no configuration file: kolla's `hacluster` bootstrap creates one",
      `per compute with \`op monitor interval=${d.remoteMonitorInterval} timeout=${d.remoteMonitorTimeout}\`. The profile wants`,
      `interval=${m.remoteMonitorInterval} timeout=${m.remoteMonitorTimeout}; after each deploy, for every compute \`<host>\`:`,
      "",
      "```sh",
      `docker exec hacluster_pacemaker cibadmin --modify --scope resources -X '<op id="<host>-monitor" name="monitor" interval="${m.remoteMonitorInterval}" timeout="${m.remoteMonitorTimeout}"/>'`,
      "```",
      "",
    );
  }
  return lines.join("\n");
}
