/**
 * Reading one `-i` argument from the disk as Ansible would see it: a file, or
 * a directory of inventory files (sorted, recursively, minus what Ansible
 * skips by name), plus the group_vars/ and host_vars/ beside the file or in
 * the directory; and kolla's config directory for `--config-dir`. What to take is decided by src/import/inventory-sources.ts;
 * this module only walks and reads.
 */
import { dirname, join, resolve } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import type { ConfigFile } from "../import/config-overrides.ts";
import {
  ignoredInInventoryDir,
  keptInVarsDir,
  type InventorySource,
  type SourceFile,
  type VarsFile,
} from "../import/inventory-sources.ts";
import { isUnreadable, readInput, STDIN_NAME } from "./inputs.ts";
import type { CliIO } from "./io.ts";
import { enter, isDirectory, list } from "./walk.ts";

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

/**
 * Every file under kolla's config directory, `/`-separated paths under it,
 * sorted; a file that is not text (or too large to read) comes without text,
 * for the importer to report. Undefined when `dir` is not a directory.
 */
export function readConfigDir(io: CliIO, dir: string): ConfigFile[] | undefined {
  if (!isDirectory(resolve(io.cwd, dir))) return undefined;
  const out: ConfigFile[] = [];
  const seen = new Set<string>();
  const walk = (d: string, rel: string) => {
    if (!enter(seen, resolve(io.cwd, d))) return;
    for (const name of list(resolve(io.cwd, d))) {
      const p = join(d, name);
      const r = rel === "" ? name : `${rel}/${name}`;
      if (isDirectory(resolve(io.cwd, p))) walk(p, r);
      else if (out.length < MAX_SOURCE_FILES) {
        const read = readInput(io, p);
        out.push({ rel: r, file: p, text: isUnreadable(read) ? undefined : read.text });
      }
    }
  };
  walk(dir, "");
  return out;
}
