/**
 * Failover tuning profiles. `kolla-default` is what kolla-ansible renders when
 * nothing is overridden (sources in docs/profiles.md); `fast-failover` is
 * hacloud's tuning. Both are rendered into the lab and into /etc/kolla/config
 * overrides from these same values, so what a drill measures is what ships.
 */
import type { ProfileName } from "../spec/schema.ts";

/** Keepalived VRRP timing and the track script. */
export interface KeepalivedTuning {
  readonly vrrpVersion: 2 | 3;
  /** Seconds between adverts; VRRPv3 accepts fractions (centiseconds). */
  readonly advertInt: number;
  readonly checkInterval: number;
  readonly checkFall: number;
  readonly checkRise: number;
  /** Re-send gratuitous ARP this often while master (seconds; 0 = keepalived default, off). */
  readonly garpMasterRefresh: number;
  /**
   * VRRP priorities of the load balancers, in kolla's order (the last one highest):
   * "kolla" = position + 1 (1, 2…), as kolla's template writes them; "top" = the highest
   * values below 255 (…, 253, 254). A backup takes over after Master_Down_Interval =
   * 3 × advert_int + (256 − priority) / 256 × advert_int (RFC 5798): with priority 1 or 2 the
   * skew is almost a whole advert (≈ 4 × advert_int in all), near 255 it is ≈ 0 (≈ 3 × advert_int).
   */
  readonly priorities: "kolla" | "top";
}

/** HAProxy health checks and timeouts. */
export interface HaproxyTuning {
  readonly interMs: number;
  /** Check interval while a server is changing state (0: same as inter). */
  readonly fastinterMs: number;
  /** Check interval while a server is down (0: same as inter). */
  readonly downinterMs: number;
  readonly rise: number;
  readonly fall: number;
  /** Kill sessions on a server marked down, so pooled DB connections fail fast instead of hanging. */
  readonly shutdownSessions: boolean;
  readonly timeouts: {
    readonly connect: string;
    readonly client: string;
    readonly server: string;
    readonly check: string;
    readonly httpRequest: string;
    readonly httpKeepAlive: string;
    readonly queue: string;
  };
  /** MariaDB backend timeouts (kolla: 3600s so idle pooled connections survive). */
  readonly mariadbTimeout: string;
  /** net.ipv4.tcp_retries2 on the load balancers (kolla: unset = kernel 15). */
  readonly tcpRetries2?: number;
}

/** Galera group-communication timeouts (ISO 8601 durations, as wsrep_provider_options wants). */
export interface GaleraTuning {
  readonly evsSuspectTimeout: string;
  readonly evsInactiveTimeout: string;
  readonly evsKeepalivePeriod: string;
  readonly evsInactiveCheckPeriod: string;
  readonly evsInstallTimeout: string;
}

/** The VRRP priority of the load balancer at `index` of `count` (see KeepalivedTuning.priorities). */
export function vrrpPriority(t: KeepalivedTuning, index: number, count: number): number {
  return t.priorities === "top" ? 254 - (count - 1) + index : index + 1;
}

/** A whole profile. */
export interface FailoverProfile {
  readonly name: ProfileName;
  readonly keepalived: KeepalivedTuning;
  readonly haproxy: HaproxyTuning;
  readonly galera: GaleraTuning;
  readonly rabbitmq: { readonly partitionHandling: "pause_minority"; readonly netTicktime: number };
  /** neutron l3_agent/neutron.conf ha_vrrp_advert_int (seconds, integer). */
  readonly neutron: { readonly haVrrpAdvertInt: number };
  readonly masakari: {
    /** masakari-hostmonitor [host] monitoring_interval, seconds. */
    readonly hostmonitorInterval: number;
    /** masakari [host_failure] wait_period_after_service_update, seconds. */
    readonly waitAfterServiceUpdate: number;
    /** nova service_down_time, seconds (masakari cannot evacuate before nova sees the host down). */
    readonly novaServiceDownTime: number;
    readonly novaReportInterval: number;
    /**
     * The ocf:pacemaker:remote resource's monitor op (seconds): the only detector of a remote that
     * stops answering without closing its connection (crashed with its cables pulled, frozen, cut
     * off); a killed pacemaker_remoted closes it and is seen at once. kolla's bootstrap_service.yml
     * hard-codes interval=60 timeout=30.
     */
    readonly remoteMonitorInterval: number;
    readonly remoteMonitorTimeout: number;
  };
}

