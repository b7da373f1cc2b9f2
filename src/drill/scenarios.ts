/**
 * The registry of drill scenarios, in the order `--all` runs them (quorum
 * loss last). Each scenario is one file in src/drill/scenarios/; adding one
 * is that file and one line here. Names are part of the interface (CLI,
 * JSON, docs).
 */
import type { Scenario } from "./scenario.ts";
import { controllerCrash } from "./scenarios/controller-crash.ts";
import { controllerPairCrash } from "./scenarios/controller-pair-crash.ts";
import { galeraNodeKill } from "./scenarios/galera-node-kill.ts";
import { lbMasterCrash } from "./scenarios/lb-master-crash.ts";
import { lbMasterHaproxyKill } from "./scenarios/lb-master-haproxy-kill.ts";
import { lbMasterKeepalivedStop } from "./scenarios/lb-master-keepalived-stop.ts";
import { lbMasterLinkCut } from "./scenarios/lb-master-link-cut.ts";
import { rabbitNodeKill } from "./scenarios/rabbit-node-kill.ts";
import { l3AgentKill } from "./scenarios/l3-agent-kill.ts";
import { routerHostCrash } from "./scenarios/router-host-crash.ts";
import { routerKeepalivedKill } from "./scenarios/router-keepalived-kill.ts";
import { routerLinkCut } from "./scenarios/router-link-cut.ts";
import { snatHostCrash } from "./scenarios/snat-host-crash.ts";
import { dvrComputeCrash } from "./scenarios/dvr-compute-crash.ts";
import { computeHostCrash } from "./scenarios/compute-host-crash.ts";
import { computeLinkCut } from "./scenarios/compute-link-cut.ts";
import { novaComputeKill } from "./scenarios/nova-compute-kill.ts";

const ORDERED = [
  lbMasterCrash,
  lbMasterKeepalivedStop,
  lbMasterHaproxyKill,
  lbMasterLinkCut,
  controllerCrash,
  galeraNodeKill,
  rabbitNodeKill,
  routerHostCrash,
  routerLinkCut,
  routerKeepalivedKill,
  l3AgentKill,
  snatHostCrash,
  dvrComputeCrash,
  computeHostCrash,
  computeLinkCut,
  novaComputeKill,
  controllerPairCrash,
] as const;

/** A scenario's name. */
export type ScenarioName = (typeof ORDERED)[number]["name"];

/** Scenario names, in the order `--all` runs them. */
export const SCENARIO_NAMES: readonly ScenarioName[] = ORDERED.map((s) => s.name);

/** Every scenario by name. */
export const SCENARIOS = Object.fromEntries(ORDERED.map((s) => [s.name, s])) as Readonly<
  Record<ScenarioName, Scenario<ScenarioName>>
>;

/** True for a known scenario name. */
export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}
