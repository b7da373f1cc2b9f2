/**
 * What-if: with a set of hosts down (every daemon elsewhere healthy), which
 * services still work, and the reason in the operator's words
 * ("Galera has 1 of 3 votes, needs 2").
 */
import type { Gate, SlaModel } from "./model.ts";

/** A service's state under a set of failed hosts. */
export interface ServiceState {
  readonly name: string;
  readonly up: boolean;
  readonly reason: string;
}

/** A gate's state under a set of failed hosts. */
export interface GateState {
  readonly ok: boolean;
  /** Whether any of its hosts failed. */
  readonly degraded: boolean;
  readonly text: string;
}

const list = (hosts: readonly string[]): string => hosts.join(", ");

/** Evaluates one gate with `failed` hosts down. */
export function gateState(g: Gate, failed: ReadonlySet<string>): GateState {
  const n = g.members.length;
  const downHosts = g.members.flatMap((m) => (m.host !== undefined && failed.has(m.host) ? [m.host] : []));
  const up = n - downHosts.length;
  const ok = up >= g.k;
  const degraded = downHosts.length > 0;
  const downNote = degraded ? ` (${list(downHosts)} down)` : "";
  let text: string;
  switch (g.kind) {
    case "quorum":
      text = `${g.label} has ${up} of ${n} votes${ok ? "" : `, needs ${g.k}`}${downNote}`;
      if (g.why !== undefined && ok && degraded) text += ` — ${g.why}`;
      break;
    case "vrrp":
      if (n === 0) text = "no load balancer is configured to hold the VIP";
      else if (!ok) text = `no load balancer holds the VIP: ${list(downHosts)} down`;
      else text = `the VIP has ${up} of ${n} load balancers${downNote}`;
      break;
    case "backends":
      text = `${g.label} has ${up} of ${n} backends up${ok ? "" : `, needs ${g.k}`}${downNote}`;
      break;
    case "routers":
      if (ok) text = `${up} of ${n} ${g.label} up${downNote}`;
      else if (g.k === 1)
        text = `no ${g.label.replace(/s$/, "")} left for the routers: ${list(downHosts)} down`;
      else {
        text = `${downHosts.length} of ${n} ${g.label} down (${list(downHosts)}): routers scheduled on them have no agent left`;
      }
      break;
    case "series":
      text = ok
        ? `${g.label} up on every host`
        : `${g.label} on ${list(downHosts)} is down${g.why === undefined ? "" : `: ${g.why}`}`;
      break;
    case "targets":
      if (n === 0) text = `no ${g.label} configured`;
      else if (!ok) text = `no ${g.label.replace(/s$/, "")} left to run instances: ${list(downHosts)} down`;
      else {
        text = `${up} of ${n} ${g.label} up${degraded ? ` (${list(downHosts)} down: its instances are evacuated to the others)` : ""}`;
      }
      break;
  }
  return { ok, degraded, text };
}

/** Every service's state with the given hosts failed. */
export function whatIf(model: SlaModel, failed: ReadonlySet<string>): ServiceState[] {
  return model.services.map((s) => {
    const states = s.gates.map((id) => gateState(model.gates.get(id)!, failed));
    const broken = states.filter((x) => !x.ok);
    if (broken.length > 0) return { name: s.name, up: false, reason: broken.map((x) => x.text).join("; ") };
    const degraded = states.filter((x) => x.degraded);
    if (degraded.length > 0) {
      return { name: s.name, up: true, reason: `degraded: ${degraded.map((x) => x.text).join("; ")}` };
    }
    return {
      name: s.name,
      up: true,
      reason: failed.size === 0 ? "all hosts up" : "none of its hosts failed",
    };
  });
}
