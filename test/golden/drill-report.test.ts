import { describe, expect, it } from "vitest";
import { renderHtml } from "../../src/drill/report/html.ts";
import { renderJson } from "../../src/drill/report/json.ts";
import { renderJunit } from "../../src/drill/report/junit.ts";
import { renderText } from "../../src/drill/report/text.ts";
import { sampleRun } from "../support/drill-fixture.ts";

describe("drill reports", () => {
  const run = sampleRun();

  it("render the text table", async () => {
    await expect(renderText(run)).toMatchFileSnapshot("__golden__/drill/report.txt");
  });

  it("render JUnit XML with one case per threshold", async () => {
    const xml = renderJunit(run);
    expect(xml).toContain(
      '<testcase classname="hacloud.drill.kolla-default.lb-master-crash" name="lost_writes sql"',
    );
    await expect(xml).toMatchFileSnapshot("__golden__/drill/junit.xml");
  });

  it("render JSON in the shape the SLA model reads", async () => {
    const text = renderJson(run);
    const j = JSON.parse(text) as { drills: Record<string, unknown>[] };
    const d = j.drills[0]!;
    expect(d).toMatchObject({
      scenario: "lb-master-crash",
      profile: "kolla-default",
      passed: true,
      vip_move_s: 3.4,
      recovery_s: 3.4,
    });
    const probes = d["probes"] as Record<string, unknown>[];
    expect(probes.map((p) => p["name"])).toEqual(["keystone-get", "token-issue", "sql"]);
    for (const p of probes) {
      for (const k of ["total", "failed", "downtime_s", "longest_gap_s"]) expect(typeof p[k]).toBe("number");
    }
    expect(probes[2]).toMatchObject({ lost_writes: 0 });
    await expect(text).toMatchFileSnapshot("__golden__/drill/report.json");
  });

  it("render a self-contained HTML page with a timeline per drill", async () => {
    const html = renderHtml(run);
    expect(html).not.toMatch(/<script|src=|href="http/);
    expect(html).toContain('<svg class="timeline" data-scenario="lb-master-crash"');
    expect(html).toContain('data-lane="vip-holder"');
    expect(html).toContain('class="fault-start"');
    expect(html.match(/class="failed"/g)?.length).toBeGreaterThan(0);
    await expect(html).toMatchFileSnapshot("__golden__/drill/report.html");
  });
});
