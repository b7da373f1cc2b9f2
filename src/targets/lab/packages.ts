/**
 * Installs the Debian packages the lab needs when they are missing, without
 * leaving the packages' own services running: while apt runs, a temporary
 * /usr/sbin/policy-rc.d (only if none exists; journalled, removed after)
 * forbids service starts, and any daemon a maintainer script still started
 * (a new process in the machine's namespace running a binary of a package
 * just installed) is stopped by PID.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import type { EventSink } from "../../events.ts";
import { run } from "../../util/run.ts";
import { LabError } from "./errors.ts";
import type { Journal } from "./journal.ts";
import { allPids, netnsOf, processName, processStartTime, signalOwn, waitGone } from "./procfs.ts";

const POLICY_RC_D = "/usr/sbin/policy-rc.d";
/** exit 101: "action forbidden by policy" — invoke-rc.d starts nothing. */
export const POLICY_RC_D_CONTENT =
  "#!/bin/sh\n# written by hacloud lab while it installs packages; removed afterwards\nexit 101\n";

/** Installed packages (status "ii") among the machine's, by name. */
async function installedPackages(): Promise<Set<string>> {
  const { stdout } = await run("dpkg-query", ["-W", "-f", "${Package}\\t${db:Status-Abbrev}\\n"], {
    timeoutMs: 60_000,
    allowFailure: true,
  });
  return new Set(
    stdout
      .split("\n")
      .map((l) => l.split("\t"))
      .filter(([, st]) => st?.startsWith("ii"))
      .map(([p]) => p!.replace(/:.*$/, "")),
  );
}

/** The packages of `wanted` that are not installed. */
export async function missingPackages(wanted: readonly string[]): Promise<string[]> {
  const have = await installedPackages();
  return [...new Set(wanted)].filter((p) => !have.has(p));
}

function snapshot(): Set<string> {
  return new Set(allPids().map((p) => `${p}:${processStartTime(p) ?? 0}`));
}

function exeOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}

async function apt(args: readonly string[]): Promise<{ exitCode: number; out: string }> {
  const r = await run(
    "apt-get",
    [
      "-y",
      "-q",
      "-o",
      "DPkg::Lock::Timeout=600",
      "-o",
      "Dpkg::Options::=--force-confdef",
      "-o",
      "Dpkg::Options::=--force-confold",
      ...args,
    ],
    {
      timeoutMs: 30 * 60_000,
      allowFailure: true,
      env: { DEBIAN_FRONTEND: "noninteractive", APT_LISTCHANGES_FRONTEND: "none" },
    },
  );
  return { exitCode: r.exitCode, out: r.stdout + r.stderr };
}

/** Installs what is missing; returns the packages it installed (none when all were there). */
export async function ensurePackages(
  wanted: readonly string[],
  debconf: readonly string[],
  journal: Journal,
  sink: EventSink,
): Promise<string[]> {
  const missing = await missingPackages(wanted);
  if (missing.length === 0) return [];
  sink({ kind: "info", message: `installing ${missing.join(" ")} (apt-get, --no-install-recommends)` });
  if (debconf.length > 0) {
    await run("debconf-set-selections", [], { input: debconf.join("\n") + "\n", timeoutMs: 60_000 });
  }
  const before = await installedPackages();
  const pidsBefore = snapshot();
  const ours = !existsSync(POLICY_RC_D);
  if (ours) {
    journal.append({ op: "file", path: POLICY_RC_D, content: POLICY_RC_D_CONTENT });
    writeFileSync(POLICY_RC_D, POLICY_RC_D_CONTENT, { mode: 0o755 });
  }
  try {
    let r = await apt(["install", "--no-install-recommends", ...missing]);
    if (
      r.exitCode !== 0 &&
      /Unable to locate package|has no installation candidate|404\s+Not Found/.test(r.out)
    ) {
      sink({ kind: "info", message: "refreshing the package lists (apt-get update)" });
      await apt(["update"]);
      r = await apt(["install", "--no-install-recommends", ...missing]);
    }
    if (r.exitCode !== 0) {
      throw new LabError(
        `could not install ${missing.join(" ")}`,
        `try it by hand: apt-get install --no-install-recommends ${missing.join(" ")}`,
        [{ file: "apt-get", lines: r.out.trimEnd().split("\n").slice(-15) }],
      );
    }
  } finally {
    if (ours) removePolicyRcD();
  }
  const added = [...(await installedPackages())].filter((p) => !before.has(p));
  await stopPackageDaemons(added, pidsBefore, sink);
  return added;
}

