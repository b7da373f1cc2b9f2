/**
 * The drill scenarios. Names are part of the interface (CLI, JSON, docs).
 * Each scenario picks its victims from the live state — the load balancer
 * that holds the VIP now, the controller behind the *active* MariaDB backend —
 * so it hits what matters, not a host chosen at planning time. Pure.
 */
import type { Plan } from "../plan/types.ts";
import type { UserProbe } from "../probes/types.ts";
import type { Fault } from "../targets/fault.ts";
import type { TargetState } from "../targets/target.ts";

/** Scenario names, in the order `--all` runs them (quorum loss last). */
export const SCENARIO_NAMES = [
  "lb-master-crash",
  "lb-master-keepalived-stop",
  "lb-master-haproxy-kill",
  "lb-master-link-cut",
  "controller-crash",
  "galera-node-kill",
  "rabbit-node-kill",
  "controller-pair-crash",
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** What a scenario needs to choose its victims. */
export interface ScenarioContext {
  readonly plan: Plan;
  readonly state: TargetState;
}

/** One scenario. */
export interface Scenario {
  readonly name: ScenarioName;
  /** One sentence: what breaks. */
  readonly summary: string;
  /** What users should see, in words (docs and reports). */
  readonly expectation: string;
  /** The scenario takes a quorum group below its majority on purpose. */
  readonly breaksQuorum: boolean;
  /** The scenario expects a user-visible outage and confirms it (instead of failing on it). */
  readonly expectsOutage: boolean;
  /** The VIP is expected to move to the other load balancer. */
  readonly movesVip: boolean;
  /** Probes whose recovery ends the observation (others are still measured). */
  readonly watch: readonly UserProbe[];
  /** How long the fault is held: at least `minMs`, then until the watched probes recovered, at most `maxMs`. */
  readonly hold: { readonly minMs: number; readonly maxMs: number };
  /** After the undo, restore Galera's quorum as `kolla-ansible mariadb-recovery` does. */
  readonly recoverGalera: boolean;
  /** The faults to inject, chosen from the live state; throws ScenarioError when the cloud cannot run it. */
  faults(ctx: ScenarioContext): readonly Fault[];
}

/** The cloud cannot run this scenario (e.g. no VIP holder, a single controller). */
export class ScenarioError extends Error {
  override readonly name = "ScenarioError";
}

/** The load balancer that holds the VIP now. */
export function vipHolder(ctx: ScenarioContext): string {
  const holders = ctx.state.vip.holders;
  if (holders.length !== 1) {
    throw new ScenarioError(
      `expected exactly one VIP holder, found ${holders.length ? holders.join(", ") : "none"}`,
    );
  }
  return holders[0]!;
}

/**
 * The controller whose MariaDB is the active (non-backup) HAProxy server and
 * UP on the VIP holder: where Keystone's pooled connections go.
 */
export function activeDatabaseHost(ctx: ScenarioContext): string {
  const lb = ctx.state.vip.holders[0];
  const up = ctx.state.backends.filter(
    (b) =>
      b.proxy === ctx.plan.databaseHaproxy.name &&
      b.status.startsWith("UP") &&
      (lb === undefined || b.lb === lb),
  );
  const active = up.find((b) => !b.backup) ?? up[0];
  if (active !== undefined) return active.server;
  const planned = ctx.plan.databaseHaproxy.servers.find((s) => !s.backup);
  if (planned === undefined) throw new ScenarioError("the Plan has no MariaDB backend");
  return planned.host;
}

function galeraMembers(plan: Plan): readonly string[] {
  const g = plan.quorum.find((q) => q.name === "galera");
  if (g === undefined || g.members.length < 2)
    throw new ScenarioError("needs a Galera cluster of at least 2 nodes");
  return g.members;
}

function rabbitMembers(plan: Plan): readonly string[] {
  const g = plan.quorum.find((q) => q.name === "rabbitmq");
  if (g === undefined || g.members.length < 2)
    throw new ScenarioError("needs a RabbitMQ cluster of at least 2 nodes");
  return g.members;
}

function loadBalancers(plan: Plan): void {
  if (plan.vrrp.members.length < 2) throw new ScenarioError("needs two load balancers sharing the VIP");
}

const LB_WATCH: readonly UserProbe[] = ["keystone-get", "token-issue", "sql"];
const ALL: readonly UserProbe[] = ["keystone-get", "token-issue", "sql", "rabbit"];

/** Every scenario by name. */
export const SCENARIOS: Readonly<Record<ScenarioName, Scenario>> = {
  "lb-master-crash": {
    name: "lb-master-crash",
    summary: "The load balancer holding the VIP loses power: every process killed, its cables pulled.",
    expectation:
      "The backup stops hearing adverts and takes the VIP after Master_Down_Interval; requests in flight fail.",
    breaksQuorum: false,
    expectsOutage: false,
    movesVip: true,
    watch: LB_WATCH,
    hold: { minMs: 8_000, maxMs: 40_000 },
    recoverGalera: false,
    faults: (ctx) => {
      loadBalancers(ctx.plan);
      return [{ kind: "host-crash", host: vipHolder(ctx) }];
    },
  },
  "lb-master-keepalived-stop": {
    name: "lb-master-keepalived-stop",
    summary: "keepalived on the VIP holder is stopped gracefully (SIGTERM), as during maintenance.",
    expectation: "keepalived sends a priority-0 advert and drops the VIP; the backup takes over at once.",
    breaksQuorum: false,
    expectsOutage: false,
    movesVip: true,
    watch: LB_WATCH,
    hold: { minMs: 6_000, maxMs: 30_000 },
    recoverGalera: false,
    faults: (ctx) => {
      loadBalancers(ctx.plan);
      return [{ kind: "service-stop", host: vipHolder(ctx), service: "keepalived" }];
    },
  },
  "lb-master-haproxy-kill": {
    name: "lb-master-haproxy-kill",
    summary: "HAProxy on the VIP holder is killed (SIGKILL); keepalived keeps running.",
    expectation:
      "keepalived's check_alive track script fails and the VIP moves; until then connections are refused.",
    breaksQuorum: false,
    expectsOutage: false,
    movesVip: true,
    watch: LB_WATCH,
    hold: { minMs: 8_000, maxMs: 40_000 },
    recoverGalera: false,
    faults: (ctx) => {
      loadBalancers(ctx.plan);
      return [{ kind: "service-kill", host: vipHolder(ctx), service: "haproxy" }];
    },
  },
  "lb-master-link-cut": {
    name: "lb-master-link-cut",
    summary: "The VIP holder's cable on the API network is pulled; its processes keep running.",
    expectation:
      "The backup takes the VIP like after a crash; the isolated master keeps it on a dead link (harmless).",
    breaksQuorum: false,
    expectsOutage: false,
    movesVip: true,
    watch: LB_WATCH,
    hold: { minMs: 8_000, maxMs: 40_000 },
    recoverGalera: false,
    faults: (ctx) => {
      loadBalancers(ctx.plan);
      return [{ kind: "link-cut", host: vipHolder(ctx), network: ctx.plan.apiNetwork }];
    },
  },
  "controller-crash": {
    name: "controller-crash",
    summary:
      "The controller behind the active MariaDB backend loses power, with Keystone holding pooled DB connections.",
    expectation:
      "HAProxy marks its servers down after fall × inter; pooled DB connections hang unless sessions are shut down on mark-down.",
    breaksQuorum: false,
    expectsOutage: false,
    movesVip: false,
    watch: ALL,
    hold: { minMs: 15_000, maxMs: 100_000 },
    recoverGalera: false,
    faults: (ctx) => {
      galeraMembers(ctx.plan);
      return [{ kind: "host-crash", host: activeDatabaseHost(ctx) }];
    },
  },
  "galera-node-kill": {
    name: "galera-node-kill",
    summary: "mariadbd behind the active MariaDB backend is killed (SIGKILL); the host stays up.",
    expectation: "Connections are reset at once; HAProxy fails over to a backup server after fall × inter.",
    breaksQuorum: false,
    expectsOutage: false,
    movesVip: false,
    watch: ["token-issue", "sql"],
    hold: { minMs: 12_000, maxMs: 80_000 },
    recoverGalera: false,
    faults: (ctx) => {
      galeraMembers(ctx.plan);
      return [{ kind: "service-kill", host: activeDatabaseHost(ctx), service: "mariadb" }];
    },
  },
  "rabbit-node-kill": {
    name: "rabbit-node-kill",
    summary: "The first RabbitMQ node in the clients' list is killed (SIGKILL).",
    expectation: "Clients reconnect to the next node; the quorum queue elects a new leader.",
    breaksQuorum: false,
    expectsOutage: false,
    movesVip: false,
    watch: ["rabbit"],
    hold: { minMs: 10_000, maxMs: 60_000 },
    recoverGalera: false,
    faults: (ctx) => [{ kind: "service-kill", host: rabbitMembers(ctx.plan)[0]!, service: "rabbitmq" }],
  },
  "controller-pair-crash": {
    name: "controller-pair-crash",
    summary: "Two of three controllers lose power at once: Galera and RabbitMQ lose their majority.",
    expectation:
      "An outage of everything that writes (SQL, tokens, RabbitMQ); the survivor refuses writes rather than split. " +
      "After the hosts return, Galera is bootstrapped from the node with the highest seqno.",
    breaksQuorum: true,
    expectsOutage: true,
    movesVip: false,
    watch: ["sql"],
    hold: { minMs: 15_000, maxMs: 30_000 },
    recoverGalera: true,
    faults: (ctx) => {
      const members = galeraMembers(ctx.plan);
      const first = activeDatabaseHost(ctx);
      const second = members.find((m) => m !== first);
      if (second === undefined || members.length < 3) throw new ScenarioError("needs three controllers");
      return [
        { kind: "host-crash", host: first },
        { kind: "host-crash", host: second },
      ];
    },
  },
};

/** True for a known scenario name. */
export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}
