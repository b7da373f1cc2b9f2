/**
 * The compute tier's verify: the compute API read against a loopback stand-in of Keystone, Nova
 * and Masakari (the microversion, Masakari's /v1 the catalogue leaves out), and the checks
 * nova-compute-services, instance-ha and pacemaker on what the APIs and crm_mon report.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCrmMon } from "../../src/observe/pacemaker.ts";
import { computeApiState, masakariV1, type ComputeApiState } from "../../src/probes/compute-api.ts";
import type { ProbeEndpoints } from "../../src/targets/target.ts";
import { verifyChecks, type VerifyInput } from "../../src/verify/checks.ts";
import { packtpubPlan } from "../support/drill-fixture.ts";

const crmMon = readFileSync(new URL("testdata/observe/crm-mon.xml", import.meta.url), "utf8");
const SEGMENT = "packtpub-prod-computes";

describe("the compute API", () => {
  let server: Server;
  let withMasakari = true;
  const asked: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const url = req.url ?? "";
        if (req.method === "POST" && url === "/v3/auth/tokens") {
          const entry = (type: string, name: string, at: string) => ({
            type,
            name,
            endpoints: [{ interface: "internal", url: at }],
          });
          const catalog = [
            entry("identity", "keystone", `${base}/v3`),
            entry("compute", "nova", `${base}/v2.1`),
            entry("placement", "placement", `${base}/placement`),
            ...(withMasakari ? [entry("instance-ha", "masakari", `${base}/ha`)] : []),
          ];
          res.writeHead(201, { "x-subject-token": "tok-1" }).end(JSON.stringify({ token: { catalog } }));
          return;
        }
        asked.push(
          `${url} ${String(req.headers["openstack-api-version"] ?? "-")} ${String(req.headers["x-auth-token"])}`,
        );
        const body: Record<string, unknown> = {
          "/v2.1/os-services?binary=nova-compute": {
            services: [
              {
                host: "cn01",
                binary: "nova-compute",
                status: "enabled",
                state: "up",
                forced_down: false,
                disabled_reason: null,
              },
              {
                host: "cn02",
                binary: "nova-compute",
                status: "disabled",
                state: "down",
                forced_down: true,
                disabled_reason: "Masakari detected host failed.",
              },
            ],
          },
          "/v2.1/os-hypervisors": {
            hypervisors: [
              { id: "h1", hypervisor_hostname: "cn01", state: "up", status: "enabled" },
              { id: "h2", hypervisor_hostname: "cn02", state: "down", status: "disabled" },
            ],
          },
          "/ha/v1/segments": {
            segments: [{ uuid: "s-1", name: SEGMENT, recovery_method: "auto", service_type: "compute" }],
          },
          "/ha/v1/segments/s-1/hosts": {
            hosts: [
              { name: "cn01", type: "COMPUTE", reserved: false, on_maintenance: false },
              { name: "cn02", type: "COMPUTE", reserved: false, on_maintenance: true },
            ],
          },
        };
        if (url in body) res.writeHead(200).end(JSON.stringify(body[url]));
        else res.writeHead(404).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const endpoints = (): ProbeEndpoints => ({
    vip: "127.0.0.1",
    keystoneUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    admin: { username: "admin", password: "s3cret", project: "admin", domain: "Default" },
    sql: { host: "127.0.0.1", port: 1, user: "u", password: "p", database: "d" },
    amqp: [],
  });

  it("reads Nova at 2.53 and Masakari's segment hosts at the catalogue's URL plus /v1", async () => {
    withMasakari = true;
    asked.length = 0;
    const s = await computeApiState(endpoints(), AbortSignal.timeout(5_000));
    expect(s).toEqual({
      catalog: [
        { type: "compute", name: "nova" },
        { type: "placement", name: "placement" },
        { type: "instance-ha", name: "masakari" },
      ],
      services: [
        { host: "cn01", status: "enabled", state: "up", forcedDown: false },
        {
          host: "cn02",
          status: "disabled",
          state: "down",
          forcedDown: true,
          disabledReason: "Masakari detected host failed.",
        },
      ],
      hypervisors: [
        { hostname: "cn01", state: "up", status: "enabled" },
        { hostname: "cn02", state: "down", status: "disabled" },
      ],
      segments: [
        {
          uuid: "s-1",
          name: SEGMENT,
          recoveryMethod: "auto",
          hosts: [
            { name: "cn01", type: "COMPUTE", reserved: false, onMaintenance: false },
            { name: "cn02", type: "COMPUTE", reserved: false, onMaintenance: true },
          ],
        },
      ],
    });
    expect(asked.sort()).toEqual([
      "/ha/v1/segments - tok-1",
      "/ha/v1/segments/s-1/hosts - tok-1",
      "/v2.1/os-hypervisors compute 2.53 tok-1",
      "/v2.1/os-services?binary=nova-compute compute 2.53 tok-1",
    ]);
  });

  it("reads no segments when the catalogue has no instance-ha service", async () => {
    withMasakari = false;
    const s = await computeApiState(endpoints(), AbortSignal.timeout(5_000));
    expect(s?.segments).toBeUndefined();
    expect(s?.services).toHaveLength(2);
  });

  it("completes Masakari's URL with /v1 only when it lacks it", () => {
    expect(masakariV1("http://198.18.0.47:15868")).toBe("http://198.18.0.47:15868/v1");
    expect(masakariV1("http://198.18.0.47:15868/v1")).toBe("http://198.18.0.47:15868/v1");
    expect(masakariV1("http://198.18.0.47:15868/v1/0a1b")).toBe("http://198.18.0.47:15868/v1/0a1b");
  });
});

describe("verify's compute checks", () => {
  const plan = packtpubPlan();
  const managed = ["nova-compute", "masakari-api", "hacluster-pacemaker"];
  const healthy: ComputeApiState = {
    catalog: [
      { type: "compute", name: "nova" },
      { type: "placement", name: "placement" },
      { type: "image", name: "glance" },
      { type: "instance-ha", name: "masakari" },
    ],
    services: ["cn01", "cn02"].map((host) => ({ host, status: "enabled", state: "up", forcedDown: false })),
    hypervisors: ["cn01", "cn02"].map((hostname) => ({ hostname, state: "up", status: "enabled" })),
    segments: [
      {
        uuid: "s-1",
        name: SEGMENT,
        recoveryMethod: "auto",
        hosts: ["cn01", "cn02"].map((name) => ({
          name,
          type: "COMPUTE",
          reserved: false,
          onMaintenance: false,
        })),
      },
    ],
  };
  const input = (over: Partial<VerifyInput> = {}, state: Partial<ComputeApiState> = {}): VerifyInput => ({
    plan,
    managedServices: managed,
    services: [],
    observed: {
      vip: { address: "198.18.0.47", holders: [], vrrp: [] },
      backends: { states: [], errors: [] },
      galera: [],
      rabbitmq: [],
      routers: { instances: [] },
      pacemaker: { from: "cc01", state: parseCrmMon(crmMon)! },
    },
    keepalived: [],
    catalog: { ok: true, services: [] },
    compute: { ok: true, state: { ...healthy, ...state } },
    ...over,
  });
  const check = (i: VerifyInput, id: string) => verifyChecks(i).find((c) => c.id === id)!;
  const segmentHosts = (f: (name: string) => { reserved?: boolean; onMaintenance?: boolean }) => ({
    segments: [
      {
        ...healthy.segments![0]!,
        hosts: healthy.segments![0]!.hosts.map((h) => ({ ...h, ...f(h.name) })),
      },
    ],
  });

  it("pass on a compute tier that is whole, saying what they saw", () => {
    const i = input();
    expect(check(i, "nova-compute-services")).toMatchObject({
      passed: true,
      details: ["nova-compute: cn01, cn02, enabled and up", "hypervisors: cn01, cn02, up"],
    });
    expect(check(i, "instance-ha")).toMatchObject({
      passed: true,
      details: ["instance-ha (masakari) in the catalogue", `segment ${SEGMENT} (auto): cn01, cn02`],
    });
    expect(check(i, "pacemaker")).toMatchObject({
      passed: true,
      details: ["Online: cc01, cc02, cc03; RemoteOnline: cn01, cn02 (DC cc03)"],
    });
  });

  it("name a compute service that is down, forced down or disabled with its reason, and its hypervisor", () => {
    const c = check(
      input(
        {},
        {
          services: [
            {
              host: "cn01",
              status: "disabled",
              state: "up",
              forcedDown: false,
              disabledReason: "Masakari detected host failed.",
            },
            { host: "cn02", status: "enabled", state: "down", forcedDown: true },
          ],
          hypervisors: [
            { hostname: "cn01.packtpub.local", state: "up", status: "disabled" },
            { hostname: "cn02", state: "down", status: "enabled" },
          ],
        },
      ),
      "nova-compute-services",
    );
    expect(c).toMatchObject({
      passed: false,
      details: [
        "nova-compute on cn01 is disabled (reason: Masakari detected host failed.)",
        "nova-compute on cn02 is forced down (clear it: openstack compute service set --up cn02 nova-compute)",
        "the hypervisor cn02 is down",
      ],
    });
    const missing = check(
      input({}, { services: healthy.services.slice(0, 1), hypervisors: [] }),
      "nova-compute-services",
    );
    expect(missing.details).toEqual([
      "no nova-compute service on cn02 in the Compute API",
      "no hypervisor of cn01 in the hypervisor list",
      "no hypervisor of cn02 in the hypervisor list",
    ]);
  });

  it("take a disabled reserved host as Masakari keeps it", () => {
    const reserved = {
      ...plan,
      masakari: { ...plan.masakari, recovery: "reserved_host" as const, reservedHosts: ["cn02"] },
    };
    const i = input(
      { plan: reserved },
      {
        services: healthy.services.map((s) =>
          s.host === "cn02" ? { ...s, status: "disabled" as const } : s,
        ),
        segments: [
          {
            ...segmentHosts((n) => ({ reserved: n === "cn02" })).segments[0]!,
            recoveryMethod: "reserved_host",
          },
        ],
      },
    );
    expect(check(i, "nova-compute-services")).toMatchObject({
      passed: true,
      details: [
        "nova-compute: cn01, enabled and up",
        "nova-compute on cn02 up, disabled as Masakari's reserved host",
        "hypervisors: cn01, cn02, up",
      ],
    });
    expect(check(i, "instance-ha").details).toEqual([
      "instance-ha (masakari) in the catalogue",
      `segment ${SEGMENT} (reserved_host): cn01, cn02 (reserved)`,
    ]);
  });

  it("say a host on maintenance cannot be recovered again, and how to clear it", () => {
    const c = check(
      input(
        {},
        segmentHosts((n) => ({ onMaintenance: n === "cn02" })),
      ),
      "instance-ha",
    );
    expect(c).toMatchObject({
      passed: false,
      details: [
        `cn02 is on maintenance in segment ${SEGMENT}: Masakari will not recover it again until it is cleared ` +
          `(openstack segment host update ${SEGMENT} cn02 --on_maintenance False)`,
      ],
    });
  });

  it("name a compute in no segment, a stranger in it, a reserved flag and a recovery method the Plan does not have", () => {
    const seg = healthy.segments![0]!;
    const c = check(
      input(
        {},
        {
          segments: [
            {
              ...seg,
              recoveryMethod: "reserved_host",
              hosts: [
                { ...seg.hosts[0]!, reserved: true },
                { ...seg.hosts[0]!, name: "cn09" },
              ],
            },
          ],
        },
      ),
      "instance-ha",
    );
    expect(c.details).toEqual([
      `cn01 is reserved in segment ${SEGMENT}, the Plan does not reserve it`,
      "cn02 is in no failover segment: Masakari would not recover its instances",
      `segment ${SEGMENT} recovers by reserved_host, the Plan says auto`,
      `segment ${SEGMENT} lists cn09, which is no pacemaker remote of the Plan: its failure would go unseen`,
    ]);
    expect(check(input({}, { segments: [] }), "instance-ha").details).toEqual([
      "Masakari has no failover segment: cn01, cn02 cannot be recovered",
    ]);
  });

  it("fail when Masakari is not in the catalogue or does not answer", () => {
    const { segments: _, ...noMasakari } = healthy;
    expect(
      check(input({}, { catalog: healthy.catalog.filter((s) => s.type !== "instance-ha") }), "instance-ha")
        .details,
    ).toEqual([
      "the Keystone catalogue lists no instance-ha service: `openstack service list` does not show Masakari",
    ]);
    expect(
      check(
        input({
          compute: { ok: true, state: { ...noMasakari, masakariError: "GET /segments answered HTTP 503" } },
        }),
        "instance-ha",
      ).details,
    ).toEqual(["Masakari did not answer through the VIP: GET /segments answered HTTP 503"]);
    expect(
      check(input({ compute: { ok: false, error: "timeout" } }), "nova-compute-services").details,
    ).toEqual(["the Compute API did not answer through the VIP: timeout"]);
    expect(check(input({ compute: { ok: true } }), "instance-ha").details).toEqual([
      "the Keystone catalogue lists no compute service",
    ]);
  });

  it("name what crm_mon shows wrong, and from which member", () => {
    const offline = crmMon.replace(/(<node name="cn02" id="cn02" )online="true"/, '$1online="false"');
    const i = input();
    const c = check(
      { ...i, observed: { ...i.observed, pacemaker: { from: "cc01", state: parseCrmMon(offline)! } } },
      "pacemaker",
    );
    expect(c).toMatchObject({ passed: false, details: ["cn02 is not RemoteOnline (crm_mon on cc01)"] });
    const none = check(
      {
        ...i,
        observed: { ...i.observed, pacemaker: { error: "cc01: Pacemaker not running; cc02: timed out" } },
      },
      "pacemaker",
    );
    expect(none.details).toEqual([
      "crm_mon answered on no cluster member: cc01: Pacemaker not running; cc02: timed out",
    ]);
  });

  it("run only on a target that runs the compute tier", () => {
    const { compute: _, ...rest } = input({ managedServices: ["keystone"] });
    const ids = verifyChecks(rest).map((c) => c.id);
    expect(ids).not.toContain("nova-compute-services");
    expect(ids).not.toContain("instance-ha");
    expect(ids).not.toContain("pacemaker");
    expect(
      verifyChecks(input())
        .map((c) => c.id)
        .slice(-3),
    ).toEqual(["nova-compute-services", "instance-ha", "pacemaker"]);
  });
});
