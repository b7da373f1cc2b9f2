/**
 * The real tools that judge rendered files: ansible-inventory, keepalived -t,
 * haproxy -c. Each helper says why it cannot run on this machine (for
 * `it.skipIf`) rather than failing for the wrong reason.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, type RunResult } from "../../src/util/run.ts";

/** True when a program is on PATH. */
export function hasProgram(name: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** keepalived needs its interfaces to exist: it runs in a fresh network namespace with veth pairs of those names. */
export const canRunKeepalivedTest =
  hasProgram("keepalived") && hasProgram("unshare") && process.getuid?.() === 0;

/** A scratch directory (mode 0700, root-owned when run as root: keepalived's script security accepts it). */
export function scratchDir(prefix: string): { readonly dir: string; readonly remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes an executable check script that always succeeds. */
export function writeCheckScript(dir: string): string {
  const file = join(dir, "check_alive.sh");
  writeFileSync(file, "#!/bin/sh\nexit 0\n");
  chmodSync(file, 0o755);
  return file;
}

/** Interface names a keepalived.conf refers to. */
export function keepalivedInterfaces(conf: string): string[] {
  const names = new Set<string>();
  for (const m of conf.matchAll(/^\s*interface\s+(\S+)/gm)) names.add(m[1]!);
  for (const m of conf.matchAll(/\sdev\s+(\S+)/g)) names.add(m[1]!);
  for (const m of conf.matchAll(/track_interface\s*\{([^}]*)\}/g)) {
    for (const n of m[1]!.split(/\s+/).filter(Boolean)) names.add(n);
  }
  return [...names].sort();
}

/** `keepalived -t -l -f FILE` inside `unshare --net`, with the file's interfaces created there. */
export async function keepalivedTest(confFile: string, conf: string): Promise<RunResult> {
  const links = keepalivedInterfaces(conf)
    .map((name, i) => `ip link add ${name} type veth peer name hcpeer${i}`)
    .join(" && ");
  const script = `${links ? links + " && " : ""}exec keepalived -t -l -f "$1"`;
  return run("unshare", ["--net", "sh", "-c", script, "sh", confFile], {
    allowFailure: true,
    timeoutMs: 20_000,
  });
}

/** `haproxy -c -f FILE`. */
export async function haproxyCheck(confFile: string): Promise<RunResult> {
  return run("haproxy", ["-c", "-f", confFile], { allowFailure: true, timeoutMs: 20_000 });
}

/** `ansible-inventory -i FILE --list`, parsed. */
export async function ansibleInventory(file: string): Promise<Record<string, AnsibleGroup | AnsibleMeta>> {
  const r = await run("ansible-inventory", ["-i", file, "--list"], {
    timeoutMs: 120_000,
    env: { ANSIBLE_INVENTORY_UNPARSED_FAILED: "true", ANSIBLE_NOCOLOR: "1" },
  });
  return JSON.parse(r.stdout) as Record<string, AnsibleGroup | AnsibleMeta>;
}

/** One group of ansible-inventory's JSON. */
export interface AnsibleGroup {
  readonly hosts?: string[];
  readonly children?: string[];
}

/** ansible-inventory's `_meta`. */
export interface AnsibleMeta {
  readonly hostvars: Record<string, Record<string, unknown>>;
}

/** Every host of a group, its children's included. */
export function groupHosts(inv: Record<string, AnsibleGroup | AnsibleMeta>, group: string): string[] {
  const out = new Set<string>();
  const walk = (g: string, seen: Set<string>): void => {
    if (seen.has(g)) return;
    seen.add(g);
    const node = inv[g] as AnsibleGroup | undefined;
    for (const h of node?.hosts ?? []) out.add(h);
    for (const c of node?.children ?? []) walk(c, seen);
  };
  walk(group, new Set());
  return [...out].sort();
}
