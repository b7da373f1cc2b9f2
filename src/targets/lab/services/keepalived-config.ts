/**
 * keepalived.conf for a lab load balancer, from the Plan's VRRP instance the
 * way kolla's keepalived.conf.j2 renders it (one instance, every member
 * `state BACKUP` + `nopreempt`, kolla's priorities, PASS auth, the
 * check_alive track script) with the failover profile's timers (VRRPv3 and
 * fractional advert_int for fast-failover, where PASS auth does not exist).
 * Lab differences: lab addresses, a check script against this host's HAProxy
 * socket. Pure.
 */
import type { Plan } from "../../../plan/types.ts";

/** What the lab changes in kolla's keepalived configuration. */
export interface LabKeepalivedView {
  readonly host: string;
  /** Lab VIPs with the interfaces that carry them on this host. */
  readonly vip: {
    readonly internal: string;
    readonly internalInterface: string;
    readonly external?: string;
    readonly externalInterface?: string;
  };
  /** Lab API address of each VRRP member (unicast mode). */
  readonly addressOf: (host: string) => string;
  readonly checkScript: string;
  readonly password: string;
}

/** kolla's check_alive_haproxy.sh, pointed at this load balancer's stats socket. */
export function checkAliveScript(socketPath: string): string {
  return [
    "#!/bin/sh",
    "# kolla's check_alive_haproxy.sh for a hacloud lab load balancer: is the local HAProxy alive?",
    `echo "show info" | socat unix-connect:${socketPath} stdio > /dev/null`,
    "",
  ].join("\n");
}

/** The whole keepalived.conf of one lab load balancer. */
export function labKeepalivedConfig(plan: Plan, view: LabKeepalivedView): string {
  const k = plan.profile.keepalived;
  const vrrp = plan.vrrp;
  const me = vrrp.members.find((m) => m.host === view.host);
  if (me === undefined) throw new Error(`${view.host} is not a member of ${vrrp.name}`);
  const lines: string[] = [
    `# keepalived.conf of a hacloud lab load balancer (cloud ${plan.cloud}, profile ${plan.profileName}).`,
    "# Generated from the Plan like kolla's keepalived.conf.j2; do not edit, run `hacloud lab up` again.",
    "global_defs {",
    "    script_user root",
    "    enable_script_security",
    `    vrrp_version ${k.vrrpVersion}`,
    "}",
    "",
    "vrrp_script check_alive {",
    `    script "${view.checkScript}"`,
    `    interval ${k.checkInterval}`,
    `    fall ${k.checkFall}`,
    `    rise ${k.checkRise}`,
    "}",
    "",
    `vrrp_instance ${vrrp.name} {`,
    "    state BACKUP",
    "    nopreempt",
    `    interface ${view.vip.internalInterface}`,
    `    virtual_router_id ${vrrp.routerId}`,
    `    priority ${me.priority}`,
    `    advert_int ${k.advertInt}`,
  ];
  if (k.garpMasterRefresh > 0) lines.push(`    garp_master_refresh ${k.garpMasterRefresh}`);
  lines.push("    virtual_ipaddress {", `        ${view.vip.internal} dev ${view.vip.internalInterface}`);
  if (view.vip.external !== undefined && view.vip.externalInterface !== undefined) {
    lines.push(`        ${view.vip.external} dev ${view.vip.externalInterface}`);
  }
  lines.push("    }");
  if (vrrp.traffic === "unicast") {
    lines.push(`    unicast_src_ip ${view.addressOf(view.host)}`, "    unicast_peer {");
    for (const m of vrrp.members) if (m.host !== view.host) lines.push(`        ${view.addressOf(m.host)}`);
    lines.push("    }");
  }
  if (k.vrrpVersion === 2) {
    // VRRPv2 PASS authentication reads at most 8 characters
    lines.push(
      "    authentication {",
      "        auth_type PASS",
      `        auth_pass ${view.password.slice(0, 8)}`,
      "    }",
    );
  }
  if (
    view.vip.external !== undefined &&
    view.vip.externalInterface !== undefined &&
    view.vip.externalInterface !== view.vip.internalInterface
  ) {
    lines.push("    track_interface {", `        ${view.vip.externalInterface}`, "    }");
  }
  lines.push("    track_script {", "        check_alive", "    }", "}", "");
  return lines.join("\n");
}
