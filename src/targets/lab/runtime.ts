/**
 * A lab as the engine holds it while it works: the Plan, its layout, the
 * secrets and each host's anchor; and the per-host context handed to
 * services. Also the saved form (lab.json) that `lab status`, `logs` and
 * `exec` reload, so they never need the topology file again.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Plan } from "../../plan/types.ts";
import { run } from "../../util/run.ts";
import { hostDirs } from "./anchor.ts";
import { LabError } from "./errors.ts";
import { currentProcesses, journalPath, readJournal } from "./journal.ts";
import { findLabHost, labExternalNetwork, type LabExternalNetwork, type LabLayout } from "./layout.ts";
import { isAlive } from "./procfs.ts";
import { readSecrets } from "./secrets.ts";
import type { LabHostContext, LabIdentity, LabProxied, LabService } from "./service.ts";
import { execCgroup } from "./cgroups.ts";
import { cleanEnv, inHost } from "./spawn.ts";

/** The engine's view of one lab. */
export interface LabRuntime {
  readonly plan: Plan;
  readonly layout: LabLayout;
  readonly secrets: Readonly<Record<string, string>>;
  /** The services this lab runs, in start order. */
  readonly services: readonly LabService[];
  /** host name -> PID of its live anchor */
  readonly anchors: ReadonlyMap<string, number>;
}

/** What lab.json holds. */
export interface SavedLab {
  readonly version: 1;
  readonly topologyFile: string;
  readonly createdAt: string;
  readonly served: readonly string[];
  readonly plan: Plan;
  readonly layout: LabLayout;
}

/** Path of a lab's saved description. */
export function savedLabPath(stateDir: string): string {
  return `${stateDir}/lab.json`;
}

/** Writes lab.json. */
export function saveLab(saved: SavedLab): void {
  writeFileSync(savedLabPath(saved.layout.stateDir), JSON.stringify(saved, null, 2) + "\n", { mode: 0o600 });
}

/** Reads lab.json, or undefined when the lab has none. */
export function loadSavedLab(stateDir: string): SavedLab | undefined {
  const p = savedLabPath(stateDir);
  if (!existsSync(p)) return undefined;
  return JSON.parse(readFileSync(p, "utf8")) as SavedLab;
}

/** Live anchors of a lab, from its journal. */
export function liveAnchors(stateDir: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of currentProcesses(readJournal(journalPath(stateDir))).values()) {
    if (p.name === "anchor" && p.pid !== undefined && isAlive(p.pid, p.start)) out.set(p.host, p.pid);
  }
  return out;
}

/** A runtime for an existing lab (status, logs, exec), with the modules of the services it runs. */
export function runtimeOf(saved: SavedLab, services: readonly LabService[]): LabRuntime {
  return {
    plan: saved.plan,
    layout: saved.layout,
    secrets: readSecrets(saved.layout.stateDir),
    services,
    anchors: liveAnchors(saved.layout.stateDir),
  };
}

/**
 * Every HAProxy entry the lab's services answer, in the Plan's order (the
 * entries the Plan does not list, like MariaDB's, last), each once.
 */
export function proxiedEntries(rt: Pick<LabRuntime, "plan" | "secrets" | "services">): LabProxied[] {
  const order = new Map(rt.plan.haproxy.map((e, i) => [e.name, i]));
  const seen = new Set<string>();
  return rt.services
    .flatMap((s) => s.proxied?.(rt.plan, rt.secrets) ?? [])
    .filter((p) => !seen.has(p.entry.name) && seen.add(p.entry.name))
    .sort((a, b) => (order.get(a.entry.name) ?? order.size) - (order.get(b.entry.name) ?? order.size));
}

/** The lab's identity service's endpoint (Keystone's), or undefined when the lab runs none. */
export function identityOf(rt: LabRuntime): LabIdentity | undefined {
  return rt.services.find((s) => s.identity !== undefined)?.identity?.(rt);
}

/** The anchor PID of a host, or a LabError saying the host is not running. */
export function anchorOf(rt: LabRuntime, host: string): number {
  const pid = rt.anchors.get(host);
  if (pid === undefined) {
    throw new LabError(`host ${host} of the lab is not running`, "run `hacloud lab up` to repair the lab");
  }
  return pid;
}

/**
 * The argv of a command run inside a host from outside (an engine check,
 * `lab exec`, a probe): in the host's namespaces and its `exec` cgroup, so
 * that `lab down` ends it even when hacloud died while it ran.
 */
export function hostArgv(
  rt: LabRuntime,
  host: string,
  argv: readonly string[],
  opts: { readonly user?: string; readonly cwd?: string } = {},
): string[] {
  return inHost(anchorOf(rt, host), execCgroup(rt.layout.prefix, host), argv, opts);
}

function externalOf(layout: LabLayout): { external?: LabExternalNetwork } {
  const external = labExternalNetwork(layout);
  return external === undefined ? {} : { external };
}

/** The context a service gets for one host. */
export function hostContext(rt: LabRuntime, hostName: string): LabHostContext {
  const host = rt.plan.hosts.find((h) => h.name === hostName);
  const lab = findLabHost(rt.layout, hostName);
  if (host === undefined || lab === undefined) throw new LabError(`no host ${hostName} in the lab`);
  return {
    plan: rt.plan,
    host,
    netns: lab.netns,
    addresses: lab.addresses,
    links: lab.links,
    ...externalOf(rt.layout),
    addressOf: (name, network) => {
      const a = findLabHost(rt.layout, name)?.addresses[network];
      if (a === undefined) throw new Error(`host ${name} has no address on network ${network} in the lab`);
      return a;
    },
    vip: {
      internal: rt.layout.vip.internal,
      ...(rt.layout.vip.external !== undefined ? { external: rt.layout.vip.external } : {}),
    },
    dirs: hostDirs(lab),
    sharedDir: `${rt.layout.stateDir}/shared`,
    secrets: rt.secrets,
    // only the load balancers' haproxy.cfg reads it; observers build contexts on hot paths
    get proxied() {
      return proxiedEntries(rt);
    },
    get databases() {
      return rt.services.flatMap((s) => s.databases ?? []);
    },
    get identity() {
      return identityOf(rt);
    },
    exec: async (argv, opts = {}) => {
      const [file, ...args] = hostArgv(rt, hostName, argv, { user: opts.user });
      const r = await run(file!, args, {
        timeoutMs: opts.timeoutMs ?? 60_000,
        input: opts.input,
        env: cleanEnv(),
      });
      return { stdout: r.stdout, stderr: r.stderr };
    },
  };
}
