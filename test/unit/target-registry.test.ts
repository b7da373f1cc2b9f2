/** `--target` is looked up in the driver registry: unknown names get a suggestion, planned ones say who builds them. */
import { describe, expect, it } from "vitest";
import { openTarget, targetOptionHelp } from "../../src/cli/commands/target-open.ts";
import { CliFailure, UsageError } from "../../src/cli/io.ts";
import { reportError } from "../../src/cli/report-error.ts";
import { silentSink } from "../../src/events.ts";
import { labDriver } from "../../src/targets/lab/driver.ts";
import { decodeConfig, lookupTarget, TargetConfigError } from "../../src/targets/registry.ts";

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

describe("target registry", () => {
  it("answers an unknown target with a usage error and the closest name", () => {
    const e = thrown(() => openTarget("lba", {}, silentSink));
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).toBe("unknown target lba; targets: lab, kolla. Did you mean `lab`?");
    expect(reportError(e).exitCode).toBe(2);
  });

  it("says that kolla is not built yet, and what builds it", () => {
    expect(lookupTarget("kolla").found).toBe("planned");
    const e = thrown(() => openTarget("kolla", { cloud: "packtpub" }, silentSink));
    expect(e).toBeInstanceOf(CliFailure);
    expect((e as CliFailure).code).toBe("E-TARGET-001");
    expect((e as Error).message).toMatch(
      /^kolla: not built yet \(real kolla-ansible hosts over SSH\); issue 12/,
    );
    expect(reportError(e)).toMatchObject({ exitCode: 1, source: "user" });
  });

  it("finds the lab driver and decodes its configuration", () => {
    expect(lookupTarget("lab").found).toBe("driver");
    expect(decodeConfig(labDriver, { cloud: "packtpub" })).toEqual({ cloud: "packtpub" });
    expect(decodeConfig(labDriver, { cloud: undefined, root: "/tmp/labs" })).toEqual({
      cloud: undefined,
      root: "/tmp/labs",
    });
  });

  it("refuses a wrong lab configuration before it touches the machine, naming every key", () => {
    const e = thrown(() => openTarget("lab", { cloud: "", colud: "packtpub" }, silentSink));
    expect(e).toBeInstanceOf(TargetConfigError);
    expect((e as TargetConfigError).code).toBe("E-TARGET-002");
    expect((e as Error).message).toMatch(/^the lab target's configuration is invalid: /);
    expect((e as Error).message).toContain("cloud: ");
    expect((e as Error).message).toContain("colud");
  });

  it("lists the drivers, then the planned ones, in --target's help", () => {
    expect(targetOptionHelp()).toBe("lab (not built yet: kolla)");
  });

  it("gives the lab driver its own commands", () => {
    expect(Object.keys(labDriver.commands)).toEqual(["up", "down", "status", "logs", "exec"]);
  });
});
