/**
 * The probe worker: runs where the users are (the lab's client namespace),
 * because a Node process cannot move its sockets into another network
 * namespace. Reads one WorkerTask as JSON on stdin, writes JSON lines on
 * stdout: `{"ready":true}`, then one ProbeSample per request, then
 * `{"done":true}`; twice a second `{"inflight":{probe:{count,oldest}}}`. Stops on SIGTERM/SIGINT or at its own hard deadline.
 *
 *   ip netns exec <client-ns> node --import tsx src/probes/worker.ts < task.json
 */
import {
  apiGet,
  catalogEndpoint,
  keystoneCatalog,
  keystoneGet,
  networkApiState,
  NETWORK_READ,
  routerHaHosts,
  tokenIssue,
} from "./http.ts";
import { computeApiState, masakariV1 } from "./compute-api.ts";
import { evacuationState, type EvacuationWatch } from "./evacuation.ts";
import { RabbitProbe } from "./rabbit.ts";
import { PingProbe, tcpEcho, type PingTarget, type RunningProbe } from "./icmp.ts";
import { ProbeLoop } from "./scheduler.ts";
import type { NetworkProbeEndpoints } from "../targets/target.ts";
import { sqlPool, sqlSetup, sqlWriteRead, verifyWrites } from "./sql.ts";
import {
  USER_PROBES,
  type ProbeRate,
  type ProbeSample,
  type UserProbe,
  type WorkerConfig,
  type WorkerTask,
} from "./types.ts";

