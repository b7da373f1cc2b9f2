/**
 * The lab's HAProxy and Keepalived files for the chapter's cloud, under both
 * failover profiles: frontends/backends from the Plan (MariaDB active/backup),
 * kolla's VRRP instance with the profile's timers, lab addresses.
 */
import { describe, expect, it } from "vitest";
import { buildPlan } from "../../src/plan/build.ts";
import { loadTopologyFile } from "../../src/spec/load.ts";
import { labLayout } from "../../src/targets/lab/layout.ts";
import { labHaproxyConfig } from "../../src/targets/lab/services/haproxy-config.ts";
import { checkAliveScript, labKeepalivedConfig } from "../../src/targets/lab/services/keepalived-config.ts";

const topology = loadTopologyFile(
  new URL("../../examples/packtpub-prod.yaml", import.meta.url).pathname,
).topology!;
const SERVED = new Set(["haproxy", "keepalived", "mariadb", "rabbitmq", "memcached", "keystone"]);

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
          served: SERVED,
          checkCredentials: { rabbitmq_management: "openstack:RABBITMQ-PASSWORD" },
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
          password: "VRRP-PASSWORD",
        });
        await expect(cfg).toMatchFileSnapshot(`__golden__/lab/${profile}/${lb}-keepalived.conf`);
      });
    }
  });
}

it("checks the local HAProxy like kolla's check_alive_haproxy.sh", () => {
  expect(checkAliveScript("/x/haproxy.sock")).toContain(
    'echo "show info" | socat unix-connect:/x/haproxy.sock stdio',
  );
});
