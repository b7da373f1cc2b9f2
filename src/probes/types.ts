/**
 * What probes measure and how the probe worker talks to the drill runner:
 * the worker reads one JSON config on stdin (credentials never go on a
 * command line) and writes one JSON sample per line on stdout.
 */
import type { ProbeEndpoints } from "../targets/target.ts";

/** The probes users would feel, run by the worker inside the client namespace. */
export const USER_PROBES = ["keystone-get", "token-issue", "sql", "rabbit"] as const;
export type UserProbe = (typeof USER_PROBES)[number];

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
  | { readonly mode: "sql-setup"; readonly endpoints: ProbeEndpoints };

/** Result of `sql-verify`: acknowledged sequence numbers missing from the table. */
export interface SqlVerifyResult {
  readonly checked: number;
  readonly missing: readonly number[];
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

/** Default probe rates: the figures, bounded. */
export const DEFAULT_RATES: Readonly<Record<UserProbe, ProbeRate>> = {
  "keystone-get": { perSecond: 50, timeoutMs: 10_000, maxInFlight: 200 },
  "token-issue": { perSecond: 5, timeoutMs: 90_000, maxInFlight: 100 },
  sql: { perSecond: 10, timeoutMs: 30_000, maxInFlight: 100 },
  rabbit: { perSecond: 5, timeoutMs: 10_000, maxInFlight: 20 },
};
