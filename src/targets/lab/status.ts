/**
 * `lab status`: the running lab as data — per host its lab addresses and the
 * state of each service, the VIP holder, every HAProxy backend, the
 * membership of every clustered service, the address mapping and the
 * clouds.yaml path. Reads
 * the saved lab, the journal and the live daemons; changes nothing.
 */
import { existsSync } from "node:fs";
import type { BackendState, VrrpState } from "../target.ts";
import { cloudsYamlPath, labCloudName } from "./clouds-yaml.ts";
import { listLabs } from "./down.ts";
import { LabError } from "./errors.ts";
import { requireRoot } from "./preflight.ts";
import { currentProcesses, journalPath, readJournal } from "./journal.ts";
import { LAB_ROOT, labStateDir } from "./layout.ts";
import {
  hostContext,
  identityOf,
  loadSavedLab,
  runtimeOf,
  type LabRuntime,
  type SavedLab,
} from "./runtime.ts";
import type { LabClusterState, LabService } from "./service.ts";
import { labObserveContext, observeLab } from "./observe.ts";
import { servedServices } from "./services/index.ts";
import { vipHolders } from "../../observe/vip.ts";
import { running } from "./supervisor.ts";

/** State of one service on one host. */
export type ServiceStatus = "running" | "unhealthy" | "stopped";

/** `lab status --json`. */
export interface LabStatusReport {
  readonly cloud: string;
  readonly topologyFile: string;
  readonly stateDir: string;
  readonly vip: {
    readonly address: string;
    readonly holder: string | null;
    readonly holders: readonly string[];
    /** Each load balancer's VRRP state (MASTER, BACKUP, FAULT, STOP, UNKNOWN). */
    readonly vrrp: readonly { readonly host: string; readonly state: VrrpState }[];
    readonly external?: { readonly address: string; readonly holder: string | null };
  };
  /** The identity service's URL at the VIP (Keystone's), null when the lab runs none. */
  readonly keystone_url: string | null;
  readonly networks: readonly {
    readonly name: string;
    readonly topology: string;
    readonly lab: string;
    readonly bridge: string;
  }[];
  readonly hosts: readonly {
    readonly name: string;
    readonly roles: readonly string[];
    readonly netns: string;
    readonly up: boolean;
    readonly addresses: Readonly<Record<string, string>>;
    readonly services: readonly {
      readonly name: string;
      readonly state: ServiceStatus;
      readonly detail: string;
    }[];
  }[];
  readonly client: {
    readonly name: string;
    readonly netns: string;
    readonly up: boolean;
    readonly addresses: Readonly<Record<string, string>>;
  };
  readonly haproxy: readonly BackendState[];
  /** Every clustered service's membership (Galera's `mariadb`, `rabbitmq`…), in start order. */
  readonly clusters: readonly {
    readonly service: string;
    /** Hosts it runs on. */
    readonly expected: number;
    readonly members: readonly string[];
    /** Able to serve: Galera's component is Primary; RabbitMQ has no partition. */
    readonly primary: boolean;
    readonly error?: string;
  }[];
  readonly clouds_yaml: string | null;
  readonly os_cloud: string;
}

/** The saved lab of a cloud, or of the only lab present; throws a LabError when there is none or it is ambiguous. */
export function findSavedLab(cloud?: string, root = LAB_ROOT): SavedLab {
  const present = listLabs(root);
  if (cloud !== undefined && !present.includes(cloud)) {
    throw new LabError(
      `no lab of ${cloud} is up`,
      present.length > 0
        ? `labs that are up: ${present.join(", ")}`
        : "start one with `hacloud lab up [FILE]`",
    );
  }
  const labs = cloud !== undefined ? [cloud] : present;
  if (labs.length === 0) throw new LabError("no lab is up", "start one with `hacloud lab up [FILE]`");
  if (labs.length > 1)
    throw new LabError(`several labs are up: ${labs.join(", ")}`, "name one with --cloud NAME");
  const saved = loadSavedLab(labStateDir(labs[0]!, root));
  if (saved === undefined) {
    throw new LabError(
      `the lab of ${labs[0]} is incomplete (no lab.json)`,
      "run `hacloud lab up` to repair it or `hacloud lab down` to remove it",
    );
  }
  return saved;
}

