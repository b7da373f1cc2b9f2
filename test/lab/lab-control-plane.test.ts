/**
 * The whole control tier on real daemons (2 load balancers, 3 controllers):
 * `lab up` returns with exactly one VIP holder, every HAProxy backend UP,
 * Galera and RabbitMQ clusters of three, and a Keystone token issued through
 * the VIP — by the engine's own check and by the standard `openstack` client
 * with the clouds.yaml `lab up` wrote. A killed MariaDB is repaired by a
 * second `lab up`; `lab down` leaves nothing.
 */
import { statSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloudsYamlPath, labCloudName } from "../../src/targets/lab/clouds-yaml.ts";
import { labDown } from "../../src/targets/lab/down.ts";
import { currentProcesses, journalPath, readJournal } from "../../src/targets/lab/journal.ts";
import { labLayout, type LabLayout } from "../../src/targets/lab/layout.ts";
import { isAlive } from "../../src/targets/lab/procfs.ts";
import { hostArgv, loadSavedLab, runtimeOf } from "../../src/targets/lab/runtime.ts";
import { LAB_SERVICES } from "../../src/targets/lab/services/index.ts";
import { tokenThroughVip } from "../../src/targets/lab/services/keystone.ts";
import { labStatus } from "../../src/targets/lab/status.ts";
import { labUp } from "../../src/targets/lab/up.ts";
import { run } from "../../src/util/run.ts";
import { fixturePlan, journalPids, leftovers, rootLinks, skipReason } from "./support/lab.ts";
import { CONTROL_TIER } from "../../src/targets/lab/services/index.ts";

const { plan, file } = fixturePlan("control-tier.yaml");

describe.skipIf(skipReason !== undefined)(`lab control plane ${skipReason ?? ""}`, () => {
  let layout: LabLayout;
  let linksBefore: Set<string>;
  const pids: { pid: number; start?: number }[] = [];

  beforeAll(async () => {
    layout = labLayout(plan);
    linksBefore = await rootLinks();
    await labDown({ cloud: plan.cloud });
    await labUp({ plan, topologyFile: file, services: CONTROL_TIER });
  });

  afterAll(async () => {
    if (layout === undefined) return;
    pids.push(...journalPids(layout));
    const r = await labDown({ cloud: plan.cloud });
    expect(await leftovers(layout, linksBefore, pids)).toEqual([]);
    expect(r.totalMs).toBeLessThan(10_000);
  });

  it("reports one VIP holder, clusters of three and every backend UP", async () => {
    const s = await labStatus({ cloud: plan.cloud });
    expect(s.vip.holder).not.toBeNull();
    expect(s.vip.holders).toHaveLength(1);
    const cluster = (service: string) => s.clusters.find((c) => c.service === service);
    expect(cluster("mariadb")).toMatchObject({ expected: 3, primary: true });
    expect([...(cluster("mariadb")?.members ?? [])].sort()).toEqual(["cc01", "cc02", "cc03"]);
    expect([...(cluster("rabbitmq")?.members ?? [])].sort()).toEqual(["cc01", "cc02", "cc03"]);
    expect(s.haproxy.length).toBeGreaterThan(0);
    expect(s.haproxy.filter((b) => b.status !== "UP")).toEqual([]);
    for (const h of s.hosts.filter((x) => x.roles.includes("control"))) {
      expect(h.services.map((x) => `${x.name} ${x.state}`).sort()).toEqual([
        "keystone running",
        "mariadb running",
        "memcached running",
        "rabbitmq running",
      ]);
    }
  });

  it("issues a Keystone token through the VIP, also with `openstack` and the lab's clouds.yaml", async () => {
    const rt = runtimeOf(loadSavedLab(layout.stateDir)!, LAB_SERVICES);
    expect(await tokenThroughVip(rt)).toMatchObject({ ok: true });
    const clouds = cloudsYamlPath(layout.stateDir);
    expect(statSync(clouds).mode & 0o777).toBe(0o600);
    const [bin, ...args] = hostArgv(rt, layout.client.name, [
      "openstack",
      "--os-cloud",
      labCloudName(plan.cloud),
      "token",
      "issue",
      "-f",
      "value",
      "-c",
      "id",
    ]);
    const r = await run(bin!, args, {
      env: { OS_CLIENT_CONFIG_FILE: clouds, PATH: "/usr/sbin:/usr/bin:/sbin:/bin" },
    });
    expect(r.stdout.trim()).toMatch(/^gAAAA/);
  });

  it("repairs a killed MariaDB node with a second `lab up`", async () => {
    const victim = currentProcesses(readJournal(journalPath(layout.stateDir))).get("cc02/mariadbd");
    expect(victim?.pid).toBeDefined();
    pids.push(...journalPids(layout));
    process.kill(victim!.pid!, "SIGKILL");
    await new Promise((r) => setTimeout(r, 500));
    expect(isAlive(victim!.pid!, victim!.start)).toBe(false);
    await labUp({ plan, topologyFile: file, services: CONTROL_TIER });
    const s = await labStatus({ cloud: plan.cloud });
    const galera = s.clusters.find((c) => c.service === "mariadb");
    expect(galera).toMatchObject({ expected: 3, primary: true });
    expect(galera?.members).toHaveLength(3);
    expect(s.hosts.find((h) => h.name === "cc02")!.services.find((x) => x.name === "mariadb")!.state).toBe(
      "running",
    );
  });
});