const KOLLA_DEFAULT: FailoverProfile = {
  name: "kolla-default",
  keepalived: {
    vrrpVersion: 2,
    advertInt: 1,
    checkInterval: 2,
    checkFall: 2,
    checkRise: 10,
    garpMasterRefresh: 0,
    priorities: "kolla",
  },
  haproxy: {
    interMs: 2000,
    fastinterMs: 0,
    downinterMs: 0,
    rise: 2,
    fall: 5,
    shutdownSessions: false,
    timeouts: {
      connect: "10s",
      client: "1m",
      server: "1m",
      check: "10s",
      httpRequest: "10s",
      httpKeepAlive: "10s",
      queue: "1m",
    },
    mariadbTimeout: "3600s",
  },
  galera: {
    evsSuspectTimeout: "PT5S",
    evsInactiveTimeout: "PT15S",
    evsKeepalivePeriod: "PT1S",
    evsInactiveCheckPeriod: "PT0.5S",
    evsInstallTimeout: "PT7.5S",
  },
  rabbitmq: { partitionHandling: "pause_minority", netTicktime: 60 },
  neutron: { haVrrpAdvertInt: 2 },
  masakari: {
    hostmonitorInterval: 60,
    waitAfterServiceUpdate: 180,
    novaServiceDownTime: 60,
    novaReportInterval: 10,
    remoteMonitorInterval: 60,
    remoteMonitorTimeout: 30,
  },
};

const FAST_FAILOVER: FailoverProfile = {
  name: "fast-failover",
  keepalived: {
    vrrpVersion: 3,
    advertInt: 0.1,
    checkInterval: 1,
    checkFall: 1,
    checkRise: 2,
    garpMasterRefresh: 10,
    priorities: "top",
  },
  haproxy: {
    interMs: 1000,
    fastinterMs: 200,
    downinterMs: 1000,
    rise: 2,
    fall: 2,
    shutdownSessions: true,
    timeouts: {
      connect: "1s",
      client: "1m",
      server: "1m",
      // Only the wait for an answer once a check has connected: a crashed host is still found at
      // min(timeout connect, inter) = 1 s. It must outlast a MariaDB failover (≈ 2-3 s): an API server
      // whose workers wait on the dead database answers its HTTP check late, and a 1 s timeout ejected
      // every Keystone at once (measured: controller-crash, the healthy cc02 and cc03 cut at 4.9 s).
      check: "5s",
      httpRequest: "10s",
      // An idle keep-alive connection closed by HAProxy while a client is reusing it is lost without
      // an answer ("Remote end closed connection without response"): keystoneauth pools connections,
      // and at 10 s a rebuilding nova-compute lost its token request that way and the instance went to
      // ERROR (measured: compute-host-crash, one of three evacuations failed, recovered 5 min later).
      // 75 s is nginx's default and what charm-helpers moved Keystone to (LP #1947010).
      httpKeepAlive: "75s",
      queue: "10s",
    },
    mariadbTimeout: "3600s",
    tcpRetries2: 6,
  },
  galera: {
    evsSuspectTimeout: "PT2S",
    evsInactiveTimeout: "PT6S",
    evsKeepalivePeriod: "PT0.5S",
    evsInactiveCheckPeriod: "PT0.5S",
    evsInstallTimeout: "PT3S",
  },
  rabbitmq: { partitionHandling: "pause_minority", netTicktime: 15 },
  neutron: { haVrrpAdvertInt: 1 },
  masakari: {
    // the remote's loss reaches the engine within 5 s of Pacemaker seeing it
    hostmonitorInterval: 5,
    // Nova has marked the compute down by the time the notification comes (see remoteMonitorTimeout):
    // the wait only covers a heartbeat that was late
    waitAfterServiceUpdate: 5,
    // Four heartbeats (every 2 s) missed: long enough not to flap on a busy control plane. It must end
    // before Masakari disables the service: while Nova still counts a dead compute up, the disable
    // makes nova-api call the compute over RPC, which waits rpc_response_timeout (60 s) and comes
    // back through HAProxy as a 504 (measured under kolla-default), and Masakari retries minutes later.
    novaServiceDownTime: 8,
    novaReportInterval: 2,
    // A cut-off remote is declared lost 8-13 s after it stops (monitor every 5 s, 8 s to answer), not
    // 60-90 s; never before Nova counts it down (service_down_time 8 s after its last heartbeat).
    remoteMonitorInterval: 5,
    remoteMonitorTimeout: 8,
  },
};

/** The profile of a name. */
export function failoverProfile(name: ProfileName): FailoverProfile {
  return name === "fast-failover" ? FAST_FAILOVER : KOLLA_DEFAULT;
}

/** HAProxy's `check …` server options for a profile, as kolla's haproxy_health_check writes them. */
export function haproxyCheckOptions(t: HaproxyTuning): string {
  const parts = ["check", `inter ${t.interMs}`];
  if (t.fastinterMs > 0) parts.push(`fastinter ${t.fastinterMs}`);
  if (t.downinterMs > 0) parts.push(`downinter ${t.downinterMs}`);
  parts.push(`rise ${t.rise}`, `fall ${t.fall}`);
  if (t.shutdownSessions) parts.push("on-marked-down shutdown-sessions");
  return parts.join(" ");
}
