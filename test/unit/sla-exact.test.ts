import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildPlan } from "../../src/plan/build.ts";
import { buildSlaModel } from "../../src/sla/catalogue.ts";
import { jointAvailability, withZones } from "../../src/sla/exact.ts";
import type { Gate, SlaModel } from "../../src/sla/model.ts";
import { loadTopologyFile } from "../../src/spec/load.ts";
import { topologySchema } from "../../src/spec/schema.ts";

const EXAMPLE = fileURLToPath(new URL("../../examples/packtpub-prod.yaml", import.meta.url));

function examplePlan() {
  const t = loadTopologyFile(EXAMPLE).topology;
  if (!t) throw new Error("example does not load");
  return buildPlan(t);
}

/** mulberry32: a small seeded PRNG, so the simulation is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Samples every host and every member's daemons; counts how often each gate set holds. */
function simulate(
  model: SlaModel,
  gateSets: readonly (readonly string[])[],
  hostA: (h: string) => number,
  daemonA: (k: string) => number,
  samples: number,
  seed: number,
): number[] {
  const rnd = prng(seed);
  const hostIndex = new Map(model.hosts.map((h, i) => [h, i]));
  const hostP = model.hosts.map(hostA);
  const gates = [...model.gates.values()].map((g) => ({
    id: g.id,
    k: g.k,
    members: g.members.map((m) => ({
      host: m.host === undefined ? -1 : hostIndex.get(m.host)!,
      daemons: m.daemons.map(daemonA),
    })),
  }));
  const gateIndex = new Map(gates.map((g, i) => [g.id, i]));
  const sets = gateSets.map((set) => set.map((id) => gateIndex.get(id)!));
  const hits = gateSets.map(() => 0);
  const hostUp = new Uint8Array(hostP.length);
  const gateOk = new Uint8Array(gates.length);
  for (let s = 0; s < samples; s++) {
    for (let h = 0; h < hostP.length; h++) hostUp[h] = rnd() < hostP[h]! ? 1 : 0;
    for (let gi = 0; gi < gates.length; gi++) {
      const g = gates[gi]!;
      let up = 0;
      for (const m of g.members) {
        let ok = m.host < 0 || hostUp[m.host] === 1;
        for (const p of m.daemons) if (rnd() >= p) ok = false;
        if (ok) up++;
      }
      gateOk[gi] = up >= g.k ? 1 : 0;
    }
    for (let i = 0; i < sets.length; i++) if (sets[i]!.every((g) => gateOk[g] === 1)) hits[i]!++;
  }
  return hits.map((h) => h / samples);
}

