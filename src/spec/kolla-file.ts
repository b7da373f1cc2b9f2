/**
 * Recognising the files an operator may hand to `check` by mistake: a kolla
 * globals.yml or an Ansible inventory (INI or YAML) is not a topology, and
 * saying so beats 27 unknown-key errors. Pure text heuristics, run before
 * parsing; a file with the topology's own top-level keys is never one.
 */

/** What kind of kolla-ansible file the text is, and the line that shows it. */
export interface KollaFile {
  readonly kind: "globals" | "inventory-ini" | "inventory-yaml";
  readonly line: number;
}

const TOPOLOGY_KEY = /^(version|cloud|hosts|networks|vip)\s*:/m;
const GLOBALS_KEY =
  /^(kolla_[a-z0-9_]+|openstack_release|network_interface|api_interface|neutron_[a-z0-9_]+|enable_[a-z0-9_]+|keepalived_virtual_router_id|docker_[a-z0-9_]+)\s*:/;
const INI_SECTION = /^\[[A-Za-z0-9_.:-]+\]\s*([#;].*)?$/;

/** The kolla file `text` looks like, or undefined for anything else (a topology, or not YAML). */
export function kollaFileKind(text: string): KollaFile | undefined {
  if (TOPOLOGY_KEY.test(text)) return undefined;
  const lines = text.split(/\r?\n/);
  let globals = 0;
  let firstGlobal = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (INI_SECTION.test(l)) return { kind: "inventory-ini", line: i + 1 };
    if (GLOBALS_KEY.test(l)) {
      globals++;
      if (firstGlobal === 0) firstGlobal = i + 1;
    }
  }
  if (globals >= 2) return { kind: "globals", line: firstGlobal };
  const all = lines.findIndex((l) => /^all\s*:\s*(#.*)?$/.test(l));
  if (all !== -1 && lines.slice(all + 1).some((l) => /^\s+(children|hosts|vars)\s*:/.test(l)))
    return { kind: "inventory-yaml", line: all + 1 };
  return undefined;
}

/** What the kind is called in a message. */
export const KOLLA_FILE_WORDS: Readonly<Record<KollaFile["kind"], string>> = {
  globals: "a kolla-ansible globals.yml",
  "inventory-ini": "an Ansible inventory (INI, like kolla's multinode)",
  "inventory-yaml": "an Ansible inventory (YAML)",
};