/** Cluster state of a clustered service, asked on its hosts in turn until one answers. */
export async function clusterState(
  rt: LabRuntime,
  service: LabService,
): Promise<
  (LabClusterState & { readonly expected: number }) | { readonly error: string; readonly expected: number }
> {
  const hosts = service.hosts(rt.plan);
  let error = "no host answered";
  for (const h of hosts) {
    if (!rt.anchors.has(h) || service.cluster === undefined) continue;
    try {
      const s = await service.cluster(hostContext(rt, h));
      return { ...s, expected: hosts.length };
    } catch (e) {
      error = `${h}: ${(e as Error).message}`;
    }
  }
  return { error, expected: hosts.length };
}

async function serviceState(
  rt: LabRuntime,
  service: LabService,
  host: string,
  current: ReturnType<typeof currentProcesses>,
): Promise<{ name: string; state: ServiceStatus; detail: string }> {
  const procs = [...current.values()].filter((p) => p.host === host && p.service === service.name);
  if (procs.length === 0) return { name: service.name, state: "stopped", detail: "never started" };
  const dead = procs.filter((p) => !running(p));
  if (dead.length > 0)
    return {
      name: service.name,
      state: "stopped",
      detail: `${dead.map((p) => p.name).join(", ")} not running`,
    };
  if (!rt.anchors.has(host)) return { name: service.name, state: "stopped", detail: "host is down" };
  try {
    const h = await service.health(hostContext(rt, host));
    return { name: service.name, state: h.ok ? "running" : "unhealthy", detail: h.detail };
  } catch (e) {
    return { name: service.name, state: "unhealthy", detail: (e as Error).message };
  }
}

/** The status of a lab. */
export async function labStatus(
  opts: { readonly cloud?: string; readonly root?: string } = {},
): Promise<LabStatusReport> {
  requireRoot("hacloud lab status");
  const saved = findSavedLab(opts.cloud, opts.root);
  const services = servedServices(saved.served);
  const rt = runtimeOf(saved, services);
  const { layout, plan } = rt;
  const current = currentProcesses(readJournal(journalPath(layout.stateDir)));
  const [vip, extHolders, backends] = await Promise.all([
    observeLab(rt, "vip"),
    layout.vip.external !== undefined
      ? vipHolders(labObserveContext(rt), layout.vip.external)
      : Promise.resolve([]),
    observeLab(rt, "backends"),
  ]);
  const hosts = await Promise.all(
    layout.hosts.map(async (h) => ({
      name: h.name,
      roles: plan.hosts.find((p) => p.name === h.name)?.roles ?? [],
      netns: h.netns,
      up: rt.anchors.has(h.name),
      addresses: h.addresses,
      services: await Promise.all(
        services
          .filter((s) => s.hosts(plan).includes(h.name))
          .map((s) => serviceState(rt, s, h.name, current)),
      ),
    })),
  );
  const clusters = await Promise.all(
    services
      .filter((s) => s.cluster !== undefined)
      .map(async (s) => {
        const c = await clusterState(rt, s);
        return "error" in c
          ? { service: s.name, expected: c.expected, members: [], primary: false, error: c.error }
          : { service: s.name, expected: c.expected, members: c.members, primary: c.primary };
      }),
  );
  const clouds = cloudsYamlPath(layout.stateDir);
  return {
    cloud: layout.cloud,
    topologyFile: saved.topologyFile,
    stateDir: layout.stateDir,
    vip: {
      address: layout.vip.internal,
      holder: vip.holders.length === 1 ? vip.holders[0]! : null,
      holders: vip.holders,
      vrrp: vip.vrrp,
      ...(layout.vip.external !== undefined
        ? {
            external: {
              address: layout.vip.external,
              holder: extHolders.length === 1 ? extHolders[0]! : null,
            },
          }
        : {}),
    },
    keystone_url: identityOf(rt)?.authUrl ?? null,
    networks: layout.networks.map((n) => ({
      name: n.name,
      topology: n.topologyCidr,
      lab: n.labCidr,
      bridge: n.bridge,
    })),
    hosts,
    client: {
      name: layout.client.name,
      netns: layout.client.netns,
      up: rt.anchors.has(layout.client.name),
      addresses: layout.client.addresses,
    },
    haproxy: backends.states,
    clusters,
    clouds_yaml: existsSync(clouds) ? clouds : null,
    os_cloud: labCloudName(layout.cloud),
  };
}
