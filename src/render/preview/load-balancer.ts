/**
 * One load balancer's keepalived.conf and haproxy.cfg for a Plan: kolla's
 * output with the failover profile applied. The kolla overrides
 * (render/kolla/config.ts) and the previews both come from here, so the
 * preview shows exactly what the override makes kolla deploy.
 */
import { kollaRelease } from "../../kolla/releases.ts";
import { haproxyCheckOptions } from "../../plan/profile.ts";
import type { HaproxyService, Plan, VrrpMember } from "../../plan/types.ts";
import { interfaceVars } from "../kolla/interfaces.ts";
import { KOLLA_DEFAULTS } from "../kolla/profile-globals.ts";
import { haproxyMain, mariadbCheckOptions, serviceBlocks, type ServiceBlockOptions } from "./haproxy.ts";
import { keepalivedConf } from "./keepalived.ts";

/** True when the profile's keepalived timing differs from kolla's template (so hacloud ships an override). */
export function keepalivedOverridden(plan: Plan): boolean {
  return JSON.stringify(plan.profile.keepalived) !== JSON.stringify(KOLLA_DEFAULTS.keepalived);
}

/** The external VIP's interface on one load balancer (a per-host inventory override, or the default). */
export function externalVipInterface(plan: Plan, host: string): string | undefined {
  const v = interfaceVars(plan).find((x) => x.name === "kolla_external_vip_interface");
  return plan.vrrp.externalVip === undefined
    ? undefined
    : (v?.overrides.get(host) ?? plan.vrrp.externalInterface);
}

/** keepalived.conf of one VRRP member. */
export function loadBalancerKeepalived(
  plan: Plan,
  member: VrrpMember,
  o: { readonly checkScript: string; readonly authPass: string },
): string {
  return keepalivedConf(plan.vrrp, member, plan.profile.keepalived, {
    checkScript: o.checkScript,
    authPass: o.authPass,
    scriptSecurity: keepalivedOverridden(plan),
    externalInterface: externalVipInterface(plan, member.host),
  });
}

/** How kolla writes the server lines of one service, with the profile's checks. */
export function serviceBlockOptions(plan: Plan, svc: HaproxyService): ServiceBlockOptions {
  const t = plan.profile.haproxy;
  if (svc.service !== "mariadb") return { checkOptions: haproxyCheckOptions(t) };
  const clustercheck = kollaRelease(plan.release).mariadbClustercheckPort;
  return {
    checkOptions: mariadbCheckOptions(t, clustercheck ?? svc.port),
    backendAfter: clustercheck !== undefined ? ["option httpchk"] : [],
  };
}

/** True when the MariaDB haproxy service needs hacloud's override (its check line is not haproxy_health_check). */
export function mariadbOverridden(plan: Plan): boolean {
  const t = plan.profile.haproxy;
  const d = KOLLA_DEFAULTS.haproxy;
  return (
    plan.databaseLoadBalancer === "haproxy" &&
    (haproxyCheckOptions(t) !== haproxyCheckOptions(d) || t.mariadbTimeout !== d.mariadbTimeout)
  );
}

/** haproxy.cfg + every services.d file of one load balancer, as one configuration. */
export function loadBalancerHaproxy(
  plan: Plan,
  member: VrrpMember,
  o: { readonly statsPassword: string; readonly socketGroup: string },
): string {
  let s = haproxyMain(plan.profile.haproxy, {
    apiAddress: member.address,
    internalVip: plan.vrrp.internalVip,
    statsPassword: o.statsPassword,
    socketGroup: o.socketGroup,
    metrics: true,
  });
  for (const svc of plan.haproxy) {
    s +=
      `\n# ${svc.name}: services.d file of kolla role ${svc.service}\n` +
      serviceBlocks(svc, serviceBlockOptions(plan, svc));
  }
  return s;
}