/** Removes /usr/sbin/policy-rc.d only when it is the one hacloud wrote. */
export function removePolicyRcD(): void {
  try {
    if (readFileSync(POLICY_RC_D, "utf8") === POLICY_RC_D_CONTENT) unlinkSync(POLICY_RC_D);
  } catch {
    // not there: nothing to undo
  }
}

/** Stops daemons that the packages just installed started in the machine's own namespace. */
async function stopPackageDaemons(
  added: readonly string[],
  pidsBefore: Set<string>,
  sink: EventSink,
): Promise<void> {
  if (added.length === 0) return;
  const files = new Set<string>();
  for (const p of added) {
    const { stdout } = await run("dpkg", ["-L", p], { timeoutMs: 60_000, allowFailure: true });
    for (const f of stdout.split("\n")) if (f.startsWith("/")) files.add(f);
  }
  const rootNet = netnsOf(process.pid);
  const strays = allPids().filter((pid) => {
    if (pidsBefore.has(`${pid}:${processStartTime(pid) ?? 0}`)) return false;
    const exe = exeOf(pid);
    return exe !== undefined && files.has(exe) && netnsOf(pid) === rootNet;
  });
  if (strays.length === 0) return;
  const procs = strays.map((pid) => ({ pid, start: processStartTime(pid) }));
  for (const p of procs) {
    sink({
      kind: "warning",
      message: `stopping ${processName(p.pid)} (pid ${p.pid}), started by its package's install`,
    });
    signalOwn(p.pid, p.start, "SIGTERM");
  }
  for (const p of await waitGone(procs, 5000)) signalOwn(p.pid, p.start, "SIGKILL");
}

/** Where `unpackPackages` puts a package's files (outside the lab root, which `lab down` removes when empty). */
export const UNPACKED_ROOT = "/var/lib/hacloud/debs";

/** The path of a file of an unpacked package, e.g. unpackedPath("pacemaker-remote", "/usr/sbin/pacemaker-remoted"). */
export function unpackedPath(pkg: string, path: string): string {
  return `${UNPACKED_ROOT}/${pkg}${path}`;
}

/**
 * Unpacks packages that cannot be installed beside the others (Debian's pacemaker-remote conflicts
 * with pacemaker, which one machine hosting both a cluster node and a remote node needs): apt-get
 * download (apt checks the archive's hashes) and dpkg-deb -x into UNPACKED_ROOT/<package>.
 * Their dependencies are installed as usual. Nothing runs from them until a service starts it.
 */
export async function unpackPackages(pkgs: readonly string[], sink: EventSink): Promise<void> {
  for (const pkg of new Set(pkgs)) {
    const dir = `${UNPACKED_ROOT}/${pkg}`;
    if (existsSync(`${dir}/.unpacked`)) continue;
    sink({ kind: "info", message: `unpacking ${pkg} into ${dir} (apt-get download, dpkg-deb -x)` });
    const tmp = mkdtempSync(`${tmpdir()}/hacloud-deb-`);
    try {
      let r = await run("apt-get", ["download", "-q", pkg], {
        cwd: tmp,
        timeoutMs: 10 * 60_000,
        allowFailure: true,
      });
      if (r.exitCode !== 0) {
        await apt(["update"]);
        r = await run("apt-get", ["download", "-q", pkg], {
          cwd: tmp,
          timeoutMs: 10 * 60_000,
          allowFailure: true,
        });
      }
      const deb = readdirSync(tmp).find((f) => f.endsWith(".deb"));
      if (r.exitCode !== 0 || deb === undefined)
        throw new LabError(`could not download ${pkg}`, `try it by hand: apt-get download ${pkg}`, [
          { file: "apt-get", lines: (r.stdout + r.stderr).trimEnd().split("\n").slice(-10) },
        ]);
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      await run("dpkg-deb", ["-x", `${tmp}/${deb}`, dir], { timeoutMs: 120_000 });
      writeFileSync(`${dir}/.unpacked`, `${deb}\n`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
}
