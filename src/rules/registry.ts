/**
 * Every diagnostic code hacloud check can print: the loader's (HA001–HA014)
 * and the HA rules', in code order. docs/rules.md is generated from this list
 * (scripts/gen-rules-doc.ts). Codes are never renumbered once written.
 */
import { ADDRESSING_HOST_RULES } from "./addressing-hosts.ts";
import { ADDRESSING_VIP_RULES } from "./addressing-vip.ts";
import { KEEPALIVED_RULES } from "./keepalived.ts";
import { KOLLA_RULES } from "./kolla.ts";
import { LOADBALANCER_RULES } from "./loadbalancer.ts";
import { LOADER_CODES } from "./loader-codes.ts";
import { MASAKARI_RULES } from "./masakari.ts";
import { NAMING_RULES } from "./naming.ts";
import { NEUTRON_INTERFACE_RULES } from "./neutron-interfaces.ts";
import { NEUTRON_ROUTING_RULES } from "./neutron-routing.ts";
import { QUORUM_RULES } from "./quorum.ts";
import { SLA_RATE_RULES } from "./sla-rates.ts";
import { SPOF_RULES } from "./spof.ts";
import type { LoaderCode, Rule } from "./types.ts";

/** All HA rules, in code order. */
export const RULES: readonly Rule[] = [
  ...ADDRESSING_VIP_RULES,
  ...ADDRESSING_HOST_RULES,
  ...KEEPALIVED_RULES,
  ...LOADBALANCER_RULES,
  ...QUORUM_RULES,
  ...NEUTRON_ROUTING_RULES,
  ...NEUTRON_INTERFACE_RULES,
  ...MASAKARI_RULES,
  ...NAMING_RULES,
  ...KOLLA_RULES,
  ...SPOF_RULES,
  ...SLA_RATE_RULES,
].sort((a, b) => a.code.localeCompare(b.code));

/** Every documented code: the loader's, then the rules'. */
export const ALL_CODES: readonly (LoaderCode | Rule)[] = [...LOADER_CODES, ...RULES];

export { LOADER_CODES };
