/**
 * Quorum rules (HA300–HA349): Galera, RabbitMQ, etcd and pacemaker keep
 * serving only while a majority of their members is up, so their member count
 * and where those members stand (zones) decide what failures the cloud survives.
 */
import type { QuorumGroup } from "../plan/types.ts";
import { defineRule, listing, type Hit } from "./define.ts";
import { demo } from "./example.ts";
import { rolesPath } from "./facts.ts";
import type { Rule } from "./types.ts";

/** Groups with the same members, so that one diagnostic names them all ("galera, rabbitmq and etcd"). */
function byMembers(groups: readonly QuorumGroup[]): { names: string[]; members: readonly string[] }[] {
  const out = new Map<string, { names: string[]; members: readonly string[] }>();
  for (const g of groups) {
    const key = g.members.join(",");
    const entry = out.get(key) ?? { names: [], members: g.members };
    entry.names.push(g.name);
    out.set(key, entry);
  }
  return [...out.values()];
}

const SOURCES_ODD = [
  "kolla-facts.md §1: production-architecture-guide: control nodes 'should have odd number of nodes for quorum'",
  "ha-anchors.md §4: quorum = floor(n/2)+1, odd node counts (openstack/ha-guide intro-ha-key-concepts.rst)",
];

const noControl = defineRule({
  code: "HA300",
  severity: "error",
  family: "quorum",
  title: "no control hosts",
  rationale:
    "Galera, RabbitMQ, memcached, Keystone and every API run on the `control` group (kolla's mariadb, rabbitmq, keystone… :children control). Without a control host there is no cloud to deploy.",
  sources: [
    "kolla-facts.md §1: inventory groups mariadb, rabbitmq, keystone, nova, neutron-server… :children control",
  ],
  hint: "Give three hosts the `control` role.",
  example: {
    topology: demo({
      hosts: {
        ctl1: null,
        ctl2: null,
        ctl3: null,
      },
    }).replace("hosts:\n", "hosts:  # <-- HA300\n"),
  },
  find: ({ plan }) => {
    if ((plan.groups.control ?? []).length > 0) return [];
    return [
      {
        path: ["hosts"],
        at: "key",
        message:
          "no host has the control role: the database, the message bus and every API have nowhere to run",
      },
    ];
  },
});

const singleMember = defineRule({
  code: "HA301",
  severity: "error",
  family: "quorum",
  title: "a quorum cluster with one member",
  rationale:
    "A single Galera or RabbitMQ node is no cluster: its host's loss stops the database or the message bus, and every OpenStack service with it. High availability of the control plane starts at three members.",
  sources: SOURCES_ODD,
  hint: "Run three controllers (an odd number, at least 3).",
  example: {
    topology: demo({
      hosts: {
        ctl2: null,
        ctl3: null,
        ctl1: "{ roles: [control], addresses: { management: 10.0.0.21 } }  # <-- HA301",
      },
    }),
    also: ["HA800"],
  },
  find: ({ plan }) =>
    byMembers(plan.quorum.filter((g) => g.members.length === 1)).map((g): Hit => ({
      path: rolesPath(g.members[0]!),
      message: `${listing(g.names)} run on one host (${g.members[0]!}): its loss stops ${g.names.length === 1 ? "it" : "them"}`,
    })),
});

const twoMembers = defineRule({
  code: "HA302",
  severity: "warning",
  family: "quorum",
  title: "a quorum cluster with two members",
  rationale:
    "Two members need both for a majority (2 of 2), so losing either stops the cluster: Galera's survivor drops to non-Primary and refuses queries, and RabbitMQ with kolla's pause_minority pauses. Two controllers are therefore less available than one for these services, and a network split between them stops both. (Pacemaker is exempt: kolla sets corosync's two_node mode for exactly two hosts.)",
  sources: [
    ...SOURCES_ODD,
    "kolla-facts.md §2: rabbitmq_cluster_partition_handling 'pause_minority', release note 'requires at least 3-node RabbitMQ cluster'",
    "ha-anchors.md §5: 'You need 3' (https://github.com/redhat-openstack/infrared/issues/296)",
    "kolla-facts.md §5: hacluster_corosync.conf.j2 `two_node: 1` when 2 hosts",
  ],
  hint: "Add a third controller; a Galera arbitrator (garbd) is not something kolla deploys.",
  example: {
    topology: demo({
      hosts: { ctl3: null, ctl1: "{ roles: [control], addresses: { management: 10.0.0.21 } }  # <-- HA302" },
    }),
    also: ["HA800"],
  },
  find: ({ plan }) =>
    byMembers(plan.quorum.filter((g) => g.members.length === 2 && g.name !== "pacemaker")).map((g): Hit => ({
      path: rolesPath(g.members[0]!),
      message: `${listing(g.names)} run on two hosts (${listing([...g.members])}): a majority needs both, so losing either stops ${g.names.length === 1 ? "it" : "them"}`,
    })),
});

