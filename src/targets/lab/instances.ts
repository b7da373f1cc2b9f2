/**
 * Test instances in the lab, made the way neutron's fullstack tests make
 * fake machines (FakeFullstackMachine): a network namespace inside a compute
 * host, plugged into the host's br-int by a veth named `tap<port id[:11]>`
 * whose OVS interface carries the Neutron port's id, so the host's Open
 * vSwitch agent binds it and wires it like a Nova VIF. The namespace gets the
 * port's MAC, address, the subnet's gateway and MTU, and serves a TCP echo
 * (socat) for the probes; checksums are computed in software on its veth,
 * since the userspace datapath reads the other end with AF_PACKET.
 */
import { run } from "../../util/run.ts";
import type { InstancePort, PluggedInstance } from "../target.ts";
import { LabError } from "./errors.ts";
import { anchorOf, hostArgv, hostContext, type LabRuntime } from "./runtime.ts";
import { isAlive, signalOwn, waitGone } from "./procfs.ts";
import { spawnDetached } from "./spawn.ts";

/** The TCP port every test instance echoes on. */
export const INSTANCE_ECHO_PORT = 7;

/** Names of an instance's namespace and host-side device, from its port id. */
export function instanceNames(portId: string): { netns: string; tap: string } {
  return { netns: `vm-${portId.slice(0, 8)}`, tap: `tap${portId.slice(0, 11)}` };
}

const PLUG = String.raw`
set -e
ns="$1"; tap="$2"; port="$3"; mac="$4"; cidr="$5"; gw="$6"; mtu="$7"; device="$8"
ip netns add "$ns" 2>/dev/null || true
ip link show "$tap" >/dev/null 2>&1 || ip link add "$tap" type veth peer name eth0 netns "$ns"
ip -n "$ns" link set eth0 address "$mac" mtu "$mtu"
ip -n "$ns" addr replace "$cidr" dev eth0
ip -n "$ns" link set lo up
ip -n "$ns" link set eth0 up
ip -n "$ns" route replace default via "$gw"
ip netns exec "$ns" ethtool -K eth0 tx off >/dev/null
ip link set "$tap" mtu "$mtu" up
ovs-vsctl --timeout=10 --may-exist add-port br-int "$tap" -- set Interface "$tap" \
  external_ids:iface-id="$port" external_ids:iface-status=active \
  external_ids:attached-mac="$mac" external_ids:vm-uuid="$device"
`;

const UNPLUG = String.raw`
ns="$1"; tap="$2"
ovs-vsctl --timeout=10 --if-exists del-port br-int "$tap"
ip link del "$tap" 2>/dev/null || true
ip netns del "$ns" 2>/dev/null || true
`;

/** Plugs an instance into `port` on `host` and starts its echo server. */
export async function plugInstance(
  rt: LabRuntime,
  host: string,
  port: InstancePort,
): Promise<PluggedInstance> {
  const ctx = hostContext(rt, host);
  const { netns, tap } = instanceNames(port.id);
  await ctx.exec(
    [
      "sh",
      "-c",
      PLUG,
      "plug",
      netns,
      tap,
      port.id,
      port.mac,
      `${port.address}/${port.prefix}`,
      port.gateway,
      String(port.mtu),
      port.deviceId,
    ],
    { timeoutMs: 30_000 },
  );
  const echo = spawnDetached(
    hostArgv(rt, host, [
      "ip",
      "netns",
      "exec",
      netns,
      "socat",
      `TCP4-LISTEN:${INSTANCE_ECHO_PORT},fork,reuseaddr`,
      "PIPE",
    ]),
    { env: {}, logFile: `${ctx.dirs.log}/${netns}-echo.log` },
  );
  return {
    host,
    name: netns,
    portId: port.id,
    address: port.address,
    echoPort: INSTANCE_ECHO_PORT,
    servers: [echo],
    // no cgroup wrapper: the caller may run inside another lab host (the probe worker, in the client),
    // whose /sys does not show the cgroup hierarchy; what it starts stays in the caller's group
    inside: (argv) => ({
      file: "nsenter",
      args: [
        `--target=${anchorOf(rt, host)}`,
        "--mount",
        "--uts",
        "--net",
        "--wd=/",
        "--",
        "ip",
        "netns",
        "exec",
        netns,
        ...argv,
      ],
    }),
  };
}

/** Stops the instance's echo server (by PID) and removes its namespace and port (idempotent). */
export async function unplugInstance(rt: LabRuntime, instance: PluggedInstance): Promise<void> {
  for (const s of instance.servers) {
    if (!isAlive(s.pid, s.start)) continue;
    signalOwn(s.pid, s.start, "SIGTERM");
    if ((await waitGone([s], 3_000)).length > 0) signalOwn(s.pid, s.start, "SIGKILL");
  }
  if (!rt.anchors.has(instance.host)) return;
  const { netns, tap } = instanceNames(instance.portId);
  const [file, ...args] = hostArgv(rt, instance.host, ["sh", "-c", UNPLUG, "unplug", netns, tap]);
  const r = await run(file!, args, { timeoutMs: 30_000, allowFailure: true });
  if (r.exitCode !== 0)
    throw new LabError(`could not unplug ${netns} on ${instance.host}: ${r.stderr.trim()}`);
}
