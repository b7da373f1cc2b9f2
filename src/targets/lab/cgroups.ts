/**
 * A lab host is a cgroup v2 group. Every process started for a host joins
 * its group before it execs, and whatever it forks stays there, whichever
 * namespace it enters and whatever sudo, rootwrap or privsep strip from its
 * environment: membership is the one property a child cannot shed without
 * writing to cgroupfs itself. So a host crash is `cgroup.kill` of the host's
 * services, a frozen service is `cgroup.freeze`, and `lab down` kills every
 * group of the lab and waits until each is empty.
 *
 * Layout under the unified hierarchy, one tree per lab:
 *   hacloud/<lab prefix>/<host>/anchor        the lab's own process holding the host's namespaces
 *   hacloud/<lab prefix>/<host>/exec          the operator's and the engine's commands in the host
 *   hacloud/<lab prefix>/<host>/svc/<service> a service's daemons and everything they fork
 * No controller is enabled anywhere in it: only the core files (procs,
 * events, kill, freeze) are used, which exist in every group.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { LabError } from "./errors.ts";

/** The top group of every lab, under the unified hierarchy's root. */
const TOP = "hacloud";

/**
 * The mount point of the whole cgroup v2 hierarchy in a mountinfo text
 * (/proc/self/mountinfo): /sys/fs/cgroup on a cgroup v2 system,
 * /sys/fs/cgroup/unified on a hybrid one; undefined when none is mounted.
 */
export function parseCgroup2Mount(mountinfo: string): string | undefined {
  for (const line of mountinfo.split("\n")) {
    // fields: id parent major:minor root mountpoint options [optional…] - fstype source super
    const [pre, post] = line.split(" - ");
    if (pre === undefined || post === undefined || post.split(" ")[0] !== "cgroup2") continue;
    const f = pre.split(" ");
    // a bind of a subtree (root ≠ "/") would put our groups somewhere else than their names say
    if (f[3] === "/" && f[4] !== undefined) return f[4].replace(/\\040/g, " ");
  }
  return undefined;
}

let mountCache: string | null | undefined;

/** Where the cgroup v2 (unified) hierarchy is mounted on this machine, or undefined. */
export function cgroup2Mount(): string | undefined {
  if (mountCache === undefined) {
    let info = "";
    try {
      info = readFileSync("/proc/self/mountinfo", "utf8");
    } catch {
      // no /proc: preflight says so
    }
    mountCache = parseCgroup2Mount(info) ?? null;
  }
  return mountCache ?? undefined;
}

function mountOrThrow(): string {
  const m = cgroup2Mount();
  if (m === undefined) throw new LabError("the cgroup v2 hierarchy is not mounted", MOUNT_HINT);
  return m;
}

const MOUNT_HINT =
  "the lab keeps each host's processes in a cgroup v2 group: mount the unified hierarchy " +
  "(`mount -t cgroup2 none /sys/fs/cgroup` on a cgroup v2 system, or " +
  "`mkdir -p /sys/fs/cgroup/unified && mount -t cgroup2 none /sys/fs/cgroup/unified` on a hybrid one)";

/** A name usable as one cgroup directory: what a host or service is called, with no slash. */
function segment(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_.-]/g, "_");
  return /^\.*$/.test(s) ? `_${s}` : s;
}

/** The lab's group (relative to the mount): everything of one lab lives below it. */
export function labCgroup(prefix: string): string {
  return `${TOP}/${segment(prefix)}`;
}

/** The group of a whole host: a crash kills its `svc` part, `lab down` all of it. */
export function hostCgroup(prefix: string, host: string): string {
  return `${labCgroup(prefix)}/${segment(host)}`;
}

/** The group holding a host's anchor (the lab's, not the host's: a crash leaves it). */
export function anchorCgroup(prefix: string, host: string): string {
  return `${hostCgroup(prefix, host)}/anchor`;
}

/** The group of commands run in a host from outside (health checks, `lab exec`, probes). */
export function execCgroup(prefix: string, host: string): string {
  return `${hostCgroup(prefix, host)}/exec`;
}

/** The group of all of a host's services: what a host crash kills. */
export function servicesCgroup(prefix: string, host: string): string {
  return `${hostCgroup(prefix, host)}/svc`;
}

/** The group of one service's daemons on a host, and of everything they fork. */
export function serviceCgroup(prefix: string, host: string, service: string): string {
  return `${servicesCgroup(prefix, host)}/${segment(service)}`;
}

/** Absolute path of a group given relative to the mount. */
export function cgroupPath(group: string): string {
  return `${mountOrThrow()}/${group}`;
}

/**
 * The argv that runs `argv` inside `group`: a shell creates the group if
 * need be and moves itself into it, then execs the command, so the command and all it forks are
 * members from their first instruction (a PID written after spawn would
 * race the command's first fork).
 */
export function inCgroup(group: string, argv: readonly string[]): string[] {
  return [
    "sh",
    "-c",
    'mkdir -p "$0" && printf 0 > "$0/cgroup.procs" && exec "$@"',
    cgroupPath(group),
    ...argv,
  ];
}

