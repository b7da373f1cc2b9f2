/**
 * etcd (Debian's 3.4) on the controllers as kolla's etcd role runs it: a
 * static cluster of the `etcd` group, peers and clients on each host's API
 * address, and kolla's HAProxy entry `etcd` (2024.1 and later) on the VIP,
 * where Masakari's coordination backend_url points. Masakari needs it: its
 * API takes a lock per host in etcd before it accepts a notification, and
 * without one two hostmonitors polling in the same second both got their
 * notification in (measured: two engines then evacuated the same three
 * instances at once and all three ended in ERROR). kolla's precheck refuses
 * a multinode Masakari without a coordination backend.
 */
import type { LabHostContext, LabService } from "../service.ts";
import { apiAddress, peerAddress, placedHosts } from "./common.ts";
import { entriesNamed, entryPort } from "./api-service.ts";

/** kolla's etcd_client_port and etcd_peer_port. */
export const ETCD_CLIENT_PORT = 2379;
const ETCD_PEER_PORT = 2380;

/** The etcd URL Masakari's coordination uses (kolla: through the internal VIP, API v3). */
export function etcdBackendUrl(ctx: Pick<LabHostContext, "plan" | "vip">): string {
  return `etcd3+http://${ctx.vip.internal}:${entryPort(ctx.plan, "etcd", ETCD_CLIENT_PORT)}?api_version=v3`;
}

function etcdDir(ctx: LabHostContext): string {
  return `${ctx.dirs.lib}/etcd`;
}

/** etcd on the `etcd` group (the controllers). */
export const etcdService: LabService = {
  name: "etcd",
  phase: 20,
  // a member waits for a majority of its peers: they start together
  start: "parallel",
  hosts: (plan) => placedHosts(plan, "etcd"),
  packages: ["etcd-server", "curl"],
  directories: (ctx) => [
    { path: etcdDir(ctx), mode: 0o700, owner: "etcd" },
    { path: `${ctx.dirs.log}/etcd`, mode: 0o750, owner: "etcd" },
  ],
  files: () => [],
  processes: (ctx) => {
    const me = apiAddress(ctx);
    const peers = placedHosts(ctx.plan, "etcd").map(
      (h) => `${h}=http://${peerAddress(ctx, h)}:${ETCD_PEER_PORT}`,
    );
    return [
      {
        name: "etcd",
        argv: ["/usr/bin/etcd"],
        // kolla's container environment (roles/etcd/defaults/main.yml etcd_base_environment)
        env: {
          ETCD_NAME: ctx.host.name,
          ETCD_DATA_DIR: etcdDir(ctx),
          ETCD_LISTEN_CLIENT_URLS: `http://${me}:${ETCD_CLIENT_PORT}`,
          ETCD_ADVERTISE_CLIENT_URLS: `http://${me}:${ETCD_CLIENT_PORT}`,
          ETCD_LISTEN_PEER_URLS: `http://${me}:${ETCD_PEER_PORT}`,
          ETCD_INITIAL_ADVERTISE_PEER_URLS: `http://${me}:${ETCD_PEER_PORT}`,
          ETCD_INITIAL_CLUSTER: peers.join(","),
          ETCD_INITIAL_CLUSTER_STATE: "new",
          ETCD_INITIAL_CLUSTER_TOKEN: ctx.plan.cloud,
          ETCD_LOG_OUTPUTS: `${ctx.dirs.log}/etcd/etcd.log`,
          ETCD_LOGGER: "zap",
        },
        user: "etcd",
        cwd: etcdDir(ctx),
        stopTimeoutMs: 10_000,
      },
    ];
  },
  async health(ctx) {
    const url = `http://${apiAddress(ctx)}:${ETCD_CLIENT_PORT}/health`;
    try {
      const { stdout } = await ctx.exec(["curl", "-sS", "-m", "5", url], { timeoutMs: 10_000 });
      const ok = /"health":\s*"true"/.test(stdout);
      return {
        ok,
        detail: ok ? "healthy, in a cluster with a leader" : `GET /health: ${stdout.trim().slice(0, 80)}`,
      };
    } catch {
      return { ok: false, detail: `GET ${url} does not answer yet` };
    }
  },
  proxied: (plan) => entriesNamed(plan, "etcd"),
};
