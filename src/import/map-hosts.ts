/**
 * Inventory hosts -> the topology's hosts: roles from kolla's top-level groups
 * (through `:children`), short names and the DNS domain from FQDNs, management
 * addresses from `ansible_host` or a hosts file, per-host interface names. An
 * address that is in neither is reported, never invented.
 */
import { basename, dirname, relative } from "node:path";
import type { Diagnostic, Severity } from "../diagnostics/diagnostic.ts";
import { closest } from "../diagnostics/suggest.ts";
import { ROLES, type Role } from "../spec/schema.ts";
import { IFNAME, IMPORT_CODES as C, importDiagnostic } from "./codes.ts";
import { isIpv4, type HostsEntry, type HostsFile } from "./hosts-file.ts";
import type { Inventory, SourcePos } from "./inventory.ts";

/** The topology's hosts and what was learnt on the way. */
export interface HostsMapping {
  /** Short name -> host entry in the topology's input form, in kolla's group order. */
  readonly hosts: Record<string, Record<string, unknown>>;
  readonly domain: string;
  /** Every management address found, for the network's CIDR. */
  readonly managementAddresses: string[];
  readonly origins: Map<string, string>;
  readonly diagnostics: Diagnostic[];
}

/** Variables that set the management (API) interface of one host. */
const MANAGEMENT_INTERFACE_VARS = ["api_interface", "network_interface"];
/** Per-host interface variables for networks the imported topology cannot declare. */
const OTHER_INTERFACE_VARS: Record<string, string> = {
  tunnel_interface: "tenant",
  storage_interface: "storage",
  neutron_external_interface: "external",
  kolla_external_vip_interface: "external",
  dns_interface: "management",
  migration_interface: "management",
};
/** Connection variables: needed to reach the hosts, not part of the cloud's design. */
const CONNECTION_VARS =
  /^ansible_(connection|user|port|become\w*|ssh_\w+|password|python_interpreter|private_key_file)$/;

interface Candidate {
  readonly invName: string;
  readonly short: string;
  readonly roles: Role[];
  readonly at: SourcePos;
}

