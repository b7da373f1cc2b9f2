/**
 * `hacloud import` as a library call: a kolla-ansible inventory (INI, YAML, or
 * the JSON of `ansible-inventory --list`) and globals.yml
 * (and optionally a hosts file) in, topology YAML and located diagnostics out.
 * Pure: the caller reads the files and writes the result.
 */
import { basename } from "node:path";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.ts";
import { MAX_INPUT_BYTES } from "../spec/input.ts";
import { loadTopologyText } from "../spec/load.ts";
import type { Topology } from "../spec/schema.ts";
import { IMPORT_CODES as C } from "./codes.ts";
import { parseGlobals, type ParsedGlobals } from "./globals.ts";
import { importConfigDir, type ConfigFile, type ProfileRenderer } from "./config-overrides.ts";
import { parseHostsFile } from "./hosts-file.ts";
import type { Inventory } from "./inventory.ts";
import { parseInventorySources, type InventorySource } from "./inventory-sources.ts";
import { mapGlobals } from "./map-globals.ts";
import { mapHosts } from "./map-hosts.ts";
import { inventoryGroupNotes } from "./group-notes.ts";
import { toTopology } from "./to-topology.ts";
import { topologyYaml } from "./topology-yaml.ts";

/** One input file's name and text. */
export interface ImportInput {
  readonly file: string;
  readonly text: string;
}

/** What to import. */
export interface ImportOptions {
  /** One inventory file, or every `-i` as read from the disk (files and directories, in order). */
  readonly inventory: ImportInput | readonly InventorySource[];
  readonly globals: ImportInput;
  /** /etc/hosts-style names -> addresses, for inventories without ansible_host. */
  readonly hostsFile?: ImportInput;
  /** kolla's config directory (/etc/kolla/config), to read the profile and verbatim overrides from. */
  readonly configDir?: {
    readonly dir: string;
    readonly files: readonly ConfigFile[];
    /** How hacloud renders a profile (render's renderedProfile; handed in, render is a higher layer). */
    readonly renderProfile: ProfileRenderer;
  };
  /** Read past indentation slips in globals.yml (each reported as a warning). */
  readonly lenient?: boolean;
  /** The cloud's name; derived from the inventory's file name when absent. */
  readonly cloud?: string;
  /** Name of the file the YAML will be written to (for diagnostics about it). */
  readonly outName?: string;
}

/** The topology, when it could be made, and everything found on the way. */
export interface ImportResult {
  /** Topology YAML; undefined when an error prevented it. */
  readonly yaml: string | undefined;
  readonly topology: Topology | undefined;
  readonly inventory: Inventory | undefined;
  readonly globals: ParsedGlobals | undefined;
  readonly diagnostics: Diagnostic[];
}

/** Imports a kolla-ansible deployment's inventory and globals.yml. Never throws on bad input. */
export function importKolla(opts: ImportOptions): ImportResult {
  const diagnostics: Diagnostic[] = [];
  const sources = inventorySources(opts.inventory);
  const inventoryFiles = sources.flatMap((s) => [...s.files, ...s.varsFiles]);
  const refused = [...inventoryFiles, opts.globals, ...(opts.hostsFile ? [opts.hostsFile] : [])]
    .map(refuseText)
    .filter((d): d is Diagnostic => d !== undefined);
  if (refused.length > 0)
    return {
      yaml: undefined,
      topology: undefined,
      inventory: undefined,
      globals: undefined,
      diagnostics: refused,
    };

  const inv = parseInventorySources(sources);
  diagnostics.push(...inv.diagnostics);
  const globals = parseGlobals(opts.globals.file, opts.globals.text, { lenient: opts.lenient });
  diagnostics.push(...globals.diagnostics);
  const hostsFile = opts.hostsFile ? parseHostsFile(opts.hostsFile.file, opts.hostsFile.text) : undefined;
  if (hostsFile) diagnostics.push(...hostsFile.diagnostics);

  const g = globals.parsed ? mapGlobals(globals) : undefined;
  if (g) diagnostics.push(...g.diagnostics);
  diagnostics.push(
    ...inventoryGroupNotes(inv.inventory, typeof g?.kolla.release === "string" ? g.kolla.release : undefined),
  );
  const h = mapHosts(inv.inventory, hostsFile, g?.managementInterface ?? "eth0");
  diagnostics.push(...h.diagnostics);
  if (!g) return done(undefined, undefined);

  const draft = toTopology(inv.inventory, globals, g, h, opts.cloud);
  diagnostics.push(...draft.diagnostics);
  if (!draft.data || hasErrors(diagnostics)) return done(undefined, undefined);
  if (opts.configDir) readConfigDir(opts.configDir, draft.data, draft.origins, diagnostics);

  const header = [
    ` Imported by \`hacloud import\` from ${sources.map((s) => basename(s.path)).join(", ")} and ${basename(opts.globals.file)}${
      hostsFile ? ` (addresses from ${basename(hostsFile.file)})` : ""
    }.`,
    " Comments say where each value came from; check the assumed ones (CIDR, defaults) before deploying.",
  ].join("\n");
  const yaml = topologyYaml(draft.data, draft.origins, header);
  // The written file must load: if it does not, that is our bug, reported rather than written.
  const outName = opts.outName ?? "topology.yaml";
  const loaded = loadTopologyText(outName, yaml);
  for (const d of loaded.diagnostics) {
    diagnostics.push({
      ...d,
      code: C.internalError,
      file: inv.inventory.file,
      line: 1,
      column: 1,
      message: `the topology made from these files does not pass the schema (${d.code} at line ${d.line}: ${d.message}); this is a bug in hacloud import`,
      hint: "Please report it with the inventory and globals.yml; nothing was written.",
    });
  }
  if (!loaded.topology || loaded.diagnostics.length > 0) return done(undefined, undefined);
  return done(yaml, loaded.topology);

  function done(yaml: string | undefined, topology: Topology | undefined): ImportResult {
    return { yaml, topology, inventory: inv.inventory, globals, diagnostics: sortDiagnostics(diagnostics) };
  }
}

