/**
 * Faults in the lab, by cgroup, PID and link: a host crash is `cgroup.kill`
 * of the host's services and commands — everything they forked, in any
 * namespace, goes with them; the anchor is the lab's, not the host's, and
 * stays — with its cables pulled at the switch; a link cut is the switch side
 * of one veth down; a partition is an nftables table in each affected host
 * dropping the other side's lab addresses; a freeze is the service's cgroup
 * frozen; a stop or kill is the service's stop signal or SIGKILL by PID.
 * Each inject journals its undo actions before it acts.
 */
import { randomBytes } from "node:crypto";
import type { Fault } from "../fault.ts";
import type { FaultJournal, UndoAction } from "../fault-journal.ts";
import { run } from "../../util/run.ts";
import { currentProcesses, journalPath, readJournal, type JournalProcess } from "./journal.ts";
import { findLabHost } from "./layout.ts";
import {
  cgroupPids,
  execCgroup,
  freezeCgroup,
  killCgroup,
  serviceCgroup,
  servicesCgroup,
} from "./cgroups.ts";
import { LabError } from "./errors.ts";
import { childrenOf, commandLine, descendants, signalOwn } from "./procfs.ts";
import type { LabRuntime } from "./runtime.ts";
import { running } from "./supervisor.ts";

/** The nftables table a partition adds in each affected host. */
export const PARTITION_TABLE = "hacloud_partition";

/** Undo actions the lab knows. */
export type LabUndoAction =
  | { readonly kind: "links-up"; readonly netns: string; readonly ifs: readonly string[] }
  | { readonly kind: "thaw"; readonly group: string }
  | { readonly kind: "nft-delete"; readonly netns: readonly string[] }
  /** Start again what a fault killed, service by service, and wait for each to be healthy (the target's restart). */
  | { readonly kind: "repair" };

/** What the lab needs from its caller to inject: the runtime, the fault journal and the repair. */
export interface LabFaultContext {
  readonly rt: LabRuntime;
  readonly journal: FaultJournal;
  readonly repair: () => Promise<void>;
}

function host(rt: LabRuntime, name: string) {
  const h = findLabHost(rt.layout, name);
  if (h === undefined || h.kind !== "host")
    throw new LabError(`no host ${name} in the lab`, undefined, [], { code: "E-LAB-003" });
  return h;
}

/** Live, journalled processes of a host (optionally of one service), anchors excluded. */
export function hostProcesses(rt: LabRuntime, hostName: string, service?: string): JournalProcess[] {
  const current = currentProcesses(readJournal(journalPath(rt.layout.stateDir)));
  return [...current.values()].filter(
    (p) =>
      p.host === hostName &&
      p.name !== "anchor" &&
      (service === undefined || p.service === service) &&
      running(p),
  );
}

async function setLinks(netns: string, ifs: readonly string[], state: "up" | "down"): Promise<void> {
  if (ifs.length === 0) return;
  await run("ip", ["-n", netns, "-batch", "-"], {
    input: ifs.map((i) => `link set ${i} ${state}`).join("\n") + "\n",
    timeoutMs: 10_000,
  });
}

/** SIGKILL to processes and everything below them, as a container's processes end with its main one. */
function killTrees(pids: readonly number[]): void {
  for (const pid of pids.flatMap((p) => [p, ...descendants(p)])) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone already
    }
  }
}

/** A fault aimed at a service that is not running there: nothing to break, the lab needs its repair first. */
function notRunning(service: string, host: string): LabError {
  return new LabError(`${service} is not running on ${host}`, "run `hacloud lab up` to repair the lab first");
}

/** Kills every process of a host but its anchor, and waits until they are gone. */
async function crashHost(rt: LabRuntime, hostName: string): Promise<void> {
  await Promise.all([
    killCgroup(servicesCgroup(rt.layout.prefix, hostName)),
    killCgroup(execCgroup(rt.layout.prefix, hostName)),
  ]);
}

function nftRules(drop: readonly string[]): string {
  const set = drop.join(", ");
  return [
    `table inet ${PARTITION_TABLE} {`,
    "  chain input { type filter hook input priority -10; policy accept;",
    `    ip saddr { ${set} } drop }`,
    "  chain output { type filter hook output priority -10; policy accept;",
    `    ip daddr { ${set} } drop }`,
    "}",
    "",
  ].join("\n");
}

/**
 * True when a fault other than `undoing` is still in place with cables out: a repair now would start
 * daemons on hosts that cannot reach their peers yet (a controller pair crash undone last-first:
 * MariaDB on the other crashed host then waits out its whole health timeout). That fault's own undo
 * puts its cables back and ends with its own repair.
 */
function linksStillCut(ctx: LabFaultContext, undoing: string | undefined): boolean {
  return ctx.journal
    .leftovers()
    .some((e) => e.id !== undoing && e.undo.some((u) => (u as LabUndoAction).kind === "links-up"));
}

