/**
 * DIR/preview/<lb>/keepalived.conf and haproxy.cfg: what kolla will write on
 * each load balancer, for review and for `keepalived -t` / `haproxy -c`.
 * Passwords are placeholders; previews are never deployed.
 */
import type { Plan } from "../../plan/types.ts";
import { comment, generatedLines } from "../generated.ts";
import { KOLLA_CHECK_SCRIPT } from "./keepalived.ts";
import { keepalivedOverridden, loadBalancerHaproxy, loadBalancerKeepalived } from "./load-balancer.ts";

/** The password placeholder: as long as keepalived's PASS limit (AUTH_PASS_MAX), so `keepalived -t` does not warn. */
export const PASSWORD_PLACEHOLDER = "<secret>";

/** Where the previewed files' host-specific parts point; tests substitute paths that exist on the test machine. */
export interface PreviewOptions {
  readonly checkScript?: string;
  readonly socketGroup?: string;
}

/** Preview files, keyed by path under DIR. */
export function renderPreviews(
  plan: Plan,
  topologyFile: string,
  o: PreviewOptions = {},
): Map<string, string> {
  const out = new Map<string, string>();
  const overridden = keepalivedOverridden(plan);
  for (const member of plan.vrrp.members) {
    const head = (file: string, extra: string[]): string =>
      comment([
        ...generatedLines(topologyFile),
        `PREVIEW of /etc/kolla/${file} on ${member.host} as kolla-ansible ${plan.release} renders it — not deployed;`,
        `passwords are placeholders (${PASSWORD_PLACEHOLDER}); the real ones come from passwords.yml.`,
        ...extra,
      ]);
    out.set(
      `preview/${member.host}/keepalived.conf`,
      head("keepalived/keepalived.conf", [
        overridden
          ? `Failover profile ${plan.profileName}: from hacloud's override config/keepalived/${member.host}/keepalived.conf.`
          : "kolla's own template (failover profile kolla-default).",
        "keepalived uses only the first 8 characters of auth_pass (kolla's generated password is 40).",
      ]) +
        "\n" +
        loadBalancerKeepalived(plan, member, {
          checkScript: o.checkScript ?? KOLLA_CHECK_SCRIPT,
          authPass: PASSWORD_PLACEHOLDER,
        }),
    );
    out.set(
      `preview/${member.host}/haproxy.cfg`,
      head("haproxy/haproxy.cfg + /etc/kolla/haproxy/services.d/*.cfg", [
        `Failover profile ${plan.profileName}: checks and timeouts as globals.yml and config/ set them.`,
      ]) +
        "\n" +
        loadBalancerHaproxy(plan, member, {
          statsPassword: PASSWORD_PLACEHOLDER,
          socketGroup: o.socketGroup ?? "kolla",
        }),
    );
  }
  return out;
}
