/**
 * The networking probes against loopback stand-ins: network-get finds Neutron in the Keystone
 * catalogue and reads through it with the token; a cloud whose catalogue lists no network
 * service has none; router-api reads the hosts the API reports active, and its answers become the
 * "router-api" move (the first report of another host); the TCP echo round trip, and what it reports when nothing echoes.
 */
import { createServer as httpServer, type Server } from "node:http";
import { createServer as tcpServer, type AddressInfo, type Server as TcpServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firstElsewhere, sampledHolders } from "../../src/drill/moves.ts";
import { catalogEndpoint, networkGet, routerHaHosts } from "../../src/probes/http.ts";
import { tcpEcho } from "../../src/probes/icmp.ts";
import type { ProbeEndpoints } from "../../src/targets/target.ts";

let keystone: Server;
let echo: TcpServer;
let withNetwork = true;
/** What the stand-in reports for router r1's agents. */
let haStates: { host: string; ha_state: string }[] = [];
const seenTokens: string[] = [];

beforeAll(async () => {
  keystone = httpServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const port = (keystone.address() as AddressInfo).port;
      if (req.method === "POST" && req.url === "/v3/auth/tokens") {
        const catalog = withNetwork
          ? [{ type: "network", endpoints: [{ interface: "internal", url: `http://127.0.0.1:${port}/` }] }]
          : [];
        res.writeHead(201, { "x-subject-token": "tok-1" }).end(JSON.stringify({ token: { catalog } }));
      } else if (req.method === "GET" && req.url?.startsWith("/v2.0/networks")) {
        seenTokens.push(String(req.headers["x-auth-token"]));
        res.writeHead(200).end('{"networks": []}');
      } else if (req.method === "GET" && req.url === "/v2.0/routers/r1/l3-agents") {
        res.writeHead(200).end(JSON.stringify({ agents: haStates }));
      } else res.writeHead(404).end();
    });
  });
  echo = tcpServer((s) => s.pipe(s));
  await new Promise<void>((r) => keystone.listen(0, "127.0.0.1", r));
  await new Promise<void>((r) => echo.listen(0, "127.0.0.1", r));
});
afterAll(async () => {
  await new Promise<void>((r) => keystone.close(() => r()));
  await new Promise<void>((r) => echo.close(() => r()));
});

const endpoints = (): ProbeEndpoints => ({
  vip: "127.0.0.1",
  keystoneUrl: `http://127.0.0.1:${(keystone.address() as AddressInfo).port}`,
  admin: { username: "admin", password: "s3cret", project: "admin", domain: "Default" },
  sql: { host: "127.0.0.1", port: 1, user: "u", password: "p", database: "d" },
  amqp: [],
});

describe("network-get", () => {
  it("reads Neutron at the catalogue's internal endpoint with the token it was issued", async () => {
    withNetwork = true;
    const at = await catalogEndpoint(endpoints(), "network", AbortSignal.timeout(5_000));
    expect(at?.token).toBe("tok-1");
    expect(at?.url).not.toMatch(/\/$/);
    expect(await networkGet(at!, AbortSignal.timeout(5_000))).toEqual({ ok: true });
    expect(seenTokens).toEqual(["tok-1"]);
  });

  it("finds no endpoint when the catalogue has no network service", async () => {
    withNetwork = false;
    expect(await catalogEndpoint(endpoints(), "network", AbortSignal.timeout(5_000))).toBeUndefined();
  });
});

describe("router-api", () => {
  it("reports the hosts whose agent the API calls active, an unknown router as an error", async () => {
    withNetwork = true;
    const at = (await catalogEndpoint(endpoints(), "network", AbortSignal.timeout(5_000)))!;
    haStates = [
      { host: "net02", ha_state: "standby" },
      { host: "net01", ha_state: "active" },
    ];
    expect(await routerHaHosts(at, "r1", AbortSignal.timeout(5_000))).toEqual({
      ok: true,
      holders: ["net01"],
    });
    haStates = [
      { host: "net02", ha_state: "active" },
      { host: "net01", ha_state: "active" },
    ];
    expect(await routerHaHosts(at, "r1", AbortSignal.timeout(5_000))).toEqual({
      ok: true,
      holders: ["net01", "net02"],
    });
    expect(await routerHaHosts(at, "r2", AbortSignal.timeout(5_000))).toEqual({ ok: false, err: "HTTP 404" });
  });

  it("moves when the API first names another host, even beside the old one, and times the overlap", () => {
    const samples = [
      { probe: "router-api", t: 1_000, ms: 5, ok: true, holders: ["net01"] },
      { probe: "fip-icmp", t: 1_500, ms: 1, ok: false },
      { probe: "router-api", t: 3_000, ms: 5, ok: false },
      { probe: "router-api", t: 4_000, ms: 5, ok: true, holders: ["net01", "net02"] },
      { probe: "router-api", t: 9_000, ms: 5, ok: true, holders: ["net02"] },
      { probe: "router-api", t: 9_500, ms: 5, ok: true, holders: ["net02"] },
    ];
    const seen = sampledHolders(samples, "router-api");
    expect(seen).toHaveLength(4);
    expect(firstElsewhere("router-api", seen, 2_000)).toEqual({
      before: "net01",
      moves: [{ what: "router-api", from: "net01", to: "net02", afterS: 2 }],
      severalS: 5,
    });
    // never elsewhere: no move
    expect(firstElsewhere("router-api", seen.slice(0, 1), 2_000).moves).toEqual([]);
  });
});

describe("fip-tcp's echo round trip", () => {
  it("succeeds when the line comes back, and names the error when nothing listens", async () => {
    const port = (echo.address() as AddressInfo).port;
    expect(await tcpEcho("127.0.0.1", port, 3, AbortSignal.timeout(5_000))).toEqual({ ok: true });
    const closed = tcpServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const free = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await tcpEcho("127.0.0.1", free, 4, AbortSignal.timeout(5_000))).toEqual({
      ok: false,
      err: "ECONNREFUSED",
    });
  });
});
