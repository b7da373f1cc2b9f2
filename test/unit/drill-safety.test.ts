import { describe, expect, it } from "vitest";
import { quorumBreaches, targetRefusal } from "../../src/drill/safety.ts";
import { ScenarioError } from "../../src/drill/scenario.ts";
import { SCENARIOS, SCENARIO_NAMES } from "../../src/drill/scenarios.ts";
import type { Observations } from "../../src/observe/index.ts";
import type { TargetState } from "../../src/targets/target.ts";
import { packtpubPlan } from "../support/drill-fixture.ts";

const plan = packtpubPlan();

function state(over: Partial<Observations> = {}): TargetState {
  return {
    at: 0,
    hosts: plan.hosts.map((h) => ({ name: h.name, up: true, linksDown: [] })),
    services: [],
    observed: {
      vip: { address: "198.18.0.47", holders: ["hap2"], vrrp: [] },
      backends: {
        states: [
          { lb: "hap2", proxy: "mariadb", server: "cc01", status: "UP", backup: false, sessions: 3 },
          { lb: "hap2", proxy: "mariadb", server: "cc02", status: "UP", backup: true, sessions: 0 },
        ],
        errors: [],
      },
      galera: [],
      rabbitmq: [],
      routers: { instances: [] },
      pacemaker: {},
      ...over,
    },
  };
}

describe("drill safety", () => {
  it("refuses a non-lab target without the explicit flag", () => {
    expect(targetRefusal("kolla", false)).toContain("--i-know-this-is-production");
    expect(targetRefusal("kolla", true)).toBeUndefined();
    expect(targetRefusal("lab", false)).toBeUndefined();
  });

  it("lets one controller crash keep every quorum", () => {
    expect(quorumBreaches(plan, [{ kind: "host-crash", host: "cc01" }], state())).toEqual([]);
  });

  it("sees that a second controller crash breaks Galera and RabbitMQ quorum", () => {
    const groups = quorumBreaches(
      plan,
      [
        { kind: "host-crash", host: "cc01" },
        { kind: "host-crash", host: "cc02" },
      ],
      state(),
    ).map((b) => b.group);
    expect(groups).toEqual(expect.arrayContaining(["galera", "rabbitmq"]));
  });

  it("counts a node that is already down against the majority", () => {
    const down = {
      ...state(),
      hosts: plan.hosts.map((h) => ({ name: h.name, up: h.name !== "cc03", linksDown: [] })),
    };
    expect(
      quorumBreaches(plan, [{ kind: "service-kill", host: "cc01", service: "mariadb" }], down)[0],
    ).toMatchObject({
      group: "galera",
      remaining: 1,
      majority: 2,
    });
  });

  it("only controller-pair-crash is allowed to break quorum", () => {
    const breakers = SCENARIO_NAMES.filter((n) => SCENARIOS[n].breaksQuorum);
    expect(breakers).toEqual(["controller-pair-crash"]);
    // what the network workload reports (the router and where it is active), and the compute one
    const workload = {
      router: "0123456789abcdef",
      active: "net01",
      computes: "cn01,cn02",
      compute: "cn01",
      servers: "a,b,c",
    };
    for (const n of SCENARIO_NAMES) {
      const faults = SCENARIOS[n].faults({ plan, state: state(), workload });
      expect(quorumBreaches(plan, faults, state()).length > 0).toBe(SCENARIOS[n].breaksQuorum);
    }
  });
});

describe("scenario victims", () => {
  it("hit the compute the workload booted its instances on: the host, its management link, its nova-compute", () => {
    const workload = { compute: "cn02", servers: "a,b,c" };
    expect(SCENARIOS["compute-host-crash"].faults({ plan, state: state(), workload })).toEqual([
      { kind: "host-crash", host: "cn02" },
    ]);
    expect(SCENARIOS["compute-link-cut"].faults({ plan, state: state(), workload })).toEqual([
      { kind: "link-cut", host: "cn02", network: plan.apiNetwork },
    ]);
    expect(SCENARIOS["nova-compute-kill"].faults({ plan, state: state(), workload })).toEqual([
      { kind: "service-kill", host: "cn02", service: "nova-compute" },
    ]);
  });

  it("hit the network node where the workload's HA router is active, and only its keepalived", () => {
    const workload = { router: "0123456789abcdef", active: "net02" };
    expect(SCENARIOS["router-host-crash"].faults({ plan, state: state(), workload })).toEqual([
      { kind: "host-crash", host: "net02" },
    ]);
    expect(SCENARIOS["router-link-cut"].faults({ plan, state: state(), workload })).toEqual([
      { kind: "link-cut", host: "net02", network: "tenant" },
    ]);
    expect(SCENARIOS["snat-host-crash"].faults({ plan, state: state(), workload })).toEqual([
      { kind: "host-crash", host: "net02" },
    ]);
    // the DVR workload's last compute: the one whose instance is alone there
    expect(
      SCENARIOS["dvr-compute-crash"].faults({
        plan,
        state: state(),
        workload: { ...workload, computes: "cn01,cn02" },
      }),
    ).toEqual([{ kind: "host-crash", host: "cn02" }]);
    expect(SCENARIOS["router-keepalived-kill"].faults({ plan, state: state(), workload })).toEqual([
      {
        kind: "process-kill",
        host: "net02",
        service: "neutron-l3-agent",
        match: ["ha_confs/0123456789abcdef/keepalived.conf"],
        label: "keepalived of router 01234567",
      },
    ]);
    expect(() => SCENARIOS["l3-agent-kill"].faults({ plan, state: state() })).toThrow(/did not report/);
  });

  it("crash the load balancer that holds the VIP now", () => {
    expect(SCENARIOS["lb-master-crash"].faults({ plan, state: state() })).toEqual([
      { kind: "host-crash", host: "hap2" },
    ]);
  });

  it("hit the controller behind the active MariaDB backend", () => {
    const s = state({
      backends: {
        states: [
          { lb: "hap2", proxy: "mariadb", server: "cc01", status: "DOWN", backup: false, sessions: 0 },
          { lb: "hap2", proxy: "mariadb", server: "cc02", status: "UP", backup: true, sessions: 4 },
        ],
        errors: [],
      },
    });
    expect(SCENARIOS["galera-node-kill"].faults({ plan, state: s })).toEqual([
      { kind: "service-kill", host: "cc02", service: "mariadb" },
    ]);
    expect(SCENARIOS["controller-crash"].faults({ plan, state: state() })).toEqual([
      { kind: "host-crash", host: "cc01" },
    ]);
  });

  it("refuse to guess when nobody or two hosts hold the VIP", () => {
    expect(() =>
      SCENARIOS["lb-master-link-cut"].faults({
        plan,
        state: state({ vip: { address: "x", holders: [], vrrp: [] } }),
      }),
    ).toThrow(ScenarioError);
  });
});
