/**
 * Client-visible downtime of each failover mechanism, derived from the
 * failover profile (src/plan/profile.ts). Every figure carries its formula so
 * the report can show where it comes from; docs/sla.md §3 gives the sources.
 */
import type { FailoverProfile } from "../plan/profile.ts";

/** The failover mechanisms the model knows. */
export const MECHANISM_IDS = [
  "vip-crash",
  "vip-track",
  "vip-graceful",
  "backend-detect",
  "galera-stall",
  "db-stale",
  "db-kill",
  "rabbit-host",
  "rabbit-kill",
  "l3-master",
  "evacuation",
] as const;
export type MechanismId = (typeof MECHANISM_IDS)[number];

/** One mechanism: how long clients see an outage while it runs, and why. */
export interface Mechanism {
  readonly id: MechanismId;
  readonly title: string;
  readonly seconds: number;
  /** The arithmetic, with the profile's values filled in. */
  readonly formula: string;
  /** "profile" when derived from the profile's timers, "measured" when a drill replaced it. */
  readonly origin: "profile" | "measured";
}

/** neutron's keepalived priority for every HA router (neutron/agent/linux/keepalived.py HA_DEFAULT_PRIORITY). */
const NEUTRON_HA_PRIORITY = 50;
/** Rebuild and boot of an evacuated instance: an assumption (docs/sla.md §3). */
export const EVACUATION_BOOT_S = 60;
/** oslo.messaging reconnect after a broker connection is reset (ha-guide's rabbit_retry_interval=1). */
const RABBIT_RETRY_S = 1;
/** Linux's initial and maximum retransmission timeouts (TCP_RTO_MIN, TCP_RTO_MAX). */
const RTO_MIN_S = 0.2;
const RTO_MAX_S = 120;
/** Kernel default net.ipv4.tcp_retries2 when kolla leaves it unset. */
const KERNEL_TCP_RETRIES2 = 15;
/**
 * ProxySQL kills a backend's connections after mysql-monitor_ping_max_failures
 * (3) missed pings at mysql-monitor_ping_interval (10 s); kolla sets neither.
 * https://www.proxysql.com/documentation/backend-monitoring
 */
const PROXYSQL_PING_INTERVAL_S = 10;
const PROXYSQL_PING_MAX_FAILURES = 3;
/** ProxySQL shuns a backend after shun_on_failures (5) connection errors within a second: about a second. */
const PROXYSQL_SHUN_S = 1;

