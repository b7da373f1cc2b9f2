/**
 * Reading one `-i` argument from the disk as Ansible would see it: a file, or
 * a directory of inventory files (sorted, recursively, minus what Ansible
 * skips by name), plus the group_vars/ and host_vars/ beside the file or in
 * the directory. What to take is decided by src/import/inventory-sources.ts;
 * this module only walks and reads.
 */
import { readdirSync, realpathSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import {
  ignoredInInventoryDir,
  keptInVarsDir,
  type InventorySource,
  type SourceFile,
  type VarsFile,
} from "../import/inventory-sources.ts";
import { isUnreadable, readInput, STDIN_NAME } from "./inputs.ts";
import type { CliIO } from "./io.ts";

/** More files than this under one `-i` is not an inventory (a home directory named by mistake). */
export const MAX_SOURCE_FILES = 10_000;

/** The source, or the diagnostics of the files that cannot be read. */
export function readInventorySource(io: CliIO, path: string): InventorySource | Diagnostic[] {
  const failed: Diagnostic[] = [];
  let count = 0;
  const read = (file: string): SourceFile | undefined => {
    if (++count > MAX_SOURCE_FILES) {
      if (count === MAX_SOURCE_FILES + 1)
        failed.push({
          code: "HA003",
          severity: "error",
          message: `${path} holds more than ${MAX_SOURCE_FILES} files; that is not an inventory`,
          file: path,
          line: 1,
          column: 1,
          hint: "Name the inventory file or directory itself.",
        });
      return undefined;
    }
    const r = readInput(io, file);
    if (isUnreadable(r)) failed.push(r);
    else return r;
    return undefined;
  };
  const abs = resolve(io.cwd, path);
  const isDir = path !== "-" && isDirectory(abs);
  const files: SourceFile[] = [];
  const skipped: string[] = [];
  // Symbolic links are followed, as Ansible does; each real directory is walked once.
  const seen = new Set<string>();
  const walk = (dir: string) => {
    if (!enter(seen, resolve(io.cwd, dir))) return;
    for (const name of list(resolve(io.cwd, dir))) {
      const p = join(dir, name);
      if (ignoredInInventoryDir(name)) {
        if (!name.startsWith(".") && !isDirectory(resolve(io.cwd, p))) skipped.push(p);
        continue;
      }
      if (isDirectory(resolve(io.cwd, p))) walk(p);
      else {
        const f = read(p);
        if (f) files.push(f);
      }
    }
  };
  if (isDir) walk(path);
  else {
    const f = read(path);
    if (f) files.push(f);
  }

  const varsFiles: VarsFile[] = [];
  const varsDirs: string[] = [];
  // The vars plugin's base: the directory itself, or the directory holding the file.
  const base = isDir ? path : path === "-" || path === STDIN_NAME ? undefined : dirname(path);
  for (const kind of ["group_vars", "host_vars"] as const) {
    if (base === undefined) break;
    const root = join(base, kind);
    if (!isDirectory(resolve(io.cwd, root))) continue;
    const walkVars = (dir: string, rel: string) => {
      if (!enter(seen, resolve(io.cwd, dir))) return;
      for (const name of list(resolve(io.cwd, dir))) {
        const p = join(dir, name);
        const r = rel === "" ? name : `${rel}/${name}`;
        const directory = isDirectory(resolve(io.cwd, p));
        // At the top any name can be a group's or host's; below it, Ansible's filter applies.
        if (rel === "" ? name.startsWith(".") : !keptInVarsDir(name, directory)) continue;
        if (directory) {
          if (rel === "") varsDirs.push(`${kind}/${name}`);
          walkVars(p, r);
        } else {
          const f = read(p);
          if (f) varsFiles.push({ ...f, dir: kind, rel: r });
        }
      }
    };
    walkVars(root, "");
  }
  return failed.length > 0 ? failed : { path, files, skipped, varsFiles, varsDirs };
}

/** True the first time a real directory is entered. */
function enter(seen: Set<string>, dir: string): boolean {
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

function isDirectory(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

/** A directory's entries, sorted as Python's sorted(os.listdir()) sorts them. */
function list(abs: string): string[] {
  try {
    return readdirSync(abs).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch {
    return [];
  }
}