/** Applies what the config directory holds to the draft topology: the profile, verbatim files. */
function readConfigDir(
  configDir: NonNullable<ImportOptions["configDir"]>,
  data: Record<string, unknown>,
  origins: Map<string, string>,
  diagnostics: Diagnostic[],
): void {
  const c = importConfigDir(configDir.dir, configDir.files, data, configDir.renderProfile);
  diagnostics.push(...c.diagnostics);
  const kolla = data.kolla as Record<string, unknown>;
  if (c.profile !== "kolla-default") {
    data.profile = c.profile;
    origins.set("profile", `read back from ${basename(configDir.dir)}/ and globals.yml`);
    const extra = { ...(kolla.extra_globals as Record<string, unknown>) };
    for (const v of c.profileVars) delete extra[v];
    if (Object.keys(extra).length > 0) kolla.extra_globals = extra;
    else delete kolla.extra_globals;
    for (const [i, d] of diagnostics.entries())
      if (d.code === C.extraGlobals)
        diagnostics[i] = {
          ...d,
          message: `${d.message} (but ${c.profileVars.join(", ")}: the ${c.profile} profile's, carried by \`profile:\`)`,
        };
  }
  if (Object.keys(c.overrides).length > 0) {
    kolla.config_overrides = c.overrides;
    origins.set("kolla.config_overrides", `verbatim from ${configDir.dir}`);
  }
}

/** The inventory option as sources: one file is a source of its own, without vars files. */
function inventorySources(inventory: ImportOptions["inventory"]): readonly InventorySource[] {
  if ("file" in inventory)
    return [{ path: inventory.file, files: [inventory], skipped: [], varsFiles: [], varsDirs: [] }];
  return inventory;
}

/** Input text the importer will not read: NUL bytes (binary) or more than the input limit. */
function refuseText(input: ImportInput): Diagnostic | undefined {
  const nul = input.text.indexOf("\0");
  if (input.text.length > MAX_INPUT_BYTES) {
    return {
      code: "HA003",
      severity: "error",
      message: `${input.file} is ${(input.text.length / 1048576).toFixed(1)} MiB; inputs are limited to ${MAX_INPUT_BYTES / 1048576} MiB`,
      file: input.file,
      line: 1,
      column: 1,
      hint: "This does not look like an inventory, globals or hosts file; check which file you named.",
    };
  }
  if (nul >= 0) {
    const before = input.text.slice(0, nul);
    return {
      code: "HA003",
      severity: "error",
      message: `${input.file} is not text (a NUL byte at offset ${nul})`,
      file: input.file,
      line: before.split("\n").length,
      column: nul - before.lastIndexOf("\n"),
      hint: "Name the text file itself; did you name an archive or an image?",
    };
  }
  return undefined;
}
