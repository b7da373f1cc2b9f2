/**
 * The chapter's post-deployment checks, automated: the health checks every
 * gate asks (src/observe/health.ts), Keystone's catalog through the VIP, and
 * with a network tier `openstack network agent list` (every agent alive, L3
 * agents on both network nodes) and each HA router active exactly once.
 */
import { l3AgentMode } from "../plan/l3-mode.ts";
import {
  HEALTH_CHECK_IDS,
  healthChecks,
  result,
  type CheckResult,
  type HealthInput,
} from "../observe/health.ts";
import { activeHosts, stateDisagreements } from "../observe/routers.ts";
import type { CatalogResult, NetworkResult } from "../probes/types.ts";

/** Stable ids of the checks (JUnit test names, JSON keys). */
export const CHECK_IDS = [
  ...HEALTH_CHECK_IDS,
  "keystone-catalog",
  "neutron-agents",
  "l3-ha-routers",
] as const;
/** One of CHECK_IDS. */
export type CheckId = (typeof CHECK_IDS)[number];

/** The outcome of one check. */
export type { CheckResult };

/** Everything the checks look at. */
export interface VerifyInput extends HealthInput {
  readonly catalog: CatalogResult;
  /** Neutron's API view; absent when the target runs no network tier. */
  readonly network?: NetworkResult;
}

/** The agent binary of each placed Neutron service (the Plan's names are kolla's). */
const AGENT_BINARIES: readonly {
  readonly service: string;
  readonly binary: string;
  readonly title: string;
}[] = [
  { service: "neutron-openvswitch-agent", binary: "neutron-openvswitch-agent", title: "Open vSwitch agent" },
  { service: "neutron-l3-agent", binary: "neutron-l3-agent", title: "L3 agent" },
  { service: "neutron-dhcp-agent", binary: "neutron-dhcp-agent", title: "DHCP agent" },
  { service: "neutron-metadata-agent", binary: "neutron-metadata-agent", title: "metadata agent" },
];

/** The chapter's check: every agent alive, and one on every host the Plan places it (L3 on both network nodes). */
function neutronAgents(i: VerifyInput, n: NetworkResult): CheckResult<CheckId> {
  const problems: string[] = [];
  const ok: string[] = [];
  const agents = n.state?.agents ?? [];
  if (!n.ok)
    problems.push(`the Networking API did not answer through the VIP: ${n.error ?? "unknown error"}`);
  else if (n.state === undefined) problems.push("the Keystone catalogue lists no network service");
  for (const a of agents) if (!a.alive) problems.push(`${a.binary} on ${a.host} is not alive`);
  for (const b of AGENT_BINARIES) {
    if (!i.managedServices.includes(b.service)) continue;
    const planned = i.plan.services.find((s) => s.name === b.service)?.hosts ?? [];
    const missing = planned.filter((h) => !agents.some((a) => a.binary === b.binary && a.host === h));
    for (const h of missing) problems.push(`no ${b.title} on ${h}`);
    if (planned.length > 0) ok.push(`${b.title}: ${planned.join(", ")}, alive`);
  }
  // the mode each L3 agent reports against kolla's choice for its host (DVR: dvr_snat, dvr)
  const modes = new Map<string, string[]>();
  for (const a of agents.filter((x) => x.binary === "neutron-l3-agent" && x.mode !== undefined)) {
    const want = l3AgentMode(i.plan, a.host);
    if (a.mode !== want)
      problems.push(`the L3 agent on ${a.host} runs in mode ${a.mode}, the Plan says ${want}`);
    else modes.set(want, [...(modes.get(want) ?? []), a.host]);
  }
  if (modes.size > 0)
    ok.push(
      `L3 agent modes: ${[...modes]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([m, hosts]) => `${m} on ${hosts.sort().join(", ")}`)
        .join("; ")}`,
    );
  return result(
    "neutron-agents",
    "every Neutron agent is alive, on every host the Plan places it, L3 agents in kolla's mode",
    problems,
    ok,
  );
}

/** Each HA router active on exactly one L3 agent host (ground truth), and what the API says beside it. */
function l3HaRouters(i: VerifyInput, n: NetworkResult): CheckResult<CheckId> {
  const problems: string[] = [];
  const ok: string[] = [];
  const instances = i.observed.routers.instances;
  const ids = [...new Set([...instances.map((x) => x.router), ...(n.state?.routers ?? []).map((r) => r.id)])];
  for (const id of ids) {
    const truth = activeHosts(i.observed.routers, id);
    const api = (n.state?.routers.find((r) => r.id === id)?.agents ?? [])
      .filter((a) => a.haState === "active")
      .map((a) => a.host)
      .sort();
    const name = `router ${id.slice(0, 8)}`;
    if (truth.length === 0)
      problems.push(`${name} is active nowhere (no router namespace holds its addresses)`);
    else if (truth.length > 1) problems.push(`${name} is active on ${truth.join(" and ")}: split brain`);
    else ok.push(`${name} active on ${truth[0]!}`);
    // what neutron believes is what its API and the agent act on: a router it misreads is not well
    for (const d of stateDisagreements(i.observed.routers, id)) problems.push(`${name}: ${d}`);
    if (n.ok && truth.join() !== api.join())
      (truth.length === 1 ? ok : problems).push(
        `${name}: the API says active on ${api.join(" and ") || "no host"}, the agents' state on ${truth.join(" and ") || "no host"}` +
          (api.length > 1 ? " (Zed's LP#1837635 shows two actives in the API)" : ""),
      );
  }
  if (ids.length === 0) ok.push("no HA routers");
  return result("l3-ha-routers", "every HA router is active on exactly one network node", problems, ok);
}

function keystoneCatalog(i: VerifyInput): CheckResult<CheckId> {
  const c = i.catalog;
  const problems: string[] = [];
  if (!c.ok) problems.push(`token issue through the VIP failed: ${c.error ?? "unknown error"}`);
  else {
    const identity = c.services.find((s) => s.type === "identity");
    if (identity === undefined) problems.push("the catalog has no identity service");
    else if (!identity.interfaces.includes("internal"))
      problems.push("the identity service has no internal endpoint");
  }
  return result(
    "keystone-catalog",
    "Keystone issues a token through the VIP and lists its catalog",
    problems,
    c.services.map((s) => `${s.type} (${s.name}): ${s.interfaces.join(", ")}`),
  );
}

/** Runs every check. */
export function verifyChecks(i: VerifyInput): CheckResult<CheckId>[] {
  const network = i.network;
  return [
    ...healthChecks(i),
    keystoneCatalog(i),
    ...(network !== undefined ? [neutronAgents(i, network), l3HaRouters(i, network)] : []),
  ];
}
