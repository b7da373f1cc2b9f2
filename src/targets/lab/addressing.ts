/**
 * Maps the topology's networks into 198.18.0.0/15 (RFC 2544's benchmarking
 * range), so a lab never uses the production addresses. Each network gets its
 * own block with the topology's prefix length (capped so every block fits),
 * and every address keeps its offset inside the network: with management
 * 10.0.0.0/24 first, 10.0.0.20 becomes 198.18.0.20. Pure.
 */

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

/** An IPv4 address as an unsigned 32-bit number. */
export function ipToNumber(ip: string): number {
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`not an IPv4 address: ${ip}`);
  }
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

/** Dotted quad of an unsigned 32-bit number. */
export function numberToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

function parseCidr(cidr: string): { base: number; prefix: number } {
  const [ip, p] = cidr.split("/");
  const prefix = Number(p);
  if (ip === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32)
    throw new Error(`not a CIDR: ${cidr}`);
  const size = 2 ** (32 - prefix);
  return { base: ipToNumber(ip) - (ipToNumber(ip) % size), prefix };
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
    const { prefix } = parseCidr(n.cidr);
    return { n, i, labPrefix: Math.min(30, Math.max(prefix, minPrefix)) };
  });
  const order = [...sized].sort((a, b) => a.labPrefix - b.labPrefix || a.i - b.i);
  let next = ipToNumber(LAB_RANGE.base);
  const out = new Map<number, NetworkMapping>();
  for (const s of order) {
    const size = 2 ** (32 - s.labPrefix);
    out.set(s.i, {
      name: s.n.name,
      topologyCidr: s.n.cidr,
      labCidr: `${numberToIp(next)}/${s.labPrefix}`,
      labPrefix: s.labPrefix,
    });
    next += size;
  }
  return sized.map((s) => out.get(s.i)!);
}

/** The lab address of a topology address on a mapped network (same offset, modulo the lab block). */
export function mapAddress(m: NetworkMapping, ip: string): string {
  const topo = parseCidr(m.topologyCidr);
  const lab = parseCidr(m.labCidr);
  const labSize = 2 ** (32 - lab.prefix);
  const offset = (ipToNumber(ip) - topo.base + 2 ** 32) % 2 ** 32;
  return numberToIp(lab.base + (offset % labSize));
}

/** True when `ip` lies inside `cidr`. */
export function cidrContains(cidr: string, ip: string): boolean {
  const { base, prefix } = parseCidr(cidr);
  const size = 2 ** (32 - prefix);
  const n = ipToNumber(ip);
  return n >= base && n < base + size;
}

/** The highest usable address of a lab block not in `taken` (for the client namespace). */
export function freeAddress(m: NetworkMapping, taken: ReadonlySet<string>): string {
  const { base, prefix } = parseCidr(m.labCidr);
  const size = 2 ** (32 - prefix);
  for (let n = base + size - 2; n > base; n--) {
    const ip = numberToIp(n);
    if (!taken.has(ip)) return ip;
  }
  throw new Error(`no free address left in ${m.labCidr} for the lab's client`);
}

/** Problems with mapped addresses: network/broadcast offsets or two hosts on one lab address. */
export function addressClashes(
  m: NetworkMapping,
  assigned: readonly { readonly who: string; readonly topology: string; readonly lab: string }[],
): string[] {
  const { base, prefix } = parseCidr(m.labCidr);
  const last = base + 2 ** (32 - prefix) - 1;
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const a of assigned) {
    const n = ipToNumber(a.lab);
    if (n === base || n === last) {
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
