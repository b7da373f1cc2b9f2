import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildPlan } from "../../src/plan/build.ts";
import type { Plan } from "../../src/plan/types.ts";
import { analyseSla, minimalCutSets, singlePointsOfFailure, unknownHosts } from "../../src/sla/analyse.ts";
import { parseMeasuredReport } from "../../src/sla/measured.ts";
import { validateSlaRates } from "../../src/sla/rates.ts";
import { slaJson } from "../../src/sla/report-json.ts";
import { slaSummary } from "../../src/sla/summary.ts";
import { loadTopologyFile } from "../../src/spec/load.ts";
import { topologySchema, type Topology } from "../../src/spec/schema.ts";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const EXAMPLE = here("../../examples/packtpub-prod.yaml");
const FIXTURES = here("../fixtures/sla/");

function exampleTopology(): Topology {
  const t = loadTopologyFile(EXAMPLE).topology;
  if (!t) throw new Error("example does not load");
  return t;
}
const example = (): Plan => buildPlan(exampleTopology());
const variant = (patch: (t: Record<string, unknown>) => void): Plan => {
  const t = structuredClone(exampleTopology()) as unknown as Record<string, unknown>;
  patch(t);
  return buildPlan(topologySchema.parse(t));
};
const service = (plan: Plan, failed: string[], name: string) =>
  analyseSla(plan, { failed }).services.find((s) => s.name === name)!;

describe("what-if on the example topology", () => {
  it("cc01 + cc02 down takes the database down: Galera has 1 of 3 votes", () => {
    const a = analyseSla(example(), { failed: ["cc01", "cc02"] });
    const db = a.services.find((s) => s.name === "database")!;
    expect(db.up).toBe(false);
    expect(db.reason).toBe("Galera has 1 of 3 votes, needs 2 (cc01, cc02 down)");
    expect(db.availability).toBe(0);
    expect(a.services.find((s) => s.name === "messaging")!.reason).toContain(
      "RabbitMQ has 1 of 3 votes, needs 2",
    );
    // Tenant routing runs on the network nodes and survives.
    expect(a.services.find((s) => s.name === "tenant-routing")!.up).toBe(true);
    expect(a.overall.up).toBe(false);
  });

  it("hap1 down: everything stays up, the VIP is on hap2 alone, which becomes a SPOF", () => {
    const a = analyseSla(example(), { failed: ["hap1"] });
    expect(a.services.every((s) => s.up)).toBe(true);
    expect(a.services.find((s) => s.name === "identity-api")!.reason).toBe(
      "degraded: the VIP has 1 of 2 load balancers (hap1 down)",
    );
    expect(a.spofs.map((s) => s.host)).toContain("hap2");
    // Availability drops while hap1 is away: hap2 alone is a series element.
    expect(a.overall.availability).toBeLessThan(analyseSla(example()).overall.availability);
  });

  it("hap1 + hap2 down takes everything behind the VIP down, not messaging or routing", () => {
    const a = analyseSla(example(), { failed: ["hap1", "hap2"] });
    const down = a.services.filter((s) => !s.up).map((s) => s.name);
    expect(down).toEqual([
      "identity-api",
      "compute-api",
      "network-api",
      "database",
      "instance-ha",
      "block-storage",
    ]);
    for (const s of a.services.filter((x) => !x.up)) {
      expect(s.reason).toContain("no load balancer holds the VIP: hap1, hap2 down");
    }
    expect(a.services.find((s) => s.name === "messaging")!.up).toBe(true);
  });

  it("a compute down leaves instance HA up: its instances are evacuated", () => {
    const s = service(example(), ["cn01"], "instance-ha");
    expect(s.up).toBe(true);
    expect(s.reason).toContain("cn01 down: its instances are evacuated");
    expect(service(example(), ["cn01", "cn02"], "instance-ha").up).toBe(false);
  });

  it("names unknown hosts with a suggestion", () => {
    expect(unknownHosts(example(), ["cc1", "hap1"])).toEqual(["unknown host `cc1`. Did you mean `cc01`?"]);
    expect(() => analyseSla(example(), { failed: ["nope"] })).toThrow(/unknown host/);
  });
});

