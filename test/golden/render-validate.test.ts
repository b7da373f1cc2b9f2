import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kollaChildrenTable, resolveGroup } from "../../src/kolla/group-tree.ts";
import { interfaceVars } from "../../src/render/kolla/interfaces.ts";
import { inventoryChildren } from "../../src/render/kolla/inventory.ts";
import { keepalivedOverridden } from "../../src/render/preview/load-balancer.ts";
import { renderKolla } from "../../src/render/render.ts";
import { casePlan, RENDER_CASES } from "../support/render-cases.ts";
import {
  ansibleInventory,
  canRunKeepalivedTest,
  groupHosts,
  hasProgram,
  haproxyCheck,
  keepalivedTest,
  scratchDir,
  writeCheckScript,
  type AnsibleMeta,
} from "../support/validators.ts";

const SECURITY_WARNING = "SECURITY VIOLATION - scripts are being executed but script_security not enabled.";

describe.each(RENDER_CASES)("the real tools accept the render of $name", (c) => {
  const plan = casePlan(c);
  let scratch: ReturnType<typeof scratchDir>;
  let files: Map<string, string>;

  beforeAll(() => {
    scratch = scratchDir("hacloud-render-validate-");
    const checkScript = writeCheckScript(scratch.dir);
    // The stats socket's group "kolla" exists only on kolla hosts; root exists everywhere.
    files = renderKolla(plan, { topologyFile: c.file, preview: { checkScript, socketGroup: "root" } });
    for (const [path, content] of files) {
      if (path === "multinode" || path.startsWith("preview/")) {
        writeFileSync(join(scratch.dir, path.replaceAll("/", "__")), content);
      }
    }
  });
  afterAll(() => scratch?.remove());

  it.skipIf(!hasProgram("ansible-inventory"))(
    "ansible-inventory parses multinode and every group holds the hosts the Plan says",
    async () => {
      const inv = await ansibleInventory(join(scratch.dir, "multinode"));
      const top: Record<string, string[]> = {
        ...Object.fromEntries(Object.entries(plan.groups).map(([g, hs]) => [g, [...hs]])),
        deployment: ["localhost"],
      };
      const children = new Map(inventoryChildren(plan));
      // Every upstream group of the release is in the file.
      const text = files.get("multinode")!;
      for (const [group] of kollaChildrenTable(plan.release)) {
        expect(text, group).toMatch(new RegExp(`^\\[${group}(:children)?\\]$`, "m"));
      }
      // ansible resolves each group exactly as the Plan's group tree does (empty groups are not listed).
      for (const [group] of kollaChildrenTable(plan.release)) {
        const expected = resolveGroup(group, top, children).sort();
        const listed = group in inv ? groupHosts(inv, group) : [];
        expect(listed, group).toEqual(expected);
      }
      for (const [group, hosts] of Object.entries(plan.groups)) {
        expect(groupHosts(inv, group), group).toEqual([...hosts].sort());
      }
      // Services the Plan places by group sit exactly there.
      const releaseGroups = new Set([
        ...kollaChildrenTable(plan.release).map(([g]) => g),
        ...Object.keys(top),
      ]);
      for (const s of plan.services) {
        if (plan.neutron.routing === "dvr" && s.group.startsWith("neutron-")) continue; // DVR adds computes by host_in_groups
        // The Plan names master's groups; before master, LVM volumes used [cinder-volume] (children: storage).
        const group = releaseGroups.has(s.group) ? s.group : s.group.replace(/-lvm$/, "");
        expect(groupHosts(inv, group), `${s.name} in [${group}]`).toEqual([...s.hosts].sort());
      }
      // Host vars: the management address, and interface overrides only where a host differs.
      const hostvars = (inv._meta as AnsibleMeta).hostvars;
      for (const h of plan.hosts) {
        expect(hostvars[h.name]?.ansible_host, h.name).toBe(h.apiAddress);
      }
      expect(hostvars.localhost?.ansible_connection).toBe("local");
      for (const v of interfaceVars(plan).filter((x) => x.where === "inventory")) {
        for (const h of plan.hosts)
          expect(hostvars[h.name]?.[v.name], `${h.name} ${v.name}`).toBe(v.overrides.get(h.name) ?? v.value);
      }
      // bootstrap-servers (hosts: baremetal) and the common role must reach every host, load balancers included.
      for (const group of ["baremetal", "common"]) {
        expect(groupHosts(inv, group)).toEqual(plan.hosts.map((h) => h.name).sort());
      }
    },
  );

  it.skipIf(!hasProgram("haproxy"))("haproxy -c accepts every load balancer's haproxy.cfg", async () => {
    for (const m of plan.vrrp.members) {
      const r = await haproxyCheck(join(scratch.dir, `preview__${m.host}__haproxy.cfg`));
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      expect(r.stdout + r.stderr).toContain("Configuration file is valid");
    }
  });

  it.skipIf(!canRunKeepalivedTest)(
    "keepalived -t accepts every load balancer's keepalived.conf (needs root for a network namespace)",
    async () => {
      for (const m of plan.vrrp.members) {
        const file = join(scratch.dir, `preview__${m.host}__keepalived.conf`);
        const r = await keepalivedTest(file, files.get(`preview/${m.host}/keepalived.conf`)!);
        const complaints = (r.stdout + r.stderr).split("\n").filter((l) => l.trim() !== "");
        if (keepalivedOverridden(plan)) {
          // hacloud's override enables script security: nothing to report.
          expect(complaints).toEqual([]);
          expect(r.exitCode).toBe(0);
        } else {
          // kolla's own template has no script_security: keepalived's "security" exit code 6, and nothing else.
          expect(
            complaints.every((l) => l.includes(SECURITY_WARNING)),
            complaints.join("\n"),
          ).toBe(true);
          expect(r.exitCode).toBe(6);
        }
      }
    },
  );
});
