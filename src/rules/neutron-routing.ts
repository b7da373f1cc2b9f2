/**
 * Neutron routing rules (HA400–HA406, HA411–HA414, HA416): enough network
 * nodes for the routers to fail over, a routing mode the plugin supports, and
 * settings that agree with each other.
 */
import { defineRule, listing } from "./define.ts";
import { demo, EXTERNAL_COMPUTES } from "./example.ts";
import { rolesPath } from "./facts.ts";
import type { Rule, RuleContext } from "./types.ts";

function networkNodes(ctx: RuleContext): readonly string[] {
  return ctx.plan.groups.network ?? [];
}

const l3HaOneNode = defineRule({
  code: "HA400",
  severity: "error",
  family: "neutron",
  title: "L3 HA with fewer than two network nodes",
  rationale:
    "With L3 HA (enable_neutron_agent_ha) every router is a VRRP pair across L3 agents on the network nodes; with a single network node there is no standby, and kolla's precheck refuses it: 'Number of network agents are less than two when enabling agent ha'.",
  sources: [
    "kolla-facts.md §4: neutron precheck asserts groups['neutron-dhcp-agent'] and groups['neutron-l3-agent'] | length > 1",
    "ha-anchors.md §2.3: neutron recommends at least three network nodes for L3 HA (deploy-ha-vrrp.txt)",
  ],
  hint: "Add a second network node, or set `neutron.routing: legacy` and accept that routers do not fail over.",
  example: {
    topology: demo({
      hosts: { net2: null, net1: "{ roles: [network], addresses: { management: 10.0.0.31 } }  # <-- HA400" },
    }),
    also: ["HA800"],
  },
  find: (ctx) => {
    const n = ctx.plan.neutron;
    const nodes = networkNodes(ctx);
    if (n.plugin === "ovn" || !n.agentHa || nodes.length !== 1) return [];
    return [
      {
        path: rolesPath(nodes[0]!),
        message: `L3 HA needs two network nodes for the routers' VRRP standby, but only ${nodes[0]!} has the network role; kolla's precheck fails`,
      },
    ];
  },
});

const noNetworkNode = defineRule({
  code: "HA401",
  severity: "error",
  family: "neutron",
  title: "no network nodes",
  rationale:
    "kolla's neutron, neutron-l3-agent, neutron-dhcp-agent and neutron-metadata-agent groups are children of `network`; with OVN, the gateway chassis (`enable-chassis-as-gw`) are the ovn-controller-network hosts, also `network`. Without network nodes, routers and DHCP have nowhere to run and instances have no way out.",
  sources: [
    "kolla-facts.md §1: neutron-l3-agent, neutron-dhcp-agent, neutron-metadata-agent :children neutron < network",
    "kolla-ansible ansible/roles/ovn-controller/tasks/setup-ovs.yml: enable-chassis-as-gw on groups['ovn-controller-network']",
  ],
  hint: "Give two hosts the `network` role (controllers may carry it).",
  example: {
    topology: demo({ hosts: { net1: null, net2: null } }).replace("hosts:\n", "hosts:  # <-- HA401\n"),
  },
  find: (ctx) => {
    if (networkNodes(ctx).length > 0) return [];
    const what =
      ctx.plan.neutron.plugin === "ovn"
        ? "OVN has no gateway chassis for routers' external traffic"
        : "the L3, DHCP and metadata agents have nowhere to run";
    return [{ path: ["hosts"], at: "key", message: `no host has the network role: ${what}` }];
  },
});

const legacyRouting = defineRule({
  code: "HA402",
  severity: "warning",
  family: "neutron",
  title: "legacy routers do not fail over",
  rationale:
    "With `routing: legacy` each router lives in one L3 agent on one network node. When that node fails, its routers — and every instance's external and inter-network traffic through them — stay down until an operator reschedules them (neutron does not move them automatically unless allow_automatic_l3agent_failover is set, and even then only after the agent is declared dead).",
  sources: [
    "kolla-facts.md §2: enable_neutron_agent_ha renders l3_ha = true, max_l3_agents_per_router = 3",
    "ha-anchors.md §2.3: L3 HA failover by VRRP on the HA network (ha_vrrp_advert_int 2 s)",
  ],
  hint: "Use `routing: l3-ha` (VRRP routers, ≥2 network nodes) or `dvr`.",
  example: { topology: demo({ tail: "neutron: { routing: legacy }  # <-- HA402" }), also: ["HA800"] },
  find: (ctx) => {
    const n = ctx.plan.neutron;
    if (n.routing !== "legacy" || n.agentHa || n.plugin === "ovn") return [];
    return [
      {
        path: ["neutron", "routing"],
        message:
          "legacy routers live on one L3 agent each: a network node's failure takes its routers down until they are rescheduled by hand",
      },
    ];
  },
});

