import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { kollaArgs } from "../../src/kolla/cli.ts";
import { buildPlan } from "../../src/plan/build.ts";
import { renderGlobals } from "../../src/render/kolla/globals.ts";
import { renderHosts } from "../../src/render/kolla/hosts.ts";
import { groovyString } from "../../src/render/kolla/jenkinsfile.ts";
import { AUTH_PASS_MAX, formatAdvertInt } from "../../src/render/preview/keepalived.ts";
import { keepalivedOverridden } from "../../src/render/preview/load-balancer.ts";
import { PASSWORD_PLACEHOLDER } from "../../src/render/preview/previews.ts";
import { renderKolla } from "../../src/render/render.ts";
import { loadTopologyFile } from "../../src/spec/load.ts";
import { casePlan, RENDER_CASES } from "../support/render-cases.ts";

const body = (text: string): string =>
  text
    .split("\n")
    .filter((l) => !l.startsWith("#"))
    .join("\n")
    .trim();

describe("kolla files", () => {
  it.each(RENDER_CASES)(
    "$name: globals.yml is YAML 1.1 without duplicate keys, booleans as the release writes them",
    (c) => {
      const plan = casePlan(c);
      const g = parse(renderGlobals(plan, c.file), { version: "1.1", uniqueKeys: true }) as Record<
        string,
        unknown
      >;
      expect(g.openstack_release).toBe(plan.release);
      expect(g.keepalived_virtual_router_id).toBe(String(plan.vrrp.routerId));
      const masakari = g.enable_masakari;
      expect(masakari).toBe(plan.release === "master" ? true : "yes");
      expect(JSON.stringify(g)).not.toMatch(/password/i);
    },
  );

  it("keeps an interface variable that some host overrides out of globals.yml (extra vars beat host vars)", () => {
    const c = RENDER_CASES.find((x) => x.name === "split-vip")!;
    const files = renderKolla(casePlan(c), { topologyFile: c.file });
    const g = parse(files.get("globals.yml")!) as Record<string, unknown>;
    expect(g).not.toHaveProperty("network_interface");
    expect(g).not.toHaveProperty("tunnel_interface");
    expect(g.neutron_external_interface).toBe("eth3");
    const inv = files.get("multinode")!;
    expect(inv).toMatch(
      /^net2 ansible_host=10\.1\.0\.22 network_interface=ens3 kolla_external_vip_interface=ens5$/m,
    );
    expect(inv).toMatch(
      /^\[all:vars\]\nnetwork_interface=eth0\ntunnel_interface=eth1\nkolla_external_vip_interface=eth2$/m,
    );
  });

  it("lets extra_globals win over hacloud's own variable, writing it once", () => {
    const t = loadTopologyFile("examples/packtpub-prod.yaml").topology!;
    const plan = buildPlan({
      ...t,
      kolla: { ...t.kolla, extra_globals: { neutron_plugin_agent: "ovn", x: 1 } },
    });
    const text = renderGlobals(plan, "t.yaml");
    const g = parse(text, { uniqueKeys: true }) as Record<string, unknown>;
    expect(g.neutron_plugin_agent).toBe("ovn");
    expect(text).toContain("# neutron_plugin_agent: set by extra_globals below");
  });

  it.each(RENDER_CASES)("$name: config/ holds only what differs from kolla", (c) => {
    const plan = casePlan(c);
    const config = [...renderKolla(plan, { topologyFile: c.file }).keys()].filter((p) =>
      p.startsWith("config/"),
    );
    if (plan.profileName === "kolla-default") {
      expect(config).toEqual(["config/README.md"]);
    } else {
      expect(config).toContain(`config/keepalived/${plan.vrrp.members[0]!.host}/keepalived.conf`);
      expect(config.includes("config/haproxy-config/mariadb.cfg")).toBe(
        plan.databaseLoadBalancer === "haproxy",
      );
      expect(config).not.toContain("config/galera.cnf");
    }
  });

  it.each(RENDER_CASES.filter((c) => keepalivedOverridden(casePlan(c))))(
    "$name: the keepalived preview is the override kolla deploys (the password aside)",
    (c) => {
      const files = renderKolla(casePlan(c), { topologyFile: c.file });
      for (const m of casePlan(c).vrrp.members) {
        const override = files.get(`config/keepalived/${m.host}/keepalived.conf`)!;
        const preview = files.get(`preview/${m.host}/keepalived.conf`)!;
        expect(body(preview)).toBe(body(override).replace("{{ keepalived_password }}", PASSWORD_PLACEHOLDER));
      }
    },
  );

  it("keeps the keepalived placeholder within keepalived's 8-character PASS limit", () => {
    expect(PASSWORD_PLACEHOLDER).toHaveLength(AUTH_PASS_MAX);
    const files = renderKolla(casePlan(RENDER_CASES[0]!), { topologyFile: "x.yaml" });
    expect(files.get("preview/hap1/keepalived.conf")).toContain(`auth_pass ${PASSWORD_PLACEHOLDER}`);
  });

  it("writes advert_int as keepalived reads it", () => {
    expect(formatAdvertInt(1)).toBe("1");
    expect(formatAdvertInt(0.1)).toBe("0.1");
    expect(formatAdvertInt(0.25)).toBe("0.25");
  });

  it("wraps /etc/hosts in markers and lists the VIP's name", () => {
    const c = RENDER_CASES.find((x) => x.name === "split-vip")!;
    const lines = renderHosts(casePlan(c), c.file).trimEnd().split("\n");
    expect(lines[0]).toBe("# BEGIN hacloud split-vip");
    expect(lines.at(-1)).toBe("# END hacloud split-vip");
    expect(lines).toContain("10.1.0.10       api-int.lab.example");
    expect(lines).toContain("10.1.0.22       net2.lab.example net2");
  });
});