function line(obj: object): void {
  process.stdout.write(JSON.stringify(obj) + "\n");
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** A probe's loop as the worker runs it, and what to close when it stops. */
interface Started {
  readonly loop: RunningProbe;
  readonly close?: () => Promise<void>;
}

/** How the worker runs each probe of the registry (registry.ts): one entry per probe. */
const PROBE_LOOPS: Readonly<
  Record<
    UserProbe,
    (cfg: WorkerConfig, rate: ProbeRate, emit: (s: ProbeSample) => void) => Promise<Started | undefined>
  >
> = {
  "keystone-get": (cfg, rate, emit) =>
    Promise.resolve({
      loop: new ProbeLoop("keystone-get", rate, (_t, s) => keystoneGet(cfg.endpoints, s), emit),
    }),
  "token-issue": (cfg, rate, emit) =>
    Promise.resolve({
      loop: new ProbeLoop("token-issue", rate, (_t, s) => tokenIssue(cfg.endpoints, s), emit),
    }),
  sql: async (cfg, rate, emit) => {
    await sqlSetup(cfg.endpoints);
    const pool = sqlPool(cfg.endpoints);
    return {
      loop: new ProbeLoop("sql", rate, (tick, s) => sqlWriteRead(pool, cfg.runId, tick, s), emit),
      close: () => pool.end().catch(() => undefined),
    };
  },
  rabbit: (cfg, rate, emit) => {
    const r = new RabbitProbe(cfg.endpoints.amqp, cfg.runId);
    return Promise.resolve({
      loop: new ProbeLoop("rabbit", rate, (tick, s) => r.roundTrip(tick, s), emit),
      close: () => r.close(),
    });
  },
  // the endpoints from the catalogue, once; a cloud without the service sits the probe out
  "network-get": (cfg, rate, emit) =>
    catalogRead(cfg, rate, emit, "network-get", "network", NETWORK_READ, {}),
  "compute-get": (cfg, rate, emit) =>
    catalogRead(cfg, rate, emit, "compute-get", "compute", "/servers?limit=1", {
      "OpenStack-API-Version": "compute 2.53",
    }),
  "placement-get": (cfg, rate, emit) =>
    catalogRead(cfg, rate, emit, "placement-get", "placement", "/resource_providers", {
      "OpenStack-API-Version": "placement 1.0",
    }),
  "fip-icmp": (cfg, rate, emit) =>
    network(
      cfg,
      (n) =>
        new PingProbe(
          "fip-icmp",
          rate,
          n.floatingIps.map((address, i) => labelled({ address }, n.floatingIpHosts?.[i])),
          cfg.deadlineMs,
          emit,
        ),
    ),
  "fip-tcp": (cfg, rate, emit) =>
    network(
      cfg,
      (n) =>
        new ProbeLoop(
          "fip-tcp",
          rate,
          (tick, s) => tcpEcho(n.floatingIps[tick % n.floatingIps.length]!, n.echoPort, tick, s),
          emit,
        ),
    ),
  "instance-upstream": (cfg, rate, emit) =>
    network(
      cfg,
      (n) =>
        new PingProbe(
          "instance-upstream",
          rate,
          n.inside.map((prefix, i) => labelled({ address: n.upstream, prefix }, n.insideHosts?.[i])),
          cfg.deadlineMs,
          emit,
        ),
    ),
  "snat-upstream": (cfg, rate, emit) =>
    network(cfg, (n) =>
      n.snat === undefined || n.snat.length === 0
        ? undefined
        : new PingProbe(
            "snat-upstream",
            rate,
            n.snat.map((x) => ({ address: n.upstream, prefix: x.inside, label: x.host })),
            cfg.deadlineMs,
            emit,
          ),
    ),
  "east-west": (cfg, rate, emit) =>
    network(cfg, (n) =>
      n.eastWest === undefined || n.eastWest.length === 0
        ? undefined
        : new PingProbe(
            "east-west",
            rate,
            n.eastWest.map((x) => ({ address: x.address, prefix: x.inside, label: `${x.from}>${x.to}` })),
            cfg.deadlineMs,
            emit,
          ),
    ),
  "router-api": async (cfg, rate, emit) => {
    const router = cfg.endpoints.network?.router;
    if (router === undefined) return undefined;
    const at = await catalogEndpoint(cfg.endpoints, "network", AbortSignal.timeout(30_000));
    return at === undefined
      ? undefined
      : { loop: new ProbeLoop("router-api", rate, (_t, s) => routerHaHosts(at, router, s), emit) };
  },
  evacuation: async (cfg, rate, emit) => {
    const c = cfg.endpoints.compute;
    if (c === undefined) return undefined;
    const signal = AbortSignal.timeout(30_000);
    const nova = await catalogEndpoint(cfg.endpoints, "compute", signal);
    if (nova === undefined) return undefined;
    const masakari = await catalogEndpoint(cfg.endpoints, "instance-ha", signal);
    const watch: EvacuationWatch = {
      nova: nova.url,
      ...(masakari !== undefined ? { masakari: masakariV1(masakari.url) } : {}),
      token: nova.token,
      host: c.host,
      servers: c.servers,
    };
    return { loop: new ProbeLoop("evacuation", rate, (_t, s) => evacuationState(watch, s), emit) };
  },
};

/** A GET of a catalogue service's API; a cloud whose catalogue lacks the service sits it out. */
async function catalogRead(
  cfg: WorkerConfig,
  rate: ProbeRate,
  emit: (s: ProbeSample) => void,
  probe: UserProbe,
  type: string,
  path: string,
  headers: Readonly<Record<string, string>>,
): Promise<Started | undefined> {
  const at = await catalogEndpoint(cfg.endpoints, type, AbortSignal.timeout(30_000));
  return at === undefined
    ? undefined
    : { loop: new ProbeLoop(probe, rate, (_t, s) => apiGet(at, path, headers, s), emit) };
}

/** The tenant-traffic probes run only when the drill's workload made what they reach. */
function network(
  cfg: WorkerConfig,
  make: (n: NetworkProbeEndpoints) => RunningProbe | undefined,
): Promise<Started | undefined> {
  const loop = cfg.endpoints.network === undefined ? undefined : make(cfg.endpoints.network);
  return Promise.resolve(loop === undefined ? undefined : { loop });
}

/** A ping destination, labelled with its instance's host when the workload said which. */
const labelled = (t: PingTarget, host: string | undefined): PingTarget =>
  host === undefined ? t : { ...t, label: host };

async function runProbes(cfg: WorkerConfig): Promise<void> {
  const emit = (s: ProbeSample): void => line(s);
  const loops: RunningProbe[] = [];
  const closers: (() => Promise<void>)[] = [];
  for (const probe of USER_PROBES) {
    const rate = cfg.probes[probe];
    if (rate === undefined) continue;
    const started = await PROBE_LOOPS[probe](cfg, rate, emit);
    if (started === undefined) continue;
    loops.push(started.loop);
    if (started.close !== undefined) closers.push(started.close);
  }
  line({ ready: true });
  for (const l of loops) l.start();
  // Requests in flight, twice a second: the runner sees a hang while it lasts, not only when it ends.
  const inflight = setInterval(() => {
    line({ inflight: Object.fromEntries(loops.map((l) => [l.probe, l.inFlightNow()])) });
  }, 500);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, cfg.deadlineMs);
    const stop = (): void => {
      clearTimeout(timer);
      resolve();
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
  clearInterval(inflight);
  await Promise.all(loops.map((l) => l.stop(2_000)));
  await Promise.race([Promise.all(closers.map((c) => c())), new Promise((r) => setTimeout(r, 2_000))]);
  line({ done: true });
}

async function main(): Promise<void> {
  const task = JSON.parse(await readStdin()) as WorkerTask;
  switch (task.mode) {
    case "probe":
      await runProbes(task);
      break;
    case "sql-setup":
      await sqlSetup(task.endpoints);
      line({ ok: true });
      break;
    case "sql-verify": {
      const missing = await verifyWrites(task.endpoints, task.runId, task.acked);
      line({ checked: task.acked.length, missing });
      break;
    }
    case "network": {
      try {
        const state = await networkApiState(task.endpoints, AbortSignal.timeout(60_000));
        line({ ok: true, ...(state !== undefined ? { state } : {}) });
      } catch (e) {
        line({ ok: false, error: e instanceof Error ? e.message : String(e) });
      }
      break;
    }
    case "compute": {
      try {
        // within workerOnce's minute, so a hung API is reported as such rather than as a silent worker
        const state = await computeApiState(task.endpoints, AbortSignal.timeout(45_000));
        line({ ok: true, ...(state !== undefined ? { state } : {}) });
      } catch (e) {
        line({ ok: false, error: e instanceof Error ? e.message : String(e) });
      }
      break;
    }
    case "catalog": {
      try {
        const services = await keystoneCatalog(task.endpoints, AbortSignal.timeout(30_000));
        line({ ok: true, services });
      } catch (e) {
        line({ ok: false, services: [], error: e instanceof Error ? e.message : String(e) });
      }
      break;
    }
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    line({ error: e instanceof Error ? e.message.split("\n")[0] : String(e) });
    process.exit(1);
  },
);