const dvrWithOvn = defineRule({
  code: "HA403",
  severity: "warning",
  family: "neutron",
  title: "DVR with OVN",
  rationale:
    "kolla's enable_neutron_dvr configures the Open vSwitch agent's distributed routers. OVN routes in its own datapath and distributes floating IPs only with neutron_ovn_distributed_fip; with OVN, `routing: dvr` merely puts br-ex on every compute and distributes nothing.",
  sources: [
    "kolla-facts.md §1: l3 agent enabled only when neutron_plugin_agent != 'ovn'; computes_need_external_bridge includes DVR",
    "kolla-ansible doc/source/reference/networking/neutron.rst (OVN): 'Kolla Ansible will not enable distributed floating ip functionality … neutron_ovn_distributed_fip: \"yes\"'",
  ],
  hint: "Drop `routing: dvr` and set `neutron_ovn_distributed_fip: true` in kolla.extra_globals to distribute floating IPs with OVN.",
  example: {
    topology: demo({ hosts: EXTERNAL_COMPUTES, tail: "neutron: { plugin: ovn, routing: dvr }  # <-- HA403" }),
  },
  find: (ctx) => {
    const n = ctx.plan.neutron;
    if (n.plugin !== "ovn" || n.routing !== "dvr") return [];
    return [
      {
        path: ["neutron", "routing"],
        message: "routing: dvr has no routing effect with OVN; it only adds br-ex on the computes",
      },
    ];
  },
});

const linuxbridgeRemoved = defineRule({
  code: "HA404",
  severity: "error",
  family: "neutron",
  title: "linuxbridge on a release that removed it",
  rationale:
    "Neutron removed the Linux bridge mechanism driver, and kolla-ansible 2025.1 dropped it too ('Support for Linux Bridge mechanism driver has been removed'); its neutron_plugin_agent accepts openvswitch and ovn only.",
  sources: [
    "kolla-ansible stable/2025.1 releasenotes/notes/remove-neutron-linuxbridge-b1a2457e848709f7.yaml",
    "kolla-facts.md §2: neutron_plugin_agent (openvswitch|ovn)",
  ],
  hint: "Use `plugin: openvswitch` (or ovn); linuxbridge needs kolla.release 2024.1.",
  example: { topology: demo({ tail: "neutron: { plugin: linuxbridge }  # <-- HA404" }) },
  find: (ctx) => {
    if (ctx.plan.neutron.plugin !== "linuxbridge" || ctx.plan.release === "2024.1") return [];
    return [
      {
        path: ["neutron", "plugin"],
        message: `kolla-ansible ${ctx.plan.release} has no linuxbridge support (removed in 2025.1)`,
      },
    ];
  },
});

const linuxbridgeExperimental = defineRule({
  code: "HA405",
  severity: "warning",
  family: "neutron",
  title: "linuxbridge is experimental",
  rationale:
    "Since Zed, neutron marks the linuxbridge driver experimental; kolla 2024.1 warns that users 'are using a badly supported driver' that needs extra configuration ([experimental] linuxbridge = true) to start at all, and the next release removes it — an upgrade dead end.",
  sources: [
    "kolla-ansible releasenotes/notes/linuxbridge-is-experimental-in-neutron-8a12590100e47710.yaml",
    "kolla-ansible unmaintained/2024.1 group_vars/all.yml: 'linuxbridge is *EXPERIMENTAL* in Neutron since Zed'",
  ],
  hint: "Plan for Open vSwitch or OVN before upgrading past 2024.1.",
  example: {
    topology: demo({
      top: { kolla: '{ release: "2024.1" }' },
      tail: "neutron: { plugin: linuxbridge }  # <-- HA405",
    }),
    also: ["HA701"],
  },
  find: (ctx) => {
    if (ctx.plan.neutron.plugin !== "linuxbridge" || ctx.plan.release !== "2024.1") return [];
    return [
      {
        path: ["neutron", "plugin"],
        message: "linuxbridge is experimental in neutron and removed in the next kolla release",
      },
    ];
  },
});

