/**
 * The service catalogue: which gates each user-facing service needs, built
 * from the Plan's placed services, quorum groups and Neutron/Masakari/Cinder
 * plans (never from host names). Choices and their reasons: docs/sla.md §1.
 */
import type { Plan } from "../plan/types.ts";
import type { Gate, Member, ServiceModel, SlaModel, Trigger } from "./model.ts";

/** Options that change the catalogue. */
export interface CatalogueOptions {
  /** Backends a stateless API needs to carry its load (k of k-of-n); default 1. */
  readonly apiMinBackends?: number;
}

/** neutron's max_l3_agents_per_router as kolla sets it with agent HA. */
export const MAX_L3_AGENTS_PER_ROUTER = 3;

/** Builds the structure model of a Plan. */
export function buildSlaModel(plan: Plan, options: CatalogueOptions = {}): SlaModel {
  const gates = new Map<string, Gate>();
  const add = (g: Gate): string => {
    gates.set(g.id, g);
    return g.id;
  };
  const placed = (name: string): readonly string[] => plan.services.find((s) => s.name === name)?.hosts ?? [];
  const members = (hosts: readonly string[], daemons: readonly string[]): Member[] =>
    hosts.map((host) => ({ host, daemons }));
  const apiK = Math.max(1, options.apiMinBackends ?? 1);

  const lbDaemons = [
    "haproxy",
    "keepalived",
    ...(plan.databaseLoadBalancer === "proxysql" ? ["proxysql"] : []),
  ];
  const vrrp = add({
    id: "vrrp",
    kind: "vrrp",
    label: "load balancers",
    k: 1,
    members: members(
      plan.vrrp.members.map((m) => m.host),
      lbDaemons,
    ),
    triggers: [
      { kind: "host", mechanism: "vip-crash", who: "active" },
      { kind: "keepalived", mechanism: "vip-crash", who: "active" },
      { kind: "haproxy", mechanism: "vip-track", who: "active" },
      ...(lbDaemons.includes("proxysql")
        ? [{ kind: "proxysql", mechanism: "vip-track", who: "active" } as const]
        : []),
    ],
  });
  const behindHaproxy: Trigger[] = [{ kind: "host", mechanism: "backend-detect", who: "any" }];
  const backends = (daemon: string, viaHaproxy: boolean, k = apiK): string => {
    const hosts = placed(daemon);
    return add({
      id: `backends:${daemon}`,
      kind: "backends",
      label: daemon,
      k: Math.min(k, Math.max(1, hosts.length)),
      members: members(hosts, [daemon]),
      triggers: viaHaproxy ? behindHaproxy : [],
    });
  };
  const quorumGate = (
    name: string,
    label: string,
    daemon: string,
    triggers: Trigger[],
  ): string | undefined => {
    const q = plan.quorum.find((g) => g.name === name);
    if (q === undefined) return undefined;
    // corosync's two_node mode (kolla sets it for exactly two hacluster hosts) keeps quorum with one.
    const k = name === "pacemaker" && q.members.length === 2 ? 1 : q.majority;
    return add({
      id: `quorum:${name}`,
      kind: "quorum",
      label,
      k,
      members: members(q.members, [daemon]),
      triggers,
      why: name === "pacemaker" && k === 1 ? "corosync two_node" : undefined,
    });
  };

  const keystone = backends("keystone", true);
  const galera = quorumGate("galera", "Galera", "mariadb", [
    { kind: "host", mechanism: "galera-stall", who: "any" },
    { kind: "host", mechanism: "db-stale", who: "first" },
    { kind: "mariadb", mechanism: "db-kill", who: "first" },
  ]);
  const rabbit = quorumGate("rabbitmq", "RabbitMQ", "rabbitmq", [
    { kind: "host", mechanism: "rabbit-host", who: "any" },
    { kind: "rabbitmq", mechanism: "rabbit-kill", who: "any" },
  ]);
  const db = galera === undefined ? [] : [galera];
  const mq = rabbit === undefined ? [] : [rabbit];
  const computeApi = [
    vrrp,
    keystone,
    backends("nova-api", true),
    backends("placement-api", true),
    backends("nova-conductor", false),
    backends("nova-scheduler", false),
    ...db,
    ...mq,
  ];

  const services: ServiceModel[] = [
    {
      name: "identity-api",
      title: "Identity API (keystone via the VIP)",
      gates: [vrrp, keystone, ...db],
      notes: [],
    },
    { name: "compute-api", title: "Compute API (nova + placement)", gates: computeApi, notes: [] },
    {
      name: "network-api",
      title: "Network API (neutron-server)",
      gates: [vrrp, keystone, backends("neutron-server", true), ...db, ...mq],
      notes: [],
    },
    { name: "database", title: "Database (Galera via the VIP)", gates: [vrrp, ...db], notes: [] },
    {
      name: "messaging",
      title: "Messaging (RabbitMQ)",
      gates: mq,
      notes: ["AMQP is not load-balanced: clients connect to every node, so the VIP is not in its chain."],
    },
  ];
  const routing = tenantRouting(plan, add);
  if (routing) services.push(routing);
  const instanceHa = instanceHaService(plan, add, backends, quorumGate, computeApi);
  if (instanceHa) services.push(instanceHa);
  if (plan.cinder.enabled) {
    const lvm = plan.cinder.backend === "lvm";
    const volumeHosts = plan.cinder.volumeHosts;
    const volume = add({
      id: "cinder-volume",
      kind: lvm ? "series" : "backends",
      label: "cinder-volume",
      k: lvm ? volumeHosts.length : 1,
      members: members(volumeHosts, ["cinder-volume"]),
      triggers: [],
      why: lvm ? "a volume lives on one LVM host" : undefined,
    });
    services.push({
      name: "block-storage",
      title: `Block storage (cinder, ${plan.cinder.backend})`,
      gates: [
        vrrp,
        keystone,
        backends("cinder-api", true),
        backends("cinder-scheduler", false),
        volume,
        ...db,
        ...mq,
      ],
      notes: lvm
        ? ["LVM volumes are served by the one cinder-volume host that holds them: no failover."]
        : [],
    });
  }
  const zones = new Map<string, string>();
  for (const h of plan.hosts) if (h.zone !== undefined) zones.set(h.name, h.zone);
  return { gates, services, zones, hosts: plan.hosts.map((h) => h.name) };
}

