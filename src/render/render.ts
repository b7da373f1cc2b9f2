/**
 * Everything `hacloud render` writes for kolla-ansible, as one pure map from
 * a path under the output directory to the file's content. Identical input
 * gives byte-identical output: no clocks, no randomness, stable orders.
 */
import type { Plan } from "../plan/types.ts";
import { renderConfig } from "./kolla/config.ts";
import { renderGlobals } from "./kolla/globals.ts";
import { renderHosts } from "./kolla/hosts.ts";
import { renderInventory } from "./kolla/inventory.ts";
import { renderJenkinsfile } from "./kolla/jenkinsfile.ts";
import { renderPreviews, type PreviewOptions } from "./preview/previews.ts";

/** Inputs to rendering besides the Plan. */
export interface RenderOptions {
  /** The topology file as the operator named it (it appears in every "generated from" stamp). */
  readonly topologyFile: string;
  /** The output directory relative to the repository root (the Jenkinsfile re-renders into it). */
  readonly renderDir?: string;
  /** The target `hacloud verify --target` reaches a deployed cloud through; no verify stage without one. */
  readonly verifyTarget?: string;
  /** Test-only: host paths in previews (see PreviewOptions). */
  readonly preview?: PreviewOptions;
}

/** Renders every kolla file of a Plan; keys are paths under the output directory, sorted. */
export function renderKolla(plan: Plan, o: RenderOptions): Map<string, string> {
  const files = new Map<string, string>([
    ["multinode", renderInventory(plan, o.topologyFile)],
    ["globals.yml", renderGlobals(plan, o.topologyFile)],
    ["hosts", renderHosts(plan, o.topologyFile)],
    [
      "Jenkinsfile",
      renderJenkinsfile(plan, {
        topologyFile: o.topologyFile,
        renderDir: o.renderDir ?? "kolla",
        verifyTarget: o.verifyTarget,
      }),
    ],
    ...renderConfig(plan, o.topologyFile),
    ...renderPreviews(plan, o.topologyFile, o.preview),
  ]);
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