/** Maps the inventory's role groups onto topology hosts. */
export function mapHosts(
  inv: Inventory,
  hostsFile: HostsFile | undefined,
  managementInterface: string,
): HostsMapping {
  const diagnostics: Diagnostic[] = [];
  const origins = new Map<string, string>();
  const invShort = basename(inv.file);
  const report = (
    code: string,
    severity: Severity,
    message: string,
    at: SourcePos,
    hint: string,
    file = at.file ?? inv.file,
  ) => diagnostics.push(importDiagnostic(code, severity, message, file, at, hint));
  // Origins name the file a value came from: the inventory's, or a host_vars/group_vars file.
  const place = (at: SourcePos) =>
    `${at.file === undefined ? invShort : relative(dirname(inv.file), at.file)}:${at.line}`;

  const members = roleMembers(inv, report);
  const candidates = new Map<string, Candidate>();
  for (const role of ROLES) {
    for (const invName of members.get(role) ?? []) {
      const c = candidates.get(invName);
      if (c) c.roles.push(role);
      else {
        const at = inv.hosts.get(invName)?.lines[0] ?? { line: 1, column: 1 };
        candidates.set(invName, { invName, short: shortName(invName), roles: [role], at });
      }
    }
  }
  reportHostsWithoutRole(inv, candidates, report);
  if (candidates.size === 0) {
    report(
      C.noHosts,
      "error",
      `no host is in any of kolla-ansible's role groups (${ROLES.join(", ")})`,
      { line: 1, column: 1 },
      "List the hosts under [control], [network], [compute], [storage], [monitoring] and [loadbalancer], as kolla-ansible's multinode inventory does.",
    );
  }

  const hosts: Record<string, Record<string, unknown>> = {};
  const fqdns = new Map<string, string>();
  const managementAddresses: string[] = [];
  const byShort = new Map<string, Candidate>();
  const missing: Candidate[] = [];
  const usedEntries = new Set<HostsEntry>();
  for (const c of candidates.values()) {
    const clash = byShort.get(c.short);
    if (clash) {
      report(
        C.hostNameClash,
        "error",
        `\`${c.invName}\` and \`${clash.invName}\` (line ${clash.at.line}) have the same short name \`${c.short}\``,
        c.at,
        "Hosts are keyed by short name in the topology; rename one of them.",
      );
      continue;
    }
    byShort.set(c.short, c);
    const vars = inv.hostVars(c.invName);
    const varAt = (name: string) => inv.varOrigin(c.invName, name) ?? c.at;
    const entry: Record<string, unknown> = { roles: c.roles };
    origins.set(`hosts.${c.short}.roles`, place(c.at));

    const found = findAddress(c, vars, hostsFile, `${place(varAt("ansible_host"))} ansible_host`);
    if (found.kind === "address") {
      entry.addresses = { management: found.address };
      origins.set(`hosts.${c.short}.addresses.management`, found.origin);
      managementAddresses.push(found.address);
      if (found.fqdn) fqdns.set(c.short, found.fqdn);
      if (found.entry) usedEntries.add(found.entry);
    } else if (found.kind === "bad-ansible-host") {
      entry.addresses = {};
      report(
        C.hostAddressInvalid,
        "error",
        `${c.invName}: ansible_host=${show(vars.ansible_host)} is not an IPv4 address${hostsFile ? ` and ${basename(hostsFile.file)} does not list it` : ""}`,
        varAt("ansible_host"),
        `Set ansible_host to the host's management address, or pass --hosts-file with a line \`ADDRESS ${show(vars.ansible_host)}\`.`,
      );
    } else {
      entry.addresses = {};
      missing.push(c);
    }
    if (c.invName.includes(".") && !isIpv4(c.invName)) fqdns.set(c.short, c.invName);

    const interfaces = hostInterfaces(c, vars, managementInterface, varAt, report);
    if (interfaces) {
      entry.interfaces = interfaces.value;
      origins.set(`hosts.${c.short}.interfaces.management`, `${place(interfaces.at)} ${interfaces.from}`);
    }
    reportIgnoredVars(inv, c, report);
    hosts[c.short] = entry;
  }

  for (const c of missing) {
    // Suggest only hosts-file names no other host took: the likely typo (hpa1 for hap1).
    const guess = hostsFile ? closestHostsName(c, hostsFile, usedEntries) : undefined;
    report(
      C.hostAddressMissing,
      "error",
      `${c.invName} has no address: the inventory sets no ansible_host${hostsFile ? ` and ${basename(hostsFile.file)} does not list ${c.short}` : " and no --hosts-file was given"}`,
      c.at,
      (guess
        ? `${basename(hostsFile!.file)}:${guess.line} lists \`${guess.name}\` — a typo for ${c.short}? `
        : "") +
        `Add \`ansible_host=10.0.0.x\` after ${c.invName} here, or pass --hosts-file with a line \`10.0.0.x ${c.invName}\` (/etc/hosts format).`,
    );
  }

  const domain = chooseDomain(fqdns, report);
  for (const [short, fqdn] of fqdns) {
    if (hosts[short] && fqdn.toLowerCase() !== `${short}.${domain}`.toLowerCase()) {
      hosts[short].fqdn = fqdn;
      origins.set(`hosts.${short}.fqdn`, `${invShort}: the host's name`);
    }
  }
  return { hosts, domain, managementAddresses, origins, diagnostics };
}

type Report = (
  code: string,
  severity: Severity,
  message: string,
  at: SourcePos,
  hint: string,
  file?: string,
) => void;

/** Hosts of each role group; an old-style [haproxy] group stands in for a missing [loadbalancer]. */
function roleMembers(inv: Inventory, report: Report): Map<Role, string[]> {
  const out = new Map<Role, string[]>();
  for (const role of ROLES) out.set(role, inv.resolveGroup(role) ?? []);
  const haproxy = inv.resolveGroup("haproxy") ?? [];
  if ((out.get("loadbalancer") ?? []).length === 0 && haproxy.length > 0) {
    const at = inv.groups.get("haproxy")?.sections[0] ?? { line: 1, column: 1 };
    out.set("loadbalancer", haproxy);
    report(
      C.groupRenamed,
      "warning",
      "[haproxy] holds the load balancers but there is no [loadbalancer] group: kolla-ansible renamed it in Xena, and its prechecks fail without it",
      at,
      "Add `[loadbalancer:children]` with `haproxy` under it (as the book's chapter 7 does); imported as the loadbalancer role.",
    );
  }
  return out;
}