/** Child groups of a group (absolute paths), deepest first. */
function subtree(abs: string): string[] {
  let children: string[];
  try {
    children = readdirSync(abs, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => `${abs}/${e.name}`);
  } catch {
    return [];
  }
  return [...children.flatMap(subtree), ...children];
}

function readProcs(abs: string): number[] {
  try {
    return readFileSync(`${abs}/cgroup.procs`, "utf8").split("\n").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Every process in a group and its descendants (none when the group does not exist). */
export function cgroupPids(group: string): number[] {
  const m = cgroup2Mount();
  if (m === undefined) return [];
  const abs = `${m}/${group}`;
  if (!existsSync(abs)) return [];
  return [abs, ...subtree(abs)].flatMap(readProcs);
}

function populated(abs: string): boolean {
  try {
    return /^populated 1$/m.test(readFileSync(`${abs}/cgroup.events`, "utf8"));
  } catch {
    return false;
  }
}

/**
 * Kills every process of a group and its descendants at once (`cgroup.kill`,
 * which also reaches frozen ones) and waits until the group is empty; returns
 * how many processes it held. A group that does not exist holds none.
 */
export async function killCgroup(group: string, timeoutMs = 10_000): Promise<number> {
  const m = cgroup2Mount();
  if (m === undefined) return 0;
  const abs = `${m}/${group}`;
  if (!existsSync(abs)) return 0;
  const n = cgroupPids(group).length;
  if (n === 0) return 0;
  writeFileSync(`${abs}/cgroup.kill`, "1");
  const deadline = Date.now() + timeoutMs;
  while (populated(abs)) {
    if (Date.now() > deadline) {
      throw new LabError(
        `the processes of cgroup ${abs} did not end within ${Math.round(timeoutMs / 1000)} s of cgroup.kill`,
        `see \`cat ${abs}/cgroup.procs\` (a process in uninterruptible sleep ends when its I/O does); \`hacloud lab down\` again retries`,
      );
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return n;
}

/** Freezes (or thaws) a group and waits until the kernel reports it so; false when the group does not exist. */
export async function freezeCgroup(group: string, frozen: boolean, timeoutMs = 10_000): Promise<boolean> {
  const m = cgroup2Mount();
  if (m === undefined) return false;
  const abs = `${m}/${group}`;
  if (!existsSync(abs)) return false;
  writeFileSync(`${abs}/cgroup.freeze`, frozen ? "1" : "0");
  const want = `frozen ${frozen ? 1 : 0}`;
  const deadline = Date.now() + timeoutMs;
  while (!readFileSync(`${abs}/cgroup.events`, "utf8").split("\n").includes(want)) {
    if (Date.now() > deadline) {
      throw new LabError(
        `cgroup ${abs} did not ${frozen ? "freeze" : "thaw"} within ${Math.round(timeoutMs / 1000)} s`,
        `see \`cat ${abs}/cgroup.events\``,
      );
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

/** True when a group exists and is frozen. */
export function isFrozen(group: string): boolean {
  const m = cgroup2Mount();
  if (m === undefined) return false;
  try {
    return readFileSync(`${m}/${group}/cgroup.freeze`, "utf8").trim() === "1";
  } catch {
    return false;
  }
}

/**
 * Removes a group and its descendants once they are empty (deepest first),
 * then the top `hacloud` group when no other lab uses it; returns how many
 * groups it removed.
 */
export function removeCgroup(group: string): number {
  const m = cgroup2Mount();
  if (m === undefined) return 0;
  const abs = `${m}/${group}`;
  let n = 0;
  for (const dir of [...subtree(abs), abs]) {
    try {
      rmdirSync(dir);
      n++;
    } catch {
      // already gone, or still populated (killCgroup reports that)
    }
  }
  try {
    rmdirSync(`${m}/${TOP}`);
  } catch {
    // other labs, or gone
  }
  return n;
}

/**
 * Preflight for cgroups: the unified hierarchy is mounted, and this kernel
 * has `cgroup.kill` (5.14) and `cgroup.freeze` (5.2) — checked on a probe
 * group that is removed again.
 */
export function checkCgroups(): void {
  const m = mountOrThrow();
  const probe = `${m}/${TOP}/preflight-${process.pid}`;
  try {
    mkdirSync(probe, { recursive: true });
  } catch (e) {
    throw new LabError(
      `cannot create a cgroup under ${m}: ${(e as Error).message}`,
      "the lab needs root and a writable cgroup v2 hierarchy (not a read-only cgroupfs inside a container)",
    );
  }
  try {
    const missing = ["cgroup.kill", "cgroup.freeze", "cgroup.events"].filter(
      (f) => !existsSync(`${probe}/${f}`),
    );
    if (missing.length > 0) {
      throw new LabError(
        `this kernel's cgroup v2 lacks ${missing.join(", ")}`,
        "the lab needs Linux 5.14 or later (cgroup.kill ends a crashed host's processes at once)",
      );
    }
  } finally {
    try {
      rmdirSync(probe);
      rmdirSync(`${m}/${TOP}`);
    } catch {
      // other labs keep the top group
    }
  }
}
