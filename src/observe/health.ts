/**
 * What "healthy" means for a cloud against its Plan, as pure functions of
 * what the target reported: planned services on planned hosts, keepalived's
 * VIP and router id, exactly one VIP holder on a live link, every standby
 * able to take over, every HAProxy backend UP, Galera's size and Primary
 * component, RabbitMQ's members. `lab up`'s health gate, a drill's wait for
 * health and `hacloud verify` all ask these same checks, so `lab up` returns
 * only when `verify` would pass.
 */
import type { Plan } from "../plan/types.ts";
import type { Observations } from "./index.ts";
import { vrrpReady, type DeployedFile, type ServiceState } from "./types.ts";

/** Stable ids of the checks (JUnit test names, JSON keys). */
export const HEALTH_CHECK_IDS = [
  "services-placed",
  "keepalived-config",
  "vip-single-holder",
  "vrrp-standby-ready",
  "haproxy-backends-up",
  "galera-primary",
  "rabbitmq-members",
] as const;
/** One of HEALTH_CHECK_IDS. */
export type HealthCheckId = (typeof HEALTH_CHECK_IDS)[number];

/** The outcome of one check. */
export interface CheckResult<Id extends string = HealthCheckId> {
  readonly id: Id;
  readonly title: string;
  readonly passed: boolean;
  /** What was seen (one line per problem when it failed). */
  readonly details: readonly string[];
}

/** Everything the health checks look at. */
export interface HealthInput {
  readonly plan: Plan;
  /** Services the target runs (a lab runs a subset of the Plan's). */
  readonly managedServices: readonly string[];
  readonly services: readonly ServiceState[];
  readonly observed: Observations;
  /** keepalived.conf of each load balancer (undefined when it could not be read). */
  readonly keepalived: readonly { readonly host: string; readonly file?: DeployedFile }[];
}

/** A check's outcome from its problems (none: passed) and what it saw when it passed. */
export const result = <Id extends string>(
  id: Id,
  title: string,
  problems: string[],
  ok: string[],
): CheckResult<Id> => ({
  id,
  title,
  passed: problems.length === 0,
  details: problems.length > 0 ? problems : ok,
});

function servicesPlaced(i: HealthInput): CheckResult {
  const problems: string[] = [];
  const ok: string[] = [];
  for (const name of i.managedServices) {
    const placed = i.plan.services.find((s) => s.name === name);
    // a service the Plan does not know (a test's stand-in) has no placement to check
    if (placed === undefined) continue;
    const planned = placed.hosts;
    const seen = i.services.filter((s) => s.service === name);
    for (const h of planned) {
      const s = seen.find((x) => x.host === h);
      if (s === undefined || !s.running) problems.push(`${name} is not running on ${h}`);
      else if (s.frozen) problems.push(`${name} on ${h} is frozen`);
    }
    for (const s of seen)
      if (!planned.includes(s.host))
        problems.push(`${name} runs on ${s.host}, which the Plan does not place it on`);
    ok.push(`${name}: ${planned.join(", ")}`);
  }
  return result("services-placed", "every planned service runs on its planned hosts", problems, ok);
}

function keepalivedConfig(i: HealthInput): CheckResult {
  const problems: string[] = [];
  const ok: string[] = [];
  const rid = i.plan.vrrp.routerId;
  for (const k of i.keepalived) {
    if (k.file === undefined) {
      problems.push(`${k.host}: keepalived.conf not found`);
      continue;
    }
    const text = k.file.content;
    if (!new RegExp(`^\\s*virtual_router_id\\s+${rid}\\s*$`, "m").test(text)) {
      problems.push(`${k.host}: ${k.file.path} does not set virtual_router_id ${rid}`);
    }
    const vipLine = new RegExp(`^\\s*${i.observed.vip.address.replace(/\./g, "\\.")}(/\\d+)?(\\s|$)`, "m");
    if (!vipLine.test(text))
      problems.push(`${k.host}: ${k.file.path} does not carry the VIP ${i.observed.vip.address}`);
    else ok.push(`${k.host}: VIP ${i.observed.vip.address}, virtual_router_id ${rid}`);
  }
  if (i.keepalived.length === 0) problems.push("no load balancer in the Plan");
  return result(
    "keepalived-config",
    "keepalived's configuration carries the VIP and router id",
    problems,
    ok,
  );
}