function reportHostsWithoutRole(inv: Inventory, candidates: Map<string, Candidate>, report: Report) {
  for (const host of inv.hosts.values()) {
    if (candidates.has(host.name)) continue;
    const groups = inv.groupsOf(host.name).filter((g) => g !== "all" && g !== "ungrouped");
    // The deployment host (kolla's [deployment] localhost) is not part of the cloud.
    if (groups.length === 0 || groups.every((g) => g === "deployment")) continue;
    report(
      C.hostWithoutRole,
      "warning",
      `${host.name} is in ${groups.slice(0, 5).join(", ")}${groups.length > 5 ? ", …" : ""} but in none of kolla-ansible's role groups; it is not imported`,
      host.lines[0] ?? { line: 1, column: 1 },
      `Put it under one of [${ROLES.join("], [")}] if it is part of the cloud.`,
    );
  }
}

type Found =
  | { kind: "address"; address: string; origin: string; fqdn?: string; entry?: HostsEntry }
  | { kind: "bad-ansible-host" }
  | { kind: "missing" };

function findAddress(
  c: Candidate,
  vars: Record<string, unknown>,
  hostsFile: HostsFile | undefined,
  ansibleHostOrigin: string,
): Found {
  const fromFile = (e: HostsEntry): Found => ({
    kind: "address",
    address: e.address,
    origin: `${basename(hostsFile!.file)}:${e.line} ${e.name}`,
    fqdn: e.canonical.includes(".") ? e.canonical : undefined,
    entry: e,
  });
  const ah = vars.ansible_host;
  if (ah !== undefined) {
    const text = show(ah);
    if (isIpv4(text)) return { kind: "address", address: text, origin: ansibleHostOrigin };
    const e = hostsFile?.byName.get(text.toLowerCase());
    return e ? fromFile(e) : { kind: "bad-ansible-host" };
  }
  if (hostsFile) {
    const exact =
      hostsFile.byName.get(c.invName.toLowerCase()) ?? hostsFile.byName.get(c.short.toLowerCase());
    if (exact) return fromFile(exact);
    // "10.0.0.20 hap1.os" (the book's style) names hap1.os.packtpub by its first label.
    for (const e of hostsFile.byName.values())
      if (shortName(e.name).toLowerCase() === c.short.toLowerCase()) return fromFile(e);
  }
  if (isIpv4(c.invName)) return { kind: "address", address: c.invName, origin: "the inventory's host name" };
  return { kind: "missing" };
}

function closestHostsName(
  c: Candidate,
  hostsFile: HostsFile,
  used: ReadonlySet<HostsEntry>,
): HostsEntry | undefined {
  const taken = new Set([...used].map((e) => e.line));
  const shorts = new Map<string, HostsEntry>();
  for (const e of hostsFile.byName.values()) {
    if (taken.has(e.line)) continue; // a line another host's address came from
    if (!shorts.has(shortName(e.name))) shorts.set(shortName(e.name), e);
  }
  const guess =
    closest(c.short, shorts.keys()) ?? [...shorts.keys()].find((k) => swapsTwoLetters(k, c.short));
  return guess === undefined ? undefined : shorts.get(guess);
}

/** "hpa1" for "hap1": two neighbouring letters swapped, the commonest typo in host names. */
function swapsTwoLetters(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  const diff = [...a].flatMap((ch, i) => (ch === b[i] ? [] : [i]));
  return (
    diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]] && a[diff[1]] === b[diff[0]!]
  );
}

