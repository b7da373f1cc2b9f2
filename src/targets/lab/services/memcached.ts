/**
 * memcached on the control hosts, bound to the management address: Keystone's
 * cache (oslo.cache memcache_pool over every control host's memcached, as
 * kolla configures it). Stateless, so every host starts at once.
 */
import type { LabHostContext, LabService } from "../service.ts";
import { apiAddress, bashScript, placedHosts } from "./common.ts";

/** kolla's memcached_port. */
export const MEMCACHED_PORT = 11211;

/** "host:port" of every memcached, for oslo.cache's memcache_servers. */
export function memcachedServers(ctx: LabHostContext): string {
  return placedHosts(ctx.plan, "memcached")
    .map((h) => `${ctx.addressOf(h, ctx.plan.apiNetwork)}:${MEMCACHED_PORT}`)
    .join(",");
}

async function memcachedHealth(ctx: LabHostContext): Promise<{ ok: boolean; detail: string }> {
  const address = apiAddress(ctx);
  try {
    // Speaks the text protocol with bash's /dev/tcp: no client package needed in the host.
    const { stdout } = await ctx.exec(
      [
        "timeout",
        "3",
        ...bashScript(
          'exec 3<>"/dev/tcp/$0/$1" && printf "version\\r\\n" >&3 && IFS= read -r line <&3 && printf "%s" "$line"',
          address,
          String(MEMCACHED_PORT),
        ),
      ],
      { timeoutMs: 6000 },
    );
    const version = stdout.trim();
    return version.startsWith("VERSION")
      ? { ok: true, detail: `${version.toLowerCase()} on ${address}:${MEMCACHED_PORT}` }
      : { ok: false, detail: `unexpected answer from ${address}:${MEMCACHED_PORT}: ${version.slice(0, 60)}` };
  } catch {
    return { ok: false, detail: `nothing answers on ${address}:${MEMCACHED_PORT}` };
  }
}

/** memcached on the control hosts. */
export const memcachedService: LabService = {
  name: "memcached",
  phase: 20,
  start: "parallel",
  hosts: (plan) => placedHosts(plan, "memcached"),
  packages: ["memcached"],
  files: () => [],
  processes: (ctx) => [
    {
      name: "memcached",
      // -U 0: no UDP (amplification-prone and unused); 64 MB and 1 thread are plenty for Keystone's cache.
      argv: [
        "/usr/bin/memcached",
        "-u",
        "memcache",
        "-l",
        apiAddress(ctx),
        "-p",
        String(MEMCACHED_PORT),
        "-U",
        "0",
        "-m",
        "64",
        "-c",
        "1024",
        "-t",
        "1",
      ],
      stopTimeoutMs: 5000,
    },
  ],
  health: memcachedHealth,
};
