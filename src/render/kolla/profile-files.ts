/**
 * What a failover profile puts into kolla's files for a topology: the config/
 * overrides and the globals.yml variables. `hacloud import --config-dir` hands
 * this to the importer to recognise a profile by rendering it, so that
 * recognition and render cannot disagree.
 */
import { buildPlan } from "../../plan/build.ts";
import { topologySchema, type ProfileName } from "../../spec/schema.ts";
import { renderConfig } from "./config.ts";
import { profileGlobals, type ProfileGlobal } from "./profile-globals.ts";

/** config/ files (paths under config/, README aside) and variables of `data` under `profile`; undefined when it fails the schema. */
export function renderedProfile(
  data: Record<string, unknown>,
  profile: ProfileName,
): { files: Map<string, string>; vars: ProfileGlobal[] } | undefined {
  // The verbatim overrides are what is being told apart from the profile: leave them out.
  const kolla = { ...(data.kolla as Record<string, unknown>) };
  delete kolla.config_overrides;
  const parsed = topologySchema.safeParse({ ...data, kolla, profile });
  if (!parsed.success) return undefined;
  const plan = buildPlan(parsed.data);
  const files = new Map<string, string>();
  for (const [path, text] of renderConfig(plan, "topology.yaml"))
    if (path !== "config/README.md") files.set(path.slice("config/".length), text);
  return { files, vars: profileGlobals(plan) };
}
