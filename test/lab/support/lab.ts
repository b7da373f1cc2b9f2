/**
 * Shared pieces of the lab tests: the root check, loading a fixture's Plan,
 * a stand-in database service (so HAProxy has real backends without
 * MariaDB), and the inventory of what a lab may have left behind.
 */
import { existsSync } from "node:fs";
import { buildPlan } from "../../../src/plan/build.ts";
import type { Plan } from "../../../src/plan/types.ts";
import { loadTopologyFile } from "../../../src/spec/load.ts";
import { run } from "../../../src/util/run.ts";
import { journalPath, journalProcesses, readJournal } from "../../../src/targets/lab/journal.ts";
import { lockPath } from "../../../src/targets/lab/lock.ts";
import type { LabLayout } from "../../../src/targets/lab/layout.ts";
import { cgroupPath, cgroupPids, labCgroup } from "../../../src/targets/lab/cgroups.ts";
import { isAlive } from "../../../src/targets/lab/procfs.ts";
import type { LabService } from "../../../src/targets/lab/service.ts";

/** Why lab tests cannot run here, or undefined when they can. */
export const skipReason: string | undefined =
  process.getuid?.() !== 0 ? "lab tests need root (network namespaces, system daemons)" : undefined;

/** The Plan of a fixture under test/lab/fixtures. */
export function fixturePlan(name: string): { plan: Plan; file: string } {
  const file = new URL(`../fixtures/${name}`, import.meta.url).pathname;
  const loaded = loadTopologyFile(file);
  if (!loaded.topology) throw new Error(`fixture ${name} is invalid: ${JSON.stringify(loaded.diagnostics)}`);
  return { plan: buildPlan(loaded.topology), file };
}

/**
 * A stand-in for MariaDB: a tiny TCP server on each controller's port 3306,
 * enough for HAProxy's plain TCP check of the `mariadb` backend.
 */
export const stubDatabase: LabService = {
  // not "mariadb": it answers HAProxy's TCP check, not Galera's status queries
  name: "stub-database",
  phase: 20,
  start: "parallel",
  hosts: (plan) => plan.groups.control ?? [],
  packages: [],
  proxied: (plan) => [{ entry: plan.databaseHaproxy }],
  files: () => [],
  processes: (ctx) => [
    {
      name: "stub-db",
      argv: [
        "/usr/bin/python3",
        "-m",
        "http.server",
        "3306",
        "--bind",
        ctx.addresses[ctx.plan.apiNetwork] ?? "",
      ],
      cwd: ctx.dirs.lib,
    },
  ],
  async health(ctx) {
    const addr = ctx.addresses[ctx.plan.apiNetwork] ?? "";
    const { stdout } = await ctx.exec([
      "curl",
      "-s",
      "-o",
      "/dev/null",
      "-w",
      "%{http_code}",
      `http://${addr}:3306/`,
    ]);
    return { ok: stdout === "200", detail: stdout };
  },
};

/** Interface names in the machine's own network namespace. */
export async function rootLinks(): Promise<Set<string>> {
  const { stdout } = await run("ip", ["-o", "link", "show"]);
  return new Set(
    stdout
      .split("\n")
      .map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1])
      .filter((n): n is string => !!n),
  );
}

/** Everything of a lab still on the machine: namespaces, root links, processes, files. */
export async function leftovers(
  layout: LabLayout,
  linksBefore: ReadonlySet<string>,
  journalPids: readonly { pid: number; start?: number }[],
): Promise<string[]> {
  const out: string[] = [];
  const { stdout } = await run("ip", ["netns", "list"]);
  for (const l of stdout.split("\n")) {
    const name = l.split(" ")[0] ?? "";
    if (name.startsWith(`${layout.prefix}-`)) out.push(`netns ${name}`);
  }
  for (const l of await rootLinks())
    if (!linksBefore.has(l)) out.push(`link ${l} in the machine's namespace`);
  for (const p of journalPids) if (isAlive(p.pid, p.start)) out.push(`process ${p.pid}`);
  const group = labCgroup(layout.prefix);
  for (const pid of cgroupPids(group)) out.push(`process ${pid} in cgroup ${group}`);
  if (existsSync(cgroupPath(group))) out.push(`cgroup ${group}`);
  for (const f of [layout.stateDir, lockPath(layout.stateDir)]) if (existsSync(f)) out.push(`file ${f}`);
  return out;
}

/** PIDs a lab's journal knows (read before `lab down` removes the journal). */
export function journalPids(layout: LabLayout): { pid: number; start?: number }[] {
  return journalProcesses(readJournal(journalPath(layout.stateDir))).flatMap((p) =>
    p.pid !== undefined ? [{ pid: p.pid, start: p.start }] : [],
  );
}
