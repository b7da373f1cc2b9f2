/**
 * Pacemaker as `crm_mon` reports it: the cluster's nodes (members and
 * remote nodes) and whether it has quorum. A pure parser of `crm_mon
 * --output-as=xml` (Pacemaker 2.1; `crm_mon -X` prints the same document),
 * unit-tested on real output; the lab and kolla targets run the command.
 */

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
