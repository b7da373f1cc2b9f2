/**
 * The fault vocabulary every target understands (after os-faults: service
 * stop/kill/freeze, node crash/restart, network cut and partition). A fault is
 * plain data, so it can be journalled, printed and replayed by another target.
 */

/** One fault to inject. Hosts and services are named as in the Plan. */
export type Fault =
  /** Every process of the host killed (SIGKILL) and all its links down: a power cut. */
  | { readonly kind: "host-crash"; readonly host: string }
  /** A crash, then the host's links come back and its services are started again. */
  | { readonly kind: "host-restart"; readonly host: string }
  /** Graceful stop (SIGTERM), as `systemctl stop`/`docker stop` would. */
  | { readonly kind: "service-stop"; readonly host: string; readonly service: string }
  /** SIGKILL: the process dies without cleaning up. */
  | { readonly kind: "service-kill"; readonly host: string; readonly service: string }
  /**
   * SIGKILL to the processes a service forked whose command line holds every word of `match`
   * (a router's keepalived: ["keepalived", "<router id>"]); the service itself lives on and may
   * start them again (neutron's process monitor respawns a router's keepalived).
   */
  | {
      readonly kind: "process-kill";
      readonly host: string;
      readonly service: string;
      readonly match: readonly string[];
      /** Names it in reports: "keepalived of router 1a2b3c4d". */
      readonly label: string;
    }
  /** Frozen until the undo thaws it (lab: the service's cgroup): a hung process that still holds its sockets. */
  | { readonly kind: "service-freeze"; readonly host: string; readonly service: string }
  /** One network of one host down (the switch side of its cable). */
  | { readonly kind: "link-cut"; readonly host: string; readonly network: string }
  /** Two sets of hosts cannot reach each other (each side drops the other's addresses). */
  | { readonly kind: "partition"; readonly sides: readonly [readonly string[], readonly string[]] };

/** A one-line human description: "host-crash cc01", "link-cut hap1/management". */
export function describeFault(f: Fault): string {
  switch (f.kind) {
    case "host-crash":
    case "host-restart":
      return `${f.kind} ${f.host}`;
    case "service-stop":
    case "service-kill":
    case "service-freeze":
      return `${f.kind} ${f.service}@${f.host}`;
    case "process-kill":
      return `${f.kind} ${f.label} (${f.service}@${f.host})`;
    case "link-cut":
      return `${f.kind} ${f.host}/${f.network}`;
    case "partition":
      return `partition {${f.sides[0].join(",")}} | {${f.sides[1].join(",")}}`;
  }
}
