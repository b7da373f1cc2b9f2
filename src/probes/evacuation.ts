/**
 * The evacuation probe: once a second, what Nova and Masakari say about the
 * compute a drill breaks and the instances its workload booted there (GET
 * os-services, the servers, Masakari's notifications about the host). A
 * sample is ok while every instance is ACTIVE on a compute whose
 * nova-compute Nova counts up; its view gives the drill its timeline
 * (src/drill/evacuation.ts).
 */
import type { Attempt } from "./scheduler.ts";
import { httpRequest } from "./http.ts";

/** One instance as Nova reports it. */
export interface EvacuationServer {
  readonly id: string;
  readonly host: string;
  /** ACTIVE, REBUILD, ERROR… */
  readonly status: string;
  readonly taskState?: string;
}

/** One sample's view of the watched compute and its instances. */
export interface EvacuationView {
  /** The watched host's nova-compute: enabled/disabled, up/down. */
  readonly compute?: { readonly status: string; readonly state: string };
  readonly servers: readonly EvacuationServer[];
  /** The newest Masakari notification of a failure (new, running, error, finished…), when any. */
  readonly notification?: { readonly id: string; readonly status: string; readonly generated: string };
}

/** Where the probe asks: Nova's and (optional) Masakari's endpoints with a token, the host and its instances. */
export interface EvacuationWatch {
  readonly nova: string;
  readonly masakari?: string;
  readonly token: string;
  readonly host: string;
  readonly servers: readonly string[];
}

const NOVA_VERSION = { "OpenStack-API-Version": "compute 2.53" };

async function getJson<T>(url: string, token: string, signal: AbortSignal, extra = {}): Promise<T> {
  const r = await httpRequest(url, { method: "GET", signal, headers: { "x-auth-token": token, ...extra } });
  if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
  return JSON.parse(r.body) as T;
}

interface NovaServer {
  id: string;
  status: string;
  "OS-EXT-SRV-ATTR:host"?: string | null;
  "OS-EXT-STS:task_state"?: string | null;
}

/** One sample: Nova's services and servers, Masakari's notifications. */
export async function evacuationState(w: EvacuationWatch, signal: AbortSignal): Promise<Attempt> {
  const [services, servers, notifications] = await Promise.all([
    getJson<{ services: { host: string; status: string; state: string }[] }>(
      `${w.nova}/os-services?binary=nova-compute`,
      w.token,
      signal,
      NOVA_VERSION,
    ),
    getJson<{ servers: NovaServer[] }>(
      `${w.nova}/servers/detail?all_tenants=1`,
      w.token,
      signal,
      NOVA_VERSION,
    ),
    w.masakari === undefined
      ? Promise.resolve({ notifications: [] })
      : getJson<{
          notifications: {
            notification_uuid: string;
            status: string;
            generated_time: string;
            source_host_uuid: string;
            payload?: unknown;
          }[];
        }>(`${w.masakari}/notifications?sort_key=generated_time&sort_dir=desc&limit=5`, w.token, signal),
  ]);
  const up = new Set(services.services.filter((s) => s.state === "up").map((s) => s.host));
  const compute = services.services.find((s) => s.host === w.host);
  const watched = servers.servers
    .filter((s) => w.servers.includes(s.id))
    .map((s) => ({
      id: s.id,
      host: s["OS-EXT-SRV-ATTR:host"] ?? "",
      status: s.status,
      ...(s["OS-EXT-STS:task_state"] ? { taskState: s["OS-EXT-STS:task_state"] } : {}),
    }));
  // a host's failure, not its return: the hostmonitor also reports a compute coming back (event STARTED),
  // which the engine ignores, and which must not pass for the next drill's notification
  const newest = notifications.notifications.find(
    (n) => (n.payload as { event?: string } | undefined)?.event !== "STARTED",
  );
  const view: EvacuationView = {
    ...(compute !== undefined ? { compute: { status: compute.status, state: compute.state } } : {}),
    servers: watched,
    ...(newest !== undefined
      ? {
          notification: {
            id: newest.notification_uuid,
            status: newest.status,
            generated: newest.generated_time,
          },
        }
      : {}),
  };
  const down = watched.filter((s) => s.status !== "ACTIVE" || !up.has(s.host));
  const missing = w.servers.length - watched.length;
  if (down.length === 0 && missing === 0) return { ok: true, evacuation: view };
  return {
    ok: false,
    err:
      missing > 0
        ? `${missing} instance(s) gone`
        : `${down.length} of ${watched.length} instance(s) not ACTIVE on a live compute`,
    evacuation: view,
  };
}
