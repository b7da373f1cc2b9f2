/**
 * The clean demo topology every rule's failing example starts from: two load
 * balancers, three controllers, two network nodes, two computes. On its own it
 * yields no diagnostic (a test holds it to that), so an example built from it
 * fails only for the reason it was written to show.
 */

/** Top-level scalar sections, as one-line YAML values. */
const TOP: readonly (readonly [string, string])[] = [
  ["version", "1"],
  ["cloud", "demo"],
  ["domain", "demo.example"],
  ["kolla", '{ release: "2025.1" }'],
];

const NETWORKS: readonly (readonly [string, string])[] = [
  ["management", "{ cidr: 10.0.0.0/24, interface: eth0 }"],
  ["external", "{ cidr: 203.0.113.0/24, interface: eth1 }"],
];

const VIP = "{ internal: 10.0.0.10, router_id: 51 }";

const HOSTS: readonly (readonly [string, string])[] = [
  ["lb1", "{ roles: [loadbalancer], addresses: { management: 10.0.0.11 } }"],
  ["lb2", "{ roles: [loadbalancer], addresses: { management: 10.0.0.12 } }"],
  ["ctl1", "{ roles: [control], addresses: { management: 10.0.0.21 } }"],
  ["ctl2", "{ roles: [control], addresses: { management: 10.0.0.22 } }"],
  ["ctl3", "{ roles: [control], addresses: { management: 10.0.0.23 } }"],
  ["net1", "{ roles: [network], addresses: { management: 10.0.0.31 } }"],
  ["net2", "{ roles: [network], addresses: { management: 10.0.0.32 } }"],
  ["cmp1", "{ roles: [compute], addresses: { management: 10.0.0.41 } }"],
  ["cmp2", "{ roles: [compute], addresses: { management: 10.0.0.42 } }"],
];

/** The demo's computes attached to the external network (for DVR and provider networks, which put br-ex on them). */
export const EXTERNAL_COMPUTES: Readonly<Record<string, string>> = {
  cmp1: "{ roles: [compute], addresses: { management: 10.0.0.41 }, interfaces: { external: eth1 } }",
  cmp2: "{ roles: [compute], addresses: { management: 10.0.0.42 }, interfaces: { external: eth1 } }",
};

/** Changes to the demo topology: a value replaces an entry (or adds one), `null` removes it. */
export interface DemoChanges {
  /** version, cloud, domain, kolla: one-line values. */
  readonly top?: Readonly<Record<string, string | null>>;
  readonly networks?: Readonly<Record<string, string | null>>;
  /** The whole `vip:` value, on one line. */
  readonly vip?: string;
  readonly hosts?: Readonly<Record<string, string | null>>;
  /** Further top-level sections (neutron, cinder, masakari…), as YAML text. */
  readonly tail?: string;
}

function merge(
  base: readonly (readonly [string, string])[],
  changes: Readonly<Record<string, string | null>> = {},
) {
  const out: [string, string][] = [];
  for (const [k, v] of base) {
    const c = changes[k];
    if (c === null) continue;
    out.push([k, c ?? v]);
  }
  for (const [k, v] of Object.entries(changes)) {
    if (v !== null && !base.some(([b]) => b === k)) out.push([k, v]);
  }
  return out;
}

/** The demo topology with changes applied, as YAML text. */
export function demo(changes: DemoChanges = {}): string {
  const lines: string[] = [];
  for (const [k, v] of merge(TOP, changes.top)) lines.push(`${k}: ${v}`);
  lines.push("networks:");
  for (const [k, v] of merge(NETWORKS, changes.networks)) lines.push(`  ${k}: ${v}`);
  lines.push(`vip: ${changes.vip ?? VIP}`);
  lines.push("hosts:");
  for (const [k, v] of merge(HOSTS, changes.hosts)) lines.push(`  ${k}: ${v}`);
  if (changes.tail) lines.push(changes.tail.trimEnd());
  return lines.join("\n") + "\n";
}

/** The marker a failing example puts on the line its diagnostic should point at. */
export const MARKER = /#\s*<--\s*(HA\d{3})/;

/** Line numbers (1-based) marked `# <-- CODE` for the given code. */
export function markedLines(text: string, code: string): number[] {
  const out: number[] = [];
  text.split("\n").forEach((line, i) => {
    const m = MARKER.exec(line);
    if (m && m[1] === code) out.push(i + 1);
  });
  return out;
}

/**
 * A second cloud on the same management segment (addresses 10.0.0.1xx), for
 * the rules that compare clouds given with `--peer`.
 */
export function peerDemo(routerId: number, changes: DemoChanges = {}): string {
  const hosts: Record<string, string | null> = {};
  for (const [name, line] of HOSTS)
    hosts[name] = line.replace(/10\.0\.0\.(\d+)/g, (_, n: string) => `10.0.0.${100 + Number(n)}`);
  return demo({
    ...changes,
    top: { cloud: "other", ...changes.top },
    vip: changes.vip ?? `{ internal: 10.0.0.110, router_id: ${routerId} }`,
    hosts: { ...hosts, ...changes.hosts },
  });
}
