/**
 * Crash safety: `hacloud lab up` killed with SIGKILL at different moments
 * (before the fabric, mid-fabric, once hosts exist, while daemons start, once
 * they run), then `hacloud lab down` leaves no namespace, veth, process,
 * cgroup or file behind.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { labDown } from "../../src/targets/lab/down.ts";
import {
  journalPath,
  journalProcesses,
  readJournal,
  type JournalEntry,
} from "../../src/targets/lab/journal.ts";
import { labLayout } from "../../src/targets/lab/layout.ts";
import { fixturePlan, journalPids, leftovers, rootLinks, skipReason } from "./support/lab.ts";

const { plan, file } = fixturePlan("lb-kill.yaml");
const layout = labLayout(plan);
const bin = new URL("../../bin/hacloud.mjs", import.meta.url).pathname;
const POLICY = "/usr/sbin/policy-rc.d";

/** Moments to kill `lab up` at, as conditions on its journal. */
const MOMENTS: readonly {
  readonly name: string;
  readonly reached: (e: readonly JournalEntry[]) => boolean;
}[] = [
  {
    name: "before the fabric, once the lab's cgroup is journalled",
    reached: (e) => e.some((x) => x.op === "cgroup"),
  },
  { name: "in the middle of the fabric", reached: (e) => e.filter((x) => x.op === "link").length >= 3 },
  {
    name: "once the hosts' anchors run",
    reached: (e) => journalProcesses(e).filter((p) => p.name === "anchor" && p.pid).length >= 3,
  },
  {
    name: "while the first daemon starts",
    reached: (e) => journalProcesses(e).some((p) => p.name === "haproxy" && p.pid),
  },
  {
    name: "once the daemons run",
    reached: (e) => journalProcesses(e).some((p) => p.name === "keepalived" && p.pid),
  },
];

/** Starts `hacloud lab up` and SIGKILLs it when its journal reaches the moment; true if it got there. */
async function killUpAt(reached: (e: readonly JournalEntry[]) => boolean): Promise<boolean> {
  const child = spawn(process.execPath, [bin, "lab", "up", file, "--only", "haproxy,keepalived"], {
    stdio: "ignore",
  });
  let exited = false;
  child.on("exit", () => (exited = true));
  const deadline = Date.now() + 120_000;
  try {
    while (!exited && Date.now() < deadline) {
      if (reached(readJournal(journalPath(layout.stateDir)))) {
        child.kill("SIGKILL");
        return true;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    return false;
  } finally {
    if (!exited) child.kill("SIGKILL");
    await new Promise<void>((r) => (exited ? r() : child.on("exit", () => r())));
  }
}

describe.skipIf(skipReason !== undefined)(`lab down after a killed lab up ${skipReason ?? ""}`, () => {
  const policyBefore = existsSync(POLICY) ? readFileSync(POLICY, "utf8") : undefined;

  afterAll(async () => {
    await labDown({ cloud: plan.cloud });
  });

  for (const m of MOMENTS) {
    it(`leaves nothing when lab up is killed ${m.name}`, async () => {
      await labDown({ cloud: plan.cloud });
      const linksBefore = await rootLinks();
      expect(await killUpAt(m.reached)).toBe(true);
      const pids = journalPids(layout);
      const r = await labDown({ cloud: plan.cloud });
      expect(r.labs).toEqual([plan.cloud]);
      expect(r.totalMs).toBeLessThan(10_000);
      expect(await leftovers(layout, linksBefore, pids)).toEqual([]);
      expect(existsSync(POLICY) ? readFileSync(POLICY, "utf8") : undefined).toBe(policyBefore);
    });
  }

  it("is a no-op when nothing is left", async () => {
    const r = await labDown({ cloud: plan.cloud });
    expect(r.labs).toEqual([]);
  });
});
