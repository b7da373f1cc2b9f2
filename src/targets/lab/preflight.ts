/**
 * What the machine must offer before the lab touches anything: root, the
 * tools (ip, nsenter, unshare, setpriv), and kernel support for network,
 * mount and UTS namespaces, veth pairs, bridges and cgroup v2 groups that
 * can be killed and frozen whole. Each failure says what
 * to do. The probe namespaces are anonymous and vanish with the probe.
 */
import { existsSync } from "node:fs";
import { CommandError, run } from "../../util/run.ts";
import { checkCgroups } from "./cgroups.ts";
import { LabError } from "./errors.ts";

const TOOLS: readonly { readonly bin: string; readonly pkg: string }[] = [
  { bin: "ip", pkg: "iproute2" },
  { bin: "nsenter", pkg: "util-linux" },
  { bin: "unshare", pkg: "util-linux" },
  { bin: "setpriv", pkg: "util-linux" },
];

/** Throws a LabError unless this process is root. */
export function requireRoot(what: string): void {
  if (process.getuid?.() !== 0) {
    throw new LabError(
      `${what} needs root: the lab creates network namespaces and runs system daemons`,
      "run it as root, e.g. `sudo hacloud lab up`",
    );
  }
}

function which(bin: string): string | undefined {
  for (const dir of ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]) {
    if (existsSync(`${dir}/${bin}`)) return `${dir}/${bin}`;
  }
  return undefined;
}

/** Checks root, tools and kernel capabilities; throws a LabError with the remedy. */
export async function preflight(what: string): Promise<void> {
  requireRoot(what);
  const missing = TOOLS.filter((t) => which(t.bin) === undefined);
  if (missing.length > 0) {
    const pkgs = [...new Set(missing.map((t) => t.pkg))].join(" ");
    throw new LabError(
      `missing tools: ${missing.map((t) => t.bin).join(", ")}`,
      `install them: apt-get install ${pkgs}`,
    );
  }
  if (
    !existsSync("/proc/self/ns/net") ||
    !existsSync("/proc/self/ns/mnt") ||
    !existsSync("/proc/self/ns/uts")
  ) {
    throw new LabError(
      "this kernel lacks network, mount or UTS namespaces",
      "run the lab on a Linux machine (or VM) whose kernel has CONFIG_NET_NS, CONFIG_UTS_NS and mount namespaces",
    );
  }
  checkCgroups();
  try {
    await run(
      "unshare",
      [
        "--net",
        "--mount",
        "--uts",
        "--propagation",
        "private",
        "sh",
        "-c",
        "ip link add hcp0 type veth peer name hcp1 && ip link add hcpbr type bridge && ip link set hcp1 master hcpbr",
      ],
      { timeoutMs: 10_000 },
    );
  } catch (e) {
    const detail = e instanceof CommandError ? (e.stderr || e.stdout).trim() : (e as Error).message;
    throw new LabError(
      `this machine cannot create the lab's fabric (namespaces, veth pairs, bridges): ${detail}`,
      "the lab needs a kernel with CONFIG_VETH and CONFIG_BRIDGE and permission to create namespaces (root, not inside a restricted container)",
    );
  }
}
