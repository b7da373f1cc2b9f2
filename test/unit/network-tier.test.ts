/**
 * The network tier's pure parts: ping output into samples, the routers
 * observer's parsing and its ground truth, the lab's external network, the
 * Neutron files the lab writes, and verify's network checks.
 */
import { describe, expect, it } from "vitest";
import { parsePingLine, PingTracker } from "../../src/probes/icmp.ts";
import type { ProbeSample } from "../../src/probes/types.ts";
import { activeHosts, parseRouterScan, stateDisagreements } from "../../src/observe/routers.ts";
import { buildPlan } from "../../src/plan/build.ts";
import { l3AgentMode } from "../../src/plan/l3-mode.ts";
import { loadTopologyFile } from "../../src/spec/load.ts";
import { labExternalNetwork, labLayout } from "../../src/targets/lab/layout.ts";
import {
  haHealthCheckInterval,
  l3AgentConfig,
  neutronServerConfig,
  ovsAgentConfig,
} from "../../src/targets/lab/services/neutron-config.ts";
import { transportUrl } from "../../src/targets/lab/services/openstack-config.ts";
import { startedSinceLastStart } from "../../src/targets/lab/services/neutron.ts";
import type { LabHostContext } from "../../src/targets/lab/service.ts";
import { unitHostContext } from "../support/lab-context.ts";
import { verifyChecks, type VerifyInput } from "../../src/verify/checks.ts";

const topology = loadTopologyFile(
  new URL("../../examples/packtpub-prod.yaml", import.meta.url).pathname,
).topology!;

describe("ping -D -O output", () => {
  it("parses replies with their round trip and the requests still open", () => {
    expect(
      parsePingLine("[1764590000.250000] 64 bytes from 198.18.2.230: icmp_seq=7 ttl=63 time=1.25 ms"),
    ).toEqual({
      kind: "reply",
      seq: 7,
      at: 1764590000250,
      rttMs: 1.25,
    });
    expect(parsePingLine("[1764590000.300000] no answer yet for icmp_seq=8")).toEqual({
      kind: "pending",
      seq: 8,
      at: 1764590000300,
    });
    expect(parsePingLine("PING 198.18.2.230 (198.18.2.230) 56(84) bytes of data.")).toBeUndefined();
    expect(parsePingLine("--- 198.18.2.230 ping statistics ---")).toBeUndefined();
  });

  it("makes one sample per sequence number: answered, or lost once the timeout passed", () => {
    const out: ProbeSample[] = [];
    const t = new PingTracker("fip-icmp", 50, 1000, (s) => out.push(s));
    const at = 1_000_000;
    t.line({ kind: "reply", seq: 1, at: at + 1, rttMs: 1 });
    // 2 and 3 go unanswered; 4 is answered late but within the timeout
    t.line({ kind: "pending", seq: 2, at: at + 100 });
    t.line({ kind: "pending", seq: 3, at: at + 150 });
    t.line({ kind: "reply", seq: 4, at: at + 900, rttMs: 750 });
    t.line({ kind: "reply", seq: 4, at: at + 950, rttMs: 800 });
    expect(t.open().count).toBe(2);
    t.sweep(at + 500);
    expect(out.filter((s) => !s.ok)).toEqual([]);
    t.sweep(at + 1200);
    expect(out.map((s) => [s.ok, Math.round(s.t - at)])).toEqual([
      [true, 0],
      [true, 150],
      [false, 50],
      [false, 100],
    ]);
    // a reply after the sample was judged lost changes nothing
    t.line({ kind: "reply", seq: 2, at: at + 1300, rttMs: 1250 });
    expect(out).toHaveLength(4);
    expect(t.open()).toEqual({ count: 0, oldest: null });
  });

  it("counts a reply slower than the timeout as lost", () => {
    const out: ProbeSample[] = [];
    const t = new PingTracker("instance-upstream", 50, 1000, (s) => out.push(s));
    t.line({ kind: "reply", seq: 1, at: 5000, rttMs: 1500 });
    expect(out).toMatchObject([{ ok: false, err: "timeout" }]);
  });
});

describe("the routers observer", () => {
  const scan = [
    "r1 primary alive 198.18.2.218/24,198.19.10.1/24,",
    "r2 backup alive ",
    "r3 fault dead",
    "",
  ].join("\n");

  it("reads each router's state, whether its keepalived runs and the addresses its namespace holds", () => {
    expect(parseRouterScan("net01", scan)).toEqual([
      {
        router: "r1",
        host: "net01",
        state: "primary",
        keepalived: true,
        vips: ["198.18.2.218/24", "198.19.10.1/24"],
      },
      { router: "r2", host: "net01", state: "backup", keepalived: true, vips: [] },
      { router: "r3", host: "net01", state: "fault", keepalived: false, vips: [] },
    ]);
  });

  it("calls a router active where it holds its addresses, and names a state file that says otherwise", () => {
    const state = {
      instances: [
        ...parseRouterScan("net01", "r1 primary alive 198.18.2.218/24,"),
        ...parseRouterScan("net02", "r1 primary alive "),
        ...parseRouterScan("net03", "r1 backup alive 198.18.2.218/24,"),
        ...parseRouterScan("net04", "r1 primary dead 198.18.2.218/24,"),
      ],
    };
    // net02 says primary but has no VIPs: not serving; net03 serves while its file says backup;
    // net04's keepalived was killed: its addresses stay, nothing serves them
    expect(activeHosts(state, "r1")).toEqual(["net01", "net03"]);
    expect(stateDisagreements(state, "r1")).toEqual([
      "net02's state file says primary but it holds none of the router's addresses",
      "net03 holds the router's addresses but its state file says backup",
      "net04's state file says primary but the router's keepalived is not running there",
    ]);
    expect(stateDisagreements(state, "r2")).toEqual([]);
  });
});

