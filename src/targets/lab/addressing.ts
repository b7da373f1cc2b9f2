/**
 * Maps the topology's networks into 198.18.0.0/15 (RFC 2544's benchmarking
 * range), so a lab never uses the production addresses. Each network gets its
 * own block with the topology's prefix length (capped so every block fits),
 * and every address keeps its offset inside the network: with management
 * 10.0.0.0/24 first, 10.0.0.20 becomes 198.18.0.20. Pure.
 */

import { cidrContains, formatIpv4, parseCidr, parseIpv4, type Ipv4Cidr } from "../../net/ipv4.ts";
import { LabError } from "./errors.ts";

/** The lab's whole range. */
export const LAB_RANGE = { base: "198.18.0.0", prefix: 15 } as const;

/** One topology network and its lab block. */
export interface NetworkMapping {
  readonly name: string;
  readonly topologyCidr: string;
  readonly labCidr: string;
  readonly labPrefix: number;
}

/** A network as the mapping needs it. */
export interface MappableNetwork {
  readonly name: string;
  readonly cidr: string;
}

/** The parsed CIDR; the topology's text passed the schema, so malformed text is a bug. */
function cidrOf(text: string): Ipv4Cidr {
  const c = parseCidr(text);
  if (c === undefined) throw new Error(`not an IPv4 CIDR: ${text}`);
  return c;
}

function addressOf(text: string): number {
  const n = parseIpv4(text);
  if (n === undefined) throw new Error(`not an IPv4 address: ${text}`);
  return n;
}

/**
 * Lab blocks for the networks: largest first (so blocks stay aligned), in
 * declaration order among equals. A /24 stays a /24; anything larger than
 * its fair share of the /15 is narrowed.
 */
export function mapNetworks(networks: readonly MappableNetwork[]): NetworkMapping[] {
  if (networks.length === 0) return [];
  const minPrefix = LAB_RANGE.prefix + Math.ceil(Math.log2(networks.length));
  const sized = networks.map((n, i) => {
    const { prefix } = cidrOf(n.cidr);
    return { n, i, labPrefix: Math.min(30, Math.max(prefix, minPrefix)) };
  });
  const order = [...sized].sort((a, b) => a.labPrefix - b.labPrefix || a.i - b.i);
  let next = addressOf(LAB_RANGE.base);
  const out = new Map<number, NetworkMapping>();
  for (const s of order) {
    const size = 2 ** (32 - s.labPrefix);
    out.set(s.i, {
      name: s.n.name,
      topologyCidr: s.n.cidr,
      labCidr: `${formatIpv4(next)}/${s.labPrefix}`,
      labPrefix: s.labPrefix,
    });
    next += size;
  }
  return sized.map((s) => out.get(s.i)!);
}

/** The lab address of a topology address on a mapped network (same offset, modulo the lab block). */
export function mapAddress(m: NetworkMapping, ip: string): string {
  const topo = cidrOf(m.topologyCidr);
  const lab = cidrOf(m.labCidr);
  const labSize = 2 ** (32 - lab.prefix);
  const offset = (addressOf(ip) - topo.network + 2 ** 32) % 2 ** 32;
  return formatIpv4(lab.network + (offset % labSize));
}

/** True when `ip` lies inside `cidr` (both as text). */
export function cidrHolds(cidr: string, ip: string): boolean {
  return cidrContains(cidrOf(cidr), addressOf(ip));
}

/** The highest usable address of a lab block not in `taken` (for the client namespace). */
export function freeAddress(m: NetworkMapping, taken: ReadonlySet<string>): string {
  const { network, last } = cidrOf(m.labCidr);
  for (let n = last - 1; n > network; n--) {
    const ip = formatIpv4(n);
    if (!taken.has(ip)) return ip;
  }
  throw new LabError(`no free address left in ${m.labCidr} for the lab's client`, undefined, [], {
    code: "E-LAB-002",
  });
}

/** Problems with mapped addresses: network/broadcast offsets or two hosts on one lab address. */
export function addressClashes(
  m: NetworkMapping,
  assigned: readonly { readonly who: string; readonly topology: string; readonly lab: string }[],
): string[] {
  const { network, last } = cidrOf(m.labCidr);
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const a of assigned) {
    const n = addressOf(a.lab);
    if (n === network || n === last) {
      problems.push(
        `${a.who}: ${a.topology} maps to ${a.lab}, the network or broadcast address of ${m.labCidr}`,
      );
    }
    const other = seen.get(a.lab);
    if (other !== undefined) {
      problems.push(`${a.who} and ${other} both map to ${a.lab} on ${m.name} (lab block ${m.labCidr})`);
    }
    seen.set(a.lab, a.who);
  }
  return problems;
}