describe("the Jenkinsfile", () => {
  it("escapes Groovy string literals so nothing interpolates", () => {
    expect(groovyString("a'b\\c${x}")).toBe("'a\\'b\\\\c${x}'");
  });

  it.each(RENDER_CASES)(
    "$name: runs the stages in order, with the release's CLI spelling, and no secret",
    (c) => {
      const plan = casePlan(c);
      const text = renderKolla(plan, { topologyFile: c.file, verifyTarget: "kolla" }).get("Jenkinsfile")!;
      const stages = [...text.matchAll(/stage\('([^']+)'\)/g)].map((m) => m[1]);
      expect(stages).toEqual([
        "check",
        "bootstrap-servers",
        "prechecks",
        "pull",
        "deploy",
        "post-deploy",
        "verify",
      ]);
      expect(text).toContain("sh 'hacloud verify --target kolla --junit hacloud-verify.xml'");
      // Without a target that reaches the deployed cloud there is no verify stage to fail.
      const without = renderKolla(plan, { topologyFile: c.file }).get("Jenkinsfile")!;
      expect([...without.matchAll(/stage\('([^']+)'\)/g)].map((m) => m[1])).toEqual(stages.slice(0, -1));
      expect(without).not.toMatch(/sh .*hacloud verify/);
      expect(text).toContain(
        plan.release === "2024.1"
          ? 'kolla-ansible -i "$RENDER_DIR/multinode" --configdir "$config" "$KOLLA_COMMAND"'
          : 'kolla-ansible "$KOLLA_COMMAND" -i "$RENDER_DIR/multinode" --configdir "$config"',
      );
      // Shell variables only inside single-quoted Groovy strings: no "${…}" Groovy interpolation anywhere.
      expect(text).not.toMatch(/"[^"\n]*\$\{[^"\n]*"/);
      expect(text).toContain("file(credentialsId: params.PASSWORDS_CREDENTIAL");
    },
  );
});

describe("kolla-ansible's command line", () => {
  it("follows each release's spelling", () => {
    const inv = { inventory: "multinode", configDir: "/etc/kolla" };
    expect(kollaArgs("2025.1", "mariadb-recovery", inv)).toEqual([
      "mariadb-recovery",
      "-i",
      "multinode",
      "--configdir",
      "/etc/kolla",
    ]);
    expect(kollaArgs("2024.1", "mariadb-recovery", inv)).toEqual([
      "-i",
      "multinode",
      "--configdir",
      "/etc/kolla",
      "mariadb_recovery",
    ]);
    expect(kollaArgs("master", "deploy", inv)[0]).toBe("deploy");
  });
});
