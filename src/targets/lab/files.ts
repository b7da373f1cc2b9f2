/**
 * Writing a host's files and directories: atomically, only when the content,
 * mode or owner differ (so a repairing `lab up` leaves running daemons' files
 * alone), with the owner a service asks for.
 */
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname } from "node:path";
import type { LabDirectory, LabFile } from "./service.ts";
import { lookupUser } from "./users.ts";

/** Creates a directory (and its parents) and sets its owner and mode. */
export function ensureDirectory(d: LabDirectory): void {
  mkdirSync(d.path, { recursive: true, mode: d.mode ?? 0o755 });
  if (d.mode !== undefined) chmodSync(d.path, d.mode);
  if (d.owner !== undefined) {
    const { uid, gid } = lookupUser(d.owner);
    chownSync(d.path, uid, gid);
  }
}

/** Writes a file when it differs; returns true when it changed. */
export function writeLabFile(f: LabFile): boolean {
  const mode = f.mode ?? 0o644;
  const owner = f.owner !== undefined ? lookupUser(f.owner) : { uid: 0, gid: 0 };
  if (existsSync(f.path)) {
    const st = statSync(f.path);
    if (
      (st.mode & 0o7777) === mode &&
      st.uid === owner.uid &&
      st.gid === owner.gid &&
      readFileSync(f.path, "utf8") === f.content
    ) {
      return false;
    }
  }
  mkdirSync(dirname(f.path), { recursive: true, mode: 0o755 });
  const tmp = `${f.path}.hacloud-tmp`;
  writeFileSync(tmp, f.content, { mode });
  chmodSync(tmp, mode);
  chownSync(tmp, owner.uid, owner.gid);
  renameSync(tmp, f.path);
  return true;
}
