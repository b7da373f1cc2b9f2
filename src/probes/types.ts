/**
 * What probes measure and how the probe worker talks to the drill runner:
 * the worker reads one JSON config on stdin (credentials never go on a
 * command line) and writes one JSON sample per line on stdout.
 */
import type { EvacuationView } from "./evacuation.ts";
import type { ProbeEndpoints } from "../targets/target.ts";
import type { ComputeApiState } from "./compute-api.ts";
import type { NetworkApiState } from "./http.ts";
import { PROBES } from "./registry.ts";

/** The probes users would feel (registry.ts), run by the worker where the users are (site.ts). */
export type UserProbe = keyof typeof PROBES;
/** Every probe, in the registry's order. */
export const USER_PROBES = Object.keys(PROBES) as UserProbe[];

/** One request of one probe. Times are epoch milliseconds (fractional). */
export interface ProbeSample {
  readonly probe: UserProbe;
  /** When the request started. */
  readonly t: number;
  /** How long it took until the answer or the error. */
  readonly ms: number;
  readonly ok: boolean;
  /** Short error class ("ECONNREFUSED", "HTTP 503", "timeout"…); never a secret. */
  readonly err?: string;
  /** SQL probe: present when the database acknowledged the write of this sequence number. */
  readonly seq?: number;
  /** Tenant probes: the hosts of the instances on this request's path ("cn01", "cn01>cn02"). */
  readonly target?: string;
  /** router-api: the hosts whose L3 agent the API reports active for the workload's router. */
  readonly holders?: readonly string[];
  /** evacuation: what Nova and Masakari said about the drill's compute and its instances. */
  readonly evacuation?: EvacuationView;
}

/** Rate and limits of one probe. */
export interface ProbeRate {
  readonly perSecond: number;
  /** Client-side request timeout. */
  readonly timeoutMs: number;
  /** At most this many requests in flight; a tick beyond it is recorded as an error ("overload"). */
  readonly maxInFlight: number;
}

/** The worker's input. */
export interface WorkerConfig {
  readonly mode: "probe";
  /** A name for this run: the SQL probe keys its rows with it. */
  readonly runId: string;
  readonly endpoints: ProbeEndpoints;
  readonly probes: Readonly<Partial<Record<UserProbe, ProbeRate>>>;
  /** Hard deadline: the worker exits by itself after this many ms even if nobody stops it. */
  readonly deadlineMs: number;
}

/** The worker's input for one-shot checks after a drill or for verify. */
export type WorkerTask =
  | WorkerConfig
  | {
      readonly mode: "sql-verify";
      readonly runId: string;
      readonly endpoints: ProbeEndpoints;
      /** Sequence numbers whose writes were acknowledged. */
      readonly acked: readonly number[];
    }
  | { readonly mode: "catalog"; readonly endpoints: ProbeEndpoints }
  | { readonly mode: "network"; readonly endpoints: ProbeEndpoints }
  | { readonly mode: "compute"; readonly endpoints: ProbeEndpoints }
  | { readonly mode: "sql-setup"; readonly endpoints: ProbeEndpoints };

/** Result of `sql-verify`: acknowledged sequence numbers missing from the table. */
export interface SqlVerifyResult {
  readonly checked: number;
  readonly missing: readonly number[];
}

/** Result of `network`: Neutron's agents and HA routers as its API says (absent: no network service). */
export interface NetworkResult {
  readonly ok: boolean;
  readonly state?: NetworkApiState;
  readonly error?: string;
}

/** Result of `compute`: Nova's compute services and hypervisors, Masakari's segments (absent: no compute service). */
export interface ComputeResult {
  readonly ok: boolean;
  readonly state?: ComputeApiState;
  readonly error?: string;
}

/** Result of `catalog`: the Keystone service catalog (type -> interfaces). */
export interface CatalogResult {
  readonly ok: boolean;
  readonly services: readonly {
    readonly type: string;
    readonly name: string;
    readonly interfaces: readonly string[];
  }[];
  readonly error?: string;
}

/** Each probe's default rate, from the registry. */
export const DEFAULT_RATES = Object.fromEntries(USER_PROBES.map((p) => [p, PROBES[p].rate])) as Readonly<
  Record<UserProbe, ProbeRate>
>;
