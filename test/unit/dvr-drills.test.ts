/**
 * The DVR drills' pure parts: which probe reaches which instance in the DVR workload (labelled
 * by the hosts on the path), the metric that counts only paths the faults did not touch, and
 * the routing requirement that keeps L3 HA scenarios off a DVR cloud and the other way round.
 */
import { describe, expect, it } from "vitest";
import { measure, type Measurements } from "../../src/drill/metrics.ts";
import { unmetRequirements } from "../../src/drill/requirements.ts";
import { SCENARIOS } from "../../src/drill/scenarios.ts";
import { tenantProbeEndpoints, type MadePort } from "../../src/drill/workloads/ha-router.ts";
import { buildPlan } from "../../src/plan/build.ts";
import type { ProbeSample } from "../../src/probes/types.ts";
import { loadTopologyFile } from "../../src/spec/load.ts";
import type { PluggedInstance } from "../../src/targets/target.ts";
import { PHASES, T0 } from "../support/drill-fixture.ts";

const example = (name: string) =>
  buildPlan(loadTopologyFile(new URL(`../../examples/${name}`, import.meta.url).pathname).topology!);

const port = (host: string, address: string): MadePort => ({
  host,
  id: `p-${address}`,
  mac: "fa:16:3e:00:00:01",
  address,
  prefix: 24,
  gateway: "198.19.10.1",
  mtu: 1450,
  deviceId: "d",
});
const instance = (host: string, name: string): PluggedInstance => ({
  host,
  name,
  portId: name,
  address: "",
  echoPort: 7,
  servers: [],
  inside: () => ({ file: "nsenter", args: [name] }),
});

describe("the DVR workload's probes", () => {
  it("pings the floating IPs, out of each instance, through SNAT and between the subnets, each path labelled", () => {
    const n = tenantProbeEndpoints(
      [
        { compute: 0, subnet: 0, floatingIp: true },
        { compute: 1, subnet: 1, floatingIp: true },
        { compute: 0, subnet: 0, floatingIp: false },
      ],
      [port("cn01", "198.19.10.5"), port("cn02", "198.19.11.7"), port("cn01", "198.19.10.9")],
      [instance("cn01", "a"), instance("cn02", "b"), instance("cn01", "c")],
      ["198.18.2.210", "198.18.2.211"],
      "198.18.2.200",
      "r1",
    );
    expect(n.floatingIpHosts).toEqual(["cn01", "cn02"]);
    expect(n.insideHosts).toEqual(["cn01", "cn02"]);
    expect(n.snat).toEqual([{ inside: { file: "nsenter", args: ["c"] }, host: "cn01" }]);
    expect(n.eastWest?.map((x) => `${x.from}>${x.to} ${x.address} via ${x.inside.args[0]}`)).toEqual([
      "cn01>cn02 198.19.11.7 via a",
      "cn02>cn01 198.19.10.5 via b",
    ]);
    expect(n.router).toBe("r1");
  });

  it("has no SNAT-only or routed pairs with one subnet of floating-IP instances (L3 HA)", () => {
    const n = tenantProbeEndpoints(
      [
        { compute: 0, subnet: 0, floatingIp: true },
        { compute: 1, subnet: 0, floatingIp: true },
      ],
      [port("cn01", "198.19.10.5"), port("cn02", "198.19.10.6")],
      [instance("cn01", "a"), instance("cn02", "b")],
      ["198.18.2.210", "198.18.2.211"],
      "198.18.2.200",
      "r1",
    );
    expect(n.snat).toBeUndefined();
    expect(n.eastWest).toBeUndefined();
  });
});

describe("failed_beside_fault", () => {
  const sample = (target: string | undefined, ok: boolean): ProbeSample => ({
    probe: "fip-icmp",
    t: T0 + 6_000,
    ms: 1,
    ok,
    ...(target !== undefined ? { target } : {}),
  });
  const m = (samples: ProbeSample[]): Measurements => ({
    phases: PHASES,
    probes: [],
    samples,
    moves: [],
    lostWrites: 0,
    recoveryS: null,
    faultHosts: ["cn02"],
  });

  it("counts only failures on paths that touch no host the faults hit", () => {
    const samples = [
      sample("cn02", false),
      sample("cn01>cn02", false),
      sample("cn01", true),
      sample("cn01", false),
    ];
    expect(measure("failed_beside_fault", m(samples), "fip-icmp")).toBe(1);
  });

  it("has no value for a probe whose samples carry no path (a threshold on it then fails)", () => {
    expect(measure("failed_beside_fault", m([sample(undefined, false)]), "fip-icmp")).toBeNull();
  });
});

describe("routing requirements", () => {
  it("keeps the L3 HA router drills off a DVR cloud and the DVR drills off an L3 HA cloud", () => {
    const dvr = example("packtpub-dvr.yaml");
    const l3ha = example("packtpub-prod.yaml");
    expect(unmetRequirements(dvr, SCENARIOS["snat-host-crash"].requires)).toEqual([]);
    expect(unmetRequirements(dvr, SCENARIOS["dvr-compute-crash"].requires)).toEqual([]);
    expect(unmetRequirements(dvr, SCENARIOS["router-host-crash"].requires)).toEqual([
      "needs neutron routing l3-ha, the cloud routes dvr",
    ]);
    expect(unmetRequirements(l3ha, SCENARIOS["snat-host-crash"].requires)).toEqual([
      "needs neutron routing dvr, the cloud routes l3-ha",
    ]);
  });
});
