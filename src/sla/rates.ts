/**
 * Failure and repair rates per component kind: documented defaults (docs/sla.md
 * §4 says which are sourced and which are assumptions) that the topology's
 * `sla.rates` may override, and the check that names unknown kinds.
 */
import type { Finding } from "../diagnostics/diagnostic.ts";
import { didYouMean } from "../diagnostics/suggest.ts";
import { steadyState } from "./kofn.ts";

/** Mean time between failures and to repair, in hours. */
export interface Rate {
  readonly mtbf_h: number;
  readonly mttr_h: number;
}

/** Every component kind the model knows, with its default rate. */
export const DEFAULT_RATES: Readonly<Record<string, Rate>> = {
  // A whole machine: hardware, kernel, power supply, NIC. One unplanned outage per host-year,
  // four hours to reboot or swap a part.
  host: { mtbf_h: 8760, mttr_h: 4 },
  // Load balancer daemons: restarted by Docker's restart policy within a minute, sometimes by hand.
  haproxy: { mtbf_h: 8760, mttr_h: 0.1 },
  keepalived: { mtbf_h: 8760, mttr_h: 0.1 },
  proxysql: { mtbf_h: 8760, mttr_h: 0.1 },
  // Stateful clusters rejoin (IST/SST, queue sync) and are sometimes recovered by hand.
  mariadb: { mtbf_h: 8760, mttr_h: 0.5 },
  rabbitmq: { mtbf_h: 4380, mttr_h: 0.25 },
  etcd: { mtbf_h: 8760, mttr_h: 0.25 },
  pacemaker: { mtbf_h: 8760, mttr_h: 0.25 },
  "pacemaker-remote": { mtbf_h: 8760, mttr_h: 0.25 },
  memcached: { mtbf_h: 8760, mttr_h: 0.1 },
  // Stateless OpenStack services: a crash twice a year per instance, back in six minutes.
  keystone: { mtbf_h: 4380, mttr_h: 0.1 },
  "nova-api": { mtbf_h: 4380, mttr_h: 0.1 },
  "nova-scheduler": { mtbf_h: 4380, mttr_h: 0.1 },
  "nova-conductor": { mtbf_h: 4380, mttr_h: 0.1 },
  "placement-api": { mtbf_h: 4380, mttr_h: 0.1 },
  "neutron-server": { mtbf_h: 4380, mttr_h: 0.1 },
  "cinder-api": { mtbf_h: 4380, mttr_h: 0.1 },
  "cinder-scheduler": { mtbf_h: 4380, mttr_h: 0.1 },
  "cinder-volume": { mtbf_h: 4380, mttr_h: 0.25 },
  "masakari-api": { mtbf_h: 4380, mttr_h: 0.1 },
  "masakari-engine": { mtbf_h: 4380, mttr_h: 0.1 },
  "masakari-hostmonitor": { mtbf_h: 4380, mttr_h: 0.1 },
  "nova-compute": { mtbf_h: 4380, mttr_h: 0.1 },
  // The router data path on a node (keepalived in the router namespace, the L2 agent's flows).
  "neutron-l3-agent": { mtbf_h: 4380, mttr_h: 0.25 },
  "ovn-controller": { mtbf_h: 4380, mttr_h: 0.1 },
};

/**
 * Kinds accepted in `sla.rates` besides the defaults: `zone` (a rack or power
 * feed) has no default — zones only fail when the topology gives them a rate.
 */
export const OPTIONAL_KINDS = ["zone"] as const;

/** All kinds `sla.rates` may name. */
export function knownRateKinds(): string[] {
  return [...Object.keys(DEFAULT_RATES), ...OPTIONAL_KINDS];
}

/** The rates in force: defaults overlaid with the topology's overrides. */
export function resolveRates(overrides: Readonly<Record<string, Rate>>): Record<string, Rate> {
  const out: Record<string, Rate> = { ...DEFAULT_RATES };
  for (const [kind, r] of Object.entries(overrides)) out[kind] = { mtbf_h: r.mtbf_h, mttr_h: r.mttr_h };
  return out;
}

/** Steady-state availability of a kind under the given rates (1 when the kind has no rate). */
export function kindAvailability(rates: Readonly<Record<string, Rate>>, kind: string): number {
  const r = rates[kind];
  return r === undefined ? 1 : steadyState(r.mtbf_h, r.mttr_h);
}

/** Failure rate λ = 1/MTBF per hour of a kind (0 when the kind has no rate). */
export function failureRate(rates: Readonly<Record<string, Rate>>, kind: string): number {
  const r = rates[kind];
  return r === undefined ? 0 : 1 / r.mtbf_h;
}

/**
 * Problems with a topology's `sla.rates` for `hacloud check`: unknown kinds
 * (HA850, with a suggestion) and a zone rate when no host has a zone (HA851).
 */
export function validateSlaRates(
  rates: Readonly<Record<string, Rate>> | undefined,
  hostZones: readonly (string | undefined)[] = [],
): Finding[] {
  if (rates === undefined) return [];
  const known = knownRateKinds();
  const findings: Finding[] = [];
  for (const kind of Object.keys(rates)) {
    if (!known.includes(kind)) {
      findings.push({
        code: "HA850",
        severity: "error",
        message: `unknown component kind \`${kind}\` in sla.rates.${didYouMean(kind, known)}`,
        path: ["sla", "rates", kind],
        at: "key",
        hint: `Rates can be given for: ${known.join(", ")}.`,
      });
    }
  }
  if (rates.zone !== undefined && !hostZones.some((z) => z !== undefined)) {
    findings.push({
      code: "HA851",
      severity: "warning",
      message: "sla.rates.zone is set but no host has a `zone`, so no zone can fail",
      path: ["sla", "rates", "zone"],
      at: "key",
      hint: "Give hosts a `zone:` (rack, power feed), or remove the zone rate.",
    });
  }
  return findings;
}