const dvrLinuxbridge = defineRule({
  code: "HA406",
  severity: "error",
  family: "neutron",
  title: "DVR with linuxbridge",
  rationale:
    "Distributed virtual routing is implemented by the Open vSwitch agent (enable_distributed_routing in openvswitch_agent.ini); the Linux bridge agent has no DVR mode, so the compute-side routers are never wired.",
  sources: ["kolla-facts.md §1: openvswitch_agent.ini.j2 `enable_distributed_routing = true` when DVR"],
  hint: "Use `plugin: openvswitch` for DVR, or `routing: l3-ha` with linuxbridge.",
  example: {
    topology: demo({
      top: { kolla: '{ release: "2024.1" }' },
      hosts: EXTERNAL_COMPUTES,
      tail: "neutron: { plugin: linuxbridge, routing: dvr }  # <-- HA406",
    }),
    also: ["HA405", "HA701", "HA800"],
  },
  find: (ctx) => {
    const n = ctx.plan.neutron;
    if (n.plugin !== "linuxbridge" || n.routing !== "dvr") return [];
    return [
      {
        path: ["neutron", "routing"],
        message: "DVR needs the Open vSwitch agent; the linuxbridge agent cannot do it",
      },
    ];
  },
});

const dvrWithoutHa = defineRule({
  code: "HA411",
  severity: "warning",
  family: "neutron",
  title: "DVR without L3 HA leaves SNAT without failover",
  rationale:
    "DVR moves floating-IP and east-west routing to the computes, but SNAT for instances without a floating IP stays centralised on one network node per router (agent_mode dvr_snat). Without L3 HA that SNAT router has no standby; neutron's DVR+HA (`--distributed --ha`) makes it a VRRP pair.",
  sources: [
    "ha-anchors.md §2.3: DVR 'fixed-IP SNAT still on network nodes → needs DVR+VRRP' (neutron doc/source/admin/deploy-ovs-ha-dvr.rst, config-dvr-ha-snat.rst)",
    "kolla-facts.md §1: l3_agent.ini agent_mode dvr_snat on network hosts",
  ],
  hint: "Set `neutron.l3_ha: true` (kolla's enable_neutron_agent_ha) with at least two network nodes.",
  example: {
    topology: demo({ hosts: EXTERNAL_COMPUTES, tail: "neutron: { routing: dvr }  # <-- HA411" }),
    also: ["HA800"],
  },
  find: (ctx) => {
    const n = ctx.plan.neutron;
    if (n.routing !== "dvr" || n.agentHa || n.plugin !== "openvswitch") return [];
    return [
      {
        path: ["neutron", "routing"],
        message:
          "with DVR but without L3 HA, the SNAT part of each router runs on one network node with no standby",
      },
    ];
  },
});

const metadataDisabled = defineRule({
  code: "HA412",
  severity: "error",
  family: "neutron",
  title: "metadata agent disabled while L3 agents run",
  rationale:
    "Instances on routed networks reach 169.254.169.254 through the router's namespace, which proxies to neutron-metadata-agent on the same host. kolla's inventory warns that 'neutron-metadata-agent must run on the same host as the l3-agent'; without it cloud-init gets no SSH keys or user data.",
  sources: [
    "kolla-facts.md §1: multinode inventory 'Word of caution: … neutron-metadata-agent must run on the same host as the l3-agent'",
  ],
  hint: "Remove `metadata_agent: false` (or rely on config drives everywhere and say so in a comment).",
  example: { topology: demo({ tail: "neutron: { metadata_agent: false }  # <-- HA412" }) },
  find: (ctx) => {
    const n = ctx.plan.neutron;
    if (ctx.topology.neutron?.metadata_agent !== false || n.plugin === "ovn" || n.l3Hosts.length === 0)
      return [];
    return [
      {
        path: ["neutron", "metadata_agent"],
        message: `the L3 agents on ${listing([...n.l3Hosts])} would have no metadata agent beside them: instances get no metadata`,
      },
    ];
  },
});

