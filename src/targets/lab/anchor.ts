/**
 * A host's anchor: one long-lived `sleep` inside the host's network namespace
 * that holds the host's private mount and UTS namespaces. Inside them the
 * host has its own /run (its state directory's run/), /etc/hosts,
 * /etc/hostname and hostname, plus the binds its services ask for. Every
 * daemon and every `lab exec` enters the host through the anchor with
 * nsenter, so they all see the same private tree.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { run } from "../../util/run.ts";
import { LabError } from "./errors.ts";
import type { Journal } from "./journal.ts";
import type { LabHostLayout } from "./layout.ts";
import { tailFile } from "./logs.ts";
import { anchorCgroup, inCgroup } from "./cgroups.ts";
import { isAlive, processName } from "./procfs.ts";
import { spawnDetached, type Spawned } from "./spawn.ts";

/**
 * The anchor's set-up, run by sh inside its new mount namespace. It drops the
 * copies of /run/netns (they would pin the other namespaces) before hiding
 * /run under the host's own.
 */
const ANCHOR_SCRIPT = [
  "set -e",
  "umount -l /run/netns 2>/dev/null || true",
  'mount --bind "$HC_RUN" /run',
  'mount --bind "$HC_HOSTS" /etc/hosts',
  'if [ -e /etc/hostname ]; then mount --bind "$HC_HOSTNAME" /etc/hostname; fi',
  'hostname "$HC_NAME"',
  "exec sleep infinity",
].join("\n");

/** Where a host's own files live. */
export function hostDirs(host: LabHostLayout): { etc: string; lib: string; run: string; log: string } {
  return { etc: `${host.dir}/etc`, lib: `${host.dir}/lib`, run: `${host.dir}/run`, log: `${host.dir}/log` };
}

/** A new process id for the journal. */
export function newProcessId(host: string, name: string): string {
  return `${host}.${name}.${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** Starts the host's anchor unless `current` is still alive; returns the live anchor. */
export async function ensureAnchor(
  prefix: string,
  host: LabHostLayout,
  current: { readonly pid?: number; readonly start?: number } | undefined,
  journal: Journal,
  files: { readonly hosts: string; readonly hostname: string },
): Promise<Spawned> {
  if (current?.pid !== undefined && isAlive(current.pid, current.start)) {
    return { pid: current.pid, start: current.start ?? 0 };
  }
  const dirs = hostDirs(host);
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true, mode: 0o755 });
  const id = newProcessId(host.name, "anchor");
  journal.append({
    op: "process",
    id,
    host: host.name,
    service: "lab",
    name: "anchor",
    stopSignal: "SIGKILL",
    stopTimeoutMs: 0,
  });
  const logFile = `${dirs.log}/anchor.log`;
  const spawned = spawnDetached(
    inCgroup(anchorCgroup(prefix, host.name), [
      "ip",
      "netns",
      "exec",
      host.netns,
      "unshare",
      "--mount",
      "--uts",
      "--propagation",
      "private",
      "--",
      "sh",
      "-c",
      ANCHOR_SCRIPT,
    ]),
    {
      env: {
        HC_RUN: dirs.run,
        HC_HOSTS: files.hosts,
        HC_HOSTNAME: files.hostname,
        HC_NAME: host.name,
      },
      logFile,
    },
  );
  journal.append({ op: "pid", id, pid: spawned.pid, start: spawned.start });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (!isAlive(spawned.pid, spawned.start)) break;
    if (processName(spawned.pid) === "sleep") return spawned;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new LabError(
    `the namespaces of host ${host.name} could not be set up`,
    "see the log below; `hacloud lab down` removes what was made",
    [tailFile(logFile, 20)],
  );
}

/** Mount points inside a host (from its anchor's mountinfo). */
function mountPoints(anchorPid: number): Set<string> {
  const out = new Set<string>();
  for (const line of readFileSync(`/proc/${anchorPid}/mountinfo`, "utf8").split("\n")) {
    const mp = line.split(" ")[4];
    if (mp !== undefined) out.add(mp.replace(/\\040/g, " "));
  }
  return out;
}

/** Bind-mounts `source` over `target` inside the host only, unless already mounted there. */
export async function ensureBind(anchorPid: number, source: string, target: string): Promise<void> {
  if (mountPoints(anchorPid).has(target)) return;
  if (!existsSync(target)) {
    throw new LabError(
      `cannot mount a host's private ${target}: it does not exist on this machine`,
      "the Debian package that provides it must be installed first; run `hacloud lab up` again",
    );
  }
  if (!existsSync(source)) mkdirSync(source, { recursive: true, mode: 0o755 });
  await run("nsenter", [`--target=${anchorPid}`, "--mount", "--", "mount", "--bind", source, target], {
    timeoutMs: 10_000,
  });
}
