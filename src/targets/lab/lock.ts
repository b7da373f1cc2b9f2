/**
 * One `hacloud lab` at a time per lab: a lock file created exclusively,
 * holding the owner's PID and start time. A lock whose owner is gone (killed
 * with SIGKILL) is stale and taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { LabError } from "./errors.ts";
import { isAlive, processStartTime } from "./procfs.ts";

/** Path of a lab's lock file (beside its state directory, so `lab down` can remove the directory while holding it). */
export function lockPath(stateDir: string): string {
  return `${stateDir}.lock`;
}

/** Takes the lock or throws a LabError naming the process that holds it; returns the release function. */
export function acquireLock(stateDir: string): () => void {
  const path = lockPath(stateDir);
  mkdirSync(stateDir.slice(0, stateDir.lastIndexOf("/")), { recursive: true, mode: 0o755 });
  const mine = `${process.pid} ${processStartTime(process.pid) ?? 0}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, mine);
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(path, "utf8") === mine) unlinkSync(path);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const [pid, start] = safeRead(path).trim().split(" ").map(Number);
      if (pid !== undefined && pid > 0 && isAlive(pid, start)) {
        throw new LabError(
          `another hacloud lab command (pid ${pid}) is working on this lab`,
          `wait for it to finish, or stop it (kill ${pid}) and run the command again`,
        );
      }
      try {
        unlinkSync(path);
      } catch {
        // someone else took it over first; the next attempt tells
      }
    }
  }
  throw new LabError(`could not take the lab lock ${path}`, "run the command again");
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}
