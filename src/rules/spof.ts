/**
 * Single points of failure (HA800–HA899), derived from the Plan's placed
 * services and quorum groups: for each host, what its loss alone stops; for
 * each zone, which services live entirely inside it. Host SPOFs are the SLA
 * model's minimal cut sets of one host (src/sla/).
 */
import { defineRule, listing, type Hit } from "./define.ts";
import { demo } from "./example.ts";
import { rolesPath } from "./facts.ts";
import { singlePointsOfFailure as slaSinglePointsOfFailure } from "../sla/analyse.ts";
import type { Rule, RuleContext } from "./types.ts";

/**
 * What losing each host stops, as phrases ("block-storage (cinder-volume on
 * stor1 is down: a volume lives on one LVM host)"): the SLA model's cut sets
 * of one host, over the user-facing services it models (docs/sla.md).
 */
export function singlePointsOfFailure(ctx: RuleContext): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const spof of slaSinglePointsOfFailure(ctx.plan)) {
    out.set(
      spof.host,
      spof.why.map((w) => `${listing([...w.services])} (${w.reason})`),
    );
  }
  return out;
}

const hostSpof = defineRule({
  code: "HA800",
  severity: "info",
  family: "spof",
  title: "single point of failure: a host whose loss stops a service",
  rationale:
    "A service placed on one host, a service with no redundancy (an LVM volume lives on one storage host; a legacy router on one L3 agent), or a quorum cluster that tolerates no failure stops when that one host fails. This summary lists, per host, what its loss alone stops, so the remaining risks are explicit; the SLA model weighs them.",
  sources: [
    "hacloud Plan: services[].redundancy and quorum[].tolerates (src/plan/build.ts)",
    "ha-anchors.md §4: series availability, quorum floor(n/2)+1",
    "docs/sla.md: the SLA model's minimal cut sets of one host",
  ],
  hint: "Add a second host for the service, or accept the risk knowingly (the SLA model shows its cost).",
  example: {
    topology: demo({
      hosts: { stor1: "{ roles: [storage], addresses: { management: 10.0.0.51 } }  # <-- HA800" },
      tail: "cinder: { backend: lvm }",
    }),
  },
  find: (ctx) =>
    [...singlePointsOfFailure(ctx)].map(([host, what]): Hit => ({
      path: rolesPath(host),
      message: `single point of failure: losing ${host} stops ${listing(what)}`,
    })),
});

const zoneSpof = defineRule({
  code: "HA801",
  severity: "warning",
  family: "spof",
  title: "a zone holds every host of a service",
  rationale:
    "Zones are failure domains. When every host of a redundant service (both load balancers, every network node, every compute) sits in one zone, the redundancy does not survive that zone's failure — a rack's power feed or top-of-rack switch takes the whole service. Quorum clusters are judged by HA304.",
  sources: [
    "hacloud topology format: hosts.<name>.zone",
    "ha-anchors.md §4: a shared dependency puts redundant members in series",
  ],
  hint: "Spread the service's hosts over at least two zones.",
  example: {
    topology: demo({
      hosts: {
        lb1: "{ roles: [loadbalancer], addresses: { management: 10.0.0.11 }, zone: rack1 }  # <-- HA801",
        lb2: "{ roles: [loadbalancer], addresses: { management: 10.0.0.12 }, zone: rack1 }",
      },
    }),
  },
  find: ({ topology: t, plan }) => {
    const quorumServices = new Set(["mariadb", "rabbitmq", "hacluster", "etcd"]);
    const byZone = new Map<string, { services: string[]; first: string }>();
    for (const s of plan.services) {
      if (s.hosts.length < 2 || quorumServices.has(s.name)) continue;
      const zones = new Set(s.hosts.map((h) => t.hosts[h]?.zone));
      if (zones.size !== 1) continue;
      const zone = [...zones][0];
      if (zone === undefined) continue;
      const entry = byZone.get(zone) ?? { services: [], first: s.hosts[0]! };
      entry.services.push(s.name);
      byZone.set(zone, entry);
    }
    return [...byZone].map(([zone, { services, first }]): Hit => ({
      path: ["hosts", first, "zone"],
      message: `every host of ${listing(services)} is in zone ${zone}: losing ${zone} stops ${services.length === 1 ? "it" : "them"}`,
    }));
  },
});

/** Single-point-of-failure rules. */
export const SPOF_RULES: readonly Rule[] = [hostSpof, zoneSpof];
