/**
 * Putting the pieces together: the inventory's hosts and globals.yml's settings
 * become one topology (in the topology file's input form), with the management
 * network's CIDR derived from the addresses found.
 */
import { basename } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { formatIpv4, parseIpv4 } from "../net/ipv4.ts";
import { CLOUD_NAME, IMPORT_CODES as C, importDiagnostic } from "./codes.ts";
import type { ParsedGlobals } from "./globals.ts";
import type { Inventory } from "./inventory.ts";
import type { GlobalsMapping } from "./map-globals.ts";
import type { HostsMapping } from "./map-hosts.ts";

/** A topology ready to be written, or the reason it is not (in the diagnostics). */
export interface TopologyDraft {
  /** Undefined when something the topology requires is missing. */
  readonly data: Record<string, unknown> | undefined;
  readonly origins: Map<string, string>;
  readonly diagnostics: Diagnostic[];
}

/** Assembles the topology from the mapped globals and hosts. */
export function toTopology(
  inv: Inventory,
  globals: ParsedGlobals,
  g: GlobalsMapping,
  h: HostsMapping,
  cloudName: string | undefined,
): TopologyDraft {
  const diagnostics: Diagnostic[] = [];
  const origins = new Map<string, string>([...g.origins, ...h.origins]);
  if (cloudName !== undefined && !CLOUD_NAME.test(cloudName)) {
    diagnostics.push(
      importDiagnostic(
        C.cloudNameDerived,
        "error",
        `the cloud name \`${cloudName.slice(0, 40)}\` is not valid`,
        inv.file,
        { line: 1, column: 1 },
        "A cloud name is lowercase letters, digits and inner hyphens, e.g. packtpub-prod.",
      ),
    );
  }
  const cloud = cloudName ?? deriveCloudName(inv, diagnostics);
  origins.set("cloud", cloudName ? "--cloud" : `the inventory's file name (${basename(inv.file)})`);
  origins.set("domain", "the hosts' FQDNs");

  const vip = typeof g.vip?.internal === "string" ? g.vip.internal : undefined;
  const cidr = managementCidr(h.managementAddresses, vip, globals, diagnostics);
  if (cidr) origins.set("networks.management.cidr", cidr.origin);
  const complete = g.vip !== undefined && cidr !== undefined && typeof g.kolla.release === "string";
  const data: Record<string, unknown> = {
    version: 1,
    cloud,
    domain: h.domain,
    kolla: g.kolla,
    networks: { management: { cidr: cidr?.cidr, interface: g.managementInterface } },
    vip: g.vip,
    hosts: h.hosts,
    neutron: g.neutron,
    ...(g.cinder ? { cinder: g.cinder } : {}),
    masakari: g.masakari,
    profile: "kolla-default",
  };
  return { data: complete ? data : undefined, origins, diagnostics };
}

/** A cloud name (lowercase letters, digits, inner hyphens) from the inventory's file name. */
function deriveCloudName(inv: Inventory, diagnostics: Diagnostic[]): string {
  const base = basename(inv.file).replace(/\.(ini|cfg|txt|inventory|json|ya?ml)$/i, "");
  const name =
    base
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 63)
      .replace(/-+$/, "") || "imported";
  diagnostics.push(
    importDiagnostic(
      C.cloudNameDerived,
      "info",
      `the cloud is named \`${name}\` after the inventory's file name`,
      inv.file,
      { line: 1, column: 1 },
      "Pass --cloud NAME to choose the name.",
    ),
  );
  return name;
}

/**
 * The smallest network, at most a /24, holding every management address and
 * the VIP: the files never say the prefix length, so /24 is an assumption.
 */
function managementCidr(
  addresses: readonly string[],
  vip: string | undefined,
  globals: ParsedGlobals,
  diagnostics: Diagnostic[],
): { cidr: string; origin: string } | undefined {
  const all = [...addresses, ...(vip ? [vip] : [])];
  const vipAt = globals.vars.get("kolla_internal_vip_address");
  const at = vipAt ? { line: vipAt.line, column: vipAt.column } : { line: 1, column: 1 };
  if (all.length === 0) {
    if (globals.parsed) {
      diagnostics.push(
        importDiagnostic(
          C.cidrUnknown,
          "error",
          "the management network's CIDR cannot be derived: no host address and no VIP are known",
          globals.file,
          at,
          "Give the hosts' addresses (ansible_host or --hosts-file) and kolla_internal_vip_address.",
        ),
      );
    }
    return undefined;
  }
  // both lists hold only addresses that passed isIpv4
  const ints = all.map((a) => parseIpv4(a) ?? NaN);
  let prefix = 24;
  while (prefix > 0 && new Set(ints.map((n) => Math.floor(n / 2 ** (32 - prefix)))).size > 1) prefix--;
  const network = formatIpv4(Math.floor(ints[0]! / 2 ** (32 - prefix)) * 2 ** (32 - prefix));
  const cidr = `${network}/${prefix}`;
  if (prefix < 24) {
    diagnostics.push(
      importDiagnostic(
        C.cidrWidened,
        "warning",
        `the management addresses and the VIP do not fit one /24; the management network is written as ${cidr}`,
        globals.file,
        at,
        "Check the addresses (a typo puts a host in another network), then set networks.management.cidr to the real prefix.",
      ),
    );
    return { cidr, origin: `smallest network holding ${all.length} addresses; check the prefix` };
  }
  diagnostics.push(
    importDiagnostic(
      C.cidrWidened,
      "info",
      `the management network is written as ${cidr}: the files give addresses but no prefix length, so /24 is assumed`,
      globals.file,
      at,
      "Set networks.management.cidr to the real prefix if it is not /24.",
    ),
  );
  return { cidr, origin: "assumed /24 around the addresses found; the files give no prefix length" };
}
