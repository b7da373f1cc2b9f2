/**
 * Every probe users would feel, one entry each: what it measures, the rate
 * it runs at by default (bounded: a request timeout and a cap on requests in
 * flight), and the endpoint it needs. The worker runs an entry's loop
 * (worker.ts PROBE_LOOPS); drills, reports and the SLA comparison take the
 * list from here. A new probe is one entry here and one loop there.
 */
import type { ProbeRate } from "./types.ts";

/**
 * The endpoint a probe talks to: a service of the Keystone catalogue (by its
 * type, on the internal interface), or one the target names itself because
 * the catalogue does not list it (the database, the message queue).
 */
export type ProbeEndpoint =
  | { readonly catalog: "identity" | "network" | "compute" | "placement" }
  | { readonly target: "sql" }
  | { readonly target: "amqp" }
  /** What the drill's workload made (instances with floating IPs); the probe sits out drills without one. */
  | { readonly workload: "instances" }
  /** The drill workload's HA router, read through the Neutron API. */
  | { readonly workload: "router" }
  /** The compute a drill breaks and the instances its workload booted there, read from Nova and Masakari. */
  | { readonly workload: "compute" };

/** A probe's declaration. */
export interface ProbeSpec {
  readonly summary: string;
  /** What a failed request means for a user. */
  readonly measures: string;
  readonly rate: ProbeRate;
  readonly endpoint: ProbeEndpoint;
}

/**
 * The probes. Rates: a Keystone read 50/s and a token 5/s (what a busy
 * control plane's clients do), a SQL write-and-read 10/s, an AMQP round trip
 * 5/s, a Neutron read 5/s, tenant ICMP 20/s per address (neutron's own failover tests ping every
 * 0.1 s), a TCP round trip 5/s, the router's HA state 2/s (each read is a write transaction in neutron-server),
 * Nova and Placement reads 5/s, and the evacuation view 1/s (three API reads); docs/drills.md explains the choice.
 */
export const PROBES = {
  "keystone-get": {
    summary: "GET / of Keystone through the VIP",
    measures: "an API read through HAProxy: the load balancers and the API servers",
    rate: { perSecond: 50, timeoutMs: 10_000, maxInFlight: 200 },
    endpoint: { catalog: "identity" },
  },
  "token-issue": {
    summary: "a Keystone token issued through the VIP (password authentication)",
    measures: "a write path: Keystone, its database through HAProxy, memcached",
    rate: { perSecond: 5, timeoutMs: 90_000, maxInFlight: 100 },
    endpoint: { catalog: "identity" },
  },
  sql: {
    summary:
      "an INSERT then a SELECT of the same row through the database VIP, each acknowledged write checked after",
    measures: "the database as the OpenStack services use it: Galera through HAProxy, and lost writes",
    rate: { perSecond: 10, timeoutMs: 30_000, maxInFlight: 100 },
    endpoint: { target: "sql" },
  },
  rabbit: {
    summary: "a message published to a quorum queue and consumed back, over the clients' list of brokers",
    measures: "RPC between OpenStack services: the RabbitMQ cluster and its failover",
    rate: { perSecond: 5, timeoutMs: 10_000, maxInFlight: 20 },
    endpoint: { target: "amqp" },
  },
  "network-get": {
    summary: "GET /v2.0/networks of Neutron through the VIP, at the endpoint the Keystone catalogue lists",
    measures: "the networking API as tenants use it: HAProxy, neutron-server, its database through the VIP",
    rate: { perSecond: 5, timeoutMs: 10_000, maxInFlight: 50 },
    endpoint: { catalog: "network" },
  },
  "compute-get": {
    summary: "GET /servers (one row) of Nova through the VIP, at the endpoint the Keystone catalogue lists",
    measures: "the compute API as tenants use it: HAProxy, nova-api, its databases through the VIP",
    rate: { perSecond: 5, timeoutMs: 10_000, maxInFlight: 50 },
    endpoint: { catalog: "compute" },
  },
  "placement-get": {
    summary: "GET /resource_providers of Placement through the VIP (one row per compute)",
    measures: "what every boot and move asks first: HAProxy, placement-api, its database through the VIP",
    rate: { perSecond: 5, timeoutMs: 10_000, maxInFlight: 50 },
    endpoint: { catalog: "placement" },
  },
  "fip-icmp": {
    summary: "ICMP echo to every instance's floating IP from outside the cloud",
    measures: "north-south tenant traffic: the HA router's DNAT on the active network node, the tunnels",
    rate: { perSecond: 20, timeoutMs: 1_000, maxInFlight: 100 },
    endpoint: { workload: "instances" },
  },
  "fip-tcp": {
    summary: "a TCP connection to an instance's floating IP that echoes a line back",
    measures: "a user's TCP session through the router: connection set-up, NAT state, the data path",
    rate: { perSecond: 5, timeoutMs: 5_000, maxInFlight: 50 },
    endpoint: { workload: "instances" },
  },
  "instance-upstream": {
    summary: "ICMP echo from every instance to the external network's gateway",
    measures: "an instance reaching out: its router's SNAT and the external network",
    rate: { perSecond: 20, timeoutMs: 1_000, maxInFlight: 100 },
    endpoint: { workload: "instances" },
  },
  "snat-upstream": {
    summary: "ICMP echo to the external network's gateway from every instance without a floating IP",
    measures:
      "an instance reaching out through the router's SNAT: with DVR the one part of routing left on the network nodes",
    rate: { perSecond: 20, timeoutMs: 1_000, maxInFlight: 100 },
    endpoint: { workload: "instances" },
  },
  "east-west": {
    summary: "ICMP echo between instances on different subnets and compute hosts, by their fixed addresses",
    measures:
      "east-west tenant traffic, routed between subnets: with DVR in the computes' own router namespaces",
    rate: { perSecond: 20, timeoutMs: 1_000, maxInFlight: 100 },
    endpoint: { workload: "instances" },
  },
  "router-api": {
    summary: "the workload router's HA state as Neutron's API reports it (GET /v2.0/routers/<id>/l3-agents)",
    measures:
      "what operators and their tools see: when the API says the router is active elsewhere (the ha_state the agents report over RPC)",
    rate: { perSecond: 2, timeoutMs: 10_000, maxInFlight: 20 },
    endpoint: { workload: "router" },
  },
  evacuation: {
    summary:
      "the drill compute's nova-compute, its instances' host and status, and Masakari's notifications, from the APIs",
    measures:
      "instance availability as Nova reports it: ok while every instance is ACTIVE on a compute Nova counts up; the evacuation timeline",
    rate: { perSecond: 1, timeoutMs: 10_000, maxInFlight: 5 },
    endpoint: { workload: "compute" },
  },
} as const satisfies Record<string, ProbeSpec>;
