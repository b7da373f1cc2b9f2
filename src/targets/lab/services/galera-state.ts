/**
 * Galera's saved state and the choice of the node that bootstraps a stopped
 * cluster, as kolla-ansible's mariadb-recovery makes it: a running Primary
 * member first; else the node marked safe_to_bootstrap (the last one to leave
 * a clean shutdown); else the highest recovered seqno. Pure.
 */

/** grastate.dat as Galera writes it in the data directory. */
export interface GraState {
  readonly uuid: string;
  /** -1 after a crash: the real position needs `mariadbd --wsrep-recover`. */
  readonly seqno: number;
  readonly safeToBootstrap: boolean;
}

/** Parses grastate.dat; undefined when it is not one. */
export function parseGrastate(text: string): GraState | undefined {
  const field = (k: string): string | undefined => new RegExp(`^${k}:\\s*(\\S+)\\s*$`, "m").exec(text)?.[1];
  const uuid = field("uuid");
  const seqno = field("seqno");
  if (uuid === undefined || seqno === undefined || !/^-?\d+$/.test(seqno)) return undefined;
  return { uuid, seqno: Number(seqno), safeToBootstrap: field("safe_to_bootstrap") === "1" };
}

/** grastate.dat with safe_to_bootstrap set, so `--wsrep-new-cluster` is allowed on this node. */
export function markSafeToBootstrap(text: string): string {
  return /^safe_to_bootstrap:/m.test(text)
    ? text.replace(/^safe_to_bootstrap:.*$/m, "safe_to_bootstrap: 1")
    : `${text.replace(/\n?$/, "\n")}safe_to_bootstrap: 1\n`;
}

/** grastate.dat with a recovered seqno in place of -1 (what the server then starts from, so it can rejoin by IST). */
export function withSeqno(text: string, seqno: number): string {
  return text.replace(/^seqno:.*$/m, `seqno:   ${seqno}`);
}

/** The position `mariadbd --wsrep-recover` logs ("WSREP: Recovered position: <uuid>:<seqno>"), if any. */
export function parseRecoveredPosition(log: string): { uuid: string; seqno: number } | undefined {
  let found: { uuid: string; seqno: number } | undefined;
  for (const m of log.matchAll(/Recovered position:\s*([0-9a-f-]{36}):(-?\d+)/g)) {
    found = { uuid: m[1]!, seqno: Number(m[2]) };
  }
  return found;
}

/** What is known about one node before the cluster starts. */
export interface GaleraNodeState {
  readonly host: string;
  /** mariadbd answers on its socket. */
  readonly running: boolean;
  /** Its component is Primary (only meaningful when running). */
  readonly primary: boolean;
  /** The data directory holds a database (system tables). */
  readonly initialized: boolean;
  /** Last committed seqno: wsrep_last_committed when running, else grastate or --wsrep-recover; -1 unknown. */
  readonly seqno: number;
  readonly safeToBootstrap: boolean;
}

/** How the cluster gets going this time. */
export type GaleraStart =
  /** A Primary component is running: every stopped node joins it. */
  | { readonly kind: "join"; readonly donor: string }
  /** No data anywhere: `bootstrap` initialises a data directory and starts a new cluster. */
  | { readonly kind: "new"; readonly bootstrap: string }
  /** Data but no Primary: `bootstrap` (stopped) restarts the cluster with --wsrep-new-cluster. */
  | { readonly kind: "recover"; readonly bootstrap: string; readonly seqno: number }
  /** Data, no Primary, and the best node is running non-Primary: promote it (pc.bootstrap=YES). */
  | { readonly kind: "promote"; readonly bootstrap: string; readonly seqno: number };

/** Decides which node starts the cluster. `nodes` are in the service's host order (ties go to the first). */
export function chooseGaleraStart(nodes: readonly GaleraNodeState[]): GaleraStart {
  const primary = nodes.find((n) => n.running && n.primary);
  if (primary) return { kind: "join", donor: primary.host };
  const withData = nodes.filter((n) => n.initialized || n.running);
  const first = nodes[0];
  if (first === undefined) throw new Error("a Galera cluster needs at least one node");
  if (withData.length === 0) return { kind: "new", bootstrap: first.host };
  let best = withData[0]!;
  for (const n of withData.slice(1)) {
    if (n.seqno > best.seqno || (n.seqno === best.seqno && n.safeToBootstrap && !best.safeToBootstrap))
      best = n;
  }
  // A clean full shutdown leaves exactly one node safe to bootstrap, and it holds the highest seqno;
  // prefer it when seqnos are unknown (-1) everywhere.
  const safe = withData.find((n) => n.safeToBootstrap && !n.running);
  if (best.seqno < 0 && safe) best = safe;
  return best.running
    ? { kind: "promote", bootstrap: best.host, seqno: best.seqno }
    : { kind: "recover", bootstrap: best.host, seqno: best.seqno };
}

/** One line saying what `lab up` does with Galera and why (the seqnos it compared), for the operator. */
export function describeGaleraStart(start: GaleraStart, nodes: readonly GaleraNodeState[]): string {
  switch (start.kind) {
    case "join":
      return `Galera: ${start.donor} runs the Primary component; the stopped nodes join it`;
    case "new":
      return `Galera: no data on any node; ${start.bootstrap} bootstraps a new cluster`;
    default: {
      const seen = nodes
        .map((n) => {
          const state =
            !n.initialized && !n.running ? "no data" : `seqno ${n.seqno < 0 ? "unknown" : n.seqno}`;
          const marks = [
            n.running ? "running non-Primary" : "",
            n.safeToBootstrap ? "safe_to_bootstrap" : "",
          ];
          return `${n.host} ${[state, ...marks.filter(Boolean)].join(", ")}`;
        })
        .join("; ");
      const how =
        start.kind === "promote" ? "is promoted (pc.bootstrap=YES)" : "bootstraps it (--wsrep-new-cluster)";
      return `Galera: no Primary component (${seen}); ${start.bootstrap} ${how}, the others join`;
    }
  }
}