function hostInterfaces(
  c: Candidate,
  vars: Record<string, unknown>,
  managementInterface: string,
  varAt: (name: string) => SourcePos,
  report: Report,
): { value: Record<string, string>; from: string; at: SourcePos } | undefined {
  let result: { value: Record<string, string>; from: string; at: SourcePos } | undefined;
  const name = MANAGEMENT_INTERFACE_VARS.find((n) => vars[n] !== undefined);
  if (name) {
    const v = show(vars[name]);
    if (v.includes("{{")) {
      report(
        C.jinjaUnresolved,
        "warning",
        `${c.invName}: ${name}=${v} is a Jinja expression hacloud does not evaluate; the host keeps the network's interface`,
        varAt(name),
        "Write the interface name itself.",
      );
    } else if (!IFNAME.test(v)) {
      report(
        C.hostVarInvalid,
        "error",
        `${c.invName}: ${name}=${v.length > 40 ? v.slice(0, 40) + "…" : v} is not a Linux interface name`,
        varAt(name),
        "Give the interface's name (at most 15 letters, digits and `_.:@-`), e.g. eth0 or bond0.",
      );
    } else if (v !== managementInterface) {
      result = { value: { management: v }, from: name, at: varAt(name) };
    }
  }
  for (const [v, network] of Object.entries(OTHER_INTERFACE_VARS)) {
    if (vars[v] === undefined) continue;
    report(
      C.interfaceWithoutNetwork,
      "warning",
      `${c.invName}: ${v}=${show(vars[v])} is not imported: the topology has no ${network === "management" ? `per-host ${v}` : `${network} network`} (its CIDR and the hosts' addresses are not in these files)`,
      varAt(v),
      network === "management"
        ? `hacloud uses the management interface for this traffic; set it in the rendered inventory if it must differ.`
        : `Add networks.${network} and each host's address on it, then interfaces.${network}: ${show(vars[v])} on this host.`,
    );
  }
  return result;
}

function reportIgnoredVars(inv: Inventory, c: Candidate, report: Report) {
  const host = inv.hosts.get(c.invName);
  if (!host) return;
  const known = new Set(["ansible_host", ...MANAGEMENT_INTERFACE_VARS, ...Object.keys(OTHER_INTERFACE_VARS)]);
  // The host's own variables: its inventory line, and its host_vars files.
  const positions: Record<string, SourcePos> = { ...host.varPositions };
  for (const dir of inv.varsDirs) Object.assign(positions, dir.hosts.get(c.invName)?.varPositions);
  const ignored = Object.keys(positions).filter((k) => !known.has(k) && !CONNECTION_VARS.test(k));
  if (ignored.length === 0) return;
  report(
    C.hostVarsIgnored,
    "info",
    `${c.invName}: host variable${ignored.length === 1 ? "" : "s"} ${ignored.join(", ")} ${ignored.length === 1 ? "is" : "are"} not part of the topology and not imported`,
    positions[ignored[0]!] ?? c.at,
    "Keep them in the inventory hacloud renders by hand, or drop them if they are no longer needed.",
  );
}

function chooseDomain(fqdns: Map<string, string>, report: Report): string {
  const counts = new Map<string, number>();
  for (const f of fqdns.values()) {
    const d = f.slice(f.indexOf(".") + 1).toLowerCase();
    if (/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(d)) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (ranked.length === 0) {
    report(
      C.domainGuessed,
      "warning",
      "no host name in the inventory (or hosts file) has a DNS domain; `localdomain` is written",
      { line: 1, column: 1 },
      "Edit `domain:` in the written topology, or give FQDNs in the inventory or the hosts file (`10.0.0.20 hap1.os.example hap1`).",
    );
    return "localdomain";
  }
  return ranked[0]![0];
}

/** The first label of a host name; an IPv4 address becomes a name (`host-10-0-0-5`). */
export function shortName(name: string): string {
  if (isIpv4(name)) return `host-${name.replace(/\./g, "-")}`;
  return name.split(".")[0] || name;
}

/** A variable's value as text for messages: strings as they are, anything else as JSON. */
function show(v: unknown): string {
  return typeof v === "string" ? v : (JSON.stringify(v) ?? String(v));
}
