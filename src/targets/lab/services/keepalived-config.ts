/**
 * keepalived.conf for a lab load balancer: the kolla preview's own blocks
 * (render/preview/keepalived.ts — one instance, every member `state BACKUP`
 * + `nopreempt`, kolla's priorities, PASS auth or VRRPv3 with the profile's
 * fractional advert_int, the check_alive track script with the profile's
 * timers) applied to the Plan's VRRP instance moved to lab addresses. Lab
 * differences: lab addresses, a check script that asks this host's
 * HAProxy on its stats socket, and a notify FIFO whose reader records the VRRP
 * state (kolla's template has none), so that `lab status`, the health gate and
 * verify can tell a standby that can take over (BACKUP) from one that cannot
 * (FAULT). Pure.
 */
import type { Plan, VrrpInstance } from "../../../plan/types.ts";
import { AUTH_PASS_MAX, keepalivedConf } from "../../../render/preview/keepalived.ts";

/** What the lab changes in kolla's keepalived configuration. */
export interface LabKeepalivedView {
  readonly host: string;
  /** Lab VIPs; the external one with the interface that carries it on this host. */
  readonly vip: {
    readonly internal: string;
    readonly external?: string;
    readonly externalInterface?: string;
  };
  /** Lab API address of each VRRP member (unicast mode). */
  readonly addressOf: (host: string) => string;
  readonly checkScript: string;
  /** The FIFO keepalived reports VRRP state changes on, and its reader (see vrrpNotifyScript). */
  readonly notifyFifo: { readonly fifo: string; readonly script: string };
  readonly password: string;
}

/**
 * keepalived's `vrrp_notify_fifo_script` for a lab load balancer: reads the FIFO keepalived passes as
 * its last argument, one line per VRRP state change in the order they happened
 * (`INSTANCE "name" MASTER|BACKUP|FAULT|STOP priority`, and events such as MASTER_RX_LOWER_PRI,
 * which are not states and which it skips), and writes the instance's latest state and the
 * PID of the VRRP process that reported it (from keepalived's -r pid file) to `statePath`, atomically.
 * A record whose PID is not the running VRRP process is stale (an earlier keepalived). It ends when
 * keepalived closes the FIFO.
 */
export function vrrpNotifyScript(statePath: string, vrrpPidPath: string): string {
  return [
    "#!/bin/sh",
    "# keepalived notify FIFO reader for a hacloud lab load balancer: record the VRRP state for `lab status` and drills.",
    "for fifo; do :; done",
    "while read -r kind name state priority; do",
    '  [ "$kind" = INSTANCE ] || continue',
    // events that are not states, such as MASTER_RX_LOWER_PRI (a master heard a lower peer)
    '  case "$state" in MASTER|BACKUP|FAULT|STOP) ;; *) continue ;; esac',
    `  printf '%s %s\\n' "$state" "$(cat ${vrrpPidPath} 2>/dev/null)" > ${statePath}.tmp && mv -f ${statePath}.tmp ${statePath}`,
    'done < "$fifo"',
    "",
  ].join("\n");
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

/** The Plan's VRRP instance with lab addresses. */
export function labVrrpInstance(plan: Plan, view: LabKeepalivedView): VrrpInstance {
  return {
    ...plan.vrrp,
    internalVip: view.vip.internal,
    ...(view.vip.external !== undefined ? { externalVip: view.vip.external } : {}),
    members: plan.vrrp.members.map((m) => ({ ...m, address: view.addressOf(m.host) })),
  };
}

/** The whole keepalived.conf of one lab load balancer. */
export function labKeepalivedConfig(plan: Plan, view: LabKeepalivedView): string {
  const vrrp = labVrrpInstance(plan, view);
  const member = vrrp.members.find((m) => m.host === view.host);
  if (member === undefined) throw new Error(`${view.host} is not a member of ${vrrp.name}`);
  return (
    `# keepalived.conf of a hacloud lab load balancer (cloud ${plan.cloud}, profile ${plan.profileName}).\n` +
    "# Generated from the Plan with kolla's keepalived.conf.j2 blocks; do not edit, run `hacloud lab up` again.\n" +
    keepalivedConf(vrrp, member, plan.profile.keepalived, {
      checkScript: view.checkScript,
      authPass: view.password.slice(0, AUTH_PASS_MAX),
      scriptSecurity: true,
      notifyFifo: view.notifyFifo,
      ...(view.vip.externalInterface !== undefined ? { externalInterface: view.vip.externalInterface } : {}),
    })
  );
}
