import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WorkerProcess, workerArgv } from "../../src/probes/worker-process.ts";
import type { ProbeEndpoints } from "../../src/targets/target.ts";

// A loopback stand-in for Keystone: GET /v3 answers 200; the token call checks the body and answers
// 201, except while `failing` is set (503), so the worker's samples can be checked end to end.
let server: Server;
let failing = false;
const bodies: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method === "GET" && req.url === "/v3") res.writeHead(200).end('{"version":{}}');
      else if (req.method === "POST" && req.url === "/v3/auth/tokens") {
        bodies.push(Buffer.concat(chunks).toString("utf8"));
        res.writeHead(failing ? 503 : 201).end("{}");
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function endpoints(): ProbeEndpoints {
  const port = (server.address() as AddressInfo).port;
  return {
    vip: "127.0.0.1",
    keystoneUrl: `http://127.0.0.1:${port}`,
    admin: { username: "admin", password: "s3cret", project: "admin", domain: "Default" },
    sql: { host: "127.0.0.1", port: 1, user: "u", password: "p", database: "d" },
    amqp: [],
  };
}

describe("probe worker (loopback Keystone)", () => {
  it("streams one sample per request at the configured rate, errors classified, and stops on SIGTERM", async () => {
    const w = new WorkerProcess();
    const argv = workerArgv();
    await w.start(
      { file: argv.file, args: argv.args },
      {
        mode: "probe",
        runId: "t",
        endpoints: endpoints(),
        probes: {
          "keystone-get": { perSecond: 50, timeoutMs: 2_000, maxInFlight: 50 },
          "token-issue": { perSecond: 10, timeoutMs: 2_000, maxInFlight: 10 },
        },
        deadlineMs: 30_000,
      },
    );
    await new Promise((r) => setTimeout(r, 1_000));
    failing = true;
    await new Promise((r) => setTimeout(r, 1_000));
    failing = false;
    await new Promise((r) => setTimeout(r, 1_000));
    await w.stop();
    const gets = w.samples.filter((s) => s.probe === "keystone-get");
    const tokens = w.samples.filter((s) => s.probe === "token-issue");
    // 3 s at 50/s and 10/s: never more (the rate is a bound), fewer only on a starved machine
    expect(gets.length).toBeGreaterThan(20);
    expect(gets.length).toBeLessThanOrEqual(155);
    expect(gets.every((s) => s.ok)).toBe(true);
    expect(tokens.filter((s) => !s.ok).every((s) => s.err === "HTTP 503")).toBe(true);
    expect(tokens.filter((s) => !s.ok).length).toBeGreaterThan(0);
    expect(tokens.filter((s) => s.ok).length).toBeGreaterThan(2);
    expect(JSON.parse(bodies[0]!)).toMatchObject({
      auth: {
        identity: { password: { user: { name: "admin", password: "s3cret" } } },
        scope: { project: { name: "admin" } },
      },
    });
  }, 120_000);

  it("reports a refused connection as ECONNREFUSED, not a crash", async () => {
    const w = new WorkerProcess();
    const argv = workerArgv();
    await w.start(argv, {
      mode: "probe",
      runId: "t",
      endpoints: { ...endpoints(), keystoneUrl: "http://127.0.0.1:1" },
      probes: { "keystone-get": { perSecond: 20, timeoutMs: 1_000, maxInFlight: 10 } },
      deadlineMs: 600,
    });
    await new Promise((r) => setTimeout(r, 1_200));
    await w.stop();
    expect(w.samples.length).toBeGreaterThan(5);
    expect(new Set(w.samples.map((s) => s.err))).toEqual(new Set(["ECONNREFUSED"]));
  }, 120_000);
});
