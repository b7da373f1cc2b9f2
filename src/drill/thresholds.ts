/**
 * Pass/fail limits per scenario and profile. Two sources, the stricter wins:
 *
 * 1. The SLA. The error budget of the window, (1 − target) × window, half of
 *    it given to unplanned failures, divided by the failures expected in the
 *    window (every host failing once per MTBF, default one year). That is the
 *    most one incident may cost: 99.95 % over 30 days with 10 hosts allows
 *    0.5 × 1296 s / 0.82 ≈ 790 s; 99.999 % allows ≈ 16 s.
 * 2. The profile's own timers (docs/drills.md has the arithmetic): kolla's
 *    advert_int 1 gives Master_Down = 3 × 1 s + skew ≈ 4 s; its HAProxy
 *    `inter 2000 fall 5` marks a dead server down after ≈ 10 s. fast-failover
 *    promises the targets: LB crash ≤ 0.3 s gap, graceful keepalived
 *    stop with 0 failed requests, controller crash ≤ 1 s of errors.
 *
 * Every scenario also demands 0 acknowledged writes lost. Pure.
 */
import type { Plan } from "../plan/types.ts";
import type { ProfileName } from "../spec/schema.ts";
import type { UserProbe } from "../probes/types.ts";
import type { ScenarioName } from "./scenarios.ts";

/** A metric a threshold bounds. */
export type Metric =
  | "longest_gap_s"
  | "downtime_s"
  | "failed"
  | "lost_writes"
  | "vip_move_s"
  | "recovery_s"
  | "longest_request_s"
  | "outage_confirmed";

/** One limit: `measured <= max` passes (for outage_confirmed, 1 = confirmed, and `min` applies). */
export interface Threshold {
  readonly metric: Metric;
  /** The probe it applies to; drill-wide metrics have none. */
  readonly probe?: UserProbe;
  readonly max?: number;
  readonly min?: number;
  /** Where the number comes from, in words. */
  readonly why: string;
}

/** Default host MTBF when the topology gives none: one failure per host per year. */
export const DEFAULT_HOST_MTBF_H = 8760;
/** Share of the error budget given to unplanned failures (the rest: maintenance, bad deploys). */
export const UNPLANNED_SHARE = 0.5;

/** The SLA's allowance for one incident, in seconds, with the arithmetic that gave it. */
export function slaIncidentAllowance(plan: Plan): { readonly seconds: number; readonly derivation: string } {
  const windowS = plan.sla.windowDays * 86_400;
  const budgetS = (1 - plan.sla.target) * windowS;
  const mtbfH = plan.sla.rates["host"]?.mtbf_h ?? DEFAULT_HOST_MTBF_H;
  const incidents = Math.max(1, (plan.hosts.length * plan.sla.windowDays * 24) / mtbfH);
  const seconds = (UNPLANNED_SHARE * budgetS) / incidents;
  const pct = (plan.sla.target * 100).toFixed(3).replace(/\.?0+$/, "");
  return {
    seconds: Math.round(seconds * 10) / 10,
    derivation:
      `${pct}% over ${plan.sla.windowDays} d = ${budgetS.toFixed(0)} s budget; ${UNPLANNED_SHARE * 100}% for failures; ` +
      `${plan.hosts.length} hosts × ${plan.sla.windowDays * 24} h / MTBF ${mtbfH} h = ${incidents.toFixed(2)} incidents → ` +
      `${seconds.toFixed(1)} s per incident`,
  };
}

type Row = Partial<Record<ProfileName, readonly Threshold[]>> & { readonly both?: readonly Threshold[] };

const t = (metric: Metric, max: number, why: string, probe?: UserProbe): Threshold => ({
  metric,
  max,
  why,
  probe,
});

// Kolla's timers (sources in ../shared/reference/ha-anchors.md §2.2) and ours (src/plan/profile.ts).
const K_VRRP = "3 × advert_int 1 s + skew ≈ 4 s, +1 s for a busy 2-core lab";
const F_VRRP = "fast-failover target: ≤ 0.3 s (VRRPv3 advert 0.1 s → 3 × 0.1 s + skew)";

