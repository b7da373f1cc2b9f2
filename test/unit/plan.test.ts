import { describe, expect, it } from "vitest";
import { buildPlan } from "../../src/plan/build.ts";
import { analyseSla } from "../../src/sla/analyse.ts";
import { haproxyCheckOptions, failoverProfile } from "../../src/plan/profile.ts";
import { loadTopologyFile, loadTopologyText } from "../../src/spec/load.ts";
import type { Topology } from "../../src/spec/schema.ts";

function example(): Topology {
  const r = loadTopologyFile("examples/packtpub-prod.yaml");
  expect(r.diagnostics).toEqual([]);
  return r.topology!;
}

describe("the Plan of the chapter's cloud", () => {
  const plan = buildPlan(example());

  it("gives the last load balancer the highest VRRP priority, as kolla's template does", () => {
    expect(plan.vrrp.members.map((m) => [m.host, m.priority])).toEqual([
      ["hap1", 1],
      ["hap2", 2],
    ]);
    expect(plan.vrrp.name).toBe("kolla_internal_vip_51");
  });

  it("keeps kolla's order with the top priorities under fast-failover, so a backup's skew is ~0", () => {
    const fast = buildPlan({ ...example(), profile: "fast-failover" });
    expect(fast.vrrp.members.map((m) => [m.host, m.priority])).toEqual([
      ["hap1", 253],
      ["hap2", 254],
    ]);
    // the SLA model's RFC 5798 Master_Down_Interval of the slower backup: 3 × 0.1 s + 3/256 × 0.1 s
    // (with kolla's 1 and 2 it would be 3 × 0.1 s + 255/256 × 0.1 s ≈ 0.4 s)
    const vipCrash = analyseSla(fast).mechanisms.find((m) => m.id === "vip-crash")!;
    expect(vipCrash.predicted_s).toBeCloseTo(0.301, 3);
  });

  it("puts every controller behind keystone and needs 2 of 3 Galera votes", () => {
    const ks = plan.haproxy.find((s) => s.name === "keystone_internal");
    expect(ks?.servers.map((s) => s.address)).toEqual(["10.0.0.100", "10.0.0.101", "10.0.0.102"]);
    expect(plan.quorum.find((q) => q.name === "galera")).toMatchObject({ majority: 2, tolerates: 1 });
  });

  it("uses ProxySQL for MariaDB on 2025.1 and keeps an HAProxy active/backup entry for the lab", () => {
    expect(plan.databaseLoadBalancer).toBe("proxysql");
    expect(plan.haproxy.some((s) => s.name === "mariadb")).toBe(false);
    expect(plan.databaseHaproxy.servers.map((s) => s.backup)).toEqual([false, true, true]);
  });

  it("renders MariaDB through HAProxy on 2024.1", () => {
    const t = example();
    const p = buildPlan({ ...t, kolla: { ...t.kolla, release: "2024.1" } });
    expect(p.databaseLoadBalancer).toBe("haproxy");
    expect(p.haproxy.find((s) => s.name === "mariadb")?.timeouts).toEqual({
      client: "3600s",
      server: "3600s",
    });
  });

  it("reads the 2024.1 group tree, which has no cinder-volume-lvm or nova-metadata group", () => {
    const t = example();
    const p = buildPlan({ ...t, kolla: { ...t.kolla, release: "2024.1" } });
    expect(p.cinder.volumeHosts).toEqual(["storage01"]);
    expect(p.haproxy.find((s) => s.name === "nova_metadata")?.servers.map((s) => s.host)).toEqual([
      "cc01",
      "cc02",
      "cc03",
    ]);
  });

  it("places DVR L3 agents on computes too", () => {
    const t = example();
    const p = buildPlan({ ...t, neutron: { plugin: "openvswitch", routing: "dvr" } });
    expect(p.neutron.l3Hosts).toEqual(["net01", "net02", "cn01", "cn02"]);
    expect(p.neutron.externalBridgeHosts).toContain("cn01");
  });
});

describe("a topology without dedicated load balancers", () => {
  it("falls back to kolla's default: load balancers on the network nodes", () => {
    const r = loadTopologyText(
      "t.yaml",
      `version: 1
cloud: c
domain: os.c
kolla: { release: master }
networks: { management: { cidr: 10.0.0.0/24, interface: eth0 } }
vip: { internal: 10.0.0.5, router_id: 7 }
hosts:
  n1: { roles: [network, control], addresses: { management: 10.0.0.11 } }
`,
    );
    expect(r.diagnostics).toEqual([]);
    expect(buildPlan(r.topology!).vrrp.members.map((m) => m.host)).toEqual(["n1"]);
  });
});

describe("failover profiles", () => {
  it("writes kolla's default health check verbatim", () => {
    expect(haproxyCheckOptions(failoverProfile("kolla-default").haproxy)).toBe(
      "check inter 2000 rise 2 fall 5",
    );
  });
  it("shuts down sessions on a backend marked down in fast-failover", () => {
    expect(haproxyCheckOptions(failoverProfile("fast-failover").haproxy)).toContain(
      "on-marked-down shutdown-sessions",
    );
  });
});

describe("kolla's HTTP health checks of the API backends, per release", () => {
  const backend = (release: "master" | "2025.1" | "2024.1", name: string): readonly string[] => {
    const t = example();
    const plan = buildPlan({ ...t, kolla: { ...t.kolla, release } });
    return plan.haproxy.find((h) => h.name === name)?.backendExtra ?? [];
  };

  it("master GETs each service's health path and wants a 200 (roles/*/defaults/main.yml)", () => {
    expect(backend("master", "keystone_internal")).toEqual([
      "balance roundrobin",
      "option httpchk GET /healthcheck",
      "http-check expect status 200",
    ]);
    expect(backend("master", "nova_api")).toEqual(["option httpchk GET /", "http-check expect status 200"]);
    expect(backend("master", "horizon")).toEqual(["balance roundrobin", "option httpchk"]);
    expect(backend("master", "rabbitmq_management")).toEqual(["option httpchk GET /api/overview"]);
  });

  it("2025.1 sends a bare `option httpchk`, except placement's GET /", () => {
    expect(backend("2025.1", "keystone_internal")).toEqual(["balance roundrobin", "option httpchk"]);
    expect(backend("2025.1", "placement_api")).toEqual(["option httpchk GET /"]);
    expect(backend("2025.1", "rabbitmq_management")).toEqual([]);
  });

  it("2024.1 checks with a TCP connect only", () => {
    expect(backend("2024.1", "keystone_internal")).toEqual(["balance roundrobin"]);
    expect(backend("2024.1", "neutron_server")).toEqual([]);
    expect(backend("2024.1", "glance_api")).toEqual(["timeout server 6h"]);
  });
});