const dvrModeWithoutDvr = defineRule({
  code: "HA413",
  severity: "warning",
  family: "neutron",
  title: "dvr_compute_mode without DVR",
  rationale:
    "neutron_compute_dvr_mode only affects computes when DVR is on; here it has no effect, which usually means DVR was meant to be on.",
  sources: ["kolla-facts.md §1: l3_agent.ini.j2 uses neutron_compute_dvr_mode only `if enable_neutron_dvr`"],
  hint: "Remove dvr_compute_mode, or set `routing: dvr`.",
  example: {
    topology: demo({ tail: "neutron: { routing: l3-ha, dvr_compute_mode: dvr_no_external }  # <-- HA413" }),
  },
  find: (ctx) => {
    if (ctx.topology.neutron?.dvr_compute_mode === undefined || ctx.plan.neutron.routing === "dvr") return [];
    return [
      {
        path: ["neutron", "dvr_compute_mode"],
        message: `dvr_compute_mode has no effect with routing ${ctx.plan.neutron.routing}`,
      },
    ];
  },
});

const l3HaContradiction = defineRule({
  code: "HA414",
  severity: "warning",
  family: "neutron",
  title: "`l3_ha` contradicts `routing`",
  rationale:
    "`routing: l3-ha` always enables kolla's enable_neutron_agent_ha, so `l3_ha: false` beside it is ignored; `routing: legacy` with `l3_ha: true` renders HA routers after all. Either way the file says two different things.",
  sources: [
    "hacloud topology format: neutron.l3_ha is for DVR (SNAT HA); kolla-facts.md §2: enable_neutron_agent_ha",
  ],
  hint: "Keep `routing` as the single statement: l3-ha, dvr (with `l3_ha: true` for SNAT HA) or legacy.",
  example: { topology: demo({ tail: "neutron: { routing: l3-ha, l3_ha: false }  # <-- HA414" }) },
  find: (ctx) => {
    const n = ctx.topology.neutron;
    if (n?.l3_ha === undefined) return [];
    const routing = ctx.plan.neutron.routing;
    if (routing === "l3-ha" && n.l3_ha === false) {
      return [
        { path: ["neutron", "l3_ha"], message: "l3_ha: false is ignored: routing l3-ha enables L3 HA" },
      ];
    }
    if (routing === "legacy" && n.l3_ha === true) {
      return [{ path: ["neutron", "l3_ha"], message: "l3_ha: true turns legacy routing into L3 HA routers" }];
    }
    return [];
  },
});

const ovnSingleGateway = defineRule({
  code: "HA416",
  severity: "warning",
  family: "neutron",
  title: "OVN with a single gateway chassis",
  rationale:
    "With OVN, routers' external gateway ports (SNAT, and floating IPs unless distributed) are scheduled on the gateway chassis — kolla's network nodes. With one, north-south traffic has no standby chassis to move to.",
  sources: [
    "kolla-ansible ansible/roles/ovn-controller/tasks/setup-ovs.yml: enable-chassis-as-gw on ovn-controller-network (network) hosts",
  ],
  hint: "Give a second host the `network` role.",
  example: {
    topology: demo({
      hosts: { net2: null, net1: "{ roles: [network], addresses: { management: 10.0.0.31 } }  # <-- HA416" },
      tail: "neutron: { plugin: ovn }",
    }),
    also: ["HA800"],
  },
  find: (ctx) => {
    const nodes = networkNodes(ctx);
    if (ctx.plan.neutron.plugin !== "ovn" || nodes.length !== 1) return [];
    return [
      {
        path: rolesPath(nodes[0]!),
        message: `${nodes[0]!} is OVN's only gateway chassis: north-south traffic stops with it`,
      },
    ];
  },
});

/** Neutron routing rules. */
export const NEUTRON_ROUTING_RULES: readonly Rule[] = [
  l3HaOneNode,
  noNetworkNode,
  legacyRouting,
  dvrWithOvn,
  linuxbridgeRemoved,
  linuxbridgeExperimental,
  dvrLinuxbridge,
  dvrWithoutHa,
  metadataDisabled,
  dvrModeWithoutDvr,
  l3HaContradiction,
  ovnSingleGateway,
];
