/**
 * The lab's HAProxy and Keepalived files for the chapter's cloud, under both
 * failover profiles: frontends/backends from the Plan (MariaDB active/backup),
 * kolla's VRRP instance with the profile's timers, lab addresses.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { afterAll, describe, expect, it } from "vitest";
import { buildPlan } from "../../src/plan/build.ts";
import { loadTopologyFile } from "../../src/spec/load.ts";
import { labLayout } from "../../src/targets/lab/layout.ts";
import { proxiedEntries } from "../../src/targets/lab/runtime.ts";
import { labHaproxyConfig } from "../../src/targets/lab/services/haproxy-config.ts";
import { LAB_SERVICES } from "../../src/targets/lab/services/index.ts";
import {
  checkAliveScript,
  labKeepalivedConfig,
  vrrpNotifyScript,
} from "../../src/targets/lab/services/keepalived-config.ts";
import { parseVrrpState } from "../../src/observe/vip.ts";
import { run } from "../../src/util/run.ts";

const topology = loadTopologyFile(
  new URL("../../examples/packtpub-prod.yaml", import.meta.url).pathname,
).topology!;

for (const profile of ["kolla-default", "fast-failover"] as const) {
  describe(`lab load balancer files, ${profile}`, () => {
    const plan = buildPlan({ ...topology, profile });
    const layout = labLayout(plan);
    const addr = (h: string): string => layout.hosts.find((x) => x.name === h)!.addresses.management!;
    for (const lb of ["hap1", "hap2"]) {
      it(`renders ${lb}'s haproxy.cfg`, async () => {
        const cfg = labHaproxyConfig(plan, {
          vip: { internal: layout.vip.internal },
          apiAddress: addr(lb),
          addressOf: addr,
          socketPath: `/var/lib/hacloud/lab/packtpub-prod/hosts/${lb}/run/haproxy.sock`,
          statsPassword: "STATS-PASSWORD",
          proxied: proxiedEntries({
            plan,
            secrets: { rabbitmq_password: "RABBITMQ-PASSWORD" },
            services: LAB_SERVICES,
          }),
        });
        expect(cfg).toContain("backend mariadb_back");
        await expect(cfg).toMatchFileSnapshot(`__golden__/lab/${profile}/${lb}-haproxy.cfg`);
      });
      it(`renders ${lb}'s keepalived.conf`, async () => {
        const cfg = labKeepalivedConfig(plan, {
          host: lb,
          vip: { internal: layout.vip.internal },
          addressOf: addr,
          checkScript: `/var/lib/hacloud/lab/packtpub-prod/hosts/${lb}/etc/keepalived/check_alive.sh`,
          notifyFifo: {
            fifo: `/var/lib/hacloud/lab/packtpub-prod/hosts/${lb}/run/keepalived-vrrp.fifo`,
            script: `/var/lib/hacloud/lab/packtpub-prod/hosts/${lb}/etc/keepalived/notify.sh`,
          },
          password: "VRRP-PASSWORD",
        });
        await expect(cfg).toMatchFileSnapshot(`__golden__/lab/${profile}/${lb}-keepalived.conf`);
      });
    }
  });
}

describe("the lab's keepalived notify FIFO reader (run with sh)", () => {
  const dir = mkdtempSync(`${tmpdir()}/hc-vrrp-`);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const script = `${dir}/notify.sh`;
  const fifo = `${dir}/vrrp.fifo`;
  writeFileSync(script, vrrpNotifyScript(`${dir}/state`, `${dir}/vrrp.pid`), { mode: 0o700 });
  /** Starts the reader as keepalived does (FIFO last), writes `lines` to the FIFO and closes it: the reader then ends. */
  const report = async (...lines: string[]): Promise<void> => {
    await run("mkfifo", [fifo]);
    const reader = run("sh", [script, fifo], { timeoutMs: 10_000 });
    await writeFile(fifo, lines.map((l) => `${l}\n`).join(""));
    expect((await reader).exitCode).toBe(0);
    rmSync(fifo);
  };

  it("records the state with the VRRP process's PID; a record from another process is UNKNOWN", async () => {
    writeFileSync(`${dir}/vrrp.pid`, "4242\n");
    await report('INSTANCE "kolla_internal_vip_51" BACKUP 2');
    expect(readFileSync(`${dir}/state`, "utf8")).toBe("BACKUP 4242\n");
    expect(parseVrrpState(readFileSync(`${dir}/state`, "utf8"), 4242)).toBe("BACKUP");
    await report('INSTANCE "kolla_internal_vip_51" FAULT 2');
    expect(parseVrrpState(readFileSync(`${dir}/state`, "utf8"), 4242)).toBe("FAULT");
    // keepalived restarted: its new VRRP process has not reported yet
    expect(parseVrrpState(readFileSync(`${dir}/state`, "utf8"), 4343)).toBe("UNKNOWN");
    expect(parseVrrpState(undefined, 4242)).toBe("UNKNOWN");
    expect(parseVrrpState("BOGUS 4242", 4242)).toBe("UNKNOWN");
  });

  it("keeps the last of changes reported back to back, as at a start where both members become MASTER", async () => {
    const burst = Array.from(
      { length: 50 },
      (_, i) => `INSTANCE "kolla_internal_vip_51" ${i % 2 ? "BACKUP" : "MASTER"} 2`,
    );
    await report(...burst, 'INSTANCE "kolla_internal_vip_51" MASTER_RX_LOWER_PRI 2');
    expect(readFileSync(`${dir}/state`, "utf8")).toBe("BACKUP 4242\n");
  });

  it("ignores sync-group notifications and leaves no temporary file", async () => {
    await report('GROUP "g1" MASTER 0');
    expect(readFileSync(`${dir}/state`, "utf8")).toBe("BACKUP 4242\n");
    expect(readdirSync(dir).sort()).toEqual(["notify.sh", "state", "vrrp.pid"]);
  });
});

it("checks the local HAProxy like kolla's check_alive_haproxy.sh", () => {
  expect(checkAliveScript("/x/haproxy.sock")).toContain(
    'echo "show info" | socat unix-connect:/x/haproxy.sock stdio',
  );
});