describe("the lab's external network for Neutron", () => {
  it("is the lab's external network, its gateway the client, its pool addresses nobody uses", () => {
    const layout = labLayout(buildPlan(topology));
    const ext = labExternalNetwork(layout)!;
    expect(ext).toEqual({
      cidr: "198.18.2.0/24",
      gateway: layout.client.addresses.external,
      pool: { start: "198.18.2.206", end: "198.18.2.253" },
    });
    const used = layout.hosts.flatMap((h) => Object.values(h.addresses));
    expect(used.filter((a) => a.startsWith("198.18.2.2") && Number(a.split(".")[3]) >= 206)).toEqual([]);
    const tunnel = layout.hosts.find((h) => h.name === "net01")!.links.find((l) => l.network === "tenant")!;
    expect(tunnel.ovsBridge).toBe("br-underlay");
    expect(layout.hosts.find((h) => h.name === "cc01")!.links.every((l) => l.ovsBridge === undefined)).toBe(
      true,
    );
  });
});

describe("the lab's Neutron files", () => {
  const ctx = (host: string, profile?: "fast-failover"): LabHostContext => {
    const plan = buildPlan(profile ? { ...topology, profile } : topology);
    const layout = labLayout(plan, "/lab");
    return unitHostContext(plan, layout, host, {
      secrets: {
        neutron_database_password: "db/pass",
        neutron_keystone_password: "ks",
        rabbitmq_password: "rabbit@pw",
        metadata_secret: "md",
      },
      services: [],
      identity: {
        authUrl: "http://198.18.0.47:5000/v3",
        url: "http://198.18.0.47:5000",
        admin: { username: "admin", password: "x", project: "admin", domain: "Default" },
      },
    });
  };

  it("puts L3 HA on the server and every broker in the transport URL", () => {
    const conf = neutronServerConfig(ctx("cc01"));
    expect(conf).toContain("l3_ha = true\nmax_l3_agents_per_router = 3\ndhcp_agents_per_network = 2");
    expect(conf).toContain("connection = mysql+pymysql://neutron:db%2Fpass@198.18.0.47:3306/neutron");
    expect(conf).toMatch(/l3_ha_net_cidr = 198\.19\./);
    expect(transportUrl(ctx("cc01"))).toBe(
      "rabbit://openstack:rabbit%40pw@198.18.0.100:5672,openstack:rabbit%40pw@198.18.0.101:5672,openstack:rabbit%40pw@198.18.0.102:5672//",
    );
  });

  it("tunnels from the host's tenant address on the userspace datapath, br-ex where kolla puts it", () => {
    const net = ovsAgentConfig(ctx("net01"));
    expect(net).toContain("datapath_type = netdev");
    expect(net).toContain("bridge_mappings = physnet1:br-ex");
    expect(net).toContain(`local_ip = ${ctx("net01").addresses.tenant}`);
    expect(net).toContain("tunnel_types = vxlan");
    // the chapter's provider networks put br-ex on the computes too (kolla's enable_neutron_provider_networks)
    expect(ovsAgentConfig(ctx("cn01"))).toContain("bridge_mappings = physnet1:br-ex");
  });

  it("advertises every 2 s under kolla-default and every second under fast-failover, with kolla's health check", () => {
    expect(l3AgentConfig(ctx("net01"))).toContain(
      "ha_vrrp_advert_int = 2\nha_vrrp_health_check_interval = 5",
    );
    expect(l3AgentConfig(ctx("net01", "fast-failover"))).toContain("ha_vrrp_advert_int = 1");
    expect(haHealthCheckInterval("master")).toBe(0);
  });

  it("with DVR: distributed routers on the server, dvr_snat on the network nodes, dvr on the computes", () => {
    const dvr = loadTopologyFile(
      new URL("../../examples/packtpub-dvr.yaml", import.meta.url).pathname,
    ).topology!;
    const dvrPlan = buildPlan(dvr);
    expect(dvrPlan.services.find((x) => x.name === "neutron-l3-agent")?.hosts).toEqual([
      "net01",
      "net02",
      "cn01",
      "cn02",
    ]);
    const at = (host: string): LabHostContext => ({ ...ctx(host), plan: dvrPlan });
    expect(neutronServerConfig(at("cc01"))).toContain("router_distributed = true");
    expect(neutronServerConfig(at("cc01"))).toContain("l3_ha = true");
    expect(l3AgentConfig(at("net01"))).toContain("agent_mode = dvr_snat");
    expect(l3AgentConfig(at("cn02"))).toContain("agent_mode = dvr");
    expect(ovsAgentConfig(at("cn01"))).toContain("enable_distributed_routing = true");
    expect(l3AgentMode(dvrPlan, "cn01")).toBe("dvr");
    expect(l3AgentMode(buildPlan(topology), "net01")).toBe("legacy");
  });

  it("judges an agent started only by what it logged since its latest start", () => {
    const log = "Logging enabled!\nL3 agent started\nLogging enabled!\nstarting…\n";
    expect(startedSinceLastStart(log, "L3 agent started")).toBe(false);
    expect(startedSinceLastStart(`${log}L3 agent started\n`, "L3 agent started")).toBe(true);
    expect(startedSinceLastStart("", "L3 agent started")).toBe(false);
  });
});