/** Seconds of an ISO 8601 duration such as PT5S or PT0.5S (only seconds and minutes are used here). */
export function isoSeconds(d: string): number {
  const m = /^PT(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(d);
  if (!m) return NaN;
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}

/** Seconds of an HAProxy time such as "3600s", "1m", "500ms", "10". */
export function haproxySeconds(t: string): number {
  const m = /^(\d+(?:\.\d+)?)(us|ms|s|m|h|d)?$/.exec(t.trim());
  if (!m) return NaN;
  const unit: Record<string, number> = { us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400 };
  return Number(m[1]) * (m[2] === undefined ? 1e-3 : unit[m[2]]!);
}

/** How long Linux keeps retransmitting before it gives up on a dead peer, for a tcp_retries2 value. */
export function tcpGiveUpSeconds(retries2: number): number {
  let total = 0;
  for (let i = 0; i <= retries2; i++) total += Math.min(RTO_MIN_S * 2 ** i, RTO_MAX_S);
  return total;
}

/** RFC 5798 Skew_Time for a backup of a priority: (256 − priority) / 256 × advert interval. */
export function skewSeconds(priority: number, advertInt: number): number {
  return ((256 - priority) / 256) * advertInt;
}

const round = (s: number): number => Math.round(s * 1000) / 1000;
const fmt = (s: number): string => `${round(s)} s`;

/**
 * Every mechanism's predicted downtime for a profile. `lowestLbPriority` is the
 * lowest keepalived priority among the load balancers: the slowest backup to
 * take over (kolla: 1).
 */
export function predictedMechanisms(
  profile: FailoverProfile,
  lowestLbPriority = 1,
  databaseLoadBalancer: "proxysql" | "haproxy" = "haproxy",
): Record<MechanismId, Mechanism> {
  const ka = profile.keepalived;
  const hp = profile.haproxy;
  const skew = skewSeconds(lowestLbPriority, ka.advertInt);
  const vipCrash = 3 * ka.advertInt + skew;
  const vipTrack = ka.checkInterval * ka.checkFall + skew;
  const inter = hp.interMs / 1000;
  const fast = (hp.fastinterMs > 0 ? hp.fastinterMs : hp.interMs) / 1000;
  // A crashed host answers no SYN: each failing check waits min(timeout connect, inter) for its connect
  // (HAProxy's connect timeout for checks when `timeout check` is set), and the next check is scheduled
  // that long after it ended. The first check starts up to `inter` after the crash.
  const checkConnect = Math.min(haproxySeconds(hp.timeouts.connect), inter);
  const nextChecks = `(fall ${hp.fall} − 1) × ${hp.fastinterMs > 0 ? "fastinter" : "inter"} ${fast} s`;
  const detect = inter + hp.fall * checkConnect + (hp.fall - 1) * fast;
  const detectFormula = `inter ${inter} s + fall ${hp.fall} × check connect min(timeout connect, inter) ${checkConnect} s + ${nextChecks}`;
  // A killed process on a live host refuses the connect at once (RST): no connect wait per check.
  const detectRefused = inter + (hp.fall - 1) * fast;
  const detectRefusedFormula = `inter ${inter} s + ${nextChecks} (the connect is refused at once)`;
  const suspect = isoSeconds(profile.galera.evsSuspectTimeout);
  const retries2 = hp.tcpRetries2 ?? KERNEL_TCP_RETRIES2;
  const giveUp = tcpGiveUpSeconds(retries2);
  const dbTimeout = haproxySeconds(profile.haproxy.mariadbTimeout);
  const proxysql = databaseLoadBalancer === "proxysql";
  const pingKill = PROXYSQL_PING_INTERVAL_S * PROXYSQL_PING_MAX_FAILURES;
  const stale = proxysql
    ? Math.max(pingKill, suspect)
    : hp.shutdownSessions
      ? Math.max(detect, suspect)
      : Math.min(giveUp, dbTimeout);
  const staleFormula = proxysql
    ? `ProxySQL kills the connections after monitor_ping_interval ${PROXYSQL_PING_INTERVAL_S} s × monitor_ping_max_failures ${PROXYSQL_PING_MAX_FAILURES}`
    : hp.shutdownSessions
      ? `shutdown-sessions: max(backend detection ${fmt(detect)}, evs.suspect_timeout ${fmt(suspect)})`
      : `no shutdown-sessions: pooled connections hang until min(TCP give-up with tcp_retries2 ${retries2} = ${fmt(giveUp)}, timeout server ${fmt(dbTimeout)})`;
  const l3Adv = profile.neutron.haVrrpAdvertInt;
  const l3Skew = skewSeconds(NEUTRON_HA_PRIORITY, l3Adv);
  const m = profile.masakari;
  // Pacemaker's remote monitor finds the dead host (interval + timeout at worst), the hostmonitor's
  // next poll tells Masakari, which sleeps its wait after disabling nova-compute, then the rebuild.
  // Nova must count the compute down before the evacuation is accepted: its service_down_time
  // runs from the last heartbeat, so it only adds when it is longer than all of the rest.
  const remoteLost = m.remoteMonitorInterval + m.remoteMonitorTimeout;
  const evac =
    Math.max(remoteLost + m.hostmonitorInterval + m.waitAfterServiceUpdate, m.novaServiceDownTime) +
    EVACUATION_BOOT_S;
  const mk = (id: MechanismId, title: string, seconds: number, formula: string): Mechanism => ({
    id,
    title,
    seconds: round(seconds),
    formula,
    origin: "profile",
  });
  return {
    "vip-crash": mk(
      "vip-crash",
      "VIP moves after the master load balancer (or its keepalived) dies",
      vipCrash,
      `3 × advert_int ${ka.advertInt} s + skew ${fmt(skew)} (priority ${lowestLbPriority})`,
    ),
    "vip-track": mk(
      "vip-track",
      "VIP moves after HAProxy/ProxySQL dies on the master (track script)",
      vipTrack,
      `track interval ${ka.checkInterval} s × fall ${ka.checkFall} + skew ${fmt(skew)}`,
    ),
    "vip-graceful": mk(
      "vip-graceful",
      "VIP moves when keepalived stops cleanly (priority-0 advert)",
      skew,
      `skew ${fmt(skew)}`,
    ),
    "backend-detect": mk("backend-detect", "HAProxy marks a crashed API backend down", detect, detectFormula),
    "galera-stall": mk(
      "galera-stall",
      "Galera writes stall until a crashed member is suspected",
      suspect,
      `evs.suspect_timeout ${profile.galera.evsSuspectTimeout}`,
    ),
    "db-stale": mk("db-stale", "clients lose the active database node (host crash)", stale, staleFormula),
    "db-kill": proxysql
      ? mk(
          "db-kill",
          "the active database node's mariadb dies",
          PROXYSQL_SHUN_S,
          `ProxySQL shuns a refusing backend after shun_on_failures 5 errors within 1 s`,
        )
      : mk(
          "db-kill",
          "the active database node's mariadb dies",
          detectRefused,
          `backend detection: ${detectRefusedFormula}`,
        ),
    "rabbit-host": mk(
      "rabbit-host",
      "RabbitMQ notices a crashed member (Erlang net_ticktime)",
      profile.rabbitmq.netTicktime,
      `net_ticktime ${profile.rabbitmq.netTicktime} s`,
    ),
    "rabbit-kill": mk(
      "rabbit-kill",
      "clients reconnect after a RabbitMQ node dies",
      RABBIT_RETRY_S,
      `rabbit_retry_interval ${RABBIT_RETRY_S} s`,
    ),
    "l3-master": mk(
      "l3-master",
      "an HA router's backup takes over",
      3 * l3Adv + l3Skew,
      `3 × ha_vrrp_advert_int ${l3Adv} s + skew ${fmt(l3Skew)} (priority ${NEUTRON_HA_PRIORITY})`,
    ),
    evacuation: mk(
      "evacuation",
      "Masakari evacuates the instances of a crashed compute",
      evac,
      `max(remote monitor ${m.remoteMonitorInterval} s + timeout ${m.remoteMonitorTimeout} s + monitoring_interval ${m.hostmonitorInterval} s + wait_period_after_service_update ${m.waitAfterServiceUpdate} s, service_down_time ${m.novaServiceDownTime} s) + rebuild/boot ${EVACUATION_BOOT_S} s`,
    ),
  };
}
