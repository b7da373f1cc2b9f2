/**
 * The diagnostics of `hacloud import` (HA900–HA999) and one helper to make
 * them. docs/import.md lists each code with an example; keep the two in step.
 */
import type { Diagnostic, Severity } from "../diagnostics/diagnostic.ts";

/** Stable codes of the importer, by what went wrong. */
export const IMPORT_CODES = {
  /** Inventory line Ansible's INI plugin would refuse (bad section, missing `=`, unclosed quote…). */
  inventorySyntax: "HA900",
  /** A host range such as `cc[01:3]` that cannot be expanded. */
  hostRange: "HA901",
  /** `[parent:children]` names a group that is never declared (ansible-inventory fails). */
  undefinedChild: "HA902",
  /** `[group:vars]` for a group that is never declared (ansible-inventory fails). */
  undefinedVarsGroup: "HA903",
  /** Groups that contain each other. */
  groupCycle: "HA904",
  /** A group name that differs between kolla-ansible releases (kolla-logs vs kolla_logs, haproxy). */
  groupRenamed: "HA905",
  /** A section declared again; Ansible merges the two, which may not be what was meant. */
  sectionRepeated: "HA906",
  /** An /etc/hosts-style line that cannot be read. */
  hostsFileSyntax: "HA907",
  /** An inventory source hacloud does not evaluate: a script, an inventory plugin's configuration, TOML. */
  inventorySourceUnread: "HA908",
  /** A file in an inventory directory that Ansible skips by its name (INVENTORY_IGNORE_EXTS: .ini, .cfg…). */
  inventoryFileSkipped: "HA909",
  /** A group_vars/host_vars file that is not a mapping of variables, or that is vault-encrypted. */
  varsFileInvalid: "HA910",
  /** A group_vars/host_vars file Ansible does not read: another spelling of the same name comes first. */
  varsFileShadowed: "HA911",
  /** A group_vars/host_vars file for a group or host the inventory does not have. */
  varsFileUnused: "HA912",
  /** globals.yml: an indentation slip read anyway under --lenient. */
  globalsRecovered: "HA920",
  /** globals.yml is not a mapping of variables. */
  globalsNotMapping: "HA921",
  /** A variable hacloud needs is missing (kolla_internal_vip_address). */
  globalsMissing: "HA922",
  /** A variable has a value hacloud cannot use (not an address, out of range, unknown choice). */
  globalsInvalid: "HA923",
  /** openstack_release is not one hacloud renders. */
  releaseUnsupported: "HA924",
  /** A Jinja expression hacloud does not evaluate. */
  jinjaUnresolved: "HA925",
  /** A yes/no variable with a value kolla reads as false. */
  booleanText: "HA926",
  /** enable_neutron_dvr and enable_neutron_agent_ha both on. */
  dvrAgentHaConflict: "HA927",
  /** Variables hacloud does not model, kept verbatim in kolla.extra_globals. */
  extraGlobals: "HA928",
  /** A value not given in the files, taken from kolla-ansible's default. */
  defaultAssumed: "HA929",
  /** A setting that turns off what the topology models (enable_haproxy: no…). */
  unsupportedSetting: "HA930",
  /** Neutron routers are not highly available (neither DVR nor L3 HA). */
  legacyRouting: "HA931",
  /** A host whose address is not in the files. */
  hostAddressMissing: "HA940",
  /** ansible_host that is neither an IPv4 address nor a name the hosts file knows. */
  hostAddressInvalid: "HA941",
  /** Two inventory hosts with the same short name. */
  hostNameClash: "HA942",
  /** A host in service groups but in none of kolla's role groups. */
  hostWithoutRole: "HA943",
  /** No host in any role group: nothing to import. */
  noHosts: "HA944",
  /** The DNS domain is guessed or the hosts' domains differ. */
  domainGuessed: "HA945",
  /** The management network's CIDR cannot be derived. */
  cidrUnknown: "HA946",
  /** Management addresses or the VIP do not fit one /24. */
  cidrWidened: "HA947",
  /** A per-host interface for a network the topology does not have. */
  interfaceWithoutNetwork: "HA948",
  /** Inventory variables hacloud does not use. */
  hostVarsIgnored: "HA949",
  /** A host variable with a value hacloud cannot use (an interface name that is not one). */
  hostVarInvalid: "HA950",
  /** The cloud name is derived from the inventory's file name, or the given one is not valid. */
  cloudNameDerived: "HA952",
  /** The config directory holds exactly what a failover profile renders: read back as `profile:`. */
  configProfile: "HA960",
  /** Some of a profile's override files are there, but not all, or not alike. */
  configProfilePartial: "HA961",
  /** Config files hacloud does not model, kept verbatim in kolla.config_overrides. */
  configVerbatim: "HA962",
  /** A config file a topology cannot carry: a secret, not text, too large, an unusable path. */
  configNotCarried: "HA963",
  /** The topology made does not pass the schema: a bug in the importer, reported instead of written. */
  internalError: "HA999",
} as const;

/** Linux interface names as the topology schema accepts them. */
export const IFNAME = /^[A-Za-z0-9_.:@-]{1,15}$/;

/** Cloud names as the topology schema accepts them. */
export const CLOUD_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** A located import diagnostic. */
export function importDiagnostic(
  code: string,
  severity: Severity,
  message: string,
  file: string,
  at: { readonly line: number; readonly column: number },
  hint: string,
): Diagnostic {
  return {
    code,
    severity,
    message,
    file,
    line: Math.max(1, at.line),
    column: Math.max(1, at.column),
    hint,
  };
}
