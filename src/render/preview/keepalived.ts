/**
 * keepalived.conf as kolla-ansible's loadbalancer role writes it on one load
 * balancer (roles/loadbalancer/templates/keepalived/keepalived.conf.j2, the
 * same on master, 2025.1 and 2024.1), with a failover profile's timing
 * applied. The blocks are exported so the lab builds its keepalived from the
 * same code: what a drill measures is what ships.
 */
import type { KeepalivedTuning } from "../../plan/profile.ts";
import type { VrrpInstance, VrrpMember } from "../../plan/types.ts";

/** The track script inside kolla's keepalived image (openstack/kolla docker/keepalived/Dockerfile.j2). */
export const KOLLA_CHECK_SCRIPT = "/check_alive.sh";

/** The name kolla gives the track script. */
export const CHECK_SCRIPT_NAME = "check_alive";

/** keepalived reads only this many characters of a VRRPv2 PASS password (and warns). */
export const AUTH_PASS_MAX = 8;

/** Options for one keepalived.conf. */
export interface KeepalivedOptions {
  /** The track script's path. */
  readonly checkScript: string;
  /**
   * VRRPv2 PASS password text: a placeholder in previews, `{{ keepalived_password }}`
   * in kolla overrides (which kolla renders as templates). Unused with VRRPv3.
   */
  readonly authPass: string;
  /**
   * Add global_defs `script_user root` + `enable_script_security`: kolla's
   * template has neither, so keepalived reports a security violation; the
   * script is root-owned in kolla's image, so enabling security is safe.
   */
  readonly scriptSecurity: boolean;
  /** The interface of the external VIP on this host (default: the VRRP instance's). */
  readonly externalInterface?: string;
  /**
   * A FIFO keepalived writes each VRRP state change to, in order, and the script it starts to read
   * it (the lab records the state with it). Unlike `notify` scripts, which keepalived forks one per
   * change and which can finish out of order, one reader sees MASTER then BACKUP as they happened.
   */
  readonly notifyFifo?: { readonly fifo: string; readonly script: string };
}

/** `global_defs` with script security and a notify FIFO, or "" when neither is wanted. */
export function globalDefsBlock(opts: Pick<KeepalivedOptions, "scriptSecurity" | "notifyFifo">): string {
  const lines: string[] = [];
  if (opts.scriptSecurity) lines.push("    script_user root", "    enable_script_security");
  if (opts.notifyFifo !== undefined) {
    lines.push(`    vrrp_notify_fifo ${opts.notifyFifo.fifo}`);
    lines.push(`    vrrp_notify_fifo_script "${opts.notifyFifo.script}"`);
  }
  return lines.length === 0 ? "" : `global_defs {\n${lines.join("\n")}\n}\n\n`;
}

/** The `vrrp_script` block that tracks the local haproxy/proxysql (kolla: interval 2, fall 2, rise 10). */
export function vrrpScriptBlock(t: KeepalivedTuning, scriptPath: string): string {
  return (
    `vrrp_script ${CHECK_SCRIPT_NAME} {\n` +
    `    script "${scriptPath}"\n` +
    `    interval ${t.checkInterval}\n` +
    `    fall ${t.checkFall}\n` +
    `    rise ${t.checkRise}\n` +
    "}\n"
  );
}

/** `advert_int` as keepalived wants it: integers plain, fractions (VRRPv3) with two decimals at most. */
export function formatAdvertInt(seconds: number): string {
  return Number.isInteger(seconds) ? String(seconds) : String(Math.round(seconds * 100) / 100);
}

/** The `vrrp_instance` block of one member: all BACKUP + nopreempt, priority by position. */
export function vrrpInstanceBlock(
  vrrp: VrrpInstance,
  member: VrrpMember,
  t: KeepalivedTuning,
  opts: Pick<KeepalivedOptions, "authPass" | "externalInterface">,
): string {
  const lines = [`vrrp_instance ${vrrp.name} {`, "    state BACKUP", "    nopreempt"];
  lines.push(`    interface ${member.interface}`);
  lines.push(`    virtual_router_id ${vrrp.routerId}`);
  lines.push(`    priority ${member.priority}`);
  if (t.vrrpVersion === 3) lines.push("    version 3");
  lines.push(`    advert_int ${formatAdvertInt(t.advertInt)}`);
  if (t.garpMasterRefresh > 0) lines.push(`    garp_master_refresh ${t.garpMasterRefresh}`);
  if (vrrp.traffic === "unicast") {
    lines.push(`    unicast_src_ip ${member.address}`);
    const peers = vrrp.members.filter((m) => m.address !== member.address);
    if (vrrp.members.length > 1) {
      lines.push("    unicast_peer {", ...peers.map((p) => `        ${p.address}`), "    }");
    }
  }
  const externalInterface = opts.externalInterface ?? vrrp.externalInterface;
  lines.push("    virtual_ipaddress {", `        ${vrrp.internalVip} dev ${member.interface}`);
  if (vrrp.externalVip !== undefined && externalInterface !== undefined) {
    lines.push(`        ${vrrp.externalVip} dev ${externalInterface}`);
  }
  lines.push("    }");
  if (
    vrrp.externalVip !== undefined &&
    externalInterface !== undefined &&
    externalInterface !== member.interface
  ) {
    lines.push("    track_interface {", `        ${externalInterface}`, "    }");
  }
  // VRRPv3 has no authentication (keepalived ignores it with a warning).
  if (t.vrrpVersion === 2) {
    lines.push(
      "    authentication {",
      "        auth_type PASS",
      `        auth_pass ${opts.authPass}`,
      "    }",
    );
  }
  lines.push("    track_script {", `        ${CHECK_SCRIPT_NAME}`, "    }");
  lines.push("}");
  return lines.join("\n") + "\n";
}

/** A whole keepalived.conf for one member of the VRRP instance. */
export function keepalivedConf(
  vrrp: VrrpInstance,
  member: VrrpMember,
  t: KeepalivedTuning,
  opts: KeepalivedOptions,
): string {
  return (
    globalDefsBlock(opts) +
    vrrpScriptBlock(t, opts.checkScript) +
    "\n" +
    vrrpInstanceBlock(vrrp, member, t, opts)
  );
}
