/**
 * System users and groups by name, read from /etc/passwd and /etc/group
 * (Node has no getpwnam), for chown of files the daemons own.
 */
import { readFileSync } from "node:fs";
import { LabError } from "./errors.ts";

/** uid and primary gid of a user. */
export function lookupUser(name: string): { uid: number; gid: number } {
  if (name === "root") return { uid: 0, gid: 0 };
  for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
    const f = line.split(":");
    if (f[0] === name && f.length >= 4) return { uid: Number(f[2]), gid: Number(f[3]) };
  }
  throw new LabError(
    `user ${name} does not exist on this machine`,
    "its Debian package creates it: run `hacloud lab up` again so the packages get installed",
  );
}
