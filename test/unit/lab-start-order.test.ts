/** The lab starts a service once what it waits for is up: lower phases by default, or its `after` list. */
import { describe, expect, it } from "vitest";
import type { LabService } from "../../src/targets/lab/service.ts";
import { startInOrder } from "../../src/targets/lab/up.ts";

function svc(name: string, phase: number, after?: readonly string[]): LabService {
  return {
    name,
    phase,
    ...(after ? { after } : {}),
    hosts: () => [],
    packages: [],
    files: () => [],
    processes: () => [],
    health: () => Promise.resolve({ ok: true, detail: "" }),
  };
}

/** Runs the schedule with fake durations; returns "start:name" / "end:name" in order. */
async function schedule(
  services: readonly LabService[],
  ms: Record<string, number>,
  fail?: string,
): Promise<string[]> {
  const log: string[] = [];
  await startInOrder(services, async (s) => {
    log.push(`start:${s.name}`);
    await new Promise((r) => setTimeout(r, ms[s.name] ?? 1));
    if (s.name === fail) throw new Error(`${s.name} failed`);
    log.push(`end:${s.name}`);
  }).catch((e: Error) => log.push(`error:${e.message}`));
  return log;
}

describe("lab start order", () => {
  it("waits for every lower phase by default", async () => {
    const log = await schedule([svc("lb", 10), svc("db", 20), svc("mq", 20), svc("api", 30)], {
      db: 5,
      mq: 40,
    });
    expect(log.indexOf("start:api")).toBeGreaterThan(log.indexOf("end:mq"));
    expect(log.indexOf("start:db")).toBeGreaterThan(log.indexOf("end:lb"));
  });

  it("starts a service as soon as the services in its `after` list are up", async () => {
    const log = await schedule([svc("lb", 10), svc("db", 20), svc("mq", 20), svc("api", 30, ["lb", "db"])], {
      db: 5,
      mq: 60,
    });
    expect(log.indexOf("start:api")).toBeGreaterThan(log.indexOf("end:db"));
    expect(log.indexOf("start:api")).toBeLessThan(log.indexOf("end:mq"));
  });

  it("does not start what depends on a failed service, lets the rest settle, then throws", async () => {
    const log = await schedule(
      [svc("lb", 10), svc("db", 20), svc("mq", 20), svc("api", 30, ["db"])],
      { mq: 20 },
      "db",
    );
    expect(log).not.toContain("start:api");
    expect(log).toContain("end:mq");
    expect(log.at(-1)).toBe("error:db failed");
  });
});
