/**
 * Walking directories the operator names (an inventory directory, kolla's
 * config directory): entries sorted as Python sorts them, links followed, each
 * real directory entered once so that a link loop ends.
 */
import { readdirSync, realpathSync, statSync } from "node:fs";

/** True the first time a real directory is entered. */
export function enter(seen: Set<string>, dir: string): boolean {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return false;
  }
  if (seen.has(real)) return false;
  seen.add(real);
  return true;
}

/** True when the path is a directory (following links); false when it cannot be read. */
export function isDirectory(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

/** A directory's entries, sorted as Python's sorted(os.listdir()) sorts them. */
export function list(abs: string): string[] {
  try {
    return readdirSync(abs).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch {
    return [];
  }
}
