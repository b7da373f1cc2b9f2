import { describe, expect, it } from "vitest";
import { verifyChecks, type VerifyInput } from "../../src/verify/checks.ts";
import { verifyJunit, verifyText } from "../../src/verify/report.ts";
import type { Observations } from "../../src/observe/index.ts";
import type { BackendState, ServiceState, VrrpState } from "../../src/targets/target.ts";
import { packtpubPlan } from "../support/drill-fixture.ts";

const plan = packtpubPlan();
const managed = ["haproxy", "keepalived", "mariadb", "rabbitmq", "memcached", "keystone"];
const cc = ["cc01", "cc02", "cc03"];

/** What the target reported, flat, as the tests vary it. */
interface Flat extends Omit<Observations, "backends"> {
  readonly services: readonly ServiceState[];
  readonly backends: readonly BackendState[];
}

function healthy(): Flat {
  return {
    services: managed.flatMap((s) =>
      (plan.services.find((p) => p.name === s)?.hosts ?? []).map((h) => ({
        host: h,
        service: s,
        running: true,
      })),
    ),
    vip: {
      address: "198.18.0.47",
      holders: ["hap2"],
      vrrp: [
        { host: "hap1", state: "BACKUP" },
        { host: "hap2", state: "MASTER" },
      ],
    },
    backends: cc.map((h) => ({
      lb: "hap2",
      proxy: "keystone_internal",
      server: h,
      status: "UP",
      backup: false,
      sessions: 0,
    })),
    galera: cc.map((h) => ({
      host: h,
      reachable: true,
      clusterSize: 3,
      clusterStatus: "Primary",
      ready: true,
      localState: "Synced",
    })),
    rabbitmq: cc.map((h) => ({ host: h, reachable: true, running: cc, partitions: [] })),
    routers: { instances: [] },
    pacemaker: {},
  };
}

const conf = (host: string, rid = 51, vip = "198.18.0.47"): VerifyInput["keepalived"][number] => ({
  host,
  file: {
    host,
    path: `/x/${host}/keepalived.conf`,
    content: `vrrp_instance v {\n    virtual_router_id ${rid}\n    virtual_ipaddress {\n        ${vip} dev eth0\n    }\n}\n`,
  },
});

function input(over: Partial<VerifyInput> & { readonly state?: Flat } = {}): VerifyInput {
  const { state = healthy(), ...rest } = over;
  const { services, backends, ...observed } = state;
  return {
    plan,
    managedServices: managed,
    services,
    observed: { ...observed, backends: { states: backends, errors: [] } },
    keepalived: [conf("hap1"), conf("hap2")],
    catalog: {
      ok: true,
      services: [{ type: "identity", name: "keystone", interfaces: ["admin", "internal", "public"] }],
    },
    ...rest,
  };
}

describe("verify checks", () => {
  it("pass on a healthy cloud", () => {
    const r = verifyChecks(input());
    expect(r.filter((c) => !c.passed)).toEqual([]);
    expect(r.map((c) => c.id)).toEqual([
      "services-placed",
      "keepalived-config",
      "vip-single-holder",
      "vrrp-standby-ready",
      "haproxy-backends-up",
      "galera-primary",
      "rabbitmq-members",
      "keystone-catalog",
    ]);
  });

  it("name a split brain and a VIP nobody holds", () => {
    const split = verifyChecks(
      input({ state: { ...healthy(), vip: { ...healthy().vip, holders: ["hap1", "hap2"] } } }),
    );
    expect(split.find((c) => c.id === "vip-single-holder")?.details).toEqual([
      "split brain: hap1 and hap2 both hold 198.18.0.47",
    ]);
  });

  it("fail when the standby cannot take the VIP over (VRRP FAULT), or two claim MASTER", () => {
    const vrrp = (hap1: VrrpState, hap2: VrrpState): Flat => ({
      ...healthy(),
      vip: {
        ...healthy().vip,
        vrrp: [
          { host: "hap1", state: hap1 },
          { host: "hap2", state: hap2 },
        ],
      },
    });
    const check = (s: Flat) => verifyChecks(input({ state: s })).find((c) => c.id === "vrrp-standby-ready")!;
    expect(check(healthy())).toMatchObject({ passed: true, details: ["hap1 BACKUP", "hap2 MASTER"] });
    expect(check(vrrp("FAULT", "MASTER"))).toMatchObject({
      passed: false,
      details: ["hap1 is VRRP FAULT: it cannot take the VIP over (track script or link failing)"],
    });
    expect(check(vrrp("MASTER", "MASTER")).details).toEqual(["2 load balancers are VRRP MASTER"]);
    expect(check({ ...healthy(), vip: { ...healthy().vip, vrrp: [] } }).details).toEqual([
      "hap1 is VRRP not reported",
      "hap2 is VRRP not reported",
    ]);
  });

  it("catch a keepalived.conf with the wrong router id", () => {
    const r = verifyChecks(input({ keepalived: [conf("hap1", 52), conf("hap2")] }));
    expect(r.find((c) => c.id === "keepalived-config")?.details).toEqual([
      "hap1: /x/hap1/keepalived.conf does not set virtual_router_id 51",
    ]);
  });

  it("report a Galera node that lost the Primary component and a stopped service", () => {
    const s = healthy();
    const state: Flat = {
      ...s,
      galera: s.galera.map((n) =>
        n.host === "cc03"
          ? { ...n, clusterSize: 1, clusterStatus: "non-Primary", ready: false, localState: "Initialized" }
          : n,
      ),
      services: s.services.map((x) =>
        x.host === "cc03" && x.service === "keystone" ? { ...x, running: false } : x,
      ),
    };
    const r = verifyChecks(input({ state }));
    expect(r.find((c) => c.id === "galera-primary")?.details).toContain("cc03: non-Primary, not Primary");
    expect(r.find((c) => c.id === "services-placed")?.details).toEqual(["keystone is not running on cc03"]);
  });

  it("render JUnit with one case per check and a failure message", () => {
    const r = verifyChecks(
      input({
        state: {
          ...healthy(),
          backends: [
            { lb: "hap2", proxy: "mariadb", server: "cc01", status: "DOWN", backup: false, sessions: 0 },
          ],
        },
      }),
    );
    const report = {
      target: "lab packtpub-prod",
      at: "2026-11-25T12:00:00.000Z",
      durationMs: 10,
      passed: false,
      checks: r,
    };
    const xml = verifyJunit(report);
    expect(xml).toContain('tests="8" failures="1"');
    expect(xml).toContain(
      '<failure message="all HAProxy backends are UP: haproxy on hap2: mariadb/cc01 is DOWN">',
    );
    expect(verifyText(report)).toContain("lab packtpub-prod: 7 passed, 1 failed");
  });
});
