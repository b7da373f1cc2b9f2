/**
 * What a scenario expects to see while its fault holds, as a discriminated
 * union with one definition per kind: when it is met, and whether it is an
 * outage (the hold then ends once it is confirmed, instead of waiting for
 * the probes to recover). The network and compute tiers add theirs here
 * (`router-moves`, `instances-evacuated`). Pure.
 */
import type { ProbeSample, UserProbe } from "../probes/types.ts";

/** One expectation of a scenario. */
export type Expectation =
  /** Another load balancer takes the VIP. */
  | { readonly kind: "vip-moves" }
  /** Every watched probe fails while the fault holds (the scenario breaks the service on purpose). */
  | { readonly kind: "outage-confirmed" }
  /** The workload's HA router becomes active on another network node. */
  | { readonly kind: "router-moves" }
  /** Every instance the workload booted on the drill's compute is ACTIVE on another host (Nova's API). */
  | { readonly kind: "instances-evacuated" };

/** What is known while the fault holds, for judging expectations. */
export interface HoldView {
  readonly faultAt: number;
  readonly samples: readonly ProbeSample[];
  readonly watch: readonly UserProbe[];
  /** Who holds a tracked thing now ("vip" → the load balancers with the VIP). */
  holders(what: string): readonly string[];
  /** Who held it when the fault came (null: not exactly one). */
  holderBefore(what: string): string | null;
}

/** How one kind of expectation is judged. */
export interface ExpectationDefinition<E extends Expectation = Expectation> {
  /** An expected outage: once met, the hold ends without waiting for recovery. */
  readonly outage: boolean;
  /** The event logged when it is met. */
  readonly label: string;
  met(e: E, view: HoldView): boolean;
}

type Definitions = {
  readonly [K in Expectation["kind"]]: ExpectationDefinition<Extract<Expectation, { kind: K }>>;
};

/** Every kind of expectation. */
export const EXPECTATIONS: Definitions = {
  "vip-moves": {
    outage: false,
    label: "the VIP moved",
    met: (_e, v) => {
      const now = v.holders("vip");
      return now.length === 1 && now[0] !== v.holderBefore("vip");
    },
  },
  "router-moves": {
    outage: false,
    label: "the router is active on another network node",
    met: (_e, v) => {
      const now = v.holders("router");
      return now.length === 1 && now[0] !== v.holderBefore("router");
    },
  },
  "instances-evacuated": {
    outage: false,
    label: "every instance is ACTIVE on another host",
    met: (_e, v) => {
      const views = v.samples.filter((x) => x.probe === "evacuation" && x.evacuation !== undefined);
      const before = views.filter((x) => x.t < v.faultAt).at(-1)?.evacuation;
      const now = views.at(-1)?.evacuation;
      if (before === undefined || now === undefined || now.servers.length === 0) return false;
      const from = new Map(before.servers.map((s) => [s.id, s.host]));
      return now.servers.every((s) => s.status === "ACTIVE" && s.host !== from.get(s.id));
    },
  },
  "outage-confirmed": {
    outage: true,
    label: "outage confirmed",
    met: (_e, v) => v.watch.every((p) => v.samples.some((x) => x.probe === p && x.t >= v.faultAt && !x.ok)),
  },
};

/** The definition of an expectation's kind. */
export function definitionOf(e: Expectation): ExpectationDefinition {
  return EXPECTATIONS[e.kind];
}

/** True when the scenario expects an outage (its hold ends on confirmation, not on recovery). */
export function expectsOutage(expects: readonly Expectation[]): boolean {
  return expects.some((e) => definitionOf(e).outage);
}

/** True when every expectation is met now. */
export function allMet(expects: readonly Expectation[], view: HoldView): boolean {
  return expects.every((e) => definitionOf(e).met(e, view));
}
