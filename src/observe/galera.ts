/**
 * The Galera observer: each node's `SHOW GLOBAL STATUS` wsrep variables —
 * cluster size, Primary or not, ready, Synced — through the MariaDB client
 * on the node itself (lab: its socket and defaults file; kolla: inside the
 * `mariadb` container).
 */
import type { GaleraNodeState, Observer } from "./types.ts";

/** The wsrep variables a node is judged by. */
export const WSREP_SQL =
  "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_status','wsrep_local_state_comment'," +
  "'wsrep_cluster_size','wsrep_ready','wsrep_incoming_addresses','wsrep_last_committed')";

/** `mariadb -N -B` output of a SHOW STATUS (name TAB value per line) as a map. */
export function parseStatusTable(tsv: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of tsv.split("\n")) {
    const [k, v] = line.split("\t");
    if (k) out[k] = v ?? "";
  }
  return out;
}

/** A node's state from its wsrep variables. */
export function galeraNode(host: string, wsrep: Readonly<Record<string, string>>): GaleraNodeState {
  return {
    host,
    reachable: true,
    clusterSize: Number(wsrep.wsrep_cluster_size ?? 0),
    clusterStatus: wsrep.wsrep_cluster_status ?? "",
    ready: wsrep.wsrep_ready === "ON",
    localState: wsrep.wsrep_local_state_comment ?? "",
  };
}

/** A node that did not answer. */
function unreachable(host: string, error?: string): GaleraNodeState {
  return {
    host,
    reachable: false,
    clusterSize: 0,
    clusterStatus: "Disconnected",
    ready: false,
    localState: "",
    ...(error !== undefined ? { error } : {}),
  };
}

/** The Galera observer. */
export const galeraObserver: Observer<readonly GaleraNodeState[]> = {
  kind: "galera",
  summary:
    "each Galera node's wsrep status (size, Primary, ready, Synced) from the node's own MariaDB client",
  collect(ctx) {
    const members = ctx.plan.quorum.find((q) => q.name === "galera")?.members ?? [];
    return Promise.all(
      members.map(async (h) => {
        if (!ctx.running("mariadb", h)) return unreachable(h);
        const options = (ctx.locate("mariadb", h, "client-options") ?? "").split(" ").filter(Boolean);
        const r = await ctx.access
          .exec(h, ["mariadb", ...options, "--connect-timeout=3", "-N", "-B", "-e", WSREP_SQL], {
            container: "mariadb",
            timeoutMs: 10_000,
          })
          .catch((e: unknown) => ({ exitCode: -1, stdout: "", stderr: (e as Error).message }));
        if (r.exitCode !== 0) return unreachable(h, "no answer on the socket");
        return galeraNode(h, parseStatusTable(r.stdout));
      }),
    );
  },
};