function vrrpStandbyReady(i: HealthInput): CheckResult {
  const members = i.plan.vrrp.members.map((m) => m.host);
  const problems: string[] = [];
  for (const host of members) {
    const state = i.observed.vip.vrrp.find((v) => v.host === host)?.state;
    if (state === undefined) problems.push(`${host} is VRRP not reported`);
    else if (state === "FAULT")
      problems.push(`${host} is VRRP FAULT: it cannot take the VIP over (track script or link failing)`);
    else if (!vrrpReady(state)) problems.push(`${host} is VRRP ${state}`);
  }
  const masters = i.observed.vip.vrrp.filter((v) => v.state === "MASTER").length;
  if (members.length > 1 && masters > 1) problems.push(`${masters} load balancers are VRRP MASTER`);
  return result(
    "vrrp-standby-ready",
    "every load balancer is VRRP MASTER or BACKUP (a standby can take the VIP over)",
    problems,
    i.observed.vip.vrrp.map((v) => `${v.host} ${v.state}`),
  );
}

function vipSingleHolder(i: HealthInput): CheckResult {
  const h = i.observed.vip.holders;
  const problems =
    h.length === 1
      ? []
      : [
          h.length === 0
            ? `nobody holds the VIP ${i.observed.vip.address}`
            : `split brain: ${h.join(" and ")} both hold ${i.observed.vip.address}`,
        ];
  return result("vip-single-holder", "exactly one load balancer holds the VIP", problems, [
    `${h[0] ?? ""} holds ${i.observed.vip.address}`,
  ]);
}

function backendsUp(i: HealthInput): CheckResult {
  const { states, errors } = i.observed.backends;
  const bad = states.filter((b) => b.status !== "UP");
  const problems = [
    ...errors,
    ...bad.map((b) => `haproxy on ${b.lb}: ${b.proxy}/${b.server} is ${b.status}`),
  ];
  if (states.length === 0) problems.push("no backend server reported by any HAProxy stats socket");
  return result("haproxy-backends-up", "all HAProxy backends are UP", problems, [
    `${states.length} servers UP`,
  ]);
}

function galeraPrimary(i: HealthInput): CheckResult {
  const g = i.plan.quorum.find((q) => q.name === "galera");
  if (g === undefined || !i.managedServices.includes("mariadb")) {
    return result(
      "galera-primary",
      "Galera has its full size and a Primary component",
      [],
      ["no Galera cluster planned"],
    );
  }
  const problems: string[] = [];
  for (const m of g.members) {
    const n = i.observed.galera.find((x) => x.host === m);
    if (n === undefined || !n.reachable)
      problems.push(`${m}: not reachable${n?.error ? ` (${n.error})` : ""}`);
    else {
      if (n.clusterStatus !== "Primary") problems.push(`${m}: ${n.clusterStatus}, not Primary`);
      if (n.clusterSize !== g.members.length)
        problems.push(`${m}: cluster size ${n.clusterSize}, planned ${g.members.length}`);
      if (!n.ready || n.localState !== "Synced")
        problems.push(`${m}: ${n.localState}, wsrep_ready ${n.ready ? "ON" : "OFF"}`);
    }
  }
  return result("galera-primary", "Galera has its full size and a Primary component", problems, [
    `size ${g.members.length}, Primary, Synced on ${g.members.join(", ")}`,
  ]);
}

function rabbitMembers(i: HealthInput): CheckResult {
  const g = i.plan.quorum.find((q) => q.name === "rabbitmq");
  if (g === undefined || !i.managedServices.includes("rabbitmq")) {
    return result(
      "rabbitmq-members",
      "RabbitMQ runs every planned member",
      [],
      ["no RabbitMQ cluster planned"],
    );
  }
  const problems: string[] = [];
  for (const m of g.members) {
    const n = i.observed.rabbitmq.find((x) => x.host === m);
    if (n === undefined || !n.reachable) {
      problems.push(`${m}: not reachable${n?.error ? ` (${n.error})` : ""}`);
      continue;
    }
    const missing = g.members.filter((x) => !n.running.includes(x));
    if (missing.length > 0) problems.push(`${m} sees ${missing.join(", ")} not running`);
    if (n.partitions.length > 0) problems.push(`${m} reports a partition`);
  }
  return result("rabbitmq-members", "RabbitMQ runs every planned member", problems, [
    `running: ${g.members.join(", ")}`,
  ]);
}

/** Runs every health check. */
export function healthChecks(i: HealthInput): CheckResult[] {
  return [
    servicesPlaced(i),
    keepalivedConfig(i),
    vipSingleHolder(i),
    vrrpStandbyReady(i),
    backendsUp(i),
    galeraPrimary(i),
    rabbitMembers(i),
  ];
}

/** What keeps the cloud from being healthy (empty when it is), one line each, prefixed with the check. */
export function healthProblems(i: HealthInput): string[] {
  return healthChecks(i).flatMap((c) => (c.passed ? [] : c.details.map((d) => `${c.id}: ${d}`)));
}
