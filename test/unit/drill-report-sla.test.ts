import { describe, expect, it } from "vitest";
import { reportFiles } from "../../src/drill/report/files.ts";
import { renderHtml, REPORT_CSS } from "../../src/drill/report/html.ts";
import { drillJson, renderJson } from "../../src/drill/report/json.ts";
import { xmlEscape as esc } from "../../src/report/xml.ts";
import type { DrillResult, DrillRun, ProbeResult } from "../../src/drill/result.ts";
import { buildPlan } from "../../src/plan/build.ts";
import type { UserProbe } from "../../src/probes/types.ts";
import { analyseSla } from "../../src/sla/analyse.ts";
import { parseMeasuredReport } from "../../src/sla/measured.ts";
import { slaSummary } from "../../src/sla/summary.ts";
import { loadTopologyFile } from "../../src/spec/load.ts";
import { sampleDrill, sampleRun } from "../support/drill-fixture.ts";

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

describe("the drill report's predicted vs measured failovers", () => {
  const plan = buildPlan(loadTopologyFile("examples/packtpub-prod.yaml").topology!);
  const base = sampleDrill();
  const stats = base.probes[0]!.stats;
  const probe = (name: UserProbe, downtimeS: number, longestGapS: number): ProbeResult => ({
    name,
    stats: { ...stats, downtimeS, longestGapS },
  });
  // A kolla-default controller crash where every probe saw something different.
  const controllerCrash: DrillResult = {
    ...base,
    scenario: "controller-crash",
    faults: ["host-crash cc01"],
    placedBefore: { vip: "hap2" },
    moves: [],
    probes: [
      probe("keystone-get", 20.4, 0.3),
      probe("token-issue", 102.9, 102.9),
      probe("sql", 14.2, 15.1),
      probe("rabbit", 1.5, 61.7),
    ],
  };
  // The VIP moved in 3.34 s while every request in flight hung and then succeeded: no failed request.
  const lbCrash: DrillResult = {
    ...base,
    moves: [{ what: "vip", from: "hap2", to: "hap1", afterS: 3.34 }],
    probes: [probe("keystone-get", 0, 3.5)],
  };

  /** The failover table's rows as the CLI builds them: the run's JSON report read back by the SLA model. */
  function failovers(drills: DrillResult[]): Map<string, string | null> {
    const r: DrillRun = { target: "lab packtpub-prod", startedAt: "t0", finishedAt: "t1", drills };
    const measured = parseMeasuredReport("drill run", renderJson(r), plan.profileName).report;
    const summary = slaSummary(analyseSla(plan, { measured }));
    const html = renderHtml(r, summary);
    for (const f of summary.failovers)
      expect(html).toContain(`<td>${esc(f.title)}</td><td>${esc(f.predicted)}</td>`);
    return new Map(summary.failovers.map((f) => [f.mechanism, f.measured]));
  }

  it("measures each of a controller crash's terms by its own probe", () => {
    const m = failovers([controllerCrash]);
    expect(m.get("backend-detect")).toBe("20.4 s");
    expect(m.get("galera-stall")).toBe("15.1 s");
    expect(m.get("db-stale")).toBe("102.9 s");
    expect(m.get("rabbit-host")).toBe("61.7 s");
    // Nothing in a controller crash moves the VIP or kills a broker process.
    expect(m.get("vip-crash")).toBeNull();
    expect(m.get("rabbit-kill")).toBeNull();
  });

  it("shows the VIP's move time against the VIP's term, not the probes' downtime", () => {
    const m = failovers([lbCrash, controllerCrash]);
    expect(m.get("vip-crash")).toBe("3.34 s");
    expect(m.get("vip-track")).toBeNull();
  });

  it("shows — for a term whose figure the drill did not measure", () => {
    const noSql = { ...controllerCrash, probes: controllerCrash.probes.filter((p) => p.name !== "sql") };
    const r: DrillRun = { target: "lab", startedAt: "t0", finishedAt: "t1", drills: [noSql] };
    const measured = parseMeasuredReport("drill run", renderJson(r), plan.profileName).report;
    const html = renderHtml(r, slaSummary(analyseSla(plan, { measured })));
    expect(html).toMatch(
      /<td>Galera writes stall until a crashed member is suspected<\/td><td>[^<]+<\/td><td>—<\/td>/,
    );
  });
});

describe("the HTML report under Jenkins' Content-Security-Policy", () => {
  // Jenkins serves archived artifacts with: sandbox; default-src 'none'; img-src 'self'; style-src 'self'.
  const plan = buildPlan(loadTopologyFile("examples/packtpub-prod.yaml").topology!);
  const files = reportFiles(sampleRun(), slaSummary(analyseSla(plan)));
  const html = files["report.html"]!;

  it("takes its look from a same-origin stylesheet written beside it, identical to the inline one", () => {
    expect(html).toContain('<link rel="stylesheet" href="report.css">');
    expect(files["report.css"]).toBe(REPORT_CSS);
    expect(html).toContain(`<style>${REPORT_CSS}</style>`);
  });

  it("has nothing the policy blocks: no script, handler, style attribute, data: or remote URL", () => {
    expect(html).not.toMatch(/<script|\son[a-z]+=|\sstyle=|(?:src|href)="(?:[a-z]+:|\/\/)/i);
    expect(REPORT_CSS).not.toMatch(/url\(|@import/);
  });

  it("lets every table scroll inside the page instead of overflowing it", () => {
    const tables = html.match(/<table/g)?.length ?? 0;
    expect(tables).toBeGreaterThan(3);
    expect(html.match(/<div class="wide"><table/g)?.length).toBe(tables);
    expect(REPORT_CSS).toContain(".wide{max-width:100%;overflow-x:auto}");
  });
});

describe("the drill JSON", () => {
  it("writes a compute drill's instance-HA timeline with snake_case keys, like every other field", () => {
    const evacuation = {
      remoteOfflineS: 1.5,
      notificationS: 2,
      instances: [{ name: "vm1", activeElsewhereS: 40 }],
    };
    const d = { ...sampleDrill(), evacuation } as unknown as DrillResult;
    const json = drillJson(d) as { evacuation: Record<string, unknown> };
    expect(json.evacuation).toEqual({
      remote_offline_s: 1.5,
      notification_s: 2,
      instances: [{ name: "vm1", active_elsewhere_s: 40 }],
    });
  });
});
