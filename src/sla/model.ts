/**
 * The structure-function model: a user-facing service is a series of gates;
 * a gate is "at least k of these members work"; a member is a host and the
 * daemons it must run for that gate. Hosts are shared between gates (a
 * controller carries keystone, Galera and RabbitMQ), daemons are not.
 */
import type { MechanismId } from "./failover.ts";

/** One member of a gate: a host (absent for a host-independent part) and the daemon kinds it needs. */
export interface Member {
  readonly host?: string;
  readonly daemons: readonly string[];
}

/** How a gate keeps working, which decides the wording of reasons. */
export type GateKind =
  | "vrrp" // 1-of-n load balancers holding the VIP
  | "backends" // k-of-n stateless backends (HAProxy, RPC workers)
  | "quorum" // majority of a cluster's votes
  | "routers" // L3 agents hosting tenant routers
  | "series" // every member (one resource per host, no failover)
  | "targets"; // computes that can run (evacuated) instances

/** When a component's failure makes this gate fail over (client-visible downtime while it does). */
export interface Trigger {
  /** Component kind whose failure triggers it: "host" or a daemon kind. */
  readonly kind: string;
  readonly mechanism: MechanismId;
  /**
   * Which member's failure counts: `any` member, the `active` one (uniformly
   * one of the working members, probability 1/n), or the `first` (kolla's
   * active/backup: the first server is active whenever it is up).
   */
  readonly who: "any" | "active" | "first";
}

/** "At least k of these members work." */
export interface Gate {
  /** Stable id; services that share a gate share its event. */
  readonly id: string;
  readonly kind: GateKind;
  /** Human name used in reasons: "Galera", "keystone", "cinder-volume". */
  readonly label: string;
  readonly k: number;
  readonly members: readonly Member[];
  readonly triggers: readonly Trigger[];
  /** Why this gate has the k it has, for reasons ("a volume lives on one LVM host"). */
  readonly why?: string;
}

/** A user-facing service: every gate must hold. */
export interface ServiceModel {
  /** Stable machine name: identity-api, database, … */
  readonly name: string;
  readonly title: string;
  readonly gates: readonly string[];
  /** Caveats shown with the service (e.g. evacuation without shared storage loses disks). */
  readonly notes: readonly string[];
}

/** The whole model of a Plan. */
export interface SlaModel {
  readonly gates: ReadonlyMap<string, Gate>;
  readonly services: readonly ServiceModel[];
  /** host -> zone, for hosts that have one. */
  readonly zones: ReadonlyMap<string, string>;
  readonly hosts: readonly string[];
}
