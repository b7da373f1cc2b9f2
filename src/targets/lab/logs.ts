/**
 * Log files of the lab: every daemon's stdout/stderr goes to
 * <host>/log/<process>.log; services may keep more files under the same
 * directory. Reading the tail of them for failures and `lab logs`.
 */
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import type { LogTail } from "./errors.ts";

/** The last `n` lines of a file (reads at most the last 256 KiB). */
export function tailFile(file: string, n: number): LogTail {
  if (!existsSync(file)) return { file, lines: [] };
  const size = statSync(file).size;
  const len = Math.min(size, 256 * 1024);
  const buf = Buffer.alloc(len);
  const fd = openSync(file, "r");
  try {
    readSync(fd, buf, 0, len, size - len);
  } finally {
    closeSync(fd);
  }
  const lines = buf.toString("utf8").split("\n");
  if (lines.at(-1) === "") lines.pop();
  return { file, lines: lines.slice(-n) };
}

/**
 * Log files under a host's log directory; with `names`, only those whose path
 * or file name starts with one of them (a service and its processes).
 */
export function logFiles(logDir: string, names?: readonly string[]): string[] {
  if (!existsSync(logDir)) return [];
  const out: string[] = [];
  const wanted = (rel: string): boolean => {
    const base = rel.slice(rel.lastIndexOf("/") + 1);
    return names === undefined || names.some((n) => rel.startsWith(n) || base.startsWith(n));
  };
  const walk = (dir: string, rel: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = `${dir}/${e.name}`;
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path, relPath);
      else if (e.isFile() && wanted(relPath)) out.push(path);
    }
  };
  walk(logDir, "");
  return out.sort();
}
