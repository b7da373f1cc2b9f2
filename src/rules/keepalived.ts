/**
 * keepalived rules (HA200–HA249): the VRRP router id is one keepalived
 * accepts, and no other cloud on the same layer-2 segment (given with
 * `--peer`) uses the same router id or VIP.
 */
import { canonicalCidr, cidrsOverlap } from "../net/ipv4.ts";
import { defineRule, placeOf, type Hit } from "./define.ts";
import { demo, peerDemo } from "./example.ts";
import { networkCidrs, vips } from "./facts.ts";
import type { PeerCloud, Rule, RuleContext } from "./types.ts";

/** Peers whose management network overlaps ours: their VRRP adverts reach our load balancers. */
function sameSegment(ctx: RuleContext): { peer: PeerCloud; cidr: string }[] {
  const ours = networkCidrs(ctx.topology).get(ctx.plan.apiNetwork);
  if (!ours) return [];
  const out: { peer: PeerCloud; cidr: string }[] = [];
  for (const peer of ctx.peers) {
    const theirs = networkCidrs(peer.topology).get(peer.plan.apiNetwork);
    if (theirs && cidrsOverlap(ours, theirs)) out.push({ peer, cidr: canonicalCidr(theirs) });
  }
  return out;
}

const routerIdRange = defineRule({
  code: "HA200",
  severity: "error",
  family: "keepalived",
  title: "VRRP router id outside 1–255",
  rationale:
    "keepalived accepts virtual_router_id 1 to 255 and refuses to start the instance otherwise ('VRID not valid ! must be between 1 & 255'). kolla-ansible's own comment and docs say '0..255', and kolla has no precheck for it, so a 0 deploys and leaves the cloud without a VIP.",
  sources: [
    "kolla-facts.md §2: `keepalived_virtual_router_id: 51`, comment 'Arbitrary unique number from 0..255'; no KA precheck validates the VRID",
    "keepalived rejects 0: https://github.com/acassen/keepalived/pull/305, https://github.com/rcbops/chef-cookbooks/issues/374 (ha-anchors.md / kolla-facts.md §7)",
    "RFC 5798 §5.2.3: VRID 1–255",
  ],
  hint: "Pick a router id from 1 to 255 that no other keepalived cluster on the same layer-2 network uses.",
  example: { topology: demo({ vip: "{ internal: 10.0.0.10, router_id: 0 }  # <-- HA200" }) },
  find: ({ topology: t }) => {
    const id = t.vip.router_id;
    if (id >= 1 && id <= 255) return [];
    return [
      {
        path: ["vip", "router_id"],
        message: `router_id ${id} is outside 1–255; keepalived refuses it ('VRID not valid ! must be between 1 & 255')${id === 0 ? ", although kolla's comment says 0..255" : ""}`,
      },
    ];
  },
});

const peerRouterId = defineRule({
  code: "HA201",
  severity: "error",
  family: "keepalived",
  title: "router id already used on the same layer-2 segment by a peer cloud",
  rationale:
    "Two keepalived clusters with the same VRID on one segment read each other's adverts: 'received an invalid passwd!', 'bogus VRRP packet received', the VIP flapping or up in neither cloud. kolla's default is 51 for every cloud, and its docs ask multi-region deployments on a shared subnet to change it. Clouds are taken to share a segment when their management networks overlap.",
  sources: [
    "kolla-facts.md §2: globals.yml 'should be changed from the default in the event of a multi-region deployment where the VIPs of different regions reside on a common subnet'",
    "kolla-facts.md §7: https://github.com/openshift/installer/issues/2966, https://github.com/redhat-cop/keepalived-operator/issues/66",
  ],
  hint: "Give each cloud on a shared segment its own vip.router_id.",
  example: {
    topology: demo({ vip: "{ internal: 10.0.0.10, router_id: 51 }  # <-- HA201" }),
    peers: [{ file: "peer.yaml", text: peerDemo(51) }],
  },
  find: (ctx) => {
    const hits: Hit[] = [];
    for (const { peer, cidr } of sameSegment(ctx)) {
      if (peer.topology.vip.router_id !== ctx.topology.vip.router_id) continue;
      hits.push({
        path: ["vip", "router_id"],
        message: `router_id ${ctx.topology.vip.router_id} is also used by cloud \`${peer.topology.cloud}\` (${placeOf(peer.source, ["vip", "router_id"])}), whose management network ${cidr} overlaps ours`,
      });
    }
    return hits;
  },
});

const peerVip = defineRule({
  code: "HA202",
  severity: "error",
  family: "keepalived",
  title: "VIP also used by a peer cloud",
  rationale:
    "Two keepalived clusters holding the same address answer ARP for it in turn: API requests land on one cloud or the other at random.",
  sources: ["kolla-facts.md §2: the VIP must be 'an unused IP on your network'"],
  hint: "Give each cloud its own VIPs.",
  example: {
    topology: demo({ vip: "{ internal: 10.0.0.10, router_id: 51 }  # <-- HA202" }),
    peers: [{ file: "peer.yaml", text: peerDemo(52, { vip: "{ internal: 10.0.0.10, router_id: 52 }" }) }],
  },
  find: ({ topology: t, plan, peers }) => {
    const hits: Hit[] = [];
    for (const v of vips(t, plan)) {
      for (const peer of peers) {
        const same = vips(peer.topology, peer.plan).find((p) => p.value === v.value);
        if (same) {
          hits.push({
            path: v.path,
            message: `the ${v.kind} VIP ${v.text} is also the ${same.kind} VIP of cloud \`${peer.topology.cloud}\` (${placeOf(peer.source, same.path)})`,
          });
        }
      }
    }
    return hits;
  },
});

/** keepalived rules. */
export const KEEPALIVED_RULES: readonly Rule[] = [routerIdRange, peerRouterId, peerVip];
