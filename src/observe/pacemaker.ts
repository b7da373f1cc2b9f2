/**
 * Pacemaker as `crm_mon` reports it: the cluster's nodes (members and
 * remote nodes) and whether it has quorum. A pure parser of `crm_mon
 * --output-as=xml` (Pacemaker 2.1; `crm_mon -X` prints the same document),
 * unit-tested on Pacemaker 2.1.5's document, and the observer that runs it
 * on the first cluster member that answers (lab: inside the host; kolla: in
 * the `hacluster_pacemaker` container).
 */
import type { Observer } from "./types.ts";

/** One node of the cluster as crm_mon lists it. */
export interface PacemakerNode {
  readonly name: string;
  /** "member" (a corosync node) or "remote" (a pacemaker_remote node). */
  readonly type: "member" | "remote";
  readonly online: boolean;
  readonly standby: boolean;
  readonly maintenance: boolean;
  readonly unclean: boolean;
}

/** The cluster as one node sees it. */
export interface PacemakerState {
  readonly quorum: boolean;
  /** The designated controller's name, when there is one. */
  readonly dc?: string;
  readonly nodes: readonly PacemakerNode[];
}

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w-]+)="([^"]*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

/** Parses `crm_mon --output-as=xml` (or `crm_mon -X`); undefined when the text is no such document. */
export function parseCrmMon(xml: string): PacemakerState | undefined {
  const dcTag = /<current_dc\b[^>]*>/.exec(xml)?.[0];
  const nodesBlock = /<nodes>([\s\S]*?)<\/nodes>/.exec(xml)?.[1];
  if (dcTag === undefined && nodesBlock === undefined) return undefined;
  const dc = attrs(dcTag ?? "");
  const nodes = [...(nodesBlock ?? "").matchAll(/<node\b[^>]*>/g)].map((m) => {
    const a = attrs(m[0]);
    return {
      name: a.name ?? "",
      type: a.type === "remote" ? ("remote" as const) : ("member" as const),
      online: a.online === "true",
      standby: a.standby === "true",
      maintenance: a.maintenance === "true",
      unclean: a.unclean === "true",
    };
  });
  return {
    quorum: dc.with_quorum === "true",
    ...(dc.present === "true" && dc.name !== undefined ? { dc: dc.name } : {}),
    nodes,
  };
}

/**
 * What is wrong with the cluster against the plan: every cluster node Online, every remote
 * RemoteOnline (the chapter's `crm_mon` check, and kolla CI's grep), quorum held. One line each.
 */
export function pacemakerProblems(
  s: PacemakerState,
  members: readonly string[],
  remotes: readonly string[],
): string[] {
  const out: string[] = [];
  if (!s.quorum) out.push("the cluster has no quorum");
  const byName = new Map(s.nodes.map((n) => [n.name, n]));
  for (const [names, type, word] of [
    [members, "member", "Online"],
    [remotes, "remote", "RemoteOnline"],
  ] as const) {
    for (const h of names) {
      const n = byName.get(h);
      if (n === undefined || n.type !== type)
        out.push(`${h} is not a ${type === "remote" ? "remote node" : "cluster node"} of the cluster`);
      else if (!n.online) out.push(`${h} is not ${word}`);
      else if (n.standby || n.maintenance) out.push(`${h} is in ${n.standby ? "standby" : "maintenance"}`);
    }
  }
  return out;
}

/** The cluster as the observer saw it: from which member, or why none answered (`{}`: no cluster planned). */
export interface PacemakerObservation {
  /** The member whose crm_mon answered. */
  readonly from?: string;
  readonly state?: PacemakerState;
  /** Each member's failure, when none answered. */
  readonly error?: string;
}

/** Why crm_mon gave no cluster: the document's own error (`<status message>`, `<error>`), else stderr. */
function crmMonError(r: {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}): string {
  const said =
    /<error>([^<]+)<\/error>/.exec(r.stdout)?.[1] ??
    /<status\b[^>]*\bmessage="([^"]+)"/.exec(r.stdout)?.[1] ??
    r.stderr.trim().split("\n")[0];
  return said !== undefined && said !== "" ? said.trim() : `crm_mon exited ${r.exitCode}`;
}

/** The Pacemaker observer. */
export const pacemakerObserver: Observer<PacemakerObservation> = {
  kind: "pacemaker",
  summary:
    "the Pacemaker cluster's nodes (members and remotes) and quorum, from crm_mon on the first member that answers",
  async collect(ctx) {
    const m = ctx.plan.masakari;
    if (!m.enabled || !m.hacluster) return {};
    const failed: string[] = [];
    for (const host of m.haclusterHosts) {
      // a member down would only time out; the next one sees the same cluster
      if (!ctx.running("hacluster-pacemaker", host)) {
        failed.push(`${host}: Pacemaker not running`);
        continue;
      }
      const r = await ctx.access
        .exec(host, ["crm_mon", "-1", "--output-as=xml"], {
          container: "hacluster_pacemaker",
          timeoutMs: 15_000,
        })
        .catch((e: unknown) => ({ exitCode: -1, stdout: "", stderr: (e as Error).message }));
      // crm_mon prints the cluster whatever its exit code (no quorum is still a cluster)
      const state = parseCrmMon(r.stdout);
      if (state !== undefined) return { from: host, state };
      failed.push(`${host}: ${crmMonError(r)}`);
    }
    return { error: failed.length > 0 ? failed.join("; ") : "the Plan lists no cluster member" };
  },
};
