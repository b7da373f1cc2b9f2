/** One event family: steps time themselves, tests record, the CLI prints the lines it always printed. */
import { describe, expect, it } from "vitest";
import { progressLine } from "../../src/cli/progress.ts";
import { drillLogSink } from "../../src/drill/recorder.ts";
import { recordingSink, step, teeSink, type HacloudEvent } from "../../src/events.ts";

describe("events", () => {
  it("reports a step's start and end with its duration, and a failure with its message", async () => {
    const rec = recordingSink();
    expect(await step(rec.sink, "hosts", () => Promise.resolve(7), "cc01 cc02")).toBe(7);
    await expect(step(rec.sink, "health gate", () => Promise.reject(new Error("no VIP")))).rejects.toThrow(
      "no VIP",
    );
    expect(rec.events.map((e) => e.kind)).toEqual(["step-start", "step-end", "step-start", "step-fail"]);
    expect(rec.of("step-start")[0]).toEqual({ kind: "step-start", step: "hosts", detail: "cc01 cc02" });
    expect(rec.of("step-end")[0]!.ms).toBeGreaterThanOrEqual(0);
    expect(rec.of("step-fail")[0]).toMatchObject({ step: "health gate", error: "no VIP" });
  });

  it("prints each kind as the lab and drill commands always did", () => {
    const lines = (
      [
        { kind: "step-start", step: "mariadb", detail: "cc01 cc02 cc03" },
        { kind: "step-end", step: "mariadb", ms: 12_345 },
        { kind: "step-fail", step: "health gate", ms: 120_000, error: "x" },
        { kind: "info", message: "cc02 has the highest seqno (1234): it bootstraps", service: "mariadb" },
        { kind: "warning", message: "apt-get update failed; trying with the lists there are" },
        { kind: "drill-event", scenario: "lb-master-crash", label: "inject host-crash hap2", t: 0 },
        { kind: "leftover-undone", fault: "host-crash cc01" },
      ] satisfies HacloudEvent[]
    ).map((e) => progressLine(e, false));
    expect(lines).toEqual([
      "… mariadb (cc01 cc02 cc03)\n",
      "✓ mariadb 12.3 s\n",
      "✗ health gate 120.0 s\n",
      "  cc02 has the highest seqno (1234): it bootstraps\n",
      "! apt-get update failed; trying with the lists there are\n",
      "… lb-master-crash: inject host-crash hap2\n",
      "… undid a fault left by an earlier run: host-crash cc01\n",
    ]);
  });

  it("words drill events for a text log, and a tee reaches every sink", () => {
    const lines: string[] = [];
    const rec = recordingSink();
    const sink = teeSink(
      rec.sink,
      drillLogSink((m) => lines.push(m)),
      undefined,
    );
    sink({ kind: "drill-event", scenario: "rabbit-node-kill", label: "undo", t: 1 });
    sink({ kind: "leftover-undone", fault: "service-kill rabbitmq on cc02" });
    sink({ kind: "info", message: "not a drill's" });
    expect(lines).toEqual([
      "rabbit-node-kill: undo",
      "undid a fault left by an earlier run: service-kill rabbitmq on cc02",
    ]);
    expect(rec.events).toHaveLength(3);
  });
});
