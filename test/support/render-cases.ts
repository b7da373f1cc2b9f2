/**
 * The topologies the render tests use: the chapter's cloud and its variants
 * (test/golden/testdata), each with its Plan.
 */
import { buildPlan } from "../../src/plan/build.ts";
import type { Plan } from "../../src/plan/types.ts";
import { loadTopologyFile } from "../../src/spec/load.ts";

/** One render test case. */
export interface RenderCase {
  readonly name: string;
  readonly file: string;
}

export const RENDER_CASES: readonly RenderCase[] = [
  { name: "packtpub-prod", file: "examples/packtpub-prod.yaml" },
  { name: "packtpub-fast-failover", file: "test/golden/testdata/packtpub-fast-failover.yaml" },
  { name: "packtpub-dvr", file: "test/golden/testdata/packtpub-dvr.yaml" },
  { name: "packtpub-2024.1", file: "test/golden/testdata/packtpub-2024.1.yaml" },
  { name: "packtpub-2024.1-fast-failover", file: "test/golden/testdata/packtpub-2024.1-fast-failover.yaml" },
  { name: "split-vip", file: "test/golden/testdata/split-vip.yaml" },
];

/** The Plan of a case's topology (which must pass the schema). */
export function casePlan(c: RenderCase): Plan {
  const loaded = loadTopologyFile(c.file);
  if (!loaded.topology) throw new Error(`${c.file}: ${loaded.diagnostics.map((d) => d.message).join("; ")}`);
  return buildPlan(loaded.topology);
}
