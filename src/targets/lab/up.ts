/**
 * `lab up`: turns a Plan into a running lab and returns once its control
 * plane is healthy. Steps: preflight → packages → fabric → hosts (anchors)
 * → services phase by phase → health gate → clouds.yaml. Every step is
 * idempotent, so running it again repairs what is missing; everything it
 * creates is journalled first, so `lab down` can always undo it.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import type { Plan } from "../../plan/types.ts";
import { ensureAnchor, ensureBind } from "./anchor.ts";
import { labCgroup } from "./cgroups.ts";
import { cloudsYaml, cloudsYamlPath } from "./clouds-yaml.ts";
import { LabError } from "./errors.ts";
import { ensureFabric, netnsExists } from "./fabric.ts";
import { ensureDirectory, writeLabFile } from "./files.ts";
import { labHealthProblems } from "./observe.ts";
import { logFiles, tailFile } from "./logs.ts";
import { Journal, currentProcesses, journalPath, type JournalProcess } from "./journal.ts";
import { allLabHosts, hostsFile, labLayout, LAB_ROOT, type LabLayout } from "./layout.ts";
import { acquireLock } from "./lock.ts";
import { ensurePackages, unpackPackages } from "./packages.ts";
import { preflight } from "./preflight.ts";
import { hostContext, identityOf, loadSavedLab, saveLab, type LabRuntime } from "./runtime.ts";
import { ensureSecrets } from "./secrets.ts";
import type { LabHostContext, LabService } from "./service.ts";
import { LAB_SERVICES } from "./services/index.ts";
import { silentSink, step, type LabSink } from "./events.ts";
import { running, startProcess, waitHealthy } from "./supervisor.ts";

/** Options of `lab up`. */
export interface LabUpOptions {
  readonly plan: Plan;
  /** The topology file the Plan came from (recorded for `lab status`). */
  readonly topologyFile: string;
  readonly sink?: LabSink;
  /** Services to run (default: all registered). */
  readonly services?: readonly LabService[];
  readonly root?: string;
  /** How long the final health gate waits (default 120 s). */
  readonly gateTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** What a successful `lab up` returns. */
export interface LabUpResult {
  readonly layout: LabLayout;
  /** The clouds.yaml written, when the lab runs an identity service. */
  readonly cloudsYaml: string | undefined;
  readonly totalMs: number;
}

/** Packages the engine itself needs besides the services'. */
const ENGINE_PACKAGES = ["iproute2", "util-linux", "procps", "curl", "socat", "ethtool"];

/** Brings the lab up (or repairs it) and waits until its control plane is healthy. */
export async function labUp(opts: LabUpOptions): Promise<LabUpResult> {
  const started = performance.now();
  const sink = opts.sink ?? silentSink;
  const services = [...(opts.services ?? LAB_SERVICES)].sort((a, b) => a.phase - b.phase);
  await step(sink, "preflight", () => preflight("hacloud lab up"));
  const layout = labLayout(opts.plan, opts.root ?? LAB_ROOT);
  mkdirSync(layout.stateDir, { recursive: true, mode: 0o755 });
  const release = acquireLock(layout.stateDir);
  try {
    const journal = new Journal(journalPath(layout.stateDir));
    checkSameLab(opts.plan, layout, journal);
    journal.append({ op: "begin", at: new Date().toISOString(), pid: process.pid });
    const group = labCgroup(layout.prefix);
    if (!journal.read().some((e) => e.op === "cgroup" && e.group === group))
      journal.append({ op: "cgroup", group });
    const served = services.map((s) => s.name);
    saveLab({
      version: 1,
      topologyFile: opts.topologyFile,
      createdAt: new Date().toISOString(),
      served,
      plan: opts.plan,
      layout,
    });

    await step(sink, "packages", async () => {
      const wanted = [...ENGINE_PACKAGES, ...services.flatMap((s) => s.packages)];
      await ensurePackages(
        wanted,
        services.flatMap((s) => s.debconf ?? []),
        journal,
        sink,
      );
      await unpackPackages(
        services.flatMap((s) => s.unpacked ?? []),
        sink,
      );
    });
    const secrets = ensureSecrets(layout.stateDir, [...new Set(services.flatMap((s) => s.secrets ?? []))]);

    await step(
      sink,
      "fabric",
      () => ensureFabric(layout, journal),
      `${layout.networks.length} networks, ${allLabHosts(layout).length} namespaces`,
    );

    const anchors = new Map<string, number>();
    await step(sink, "hosts", async () => {
      const hostsPath = `${layout.stateDir}/hosts.txt`;
      writeFileSync(hostsPath, hostsFile(opts.plan, layout), { mode: 0o644 });
      const current = currentProcesses(journal.read());
      await settleAll(
        allLabHosts(layout).map(async (h) => {
          mkdirSync(`${h.dir}/etc`, { recursive: true, mode: 0o755 });
          const hostname = `${h.dir}/etc/hostname`;
          writeFileSync(hostname, `${h.name}\n`, { mode: 0o644 });
          const anchor = await ensureAnchor(layout.prefix, h, current.get(`${h.name}/anchor`), journal, {
            hosts: hostsPath,
            hostname,
          });
          anchors.set(h.name, anchor.pid);
        }),
      );
    });

    const rt: LabRuntime = { plan: opts.plan, layout, secrets, services, anchors };
    await startInOrder(services, (s) =>
      step(sink, s.name, () => bringUp(rt, journal, s, sink, opts.signal), s.hosts(opts.plan).join(" ")),
    );

    await step(sink, "health gate", () => waitGate(rt, services, opts.gateTimeoutMs ?? 120_000, opts.signal));
    const cloudsPath = cloudsYamlPath(layout.stateDir);
    const identity = identityOf(rt);
    if (identity !== undefined) {
      await step(sink, "clouds.yaml", () =>
        Promise.resolve(writeFileSync(cloudsPath, cloudsYaml(layout.cloud, identity), { mode: 0o600 })),
      );
    }
    return {
      layout,
      cloudsYaml: identity !== undefined ? cloudsPath : undefined,
      totalMs: performance.now() - started,
    };
  } finally {
    release();
  }
}

/** Refuses to mix two labs: an existing lab from another Plan, or namespaces of ours that we did not make. */
function checkSameLab(plan: Plan, layout: LabLayout, journal: Journal): void {
  const saved = loadSavedLab(layout.stateDir);
  if (saved !== undefined && JSON.stringify(saved.plan) !== JSON.stringify(plan)) {
    throw new LabError(
      `a lab of cloud ${plan.cloud} is already up from a different topology (${saved.topologyFile})`,
      "run `hacloud lab down` first, then `hacloud lab up` with the new file",
    );
  }
  const ours = new Set(journal.read().flatMap((e) => (e.op === "netns" ? [e.name] : [])));
  const foreign = [layout.switchNs, ...allLabHosts(layout).map((h) => h.netns)].filter(
    (ns) => netnsExists(ns) && !ours.has(ns),
  );
  if (foreign.length > 0) {
    throw new LabError(
      `network namespaces ${foreign.join(", ")} exist but this lab did not create them`,
      `another lab or tool uses these names; remove them (ip netns del NAME) if they are leftovers, or rename the cloud`,
    );
  }
}

/**
 * Starts each service once those it waits for are up: its `after` list, or
 * else every service of a lower phase. Independent services overlap (Keystone
 * need not wait for RabbitMQ); a failure stops its dependants, and the first
 * failure is thrown once everything started has settled.
 */
export async function startInOrder(
  services: readonly LabService[],
  bring: (s: LabService) => Promise<void>,
): Promise<void> {
  const names = new Set(services.map((s) => s.name));
  const done = new Map<string, Promise<void>>();
  for (const s of [...services].sort((a, b) => a.phase - b.phase)) {
    const deps = (s.after ?? services.filter((o) => o.phase < s.phase).map((o) => o.name)).filter((d) =>
      names.has(d),
    );
    const waits = deps.map((d) => done.get(d)).filter((p): p is Promise<void> => p !== undefined);
    done.set(
      s.name,
      Promise.all(waits).then(() => bring(s)),
    );
  }
  await settleAll([...done.values()]);
}

/** Waits for all, then throws the first failure (so no step keeps running unseen). */
async function settleAll(promises: readonly Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}

/** One service on all its hosts, in the service's start order. */
async function bringUp(
  rt: LabRuntime,
  journal: Journal,
  service: LabService,
  sink: LabSink,
  signal?: AbortSignal,
): Promise<void> {
  const hosts = service.hosts(rt.plan);
  const one = (h: string, first: boolean): Promise<void> =>
    bringUpOnHost(rt, journal, service, h, first, signal);
  if (service.waves !== undefined) {
    // (services side, additive) the service picks its start waves from every host's state
    // (Galera: which node bootstraps); it needs every host's directories, files and binds first.
    const ctxs = hosts.map((h) => hostContext(rt, h));
    for (const ctx of ctxs) await placeHostFiles(rt, service, ctx);
    const waves = await service.waves(ctxs, (message) =>
      sink({ kind: "info", message, service: service.name }),
    );
    const lead = waves[0]?.[0];
    for (const wave of waves) await settleAll(wave.map((h) => one(h, h === lead)));
    await service.afterHosts?.(rt);
    return;
  }
  const mode = service.start ?? "first-then-parallel";
  if (mode === "sequential") {
    for (const [i, h] of hosts.entries()) await one(h, i === 0);
  } else if (mode === "parallel") {
    await settleAll(hosts.map((h, i) => one(h, i === 0)));
  } else if (hosts.length > 0) {
    await one(hosts[0]!, true);
    await settleAll(hosts.slice(1).map((h) => one(h, false)));
  }
  if (hosts.length > 0) await service.afterHosts?.(rt);
}

/** A service's directories, files and binds on one host (idempotent). */
async function placeHostFiles(rt: LabRuntime, service: LabService, ctx: LabHostContext): Promise<void> {
  for (const d of service.directories?.(ctx) ?? []) ensureDirectory(d);
  for (const f of service.files(ctx)) writeLabFile(f);
  for (const b of service.binds?.(ctx) ?? [])
    await ensureBind(rt.anchors.get(ctx.host.name)!, b.source, b.target);
}

async function bringUpOnHost(
  rt: LabRuntime,
  journal: Journal,
  service: LabService,
  host: string,
  first: boolean,
  signal?: AbortSignal,
): Promise<void> {
  const ctx = hostContext(rt, host);
  await placeHostFiles(rt, service, ctx);
  const procs = await service.processes(ctx, first);
  const current = currentProcesses(journal.read());
  const alreadyUp = procs.length > 0 && procs.every((p) => running(current.get(`${host}/${p.name}`)));
  if (!alreadyUp) await setupOnHost(service, ctx, procs, first);
  const live: JournalProcess[] = [];
  for (const p of procs) {
    const cur = current.get(`${host}/${p.name}`);
    live.push(running(cur) ? cur! : startProcess(rt, journal, service.name, host, p));
  }
  await waitHealthy(rt, service, ctx, live, signal);
  await service.afterStart?.(ctx, first);
}

/**
 * A service's one-time setup (migrations, bootstrap, registration). A command that fails or times
 * out there says little by itself (`keystone-manage db_sync` retries a lost database silently):
 * the error names the service and host and carries the tails of the service's own logs.
 */
async function setupOnHost(
  service: LabService,
  ctx: LabHostContext,
  procs: readonly { readonly name: string }[],
  first: boolean,
): Promise<void> {
  try {
    await service.setup?.(ctx, first);
  } catch (e) {
    if (e instanceof LabError) throw e;
    const files = logFiles(ctx.dirs.log, [service.name, ...procs.map((p) => p.name)]);
    throw new LabError(
      `${service.name} on ${ctx.host.name}: setup failed: ${(e as Error).message}`,
      `see \`hacloud lab logs ${ctx.host.name} ${service.name}\`; \`hacloud lab up\` again retries, \`hacloud lab down\` removes everything`,
      files.map((f) => tailFile(f, 15)),
      { cause: e },
    );
  }
}

/** Waits until the whole control plane is healthy, or fails listing what is not. */
async function waitGate(
  rt: LabRuntime,
  services: readonly LabService[],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let problems: string[] = [];
  while (Date.now() < deadline) {
    if (signal?.aborted) throw new LabError("interrupted");
    problems = await labHealthProblems(rt);
    if (problems.length === 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new LabError(
    `the control plane is not healthy after ${Math.round(timeoutMs / 1000)} s:\n  ${problems.join("\n  ")}`,
    "`hacloud lab status` shows each service; `hacloud lab logs HOST SERVICE` its log; `hacloud lab up` again repairs, `hacloud lab down` removes everything",
  );
}
