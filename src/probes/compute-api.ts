/**
 * The compute tier as its APIs say, through the VIP with one admin token:
 * Nova's compute services and hypervisors (`openstack compute service list
 * --service nova-compute`, `openstack hypervisor list`) and Masakari's
 * failover segments with their hosts (`openstack segment list`, `openstack
 * segment host list`). verify's compute checks read it.
 */
import type { ProbeEndpoints } from "../targets/target.ts";
import { httpRequest, internalUrl, issueToken } from "./http.ts";

/** The catalogue types the compute tier needs (Nova, Placement, Glance, Masakari). */
export const COMPUTE_TIER_TYPES = ["compute", "placement", "image", "instance-ha"] as const;

/** 2.53: services and hypervisors by UUID, `forced_down` in the service list (Pike and later). */
const NOVA_MICROVERSION = "compute 2.53";

/** One nova-compute service as `GET /os-services` lists it. */
export interface NovaComputeService {
  readonly host: string;
  readonly status: "enabled" | "disabled";
  readonly state: "up" | "down";
  readonly forcedDown: boolean;
  readonly disabledReason?: string;
}

/** One hypervisor as `GET /os-hypervisors` lists it. */
export interface NovaHypervisor {
  readonly hostname: string;
  readonly state: string;
  readonly status: string;
}

/** One host of a Masakari segment. */
export interface MasakariHost {
  readonly name: string;
  readonly type: string;
  readonly reserved: boolean;
  readonly onMaintenance: boolean;
}

/** One Masakari failover segment and its hosts. */
export interface MasakariSegment {
  readonly uuid: string;
  readonly name: string;
  readonly recoveryMethod: string;
  readonly hosts: readonly MasakariHost[];
}

/** What the compute tier's APIs say. */
export interface ComputeApiState {
  /** The catalogue's services of COMPUTE_TIER_TYPES (`openstack service list`). */
  readonly catalog: readonly { readonly type: string; readonly name: string }[];
  readonly services: readonly NovaComputeService[];
  readonly hypervisors: readonly NovaHypervisor[];
  /** Masakari's segments; absent when the catalogue lists no instance-ha service or Masakari failed. */
  readonly segments?: readonly MasakariSegment[];
  /** Why Masakari's segments could not be read (Nova's view stands without them). */
  readonly masakariError?: string;
}

/**
 * Masakari's API v1 at a catalogue URL: kolla registers the bare `http://<vip>:15868`, which
 * masakariclient completes with `/v1`; an older catalogue's `/v1/<project>` is used as it is.
 */
export function masakariV1(url: string): string {
  return /\/v1(\/|$)/.test(url) ? url : `${url}/v1`;
}

/** Nova's compute services and hypervisors, and Masakari's segments (undefined: no compute service). */
export async function computeApiState(
  ep: ProbeEndpoints,
  signal: AbortSignal,
): Promise<ComputeApiState | undefined> {
  const { token, catalog } = await issueToken(ep, signal);
  const nova = internalUrl(catalog, "compute");
  if (nova === undefined) return undefined;
  const get = async <T>(base: string, path: string, headers: Record<string, string> = {}): Promise<T> => {
    const res = await httpRequest(`${base}${path}`, {
      method: "GET",
      signal,
      headers: { "x-auth-token": token, ...headers },
    });
    if (res.status !== 200) throw new Error(`GET ${path} answered HTTP ${res.status}`);
    return JSON.parse(res.body) as T;
  };
  const version = { "openstack-api-version": NOVA_MICROVERSION };
  const [services, hypervisors] = await Promise.all([
    get<{
      services: {
        host: string;
        status: string;
        state: string;
        forced_down?: boolean;
        disabled_reason?: string | null;
      }[];
    }>(nova, "/os-services?binary=nova-compute", version),
    get<{ hypervisors: { hypervisor_hostname: string; state: string; status: string }[] }>(
      nova,
      "/os-hypervisors",
      version,
    ),
  ]);
  const masakari = internalUrl(catalog, "instance-ha");
  let segments: MasakariSegment[] | undefined;
  let masakariError: string | undefined;
  if (masakari !== undefined) {
    const v1 = masakariV1(masakari);
    try {
      const list = await get<{ segments: { uuid: string; name: string; recovery_method: string }[] }>(
        v1,
        "/segments",
      );
      segments = await Promise.all(
        list.segments.map(async (s) => {
          const hosts = await get<{
            hosts: { name: string; type: string; reserved: boolean; on_maintenance: boolean }[];
          }>(v1, `/segments/${encodeURIComponent(s.uuid)}/hosts`);
          return {
            uuid: s.uuid,
            name: s.name,
            recoveryMethod: s.recovery_method,
            hosts: hosts.hosts.map((h) => ({
              name: h.name,
              type: h.type,
              reserved: h.reserved,
              onMaintenance: h.on_maintenance,
            })),
          };
        }),
      );
    } catch (e) {
      masakariError = e instanceof Error ? e.message : String(e);
    }
  }
  return {
    catalog: catalog
      .filter((s) => (COMPUTE_TIER_TYPES as readonly string[]).includes(s.type))
      .map((s) => ({ type: s.type, name: s.name })),
    services: services.services.map((s) => ({
      host: s.host,
      status: s.status === "disabled" ? "disabled" : "enabled",
      state: s.state === "up" ? "up" : "down",
      forcedDown: s.forced_down === true,
      ...(s.disabled_reason ? { disabledReason: s.disabled_reason } : {}),
    })),
    hypervisors: hypervisors.hypervisors.map((h) => ({
      hostname: h.hypervisor_hostname,
      state: h.state,
      status: h.status,
    })),
    ...(segments !== undefined ? { segments } : {}),
    ...(masakariError !== undefined ? { masakariError } : {}),
  };
}
