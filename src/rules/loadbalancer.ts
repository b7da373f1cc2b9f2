/**
 * Load balancer rules (HA250–HA299): enough HAProxy/keepalived hosts for the
 * VIP to fail over, attached where the VIPs live, and not sharing fate with
 * the control plane they front.
 */
import { defineRule, listing, type Hit } from "./define.ts";
import { demo } from "./example.ts";
import { isAttached, rolesPath, withRole } from "./facts.ts";
import type { Rule, RuleContext } from "./types.ts";

/** The load balancers, and whether they were defaulted from the network nodes (kolla's loadbalancer:children network). */
function loadBalancers(ctx: RuleContext): { hosts: readonly string[]; defaulted: boolean } {
  const hosts = ctx.plan.groups.loadbalancer ?? [];
  return { hosts, defaulted: withRole(ctx.topology, "loadbalancer").length === 0 };
}

const DEFAULTED =
  " (no host has the loadbalancer role, so they default to the network nodes, as in kolla's inventory)";

const noLoadBalancer = defineRule({
  code: "HA250",
  severity: "error",
  family: "loadbalancer",
  title: "no load balancer",
  rationale:
    "HAProxy and keepalived run on the `loadbalancer` group; with no host there, nothing holds the VIP and every API endpoint is unreachable. kolla's precheck stops: 'Inventory's group loadbalancer does not exist or it is empty.'",
  sources: ["kolla-facts.md §1: prechecks/tasks/inventory_checks.yml"],
  hint: "Give two hosts the `loadbalancer` role (or the `network` role, where kolla puts load balancers by default).",
  example: {
    topology: demo({
      hosts: {
        lb1: null,
        lb2: null,
        net1: null,
        net2: null,
        ctl1: "{ roles: [control], addresses: { management: 10.0.0.21 } }  # <-- HA250",
      },
    }),
    also: ["HA401"],
  },
  find: (ctx) => {
    if (loadBalancers(ctx).hosts.length > 0) return [];
    const first = Object.keys(ctx.topology.hosts)[0];
    return [
      {
        path: first === undefined ? ["hosts"] : rolesPath(first),
        message:
          "no host runs HAProxy and keepalived: no host has the loadbalancer role and there are no network nodes",
      },
    ];
  },
});

const singleLoadBalancer = defineRule({
  code: "HA251",
  severity: "error",
  family: "loadbalancer",
  title: "only one load balancer",
  rationale:
    "The VIP fails over by VRRP between at least two keepalived hosts. With one, the load balancer is a single point of failure for every API, the database (ProxySQL/HAProxy on the VIP) and the dashboard: its loss is a full control-plane outage however many controllers stand behind it.",
  sources: [
    "kolla-facts.md §3: one VRRP instance over groups['loadbalancer'], priority by position",
    "ha-anchors.md §2.2: VIP failover ≈ 4 s with advert_int 1 — only when a second host exists",
  ],
  hint: "Add a second host with the `loadbalancer` role on the same management network.",
  example: {
    topology: demo({
      hosts: {
        lb2: null,
        lb1: "{ roles: [loadbalancer], addresses: { management: 10.0.0.11 } }  # <-- HA251",
      },
    }),
    also: ["HA800"],
  },
  find: (ctx) => {
    const { hosts, defaulted } = loadBalancers(ctx);
    if (hosts.length !== 1) return [];
    return [
      {
        path: rolesPath(hosts[0]!),
        message: `only ${hosts[0]!} runs HAProxy and keepalived${defaulted ? DEFAULTED : ""}; the VIP has nowhere to fail over to`,
      },
    ];
  },
});

const onControl = defineRule({
  code: "HA252",
  severity: "warning",
  family: "loadbalancer",
  title: "load balancer on a control host",
  rationale:
    "A load balancer that is also a controller shares its fate: losing that host drops the VIP holder and a Galera, RabbitMQ and API member at once, so one failure becomes two concurrent ones (VIP failover while a backend is also down). HAProxy also competes for CPU with the API services it fronts, and the busiest controller is the VIP holder. kolla's reference layout puts load balancers on the network nodes or dedicated hosts.",
  sources: [
    "kolla-facts.md §1: production-architecture-guide 'Network nodes host Neutron agents along with haproxy / keepalived'",
    "kolla-facts.md §1: inventory `[loadbalancer:children] network`",
  ],
  hint: "Move the loadbalancer role to dedicated hosts or to the network nodes; if this is a deliberate compact design, keep it and accept the shared fate.",
  example: {
    topology: demo({
      hosts: {
        lb1: null,
        lb2: null,
        ctl1: "{ roles: [control, loadbalancer], addresses: { management: 10.0.0.21 } }  # <-- HA252",
        ctl2: "{ roles: [control, loadbalancer], addresses: { management: 10.0.0.22 } }",
      },
    }),
  },
  find: (ctx) => {
    const control = new Set(ctx.plan.groups.control ?? []);
    const both = loadBalancers(ctx).hosts.filter((h) => control.has(h));
    if (both.length === 0) return [];
    return [
      {
        path: rolesPath(both[0]!),
        message: `${listing(both)} ${both.length === 1 ? "is" : "are"} both load balancer and controller: losing one takes the VIP holder and a control-plane member at once`,
      },
    ];
  },
});

const externalVipAttachment = defineRule({
  code: "HA253",
  severity: "error",
  family: "loadbalancer",
  title: "load balancer not attached to the external network of the external VIP",
  rationale:
    "Whichever load balancer is VRRP master adds the external VIP on kolla_external_vip_interface. A load balancer without that interface cannot hold it: kolla's precheck fails ('Please check the kolla_external_vip_interface property - interface … not found'), or the public endpoints vanish whenever that host becomes master.",
  sources: [
    "kolla-facts.md §4: loadbalancer precheck on kolla_external_vip_interface when haproxy_enable_external_vip",
    "kolla-facts.md §3: one VRRP instance holds both VIPs",
  ],
  hint: "Attach the load balancer to the external network: an address there, or `interfaces: { external: <ifname> }`.",
  example: {
    topology: demo({
      vip: "{ internal: 10.0.0.10, external: 203.0.113.10, router_id: 51 }",
      hosts: {
        lb1: "{ roles: [loadbalancer], addresses: { management: 10.0.0.11, external: 203.0.113.11 } }",
        lb2: "{ roles: [loadbalancer], addresses: { management: 10.0.0.12 } }  # <-- HA253",
      },
    }),
  },
  find: (ctx) => {
    const t = ctx.topology;
    if (t.vip.external === undefined || t.vip.external === t.vip.internal || !("external" in t.networks))
      return [];
    const hits: Hit[] = [];
    for (const lb of loadBalancers(ctx).hosts) {
      const h = t.hosts[lb];
      if (!h || isAttached(h, "external")) continue;
      hits.push({
        path: ["hosts", lb, "addresses"],
        message: `${lb} may hold the external VIP ${t.vip.external} but is not attached to the external network`,
      });
    }
    return hits;
  },
});

/** Load balancer rules. */
export const LOADBALANCER_RULES: readonly Rule[] = [
  noLoadBalancer,
  singleLoadBalancer,
  onControl,
  externalVipAttachment,
];
