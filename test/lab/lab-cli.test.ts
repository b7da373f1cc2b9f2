/** The lab commands' operator errors: not root, no lab, an unknown service — one clear line and a hint, no stack. */
import { describe, expect, it } from "vitest";
import { run } from "../../src/util/run.ts";
import { skipReason } from "./support/lab.ts";

const bin = new URL("../../bin/hacloud.mjs", import.meta.url).pathname;

describe.skipIf(skipReason !== undefined)(`lab CLI errors ${skipReason ?? ""}`, () => {
  it("says that the lab needs root, and how to run it", async () => {
    for (const cmd of [
      ["lab", "up"],
      ["lab", "status"],
      ["lab", "down"],
    ]) {
      const r = await run(
        "setpriv",
        [
          "--reuid=nobody",
          "--regid=nogroup",
          "--clear-groups",
          "env",
          "HOME=/tmp",
          process.execPath,
          bin,
          ...cmd,
        ],
        { allowFailure: true, timeoutMs: 60_000 },
      );
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/needs root: the lab creates network namespaces/);
      expect(r.stderr).toMatch(/hint: run it as root/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("rejects an unknown service in --only as a usage error", async () => {
    const r = await run(process.execPath, [bin, "lab", "up", "--only", "haproxy,nova"], {
      allowFailure: true,
      timeoutMs: 60_000,
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/unknown lab service nova; known: haproxy, keepalived/);
  });

  it("says which labs are up when asked for one that is not", async () => {
    const r = await run(process.execPath, [bin, "lab", "logs", "nosuchhost", "--cloud", "no-such-cloud"], {
      allowFailure: true,
      timeoutMs: 60_000,
    });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^hacloud: error E-LAB-\d{3} no lab of no-such-cloud is up\nhint: /m);
  });
});
