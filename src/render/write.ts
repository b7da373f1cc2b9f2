/**
 * The one writer of rendered files (the only part of render/ that touches the
 * disk): writes a {path: content} map into a directory, skips files whose
 * content is already right, removes files it wrote before that are no longer
 * rendered (listed in DIR/.hacloud-manifest), and never touches any other
 * file — a file it did not write is a conflict unless the caller adopts it.
 */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, isAbsolute, join, normalize, sep } from "node:path";
import { HacloudError } from "../errors.ts";

/** The manifest of files hacloud wrote into a directory. */
export const MANIFEST = ".hacloud-manifest";

/** What one write did, each list sorted. */
export interface WriteResult {
  readonly written: string[];
  readonly unchanged: string[];
  readonly removed: string[];
}

/** Options of writeRendered. */
export interface WriteOptions {
  /** Overwrite files that exist but are not in the manifest (taking them over). */
  readonly adopt?: boolean;
  /** File mode for new files (default 0o644). */
  readonly mode?: number;
}

/** Files that exist, were not written by hacloud, and would be overwritten. */
export class WriteConflictError extends HacloudError {
  override readonly name = "WriteConflictError";
  constructor(
    readonly dir: string,
    readonly paths: readonly string[],
  ) {
    super(`${paths.length} file(s) in ${dir} were not written by hacloud: ${paths.join(", ")}`, {
      code: "E-RENDER-001",
      hint: "hacloud never overwrites files it did not write; move them away, or pass --force to take them over",
    });
  }
}

/** A rendered path that could escape the output directory. */
export class UnsafePathError extends HacloudError {
  override readonly name = "UnsafePathError";
  override readonly code = "E-RENDER-002";
}

/** True for a relative path that stays inside its directory. */
export function isSafeRelativePath(p: string): boolean {
  if (p === "" || isAbsolute(p) || p.includes("\0") || p.includes("\\")) return false;
  const n = normalize(p);
  return (
    n === p && !n.split(sep).some((part) => part === ".." || part === "." || part === "") && p !== MANIFEST
  );
}

/** Paths listed in DIR's manifest (unsafe entries are ignored, never deleted). */
export function readManifest(dir: string): string[] {
  const file = join(dir, MANIFEST);
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#") && isSafeRelativePath(l));
}

/** Writes `files` into `dir`. */
export function writeRendered(
  dir: string,
  files: ReadonlyMap<string, string>,
  o: WriteOptions = {},
): WriteResult {
  for (const p of files.keys()) {
    if (!isSafeRelativePath(p))
      throw new UnsafePathError(`refusing to write outside ${dir}: ${JSON.stringify(p)}`);
  }
  const previous = new Set(readManifest(dir));
  const conflicts = [...files.keys()].filter((p) => !previous.has(p) && existsSync(join(dir, p)));
  if (conflicts.length > 0 && !o.adopt) throw new WriteConflictError(dir, conflicts.sort());

  const written: string[] = [];
  const unchanged: string[] = [];
  for (const [p, content] of files) {
    const target = join(dir, p);
    refuseSymlinks(dir, p);
    const data = Buffer.from(content, "utf8");
    if (existsSync(target) && readFileSync(target).equals(data)) {
      unchanged.push(p);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    // Write then rename, so a reader never sees half a file.
    const tmp = `${target}.hacloud-tmp-${process.pid}`;
    writeFileSync(tmp, data, { mode: o.mode ?? 0o644 });
    renameSync(tmp, target);
    written.push(p);
  }

  const removed: string[] = [];
  for (const p of [...previous].sort()) {
    if (files.has(p)) continue;
    const target = join(dir, p);
    if (existsSync(target) && !lstatSync(target).isDirectory()) {
      unlinkSync(target);
      removed.push(p);
    }
    removeEmptyParents(dir, p);
  }

  const manifest =
    "# Files written by `hacloud render`; it removes them when they are no longer rendered.\n" +
    [...files.keys()].sort().join("\n") +
    "\n";
  const manifestFile = join(dir, MANIFEST);
  if (!existsSync(manifestFile) || readFileSync(manifestFile, "utf8") !== manifest) {
    writeFileSync(manifestFile, manifest, { mode: 0o644 });
  }
  return { written: written.sort(), unchanged: unchanged.sort(), removed };
}

/** A symlink anywhere on the way could redirect a write outside the directory. */
function refuseSymlinks(dir: string, p: string): void {
  let cur = dir;
  for (const part of p.split("/")) {
    cur = join(cur, part);
    if (existsSync(cur) && lstatSync(cur).isSymbolicLink()) {
      throw new UnsafePathError(`refusing to write through a symbolic link: ${cur}`);
    }
  }
}

/** Removes directories left empty by an orphan's removal, up to (not including) dir. */
function removeEmptyParents(dir: string, p: string): void {
  const parts = p.split("/").slice(0, -1);
  while (parts.length > 0) {
    const d = join(dir, ...parts);
    try {
      rmdirSync(d);
    } catch {
      return; // not empty, or already gone
    }
    parts.pop();
  }
}
