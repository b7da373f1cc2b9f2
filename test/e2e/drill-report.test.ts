import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHtml } from "../../src/drill/report/html.ts";
import { COLORS } from "../../src/drill/report/timeline-svg.ts";
import { chromium, haveChromium } from "../support/chromium.ts";
import { sampleRun } from "../support/drill-fixture.ts";
import { countColor, decodePng } from "../support/png.ts";

// The report a CI job archives, opened in a real browser: the timeline must render.
describe.skipIf(!haveChromium())("the HTML drill report in chromium", () => {
  let dir = "";
  let url = "";
  beforeAll(() => {
    dir = mkdtempSync(`${tmpdir()}/hacloud-report-`);
    writeFileSync(`${dir}/report.html`, renderHtml(sampleRun()));
    url = pathToFileURL(`${dir}/report.html`).href;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("renders a timeline with a lane per probe, the VIP holder band and the fault span", async () => {
    const dom = await chromium(url, ["--dump-dom"]);
    expect(dom).toContain('<svg class="timeline" data-scenario="lb-master-crash"');
    for (const lane of ["keystone-get", "token-issue", "sql", "vip-holder"])
      expect(dom).toContain(`data-lane="${lane}"`);
    expect(dom).toMatch(/<rect class="fault"/);
    expect(dom).toMatch(/<rect class="failed"[^>]*fill="#d33a2c"/);
  });

  it("paints it: the screenshot has the timeline's red outage and green lanes", async () => {
    const png = `${dir}/report.png`;
    await chromium(url, ["--window-size=1000,700", `--screenshot=${png}`]);
    const bytes = readFileSync(png);
    if (process.env.HACLOUD_KEEP_SCREENSHOT) writeFileSync(process.env.HACLOUD_KEEP_SCREENSHOT, bytes);
    const img = decodePng(bytes);
    expect(img.width).toBe(1000);
    // The fixture's keystone-get outage lasts 3.4 s of a 25 s timeline, 14 px lanes, ~770 px wide plot:
    // ≥ 90 px × 12 px of red; the lanes' ok stretches are far more green; the VIP band shows both holders.
    expect(countColor(img, COLORS.failed)).toBeGreaterThan(1_000);
    expect(countColor(img, COLORS.ok)).toBeGreaterThan(10_000);
    expect(countColor(img, "#3b6fd4")).toBeGreaterThan(3_000);
    expect(countColor(img, "#8e44ad")).toBeGreaterThan(1_000);
  });
});
