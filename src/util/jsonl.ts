/**
 * Durable JSON lines: the one append-and-fsync writer and torn-line-tolerant
 * reader behind the lab's journal and the fault journal. An entry returns
 * from `appendJsonLine` only once it is on disk; a line cut by SIGKILL in
 * the middle of a write does not parse and is skipped by `readJsonLines`.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/** Appends one JSON line (file mode 0600) and fsyncs it; a new file's directory is fsync'd too. */
export function appendJsonLine(path: string, entry: unknown): void {
  const fresh = !existsSync(path);
  const fd = openSync(path, "a", 0o600);
  try {
    writeSync(fd, JSON.stringify(entry) + "\n");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (fresh) fsyncDir(dirname(path));
}

/** Every complete line of a JSON-lines file, oldest first; empty when the file does not exist. */
export function readJsonLines<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  const out: T[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // a torn write: the entry never completed, and neither did what it announced
    }
  }
  return out;
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // some filesystems refuse fsync on directories; the file's own fsync still holds
  }
}