describe("single points of failure and cut sets on the example", () => {
  it("storage01 (LVM cinder-volume) is the only SPOF", () => {
    expect(singlePointsOfFailure(example())).toEqual([
      {
        host: "storage01",
        services: ["block-storage"],
        why: [
          {
            services: ["block-storage"],
            reason: "cinder-volume on storage01 is down: a volume lives on one LVM host",
          },
        ],
      },
    ]);
  });

  it("lists the minimal cut sets of two hosts with what each takes down", () => {
    const cuts = minimalCutSets(example(), 3).map((c) => `${c.hosts.join("+")}: ${c.services.join(",")}`);
    expect(cuts).toEqual([
      "storage01: block-storage",
      "cc01+cc02: identity-api,compute-api,network-api,database,messaging,instance-ha,block-storage",
      "cc01+cc03: identity-api,compute-api,network-api,database,messaging,instance-ha,block-storage",
      "cc02+cc03: identity-api,compute-api,network-api,database,messaging,instance-ha,block-storage",
      "hap1+hap2: identity-api,compute-api,network-api,database,instance-ha,block-storage",
      "cn01+cn02: instance-ha",
      "net01+net02: tenant-routing",
    ]);
    // No listed set contains another (minimality).
    const sets = minimalCutSets(example(), 3).map((c) => c.hosts);
    for (const a of sets)
      for (const b of sets) if (a !== b) expect(a.every((h) => b.includes(h))).toBe(false);
  });

  it("max order 1 keeps only the SPOFs", () => {
    expect(minimalCutSets(example(), 1).map((c) => c.hosts)).toEqual([["storage01"]]);
  });

  it("legacy routing makes every network node a SPOF for tenant routing", () => {
    const plan = variant((t) => ((t.neutron as Record<string, unknown>).routing = "legacy"));
    const spofs = singlePointsOfFailure(plan).map((s) => `${s.host}:${s.services.join(",")}`);
    expect(spofs).toContain("net01:tenant-routing");
    expect(spofs).toContain("net02:tenant-routing");
  });

  it("L3 HA with five agents: any three down leave some router without one", () => {
    const plan = variant((t) => {
      const hosts = t.hosts as Record<string, Record<string, unknown>>;
      for (const n of [3, 4, 5]) {
        hosts[`net0${n}`] = { roles: ["network"], addresses: { management: `10.0.0.${40 + n}` } };
      }
    });
    const routing = minimalCutSets(plan, 3).filter((c) => c.services.includes("tenant-routing"));
    expect(routing).toHaveLength(10); // C(5,3)
    expect(routing.every((c) => c.hosts.length === 3 && c.hosts.every((h) => h.startsWith("net")))).toBe(
      true,
    );
    const a = analyseSla(plan, { failed: ["net01", "net02", "net03"] });
    expect(a.services.find((s) => s.name === "tenant-routing")!.reason).toBe(
      "3 of 5 L3 agents down (net01, net02, net03): routers scheduled on them have no agent left",
    );
  });

  it("zones: losing the zone that holds two controllers takes the control plane down", () => {
    const plan = variant((t) => {
      const hosts = t.hosts as Record<string, Record<string, unknown>>;
      for (const h of ["hap1", "cc01", "cc02", "net01", "cn01"]) hosts[h]!.zone = "rack-a";
      for (const h of ["hap2", "cc03", "net02", "cn02", "storage01"]) hosts[h]!.zone = "rack-b";
    });
    const a = analyseSla(plan);
    const zoneCuts = a.zone_cut_sets.map((z) => `${z.zones.join("+")}: ${z.services.includes("database")}`);
    expect(zoneCuts).toContain("rack-a: true");
    expect(a.zone_cut_sets.find((z) => z.zones.join() === "rack-b")!.services).toEqual(["block-storage"]);
  });
});

describe("availability figures", () => {
  it("overall is below every service, and the overall figure accounts for shared controllers", () => {
    const a = analyseSla(example());
    for (const s of a.services) expect(a.overall.availability).toBeLessThanOrEqual(s.availability + 1e-15);
    expect(a.overall.exact).toBe(true);
    expect(a.month_days).toBe(30);
    expect(a.budget_min_per_month).toBeCloseTo(21.6, 9);
    // The block-storage SPOF dominates: one host at MTBF 8760 h / MTTR 4 h ≈ 19.7 min/month on its own.
    const bs = a.services.find((s) => s.name === "block-storage")!;
    expect(bs.downtime_min_per_month).toBeGreaterThan(19.7);
  });

  it("fast-failover cuts the failover downtime but not the structural one", () => {
    const slow = analyseSla(example());
    const fast = analyseSla(variant((t) => (t.profile = "fast-failover")));
    const id = (a: typeof slow) => a.services.find((s) => s.name === "identity-api")!;
    expect(id(fast).structural).toBeCloseTo(id(slow).structural, 15);
    expect(id(fast).failover_unavailability).toBeLessThan(id(slow).failover_unavailability);
    expect(fast.overall.availability).toBeGreaterThan(slow.overall.availability);
  });

  it("topology rates override the defaults", () => {
    const plan = variant((t) => {
      (t.sla as Record<string, unknown>).rates = { host: { mtbf_h: 8760, mttr_h: 24 } };
    });
    const a = analyseSla(plan);
    expect(a.rates.find((r) => r.kind === "host")).toMatchObject({ mttr_h: 24, source: "topology" });
    expect(a.overall.availability).toBeLessThan(analyseSla(example()).overall.availability);
  });

  it("the JSON has the documented shape", () => {
    const j = slaJson(analyseSla(example(), { failed: ["hap1", "hap2"] })) as Record<string, unknown>;
    const services = j.services as Record<string, unknown>[];
    expect(Object.keys(services[0]!)).toEqual(
      expect.arrayContaining(["name", "availability", "up", "reason"]),
    );
    expect(j.overall).toEqual(expect.objectContaining({ availability: 0, downtime_min_per_month: 43200 }));
    expect(j.spofs).toEqual(["storage01"]);
    expect(j.cut_sets).toEqual(expect.arrayContaining([["cc01", "cc02"]]));
    expect(services.find((s) => s.name === "database")).toMatchObject({ up: false });
  });

  it("the report summary is formatted text", () => {
    const s = slaSummary(analyseSla(example()));
    expect(s.headline).toMatch(/^Predicted availability 99\.\d+ % .*per 30-day month.*21\.60 min budget/);
    expect(s.spofs).toEqual(["storage01 → block-storage"]);
    expect(s.rows.map((r) => r.service)).toContain("database");
  });
});

