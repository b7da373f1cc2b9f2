/**
 * How the lab is observed: the lab's HostAccess (a command enters the host's
 * namespaces and its exec cgroup; `ip` needs only the network namespace and
 * runs as `ip -n`, cheap enough for ten VIP polls a second; files and unix
 * sockets are real paths of the machine), each service's own `locate`, and
 * the state the health checks read — the same for `lab up`'s gate, a drill's
 * wait for health and `hacloud verify`.
 */
import { readFile } from "node:fs/promises";
import { healthProblems, type HealthInput } from "../../observe/health.ts";
import {
  observe,
  observeAll,
  type Observation,
  type ObservationKind,
  type Observations,
} from "../../observe/index.ts";
import type { DeployedFile, HostAccess, ObserveContext, ServiceState } from "../../observe/types.ts";
import { run } from "../../util/run.ts";
import { hostDirs } from "./anchor.ts";
import { LabError } from "./errors.ts";
import { cleanEnv } from "./spawn.ts";
import { isFrozen, serviceCgroup } from "./cgroups.ts";
import { haproxyCommand } from "./haproxy-stats.ts";
import { currentProcesses, journalPath, readJournal } from "./journal.ts";
import { findLabHost } from "./layout.ts";
import { hostArgv, hostContext, type LabRuntime } from "./runtime.ts";
import { running } from "./supervisor.ts";

/** The lab's way into its hosts. */
export function labAccess(rt: LabRuntime): HostAccess {
  const netns = (host: string): string => {
    const h = findLabHost(rt.layout, host);
    if (h === undefined)
      throw new LabError(`no host ${host} in the lab`, undefined, [], { code: "E-LAB-003" });
    return h.netns;
  };
  return {
    async exec(host, argv, opts = {}) {
      const [file, ...args] =
        argv[0] === "ip" ? ["ip", "-n", netns(host), ...argv.slice(1)] : hostArgv(rt, host, argv);
      const r = await run(file!, args, {
        timeoutMs: opts.timeoutMs ?? 60_000,
        allowFailure: true,
        ...(opts.input !== undefined ? { input: opts.input } : {}),
        env: cleanEnv(),
      });
      return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
    },
    async readFile(_host, path) {
      try {
        return await readFile(path, "utf8");
      } catch {
        return undefined;
      }
    },
    unixSocket(_host, path, request, opts = {}) {
      return haproxyCommand(path, request.trimEnd(), opts.timeoutMs ?? 10_000);
    },
  };
}

/** Each service's processes on each of its hosts, from the journal (a host without its anchor runs nothing). */
export function labServices(rt: LabRuntime): ServiceState[] {
  const current = [...currentProcesses(readJournal(journalPath(rt.layout.stateDir))).values()];
  return rt.services.flatMap((s) =>
    s.hosts(rt.plan).map((h) => {
      const procs = current.filter((p) => p.host === h && p.service === s.name);
      const live = procs.filter(running);
      return {
        host: h,
        service: s.name,
        running: rt.anchors.has(h) && procs.length > 0 && live.length === procs.length,
        frozen: live.length > 0 && isFrozen(serviceCgroup(rt.layout.prefix, h, s.name)),
      };
    }),
  );
}

/** What the observers get in the lab. */
export function labObserveContext(rt: LabRuntime, known?: readonly ServiceState[]): ObserveContext {
  // read from the journal only when an observer asks: the VIP, polled ten times a second, never does
  let services = known;
  return {
    plan: rt.plan,
    access: labAccess(rt),
    vip: rt.layout.vip.internal,
    locate: (service, host, what) => {
      const s = rt.services.find((x) => x.name === service);
      return s?.locate === undefined || findLabHost(rt.layout, host) === undefined
        ? undefined
        : s.locate(hostContext(rt, host), what);
    },
    running: (service, host) =>
      (services ??= labServices(rt)).some((s) => s.service === service && s.host === host && s.running),
  };
}

/** One kind of observation of the lab. */
export function observeLab<K extends ObservationKind>(rt: LabRuntime, kind: K): Promise<Observation<K>> {
  return observe(kind, labObserveContext(rt));
}

/** The deployed configuration file of a service on a host, by the service's own `configFile`. */
export async function labDeployedConfig(
  rt: LabRuntime,
  host: string,
  service: string,
): Promise<DeployedFile | undefined> {
  const h = findLabHost(rt.layout, host);
  const path =
    h === undefined ? undefined : rt.services.find((s) => s.name === service)?.configFile?.(hostDirs(h));
  if (path === undefined) return undefined;
  try {
    return { host, path, content: await readFile(path, "utf8") };
  } catch {
    return undefined;
  }
}

/** What the health checks look at, in the lab. */
export async function labHealthInput(
  rt: LabRuntime,
): Promise<HealthInput & { readonly observed: Observations }> {
  const services = labServices(rt);
  const ctx = labObserveContext(rt, services);
  const [observed, keepalived] = await Promise.all([
    observeAll(ctx),
    Promise.all(
      rt.plan.vrrp.members.map(async (m) => ({
        host: m.host,
        file: await labDeployedConfig(rt, m.host, "keepalived"),
      })),
    ),
  ]);
  return {
    plan: rt.plan,
    managedServices: rt.services.map((s) => s.name),
    services,
    observed,
    keepalived: keepalived.map((k) => (k.file === undefined ? { host: k.host } : k)),
  };
}

/** What keeps the lab from being healthy: the health checks (the same as verify's), then each service's own gate. */
export async function labHealthProblems(rt: LabRuntime): Promise<string[]> {
  const checks = healthProblems(await labHealthInput(rt));
  const gates = await Promise.all(rt.services.map(async (s) => (await s.gate?.(rt)) ?? []));
  return [...checks, ...gates.flat()];
}