describe("verify's network checks", () => {
  const plan = buildPlan(topology);
  const managed = ["neutron-server", "neutron-openvswitch-agent", "neutron-l3-agent", "neutron-dhcp-agent"];
  const agents = [
    ...["net01", "net02", "cn01", "cn02"].map((host) => ({
      binary: "neutron-openvswitch-agent",
      host,
      alive: true,
    })),
    ...["net01", "net02"].flatMap((host) => [
      { binary: "neutron-l3-agent", host, alive: true },
      { binary: "neutron-dhcp-agent", host, alive: true },
    ]),
  ];
  const input = (over: Partial<VerifyInput>): VerifyInput => ({
    plan,
    managedServices: managed,
    services: [],
    observed: {
      vip: { address: "198.18.0.47", holders: [], vrrp: [] },
      backends: { states: [], errors: [] },
      galera: [],
      rabbitmq: [],
      routers: {
        instances: [
          ...parseRouterScan("net01", "r1 primary alive 198.18.2.218/24,"),
          ...parseRouterScan("net02", "r1 backup alive "),
        ],
      },
      pacemaker: {},
    },
    keepalived: [],
    catalog: { ok: true, services: [] },
    network: {
      ok: true,
      state: {
        agents,
        routers: [
          {
            id: "r1",
            name: "x",
            agents: [
              { host: "net01", haState: "active", alive: true },
              { host: "net02", haState: "standby", alive: true },
            ],
          },
        ],
      },
    },
    ...over,
  });
  const check = (i: VerifyInput, id: string) => verifyChecks(i).find((c) => c.id === id)!;

  it("passes with every agent alive where the Plan places it and one active router", () => {
    expect(check(input({}), "neutron-agents")).toMatchObject({ passed: true });
    expect(check(input({}), "l3-ha-routers")).toMatchObject({
      passed: true,
      details: ["router r1 active on net01"],
    });
  });

  it("names an L3 agent that runs in another mode than kolla gives its host", () => {
    const i = input({});
    const modes = {
      ...i.network!,
      state: {
        ...i.network!.state!,
        agents: agents.map((a) =>
          a.binary === "neutron-l3-agent" ? { ...a, mode: a.host === "net02" ? "dvr_snat" : "legacy" } : a,
        ),
      },
    };
    const c = check({ ...i, network: modes }, "neutron-agents");
    expect(c.passed).toBe(false);
    expect(c.details).toContain("the L3 agent on net02 runs in mode dvr_snat, the Plan says legacy");
  });

  it("names a missing or dead agent", () => {
    const i = input({});
    const dead = {
      ...i.network!,
      state: {
        ...i.network!.state!,
        agents: agents.filter((a) => !(a.binary === "neutron-l3-agent" && a.host === "net02")),
      },
    };
    expect(check({ ...i, network: dead }, "neutron-agents").details).toEqual(["no L3 agent on net02"]);
  });

  it("fails on a split brain by the ground truth, and reports the API's two actives beside it", () => {
    const i = input({});
    const split = {
      instances: [
        ...parseRouterScan("net01", "r1 primary alive 198.18.2.218/24,"),
        ...parseRouterScan("net02", "r1 primary alive 198.18.2.218/24,"),
      ],
    };
    const c = check({ ...i, observed: { ...i.observed, routers: split } }, "l3-ha-routers");
    expect(c.passed).toBe(false);
    expect(c.details[0]).toBe("router r1 is active on net01 and net02: split brain");
  });

  it("passes when only the API shows two actives (Zed's LP#1837635), saying so", () => {
    const i = input({});
    const api = {
      ...i.network!,
      state: {
        ...i.network!.state!,
        routers: [
          {
            id: "r1",
            name: "x",
            agents: [
              { host: "net01", haState: "active", alive: true },
              { host: "net02", haState: "active", alive: true },
            ],
          },
        ],
      },
    };
    const c = check({ ...i, network: api }, "l3-ha-routers");
    expect(c.passed).toBe(true);
    expect(c.details.join("\n")).toContain("LP#1837635");
  });

  it("runs no network check on a target without the network tier", () => {
    const { network: _omit, ...rest } = input({});
    void _omit;
    expect(verifyChecks(rest).map((c) => c.id)).not.toContain("neutron-agents");
  });
});
