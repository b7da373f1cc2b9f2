import { describe, expect, it } from "vitest";
import { renderHtml } from "../../src/drill/report/html.ts";
import { buildPlan } from "../../src/plan/build.ts";
import { analyseSla } from "../../src/sla/analyse.ts";
import { slaSummary } from "../../src/sla/summary.ts";
import { loadTopologyFile } from "../../src/spec/load.ts";

describe("the drill HTML report", () => {
  const plan = buildPlan(loadTopologyFile("examples/packtpub-prod.yaml").topology!);
  const run = { target: "lab packtpub-prod", startedAt: "t0", finishedAt: "t1", drills: [] };

  it("shows the SLA model: availability, failover predictions, SPOFs and cut sets", () => {
    const html = renderHtml(run, slaSummary(analyseSla(plan)));
    expect(html).toContain('<section id="sla">');
    expect(html).toContain("storage01 → block-storage");
    expect(html).toContain("cc01 + cc02 →");
    expect(html).toMatch(/per 30-day month/);
  });

  it("leaves the section out when no model is given", () => {
    expect(renderHtml(run)).not.toContain('id="sla"');
  });
});