function tenantRouting(plan: Plan, add: (g: Gate) => string): ServiceModel | undefined {
  const n = plan.neutron;
  const network = plan.groups.network ?? [];
  const notes: string[] = [];
  if (n.providerNetworks) notes.push("Instances on provider networks do not use tenant routers.");
  let gate: Gate;
  if (n.plugin === "ovn") {
    if (network.length === 0) return undefined;
    notes.push("OVN gateway chassis failover (BFD) is not timed by the model.");
    gate = {
      id: "routers",
      kind: "routers",
      label: "OVN gateways",
      k: 1,
      members: network.map((host) => ({ host, daemons: ["ovn-controller"] })),
      triggers: [],
    };
  } else {
    const dvr = n.routing === "dvr";
    const hosts = dvr ? n.l3Hosts.filter((h) => network.includes(h)) : n.l3Hosts;
    if (hosts.length === 0) return undefined;
    if (dvr)
      notes.push(
        "DVR routes floating IPs on each compute (they fail with the instance); the SNAT part is modelled.",
      );
    const m = hosts.map((host) => ({ host, daemons: ["neutron-l3-agent"] }));
    if (n.agentHa) {
      const replicas = Math.min(hosts.length, MAX_L3_AGENTS_PER_ROUTER);
      if (hosts.length > MAX_L3_AGENTS_PER_ROUTER) {
        notes.push(
          `A router runs on ${MAX_L3_AGENTS_PER_ROUTER} of ${hosts.length} agents (max_l3_agents_per_router): with every router counted, any ${MAX_L3_AGENTS_PER_ROUTER} agents down leave some router without one.`,
        );
      }
      gate = {
        id: "routers",
        kind: "routers",
        label: dvr ? "SNAT L3 agents" : "L3 agents",
        k: hosts.length - replicas + 1,
        members: m,
        triggers: [{ kind: "host", mechanism: "l3-master", who: "active" }],
      };
    } else {
      notes.push(
        "Without L3 HA a router lives on one agent: every network node is a single point of failure for its routers.",
      );
      gate = {
        id: "routers",
        kind: "series",
        label: dvr ? "SNAT L3 agent" : "L3 agent",
        k: hosts.length,
        members: m,
        triggers: [],
        why: "a router lives on one agent",
      };
    }
  }
  add(gate);
  return {
    name: "tenant-routing",
    title: `Tenant routing (${n.plugin === "ovn" ? "ovn" : n.routing})`,
    gates: ["routers"],
    notes,
  };
}

function instanceHaService(
  plan: Plan,
  add: (g: Gate) => string,
  backends: (daemon: string, viaHaproxy: boolean, k?: number) => string,
  quorumGate: (name: string, label: string, daemon: string, triggers: Trigger[]) => string | undefined,
  computeApi: readonly string[],
): ServiceModel | undefined {
  const m = plan.masakari;
  if (!m.enabled) return undefined;
  const computes = plan.groups.compute ?? [];
  const notes: string[] = [];
  if (!m.sharedStorage) {
    notes.push(
      "Without shared storage, evacuation rebuilds instances from their image: local disk contents are lost.",
    );
  }
  if (computes.length < 2)
    notes.push("Instance HA needs at least two computes: there is nowhere to evacuate to.");
  const gates = [
    backends("masakari-api", true),
    backends("masakari-engine", false),
    backends("masakari-hostmonitor", false),
    ...computeApi,
  ];
  const pacemaker = quorumGate("pacemaker", "Pacemaker", "pacemaker", []);
  if (pacemaker) gates.push(pacemaker);
  if (m.coordination === "etcd") {
    const etcd = quorumGate("etcd", "etcd", "etcd", []);
    if (etcd) gates.push(etcd);
  }
  gates.push(
    add({
      id: "computes",
      kind: "targets",
      label: "computes",
      k: 1,
      members: computes.map((host) => ({ host, daemons: ["nova-compute"] })),
      // An instance's own compute is "the active one": each instance sees its host's crashes.
      triggers: computes.length >= 2 ? [{ kind: "host", mechanism: "evacuation", who: "active" }] : [],
    }),
  );
  if (m.recovery === "reserved_host") {
    // A reserved host missing from the topology is a rule's finding (check), not a host to model.
    const known = new Set(computes);
    const reserved = m.reservedHosts.filter((h) => known.has(h));
    if (reserved.length === 0)
      notes.push("recovery_method reserved_host, but no reserved host is a compute of this topology.");
    gates.push(
      add({
        id: "reserved",
        kind: "targets",
        label: "reserved hosts",
        k: 1,
        members: reserved.map((host) => ({ host, daemons: ["nova-compute"] })),
        triggers: [],
      }),
    );
  }
  return {
    name: "instance-ha",
    title: "Instance HA (Masakari evacuation)",
    gates: [...new Set(gates)],
    notes,
  };
}