const evenMembers = defineRule({
  code: "HA303",
  severity: "warning",
  family: "quorum",
  title: "a quorum cluster with an even number of members",
  rationale:
    "An even count buys nothing: 4 members tolerate one failure, like 3, and 6 tolerate two, like 5. A network split into two equal halves leaves neither side a majority, so the whole cluster stops, where an odd count would keep one side running.",
  sources: SOURCES_ODD,
  hint: "Use an odd number of controllers (3, 5, 7).",
  example: {
    topology: demo({
      hosts: { ctl4: "{ roles: [control], addresses: { management: 10.0.0.24 } }  # <-- HA303" },
    }),
  },
  find: ({ plan }) =>
    byMembers(plan.quorum.filter((g) => g.members.length >= 4 && g.members.length % 2 === 0)).map(
      (g): Hit => {
        const n = g.members.length;
        return {
          path: rolesPath(g.members[n - 1]!),
          message: `${listing(g.names)} run on ${n} hosts: they tolerate ${n / 2 - 1} failure${n / 2 - 1 === 1 ? "" : "s"}, like ${n - 1} would, and an even split stops both halves`,
        };
      },
    ),
});

const zoneMajority = defineRule({
  code: "HA304",
  severity: "warning",
  family: "quorum",
  title: "one zone holds a majority of a quorum cluster",
  rationale:
    "Zones are failure domains (a rack, a power feed, a switch). If one zone holds a majority of Galera's or RabbitMQ's members, losing that zone loses quorum and the whole control plane stops, although members survive elsewhere. Only three or more zones, with no zone holding a majority, survive the loss of any one zone.",
  sources: [...SOURCES_ODD, "ha-anchors.md §4: Galera 3 nodes ⇒ 2-of-3"],
  hint: "Spread the controllers over three zones, one each (or at least so that no zone holds a majority).",
  example: {
    topology: demo({
      hosts: {
        ctl1: "{ roles: [control], addresses: { management: 10.0.0.21 }, zone: rack1 }  # <-- HA304",
        ctl2: "{ roles: [control], addresses: { management: 10.0.0.22 }, zone: rack1 }",
        ctl3: "{ roles: [control], addresses: { management: 10.0.0.23 }, zone: rack2 }",
      },
    }),
  },
  find: ({ topology: t, plan }) => {
    const byZone = new Map<string, { groups: string[]; members: Set<string> }>();
    for (const g of plan.quorum) {
      const counts = new Map<string, string[]>();
      for (const m of g.members) {
        const zone = t.hosts[m]?.zone;
        if (zone !== undefined) counts.set(zone, [...(counts.get(zone) ?? []), m]);
      }
      for (const [zone, members] of counts) {
        if (members.length < g.majority || g.members.length < 2) continue;
        const entry = byZone.get(zone) ?? { groups: [], members: new Set<string>() };
        entry.groups.push(g.name);
        for (const m of members) entry.members.add(m);
        byZone.set(zone, entry);
      }
    }
    return [...byZone].map(([zone, { groups, members }]): Hit => {
      const hosts = [...members];
      return {
        path: ["hosts", hosts[0]!, "zone"],
        message: `zone ${zone} holds a majority of ${listing(groups)} (${listing(hosts)}): losing ${zone} stops ${groups.length === 1 ? "it" : "them"}`,
      };
    });
  },
});

/** Quorum rules. */
export const QUORUM_RULES: readonly Rule[] = [noControl, singleMember, twoMembers, evenMembers, zoneMajority];
