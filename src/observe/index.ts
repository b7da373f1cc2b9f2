/**
 * Every observer, one line each: what verify checks, the health gate waits
 * for and drills plot. A new kind of state (Neutron agents and routers, Nova
 * services, Masakari segments, Pacemaker nodes) is one module and one line
 * here; `Observations` and every target's `observe(kind)` follow from it.
 */
import { backendsObserver } from "./backends.ts";
import { galeraObserver } from "./galera.ts";
import { pacemakerObserver } from "./pacemaker.ts";
import { rabbitmqObserver } from "./rabbitmq.ts";
import { routersObserver } from "./routers.ts";
import type { ObserveContext, Observer } from "./types.ts";
import { vipObserver } from "./vip.ts";

/** The observers by kind. */
export const OBSERVERS = {
  vip: vipObserver,
  backends: backendsObserver,
  galera: galeraObserver,
  rabbitmq: rabbitmqObserver,
  routers: routersObserver,
  pacemaker: pacemakerObserver,
} as const;

/** A kind of observation. */
export type ObservationKind = keyof typeof OBSERVERS;

/** What one observer collects. */
export type Observation<K extends ObservationKind> =
  (typeof OBSERVERS)[K] extends Observer<infer T> ? T : never;

/** One observation of every kind. */
export type Observations = { readonly [K in ObservationKind]: Observation<K> };

/** Every kind, in the registry's order. */
export const OBSERVATION_KINDS = Object.keys(OBSERVERS) as ObservationKind[];

/** Collects one kind of observation. */
export function observe<K extends ObservationKind>(kind: K, ctx: ObserveContext): Promise<Observation<K>> {
  return (OBSERVERS[kind] as Observer<Observation<K>>).collect(ctx);
}

/** Collects every kind at once. */
export async function observeAll(ctx: ObserveContext): Promise<Observations> {
  const values = await Promise.all(OBSERVATION_KINDS.map((k) => observe(k, ctx)));
  return Object.fromEntries(OBSERVATION_KINDS.map((k, i) => [k, values[i]])) as unknown as Observations;
}
