/**
 * Open vSwitch on every host of kolla's `openvswitch` group (network and
 * compute nodes), one `ovsdb-server` + `ovs-vswitchd` per host as kolla runs
 * openvswitch_db and openvswitch_vswitchd, with the userspace datapath: the
 * machine has no openvswitch kernel module to share, and userspace OVS keeps
 * each host's switch inside its own namespaces (`--disable-system`, bridges
 * with `datapath_type=netdev`).
 *
 * Userspace VXLAN routes and ARPs through OVS's own bridges, so the host's
 * tunnel link becomes a port of `br-underlay` and the tunnel address moves to
 * that bridge's internal port (the layout marks the link, the fabric leaves
 * its veth without an address). The external network's link becomes a port of
 * `br-ex`, kolla's neutron_bridge_name, for the provider network physnet1.
 */
import { OVS_UNDERLAY_BRIDGE, type LabLink } from "../layout.ts";
import type { LabHostContext, LabService } from "../service.ts";
import { placedHosts, succeeds } from "./common.ts";

/** kolla's neutron_bridge_name and the physical network it maps. */
export const EXTERNAL_BRIDGE = "br-ex";
export const EXTERNAL_PHYSNET = "physnet1";

/** kolla's ovsdb_port, on the host's loopback (neutron's ovsdb_connection). */
export const OVSDB_PORT = 6640;

/** Where one host's Open vSwitch keeps its database, sockets and logs (real paths). */
export function ovsPaths(ctx: Pick<LabHostContext, "dirs">) {
  const run = `${ctx.dirs.run}/openvswitch`;
  return {
    lib: `${ctx.dirs.lib}/openvswitch`,
    db: `${ctx.dirs.lib}/openvswitch/conf.db`,
    // inside the host this is /run/openvswitch, where ovs-vsctl, ovs-appctl and neutron look
    run,
    socket: `${run}/db.sock`,
    log: `${ctx.dirs.log}/openvswitch`,
  } as const;
}

/** The host's tunnel link, when the layout gives it to OVS (LabLink.ovsBridge). */
export function underlay(ctx: LabHostContext): LabLink | undefined {
  return ctx.links.find((l) => l.ovsBridge === OVS_UNDERLAY_BRIDGE);
}

/** The host's external link, when it carries kolla's external bridge (network nodes, DVR computes). */
export function externalLink(ctx: LabHostContext): LabLink | undefined {
  if (!ctx.plan.neutron.externalBridgeHosts.includes(ctx.host.name)) return undefined;
  return ctx.links.find((l) => l.network === "external");
}

const vsctl = (...args: string[]): string[] => ["ovs-vsctl", "--timeout=10", ...args];

/** Open vSwitch on the network and compute hosts. */
export const openvswitchService: LabService = {
  name: "openvswitch",
  phase: 20,
  // nothing of the control plane: the switches come up while the databases do
  after: [],
  start: "parallel",
  hosts: (plan) => (plan.neutron.plugin === "openvswitch" ? placedHosts(plan, "openvswitch") : []),
  packages: ["openvswitch-switch", "ethtool"],
  directories: (ctx) => {
    const p = ovsPaths(ctx);
    return [{ path: p.lib }, { path: p.run }, { path: p.log }];
  },
  files: () => [],
  async setup(ctx) {
    const p = ovsPaths(ctx);
    await ctx.exec([
      "sh",
      "-c",
      '[ -e "$0" ] || ovsdb-tool create "$0" /usr/share/openvswitch/vswitch.ovsschema',
      p.db,
    ]);
  },
  processes: (ctx) => {
    const p = ovsPaths(ctx);
    return [
      {
        name: "ovsdb-server",
        argv: [
          "ovsdb-server",
          p.db,
          `--remote=punix:${p.socket}`,
          `--remote=ptcp:${OVSDB_PORT}:127.0.0.1`,
          "--remote=db:Open_vSwitch,Open_vSwitch,manager_options",
          `--pidfile=${p.run}/ovsdb-server.pid`,
          `--unixctl=${p.run}/ovsdb-server.ctl`,
          `--log-file=${p.log}/ovsdb-server.log`,
        ],
        stopTimeoutMs: 5000,
      },
      {
        name: "ovs-vswitchd",
        argv: [
          "ovs-vswitchd",
          `unix:${p.socket}`,
          "--disable-system",
          `--pidfile=${p.run}/ovs-vswitchd.pid`,
          `--log-file=${p.log}/ovs-vswitchd.log`,
        ],
        stopTimeoutMs: 5000,
      },
    ];
  },
  async health(ctx) {
    const db = await succeeds(ctx, vsctl("show"), { timeoutMs: 15_000 });
    if (!db) return { ok: false, detail: "ovsdb-server does not answer ovs-vsctl" };
    const sw = await succeeds(ctx, ["ovs-appctl", "--timeout=5", "-t", "ovs-vswitchd", "version"], {
      timeoutMs: 15_000,
    });
    if (!sw) return { ok: false, detail: "ovs-vswitchd does not answer ovs-appctl" };
    return { ok: true, detail: "ovsdb-server and ovs-vswitchd answer" };
  },
  async afterStart(ctx) {
    await ctx.exec(vsctl("--no-wait", "init"));
    const u = underlay(ctx);
    if (u !== undefined) {
      await ctx.exec(
        vsctl(
          "--may-exist",
          "add-br",
          OVS_UNDERLAY_BRIDGE,
          "--",
          "set",
          "Bridge",
          OVS_UNDERLAY_BRIDGE,
          "datapath_type=netdev",
          "--",
          "--may-exist",
          "add-port",
          OVS_UNDERLAY_BRIDGE,
          u.ifname,
        ),
      );
      await ctx.exec(["ip", "addr", "replace", `${u.address}/${u.prefix}`, "dev", OVS_UNDERLAY_BRIDGE]);
      await ctx.exec(["ip", "link", "set", OVS_UNDERLAY_BRIDGE, "up"]);
    }
    const ext = externalLink(ctx);
    if (ext !== undefined) {
      await ctx.exec(
        vsctl(
          "--may-exist",
          "add-br",
          EXTERNAL_BRIDGE,
          "--",
          "set",
          "Bridge",
          EXTERNAL_BRIDGE,
          "datapath_type=netdev",
          "--",
          "--may-exist",
          "add-port",
          EXTERNAL_BRIDGE,
          ext.ifname,
        ),
      );
      await ctx.exec(["ip", "link", "set", EXTERNAL_BRIDGE, "up"]);
    }
  },
};