describe("sla.rates validation", () => {
  it("flags an unknown kind with a suggestion, and a zone rate without zones", () => {
    const f = validateSlaRates({ mariadbb: { mtbf_h: 1, mttr_h: 1 }, zone: { mtbf_h: 1, mttr_h: 1 } }, [
      undefined,
    ]);
    expect(f.map((x) => x.code)).toEqual(["HA850", "HA851"]);
    expect(f[0]!.message).toContain("Did you mean `mariadb`?");
    expect(f[0]!.path).toEqual(["sla", "rates", "mariadbb"]);
    expect(validateSlaRates({ host: { mtbf_h: 1, mttr_h: 1 } })).toEqual([]);
  });
});

describe("--measured drill reports", () => {
  const read = (name: string) => readFileSync(FIXTURES + name, "utf8");

  it("replaces predicted failover downtimes with measured ones and compares them", () => {
    const parsed = parseMeasuredReport("drills.json", read("drills-kolla-default.json"), "kolla-default");
    expect(parsed.report).toBeDefined();
    // The fast-failover drill is pointed at and not used.
    expect(parsed.diagnostics.map((d) => `${d.code}:${d.line}`)).toEqual(["HA863:83"]);
    const a = analyseSla(example(), { measured: parsed.report });
    const m = (id: string) => a.mechanisms.find((x) => x.id === id)!;
    // The VIP's move time (lb-master-crash 3.4 s, link-cut 3.1 s), not the worst probe's downtime.
    expect(m("vip-crash")).toMatchObject({ predicted_s: 3.996, measured_s: 3.4, used_s: 3.4 });
    // controller-crash: each term by its own probe; the report has no SQL probe, so no Galera stall.
    expect(m("backend-detect").measured_s).toBe(9.8);
    expect(m("db-stale")).toMatchObject({ measured_s: 45.5, used_s: 45.5 });
    expect(m("rabbit-host").measured_s).toBe(2);
    expect(m("galera-stall").measured_s).toBeNull();
    expect(m("l3-master").measured_s).toBeNull();
    const row = a.comparison!.find((r) => r.scenario === "lb-master-haproxy-kill")!;
    expect(row).toMatchObject({ predicted_s: 4.996, measured_s: 4.4, runs: 1, passed: true });
    expect(a.comparison!.find((r) => r.scenario === "controller-pair-crash")).toMatchObject({
      predicted_s: null,
      measured_s: null,
    });
    const predicted = analyseSla(example());
    const id = (x: typeof a) => x.services.find((s) => s.name === "identity-api")!;
    // controller-crash measured 45.5 s where the model predicted 30 s: the identity API gets worse.
    expect(id(a).availability).toBeLessThan(id(predicted).availability);
    expect(a.remarks[0]).toContain("ProxySQL");
  });

  it("points at each problem of a malformed report", () => {
    const parsed = parseMeasuredReport("bad.json", read("drills-malformed.json"), "kolla-default");
    expect(parsed.report).toBeUndefined();
    const got = parsed.diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`);
    expect(got).toEqual([
      'HA861 9:79 drills[0].probes[0].downtime_s must be seconds (≥ 0), not "3.4s"',
      "HA861 12:5 drills[1] lacks `passed` (true or false)",
      "HA861 14:18 drills[1].profile: unknown profile `kolla-defaults`. Did you mean `kolla-default`?",
      "HA862 13:19 unknown scenario `controler-crash`: not used by the model. Did you mean `controller-crash`?",
    ]);
  });

  it("reports JSON syntax errors and a wrong top level with their position", () => {
    const syntax = parseMeasuredReport("x.json", '{"drills": [\n  {"scenario": "lb-master-crash",,}\n]}');
    expect(syntax.report).toBeUndefined();
    expect(syntax.diagnostics[0]).toMatchObject({ code: "HA860", line: 2 });
    const top = parseMeasuredReport("y.json", '{"runs": []}');
    expect(top.diagnostics.map((d) => d.code)).toEqual(["HA861"]);
    expect(top.diagnostics[0]!.message).toContain("`drills` list");
  });
});
