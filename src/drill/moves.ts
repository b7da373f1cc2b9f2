/**
 * What moved during a drill: the VIP from one load balancer to the other
 * (and, with the network and compute tiers, a router's master, evacuated
 * instances). A move is read from a series of "who holds it" observations:
 * the holder before the fault, then each time exactly one other host holds
 * it. Zero or two holders (an outage, a split brain) are no move. Pure.
 */

/** Who held something at time t (epoch ms). */
export interface HolderSample {
  readonly t: number;
  readonly holders: readonly string[];
}

/** One move of a tracked thing ("vip") after the fault. */
export interface Move {
  readonly what: string;
  /** Where it was (null when no single holder was seen before the fault). */
  readonly from: string | null;
  readonly to: string;
  /** Seconds from the fault until it was at `to`. */
  readonly afterS: number;
}

/** Where a tracked thing was before the fault, and each move after it. */
export interface Tracked {
  readonly before: string | null;
  readonly moves: readonly Move[];
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** The holder before the fault and every move after it, from holder observations. */
export function holderMoves(what: string, samples: readonly HolderSample[], faultAt: number): Tracked {
  const sorted = [...samples].sort((a, b) => a.t - b.t);
  const before = sorted.filter((s) => s.t < faultAt && s.holders.length === 1).at(-1)?.holders[0] ?? null;
  // Without a known holder before the fault nothing can be said to have moved.
  if (before === null) return { before, moves: [] };
  const moves: Move[] = [];
  let at: string = before;
  for (const s of sorted) {
    if (s.t < faultAt || s.holders.length !== 1 || s.holders[0] === at) continue;
    moves.push({ what, from: at, to: s.holders[0]!, afterS: round3((s.t - faultAt) / 1000) });
    at = s.holders[0]!;
  }
  return { before, moves };
}

/** A probe's answers as holder observations (the router-api probe's hosts reported active). */
export function sampledHolders(
  samples: readonly { readonly probe: string; readonly t: number; readonly holders?: readonly string[] }[],
  probe: string,
): HolderSample[] {
  return samples.flatMap((s) =>
    s.probe === probe && s.holders !== undefined ? [{ t: s.t, holders: s.holders }] : [],
  );
}

/**
 * When a report first named another holder after the fault, even beside the old one: Neutron's
 * API keeps a dead agent's router `active` until the agent is declared dead (agent_down_time), so
 * "the API says it moved" is the new host appearing, not the old one leaving. Also how long the
 * report named two or more holders after the fault (seconds, between observations).
 */
export function firstElsewhere(
  what: string,
  samples: readonly HolderSample[],
  faultAt: number,
): Tracked & { readonly severalS: number } {
  const sorted = [...samples].sort((a, b) => a.t - b.t);
  const before = sorted.filter((s) => s.t < faultAt && s.holders.length === 1).at(-1)?.holders[0] ?? null;
  const after = sorted.filter((s) => s.t >= faultAt);
  let severalS = 0;
  for (let i = 0; i + 1 < after.length; i++)
    if (after[i]!.holders.length > 1) severalS += (after[i + 1]!.t - after[i]!.t) / 1000;
  if (before === null) return { before, moves: [], severalS: round3(severalS) };
  const seen = after.find((s) => s.holders.some((h) => h !== before));
  const to = seen?.holders.find((h) => h !== before);
  return {
    before,
    moves: seen && to ? [{ what, from: before, to, afterS: round3((seen.t - faultAt) / 1000) }] : [],
    severalS: round3(severalS),
  };
}

/** The first move of `what`, if it moved. */
export function firstMove(moves: readonly Move[], what: string): Move | undefined {
  return moves.find((m) => m.what === what);
}

/** Seconds from the fault until `what` first moved; null when it did not. */
export function moveSeconds(moves: readonly Move[], what: string): number | null {
  return firstMove(moves, what)?.afterS ?? null;
}

/** Where `what` was at the end: its last move's destination, else where it was before. */
export function placeAfter(
  placedBefore: Readonly<Record<string, string | null>>,
  moves: readonly Move[],
  what: string,
): string | null {
  return moves.filter((m) => m.what === what).at(-1)?.to ?? placedBefore[what] ?? null;
}
