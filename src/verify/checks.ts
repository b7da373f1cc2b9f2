/**
 * The chapter's post-deployment checks, automated: the health checks every
 * gate asks (src/observe/health.ts), Keystone's catalog through the VIP, and
 * with a network tier `openstack network agent list` (every agent alive, L3
 * agents on both network nodes) and each HA router active exactly once; with
 * a compute tier `openstack compute service list --service nova-compute` and
 * `hypervisor list`, Masakari's service and segment, and `crm_mon`'s nodes.
 */
import { l3AgentMode } from "../plan/l3-mode.ts";
import {
  HEALTH_CHECK_IDS,
  healthChecks,
  result,
  type CheckResult,
  type HealthInput,
} from "../observe/health.ts";
import { pacemakerProblems } from "../observe/pacemaker.ts";
import { activeHosts, stateDisagreements } from "../observe/routers.ts";
import type { ComputeApiState } from "../probes/compute-api.ts";
import type { CatalogResult, ComputeResult, NetworkResult } from "../probes/types.ts";

/** Stable ids of the checks (JUnit test names, JSON keys). */
export const CHECK_IDS = [
  ...HEALTH_CHECK_IDS,
  "keystone-catalog",
  "neutron-agents",
  "l3-ha-routers",
  "nova-compute-services",
  "instance-ha",
  "pacemaker",
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
  /** Nova's and Masakari's API view; absent when the target runs neither nova-compute nor Masakari. */
  readonly compute?: ComputeResult;
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

/** The compute API's answer, or the one line that says why there is none. */
function computeState(c: ComputeResult): { state?: ComputeApiState; problem?: string } {
  if (!c.ok)
    return { problem: `the Compute API did not answer through the VIP: ${c.error ?? "unknown error"}` };
  if (c.state === undefined) return { problem: "the Keystone catalogue lists no compute service" };
  return { state: c.state };
}

/** A nova hypervisor's name for a host: the host itself or its FQDN (libvirt reports the FQDN). */
const hypervisorOf = (hostname: string, host: string): boolean =>
  hostname === host || hostname.startsWith(`${host}.`);

/**
 * `openstack compute service list --service nova-compute` and `openstack hypervisor list`: on every
 * host the Plan places nova-compute, a service enabled and up, and its hypervisor up. Reserved
 * hosts of Masakari's reserved_host recovery are kept disabled until a failure enables them.
 */
function novaComputeServices(i: VerifyInput, c: ComputeResult): CheckResult<CheckId> {
  const title = "nova-compute is enabled and up, its hypervisor up, on every host the Plan places it";
  const { state, problem } = computeState(c);
  if (state === undefined) return result("nova-compute-services", title, [problem!], []);
  const problems: string[] = [];
  const ok: string[] = [];
  const planned = i.plan.services.find((s) => s.name === "nova-compute")?.hosts ?? [];
  const reserved = i.plan.masakari.enabled ? i.plan.masakari.reservedHosts : [];
  const up: string[] = [];
  for (const h of planned) {
    const s = state.services.find((x) => x.host === h);
    if (s === undefined) {
      problems.push(`no nova-compute service on ${h} in the Compute API`);
      continue;
    }
    const before = problems.length;
    if (s.state === "down")
      problems.push(
        s.forcedDown
          ? `nova-compute on ${h} is forced down (clear it: openstack compute service set --up ${h} nova-compute)`
          : `nova-compute on ${h} is down (its last report is too old)`,
      );
    if (s.status === "disabled" && !reserved.includes(h))
      problems.push(
        `nova-compute on ${h} is disabled (${s.disabledReason !== undefined ? `reason: ${s.disabledReason}` : "no reason given"})`,
      );
    if (problems.length > before) continue;
    if (s.status === "disabled") ok.push(`nova-compute on ${h} up, disabled as Masakari's reserved host`);
    else up.push(h);
  }
  if (up.length > 0) ok.unshift(`nova-compute: ${up.join(", ")}, enabled and up`);
  const hvUp: string[] = [];
  for (const h of planned) {
    const hv = state.hypervisors.find((x) => hypervisorOf(x.hostname, h));
    if (hv === undefined) problems.push(`no hypervisor of ${h} in the hypervisor list`);
    else if (hv.state !== "up") problems.push(`the hypervisor ${hv.hostname} is ${hv.state}`);
    else hvUp.push(hv.hostname);
  }
  if (hvUp.length > 0) ok.push(`hypervisors: ${hvUp.join(", ")}, up`);
  if (planned.length === 0) problems.push("the Plan places nova-compute on no host");
  return result("nova-compute-services", title, problems, ok);
}

/**
 * `openstack service list` shows Masakari (instance-ha), and its segment holds every compute the
 * Plan makes a pacemaker remote (reserved hosts as reserved), none on maintenance: a host on
 * maintenance is not recovered again, and one in no segment never is.
 */
function instanceHa(i: VerifyInput, c: ComputeResult): CheckResult<CheckId> {
  const title = "Masakari is in the catalogue and its segment holds every compute, none on maintenance";
  const { state, problem } = computeState(c);
  if (state === undefined) return result("instance-ha", title, [problem!], []);
  const m = i.plan.masakari;
  const masakari = state.catalog.find((s) => s.type === "instance-ha");
  if (masakari === undefined)
    return result(
      "instance-ha",
      title,
      [
        "the Keystone catalogue lists no instance-ha service: `openstack service list` does not show Masakari",
      ],
      [],
    );
  if (state.segments === undefined)
    return result(
      "instance-ha",
      title,
      [`Masakari did not answer through the VIP: ${state.masakariError ?? "unknown error"}`],
      [],
    );
  const problems: string[] = [];
  const ok = [`instance-ha (${masakari.name}) in the catalogue`];
  const remotes = m.haclusterRemoteHosts;
  if (state.segments.length === 0)
    problems.push(`Masakari has no failover segment: ${remotes.join(", ") || "no host"} cannot be recovered`);
  for (const h of remotes) {
    const where = state.segments.filter((s) => s.hosts.some((x) => x.name === h));
    if (where.length === 0 && state.segments.length > 0)
      problems.push(`${h} is in no failover segment: Masakari would not recover its instances`);
    for (const s of where) {
      const x = s.hosts.find((y) => y.name === h)!;
      if (x.onMaintenance)
        problems.push(
          `${h} is on maintenance in segment ${s.name}: Masakari will not recover it again until it is cleared ` +
            `(openstack segment host update ${s.name} ${h} --on_maintenance False)`,
        );
      if (m.reservedHosts.includes(h) && !x.reserved)
        problems.push(`${h} is not reserved in segment ${s.name}, the Plan reserves it`);
      else if (!m.reservedHosts.includes(h) && x.reserved)
        problems.push(`${h} is reserved in segment ${s.name}, the Plan does not reserve it`);
    }
  }
  for (const s of state.segments) {
    const ours = s.hosts.filter((x) => remotes.includes(x.name));
    if (ours.length === 0) continue;
    if (s.recoveryMethod !== m.recovery)
      problems.push(`segment ${s.name} recovers by ${s.recoveryMethod}, the Plan says ${m.recovery}`);
    for (const x of s.hosts.filter((y) => !remotes.includes(y.name)))
      problems.push(
        `segment ${s.name} lists ${x.name}, which is no pacemaker remote of the Plan: its failure would go unseen`,
      );
    ok.push(
      `segment ${s.name} (${s.recoveryMethod}): ${ours.map((x) => (x.reserved ? `${x.name} (reserved)` : x.name)).join(", ")}`,
    );
  }
  return result("instance-ha", title, problems, ok);
}

/** `crm_mon`: every controller Online, every compute RemoteOnline, quorum held. */
function pacemakerCluster(i: VerifyInput): CheckResult<CheckId> {
  const title = "Pacemaker has quorum, every controller Online and every compute RemoteOnline";
  const p = i.observed.pacemaker;
  if (p.state === undefined)
    return result(
      "pacemaker",
      title,
      [`crm_mon answered on no cluster member: ${p.error ?? "Pacemaker was not observed"}`],
      [],
    );
  const m = i.plan.masakari;
  const from = p.from === undefined ? "" : ` (crm_mon on ${p.from})`;
  const problems = pacemakerProblems(p.state, m.haclusterHosts, m.haclusterRemoteHosts).map(
    (x) => `${x}${from}`,
  );
  const online = (type: "member" | "remote"): string =>
    p
      .state!.nodes.filter((n) => n.type === type && n.online)
      .map((n) => n.name)
      .join(", ") || "none";
  return result("pacemaker", title, problems, [
    `Online: ${online("member")}; RemoteOnline: ${online("remote")}` +
      (p.state.dc !== undefined ? ` (DC ${p.state.dc})` : ""),
  ]);
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
  const { network, compute } = i;
  return [
    ...healthChecks(i),
    keystoneCatalog(i),
    ...(network !== undefined ? [neutronAgents(i, network), l3HaRouters(i, network)] : []),
    ...(compute !== undefined && i.managedServices.includes("nova-compute")
      ? [novaComputeServices(i, compute)]
      : []),
    ...(compute !== undefined && i.managedServices.includes("masakari-api") ? [instanceHa(i, compute)] : []),
    ...(i.managedServices.includes("hacluster-pacemaker") ? [pacemakerCluster(i)] : []),
  ];
}