/** Runs one undo action of the fault `undoing` (idempotent: running it twice does no harm). */
export async function applyUndo(a: UndoAction, ctx: LabFaultContext, undoing?: string): Promise<void> {
  const action = a as LabUndoAction;
  switch (action.kind) {
    case "links-up":
      await setLinks(action.netns, action.ifs, "up");
      return;
    case "thaw":
      await freezeCgroup(action.group, false);
      return;
    case "nft-delete":
      for (const ns of action.netns) {
        await run("ip", ["netns", "exec", ns, "nft", "delete", "table", "inet", PARTITION_TABLE], {
          timeoutMs: 10_000,
          allowFailure: true,
        });
      }
      return;
    case "repair":
      if (!linksStillCut(ctx, undoing)) await ctx.repair();
      return;
    default:
      throw new Error(`unknown lab undo action ${(a as { kind: string }).kind}`);
  }
}

/** An injected lab fault: its journal id, when it acted, and its undo actions (run last first). */
export interface LabInjected {
  readonly id: string;
  readonly injectedAt: number;
  readonly undo: readonly UndoAction[];
}

const now = (): number => performance.timeOrigin + performance.now();

/** Injects a fault in the lab; the undo actions are journalled (fsync'd) before anything changes. */
export async function injectLabFault(fault: Fault, ctx: LabFaultContext): Promise<LabInjected> {
  const { rt } = ctx;
  const id = `${fault.kind}-${Date.now().toString(36)}-${randomBytes(2).toString("hex")}`;
  const sw = rt.layout.switchNs;
  const journalThen = (undo: LabUndoAction[]): LabInjected => {
    ctx.journal.append({ op: "inject", id, at: new Date().toISOString(), pid: process.pid, fault, undo });
    return { id, injectedAt: now(), undo };
  };

  switch (fault.kind) {
    case "host-crash":
    case "host-restart": {
      const h = host(rt, fault.host);
      const ifs = h.links.map((l) => l.switchIf);
      // Undo order (last first): cables back in, then start what died.
      const injected = journalThen([{ kind: "repair" }, { kind: "links-up", netns: sw, ifs }]);
      await setLinks(sw, ifs, "down");
      await crashHost(rt, fault.host);
      if (fault.kind === "host-restart") {
        await applyUndo({ kind: "links-up", netns: sw, ifs }, ctx);
        await ctx.repair();
      }
      return injected;
    }
    case "service-stop":
    case "service-kill": {
      const procs = hostProcesses(rt, fault.host, fault.service);
      if (procs.length === 0) throw notRunning(fault.service, fault.host);
      const injected = journalThen([{ kind: "repair" }]);
      for (const p of procs) {
        if (fault.kind === "service-stop") signalOwn(p.pid!, p.start, "SIGTERM");
        // a crash of the daemon itself: under `unless-stopped` its restart loop lives on and starts it again
        else if (p.restart === "unless-stopped") killTrees(childrenOf(p.pid!));
        else signalOwn(p.pid!, p.start, "SIGKILL");
      }
      return injected;
    }
    case "process-kill": {
      const group = serviceCgroup(rt.layout.prefix, fault.host, fault.service);
      const victims = cgroupPids(group).filter((pid) => {
        const cmd = commandLine(pid);
        return fault.match.every((w) => cmd.includes(w));
      });
      if (victims.length === 0)
        throw new LabError(
          `no process of ${fault.service} on ${fault.host} runs ${fault.match.join(" ")}`,
          undefined,
          [],
          {
            code: "E-LAB-003",
          },
        );
      // the service starts it again itself (or the repair does, for a drill that waits for it)
      const injected = journalThen([{ kind: "repair" }]);
      for (const pid of victims) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // gone already
        }
      }
      return injected;
    }
    case "service-freeze": {
      const procs = hostProcesses(rt, fault.host, fault.service);
      if (procs.length === 0) throw notRunning(fault.service, fault.host);
      const group = serviceCgroup(rt.layout.prefix, fault.host, fault.service);
      const injected = journalThen([{ kind: "thaw", group }]);
      await freezeCgroup(group, true);
      return injected;
    }
    case "link-cut": {
      const link = host(rt, fault.host).links.find((l) => l.network === fault.network);
      if (link === undefined) {
        throw new LabError(`${fault.host} has no link on network ${fault.network}`, undefined, [], {
          code: "E-LAB-003",
        });
      }
      const injected = journalThen([{ kind: "links-up", netns: sw, ifs: [link.switchIf] }]);
      await setLinks(sw, [link.switchIf], "down");
      return injected;
    }
    case "partition": {
      const [a, b] = fault.sides.map((side) => side.map((n) => host(rt, n)));
      const addrs = (hs: typeof a): string[] => hs!.flatMap((h) => Object.values(h.addresses));
      const netns = [...a!, ...b!].map((h) => h.netns);
      const injected = journalThen([{ kind: "nft-delete", netns }]);
      for (const [side, other] of [
        [a!, b!],
        [b!, a!],
      ] as const) {
        for (const h of side) {
          await run("ip", ["netns", "exec", h.netns, "nft", "-f", "-"], {
            input: nftRules(addrs(other)),
            timeoutMs: 10_000,
          });
        }
      }
      return injected;
    }
  }
}