describe("exact joint availability", () => {
  it("matches brute-force enumeration of every host and daemon on gates that share hosts", () => {
    // Two gates on the same three hosts (a 2-of-3 quorum and 1-of-3 backends), one on a fourth.
    const hosts = ["a", "b", "c"];
    const gates: Gate[] = [
      {
        id: "q",
        kind: "quorum",
        label: "q",
        k: 2,
        members: hosts.map((host) => ({ host, daemons: ["db"] })),
        triggers: [],
      },
      {
        id: "api",
        kind: "backends",
        label: "api",
        k: 1,
        members: hosts.map((host) => ({ host, daemons: ["api"] })),
        triggers: [],
      },
      {
        id: "x",
        kind: "series",
        label: "x",
        k: 2,
        members: [
          { host: "a", daemons: [] },
          { host: "d", daemons: ["x"] },
        ],
        triggers: [],
      },
    ];
    const hA: Record<string, number> = { a: 0.9, b: 0.8, c: 0.9, d: 0.7 };
    const dA: Record<string, number> = { db: 0.95, api: 0.85, x: 0.9 };
    const comps: { p: number; host?: string; gate?: string; member?: number }[] = [];
    for (const h of Object.keys(hA)) comps.push({ p: hA[h]!, host: h });
    gates.forEach((g) =>
      g.members.forEach((m, i) => {
        for (const d of m.daemons) comps.push({ p: dA[d]!, gate: g.id, member: i });
      }),
    );
    let brute = 0;
    for (let mask = 0; mask < 1 << comps.length; mask++) {
      let pr = 1;
      const up = (i: number) => ((mask >> i) & 1) === 1;
      comps.forEach((c, i) => (pr *= up(i) ? c.p : 1 - c.p));
      const hostUp = (h: string) => up(comps.findIndex((c) => c.host === h));
      const ok = gates.every((g) => {
        let n = 0;
        g.members.forEach((m, i) => {
          const daemonsUp = comps.every((c, j) => c.gate !== g.id || c.member !== i || up(j));
          if ((m.host === undefined || hostUp(m.host)) && daemonsUp) n++;
        });
        return n >= g.k;
      });
      if (ok) brute += pr;
    }
    const r = jointAvailability(
      gates,
      (h) => hA[h]!,
      (k) => dA[k]!,
    );
    expect(r.exact).toBe(true);
    expect(r.value).toBeCloseTo(brute, 13);
    // Shared hosts make the joint figure differ from the product of the gates' own figures.
    const product = gates.reduce(
      (acc, g) =>
        acc *
        jointAvailability(
          [g],
          (h) => hA[h]!,
          (k) => dA[k]!,
        ).value,
      1,
    );
    expect(Math.abs(r.value - product)).toBeGreaterThan(1e-3);
    expect(r.value).toBeGreaterThan(product);
  });

  it("agrees with a Monte Carlo simulation of the example topology (per service and overall)", () => {
    const model = buildSlaModel(examplePlan());
    // Inflated failure probabilities so that 200,000 samples resolve the differences.
    const hostA = (h: string) => (h.startsWith("cc") ? 0.85 : 0.9);
    const daemonA = (k: string) => (k === "mariadb" || k === "rabbitmq" ? 0.9 : 0.95);
    const sets = [...model.services.map((s) => s.gates), model.services.flatMap((s) => s.gates)];
    const samples = 200_000;
    const simulated = simulate(model, sets, hostA, daemonA, samples, 20261125);
    sets.forEach((set, i) => {
      const gates = [...new Set(set)].map((id) => model.gates.get(id)!);
      const exact = jointAvailability(gates, hostA, daemonA);
      expect(exact.exact).toBe(true);
      const sigma = Math.sqrt((exact.value * (1 - exact.value)) / samples);
      expect(Math.abs(simulated[i]! - exact.value)).toBeLessThan(4.5 * sigma + 1e-9);
    });
  });

  it("conditions on zone failures exactly", () => {
    const gates: Gate[] = [
      {
        id: "q",
        kind: "quorum",
        label: "q",
        k: 2,
        members: ["a", "b", "c"].map((host) => ({ host, daemons: [] })),
        triggers: [],
      },
    ];
    const zoneOf = new Map([
      ["a", "z1"],
      ["b", "z1"],
      ["c", "z2"],
    ]);
    const a = 0.9;
    const z = 0.95;
    const r = withZones(
      zoneOf,
      z,
      () => a,
      (hA) => jointAvailability(gates, hA, () => 1),
    );
    // z1 up and z2 up: 2-of-3 at a; z1 up, z2 down: both a, b; z1 down: lost.
    const expected = z * z * (3 * a * a - 2 * a ** 3) + z * (1 - z) * a * a;
    expect(r.value).toBeCloseTo(expected, 13);
  });

  it("handles a topology with many computes quickly and exactly", () => {
    const hosts: Record<string, unknown> = {
      lb1: { roles: ["loadbalancer"], addresses: { management: "10.0.0.1" } },
      lb2: { roles: ["loadbalancer"], addresses: { management: "10.0.0.2" } },
      c1: { roles: ["control", "network"], addresses: { management: "10.0.0.11" } },
      c2: { roles: ["control", "network"], addresses: { management: "10.0.0.12" } },
      c3: { roles: ["control", "network"], addresses: { management: "10.0.0.13" } },
    };
    for (let i = 0; i < 2000; i++) {
      hosts[`cn${i}`] = { roles: ["compute"], addresses: { management: `10.0.${1 + (i >> 8)}.${i % 256}` } };
    }
    const topology = topologySchema.parse({
      version: 1,
      cloud: "big",
      domain: "example.test",
      kolla: { release: "2025.1" },
      networks: { management: { cidr: "10.0.0.0/16", interface: "eth0" } },
      vip: { internal: "10.0.0.250", router_id: 51 },
      masakari: { enabled: true, shared_storage: true },
      hosts,
    });
    const model = buildSlaModel(buildPlan(topology));
    const gates = [...model.gates.values()];
    const started = performance.now();
    const r = jointAvailability(
      gates,
      () => 0.999,
      () => 0.9999,
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(r.exact).toBe(true);
    expect(r.value).toBeGreaterThan(0.99);
    expect(r.value).toBeLessThan(1);
  });
});
