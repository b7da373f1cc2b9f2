/**
 * Starting processes inside a lab host. The one place besides util/run.ts
 * that spawns: daemons must outlive hacloud (detached, own session and
 * process group, output to a log file) and `lab exec` hands the terminal to
 * the command, neither of which run() does.
 */
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { constants } from "node:os";
import { inCgroup } from "./cgroups.ts";
import { processStartTime } from "./procfs.ts";

/**
 * The argv that runs `argv` inside a host: a member of the host's cgroup
 * `group` (cgroups.ts) from its first instruction, entered through the host's
 * anchor process (mount, UTS, network namespaces).
 */
export function inHost(
  anchorPid: number,
  group: string,
  argv: readonly string[],
  opts: { readonly user?: string; readonly cwd?: string } = {},
): string[] {
  const asUser =
    opts.user !== undefined && opts.user !== "root"
      ? ["setpriv", `--reuid=${opts.user}`, `--regid=${opts.user}`, "--init-groups", "--"]
      : [];
  return inCgroup(group, [
    "nsenter",
    `--target=${anchorPid}`,
    "--mount",
    "--uts",
    "--net",
    `--wd=${opts.cwd ?? "/"}`,
    "--",
    ...asUser,
    ...argv,
  ]);
}

/**
 * A container engine's `unless-stopped` for one daemon, in sh: run it, and
 * when it exits without the loop having been told to stop (SIGTERM or SIGINT,
 * passed on to the daemon), start it again after docker's back-off — 100 ms,
 * doubled after each exit up to one minute, back to 100 ms after 10 s of
 * running. The loop and the daemon share a process group and a cgroup, so a
 * stop reaches both and a host crash or `lab down` ends both.
 */
const RESTART_LOOP = [
  "stop=0; child=",
  `trap 'stop=1; [ -n "$child" ] && kill -TERM "$child" 2>/dev/null' TERM INT`,
  "delay=100",
  "while :; do",
  '  started=$(date +%s); "$@" & child=$!',
  // a trapped signal interrupts `wait`: wait again until the daemon has really exited
  '  wait "$child"; rc=$?; while kill -0 "$child" 2>/dev/null; do wait "$child"; rc=$?; done',
  '  [ "$stop" = 1 ] && exit 0',
  "  [ $(( $(date +%s) - started )) -ge 10 ] && delay=100",
  '  echo "hacloud: $1 exited ($rc); restarting it in ${delay} ms (restart: unless-stopped)" >&2',
  '  sleep "$(printf %d.%03d $((delay / 1000)) $((delay % 1000)))"',
  "  delay=$((delay * 2)); [ $delay -gt 60000 ] && delay=60000",
  "done",
].join("\n");

/** The argv that runs `argv` under the restart loop. */
export function underRestartLoop(argv: readonly string[]): string[] {
  return ["sh", "-c", RESTART_LOOP, "hacloud-restart", ...argv];
}

/** A started daemon: its PID and start time (the pair the journal records). */
export interface Spawned {
  readonly pid: number;
  readonly start: number;
}

/**
 * Starts a detached daemon (new session, so its PID leads its process group)
 * with stdout/stderr appended to `logFile`. Returns once the PID is known.
 */
export function spawnDetached(
  argv: readonly string[],
  opts: { readonly env: Readonly<Record<string, string>>; readonly logFile: string },
): Spawned {
  const fd = openSync(opts.logFile, "a", 0o640);
  try {
    const [file, ...args] = argv;
    if (file === undefined) throw new Error("empty argv");
    const child = spawn(file, args, {
      detached: true,
      stdio: ["ignore", fd, fd],
      env: { ...cleanEnv(), ...opts.env },
    });
    child.on("error", () => {
      // surfaced through the health check and the log; the PID is already journalled
    });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${file}`);
    return { pid: child.pid, start: processStartTime(child.pid) ?? 0 };
  } finally {
    closeSync(fd);
  }
}

/** Runs a command with the terminal attached and resolves with its exit code (`lab exec`). */
export function runAttached(argv: readonly string[], env: Readonly<Record<string, string>>): Promise<number> {
  const [file, ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn(file!, args, {
      stdio: "inherit",
      env: { ...cleanEnv(), ...(process.env.TERM ? { TERM: process.env.TERM } : {}), ...env },
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}

/**
 * The environment daemons start with: the machine's PATH and locale, not the
 * operator's whole shell (a pyenv python3 earlier in PATH breaks Debian's
 * python services).
 */
export function cleanEnv(): Record<string, string> {
  return {
    PATH: "/usr/sbin:/usr/bin:/sbin:/bin",
    LANG: "C.UTF-8",
    LC_ALL: "C.UTF-8",
    HOME: "/root",
  };
}