const TABLE: Readonly<Record<ScenarioName, Row>> = {
  "lb-master-crash": {
    "kolla-default": [t("longest_gap_s", 5, K_VRRP, "keystone-get"), t("vip_move_s", 5, K_VRRP)],
    "fast-failover": [t("longest_gap_s", 0.3, F_VRRP, "keystone-get"), t("vip_move_s", 0.5, F_VRRP)],
  },
  "lb-master-keepalived-stop": {
    "kolla-default": [
      t(
        "longest_gap_s",
        2,
        "priority-0 advert: the backup takes over after its skew time (< 1 s)",
        "keystone-get",
      ),
      t("vip_move_s", 2, "priority-0 advert → skew time"),
    ],
    "fast-failover": [
      t("failed", 0, "fast-failover target: a graceful stop loses no request", "keystone-get"),
      t("failed", 0, "fast-failover target: a graceful stop loses no request", "token-issue"),
      t("failed", 0, "fast-failover target: a graceful stop loses no request", "sql"),
      t("vip_move_s", 0.5, "priority-0 advert → skew time at advert 0.1 s"),
    ],
  },
  "lb-master-haproxy-kill": {
    "kolla-default": [
      t(
        "longest_gap_s",
        8,
        "track script interval 2 s × fall 2 = 4 s, + Master_Down ≈ 1 s skew, + margin",
        "keystone-get",
      ),
      t("vip_move_s", 8, "track script interval 2 s × fall 2 + skew"),
    ],
    "fast-failover": [
      t(
        "longest_gap_s",
        2,
        "track script interval 1 s × fall 1 + skew 0.1 s, + a check in flight",
        "keystone-get",
      ),
      t("vip_move_s", 2, "track script interval 1 s × fall 1 + skew"),
    ],
  },
  "lb-master-link-cut": {
    "kolla-default": [t("longest_gap_s", 5, K_VRRP, "keystone-get"), t("vip_move_s", 5, K_VRRP)],
    "fast-failover": [
      t("longest_gap_s", 0.5, "VRRPv3 Master_Down ≈ 0.3 s + GARP", "keystone-get"),
      t("vip_move_s", 0.5, F_VRRP),
    ],
  },
  "controller-crash": {
    "kolla-default": [
      t(
        "downtime_s",
        25,
        "HAProxy marks a crashed server down after inter 2 s + 5 checks × connect min(timeout connect, inter) 2 s + 4 × inter 2 s = 20 s, + margin",
        "keystone-get",
      ),
      t(
        "longest_request_s",
        15,
        "a request should not outlive the mark-down (pooled DB connections may hang longer)",
        "token-issue",
      ),
      t("longest_request_s", 15, "as for tokens", "sql"),
    ],
    "fast-failover": [
      t("downtime_s", 1, "fast-failover target: ≤ 1 s of errors", "keystone-get"),
      t("downtime_s", 1, "fast-failover target: ≤ 1 s of errors", "token-issue"),
      t("downtime_s", 1, "fast-failover target: ≤ 1 s of errors", "sql"),
      t(
        "longest_request_s",
        10,
        "Galera evs.inactive_timeout 6 s blocks commits until the dead node is evicted, + margin",
        "sql",
      ),
    ],
  },
  "galera-node-kill": {
    "kolla-default": [
      t("downtime_s", 15, "HAProxy inter 2 s × fall 5 = 10 s, + margin", "sql"),
      t(
        "longest_request_s",
        15,
        "connections are reset by the dying process; nothing should hang",
        "token-issue",
      ),
    ],
    "fast-failover": [
      t("downtime_s", 2, "fastinter 0.2 s × fall 2, + sessions shut down on mark-down", "sql"),
      t("longest_request_s", 5, "nothing should hang once sessions are shut down", "token-issue"),
    ],
  },
  "rabbit-node-kill": {
    "kolla-default": [
      t(
        "downtime_s",
        10,
        "oslo.messaging reconnects after rabbit_retry_interval 1 s; quorum queue election",
        "rabbit",
      ),
    ],
    "fast-failover": [t("downtime_s", 5, "as kolla-default: RabbitMQ failover is client-side", "rabbit")],
  },
  "controller-pair-crash": {
    both: [
      {
        metric: "outage_confirmed",
        min: 1,
        why: "losing 2 of 3 Galera nodes must stop writes (no split brain)",
        probe: "sql",
      },
      t("recovery_s", 300, "mariadb-recovery brings the cluster back within 5 min"),
    ],
  },
};

/** The thresholds of a scenario under a profile, tightened by the SLA allowance. */
export function thresholdsFor(scenario: ScenarioName, profile: ProfileName, plan: Plan): Threshold[] {
  const row = TABLE[scenario];
  const own = [...(row.both ?? []), ...(row[profile] ?? [])];
  const sla = slaIncidentAllowance(plan);
  const out: Threshold[] = own.map((th) =>
    (th.metric === "downtime_s" || th.metric === "longest_gap_s") &&
    th.max !== undefined &&
    sla.seconds < th.max
      ? { ...th, max: sla.seconds, why: `SLA: ${sla.derivation}` }
      : th,
  );
  out.push({ metric: "lost_writes", probe: "sql", max: 0, why: "an acknowledged write must never be lost" });
  return out;
}

/** A threshold with what was measured. */
export interface ThresholdCheck extends Threshold {
  readonly measured: number | null;
  readonly passed: boolean;
}

/** Judges one threshold; a missing measurement fails unless the metric could not apply (vip_move_s on no move is a fail). */
export function judge(th: Threshold, measured: number | null): ThresholdCheck {
  const passed =
    measured !== null &&
    (th.max === undefined || measured <= th.max) &&
    (th.min === undefined || measured >= th.min);
  return { ...th, measured, passed };
}
