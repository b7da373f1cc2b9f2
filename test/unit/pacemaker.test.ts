/**
 * Pacemaker as crm_mon reports it (testdata/observe/crm-mon.xml: Pacemaker 2.1.5's
 * `crm_mon -1 --output-as=xml` shape for three controllers and two remote computes): the
 * parser, what is wrong against the Plan, and the observer that asks the first member answering.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { observe } from "../../src/observe/index.ts";
import { pacemakerProblems, parseCrmMon } from "../../src/observe/pacemaker.ts";
import type { HostAccess, HostOutput, ObserveContext } from "../../src/observe/types.ts";
import type { Plan } from "../../src/plan/types.ts";
import { packtpubPlan } from "../support/drill-fixture.ts";

const xml = readFileSync(new URL("testdata/observe/crm-mon.xml", import.meta.url), "utf8");
const members = ["cc01", "cc02", "cc03"];
const remotes = ["cn01", "cn02"];

/** The document with one node's attributes changed. */
function withNode(doc: string, name: string, attrs: Readonly<Record<string, string>>): string {
  return doc.replace(new RegExp(`<node name="${name}" id="[^"]*" online[^>]*>`), (tag) =>
    Object.entries(attrs).reduce((t, [k, v]) => t.replace(new RegExp(` ${k}="[^"]*"`), ` ${k}="${v}"`), tag),
  );
}

/** cc01 cut off from cc02 and cc03: it is its own DC without quorum, and stopped the remotes. */
const partitioned = ["cc02", "cc03", "cn01", "cn02"]
  .reduce((d, n) => withNode(d, n, { online: "false", resources_running: "0" }), xml)
  .replace(/<current_dc [^>]*>/, (t) =>
    t
      .replace('name="cc03" id="3"', 'name="cc01" id="1"')
      .replace('with_quorum="true"', 'with_quorum="false"'),
  );

describe("crm_mon's XML", () => {
  it("reads the quorum, the DC and every node with its type", () => {
    expect(parseCrmMon(xml)).toEqual({
      quorum: true,
      dc: "cc03",
      nodes: [
        ...members.map((name) => ({
          name,
          type: "member",
          online: true,
          standby: false,
          maintenance: false,
          unclean: false,
        })),
        ...remotes.map((name) => ({
          name,
          type: "remote",
          online: true,
          standby: false,
          maintenance: false,
          unclean: false,
        })),
      ],
    });
    expect(pacemakerProblems(parseCrmMon(xml)!, members, remotes)).toEqual([]);
  });

  it("names a remote that is not RemoteOnline and a member in standby", () => {
    const doc = withNode(withNode(xml, "cn02", { online: "false" }), "cc02", { standby: "true" });
    expect(pacemakerProblems(parseCrmMon(doc)!, members, remotes)).toEqual([
      "cc02 is in standby",
      "cn02 is not RemoteOnline",
    ]);
  });

  it("says a partitioned member has no quorum and sees the others offline", () => {
    const s = parseCrmMon(partitioned)!;
    expect(s).toMatchObject({ quorum: false, dc: "cc01" });
    expect(pacemakerProblems(s, members, remotes)).toEqual([
      "the cluster has no quorum",
      "cc02 is not Online",
      "cc03 is not Online",
      "cn01 is not RemoteOnline",
      "cn02 is not RemoteOnline",
    ]);
  });

  it("names a planned host the cluster does not know, or knows as the other kind", () => {
    expect(pacemakerProblems(parseCrmMon(xml)!, [...members, "cn01"], ["cn02", "cn03"])).toEqual([
      "cn01 is not a cluster node of the cluster",
      "cn03 is not a remote node of the cluster",
    ]);
  });

  it("gives no cluster for crm_mon's error document", () => {
    const error =
      '<pacemaker-result api-version="2.28" request="crm_mon -1 --output-as=xml">\n' +
      '  <status code="102" message="Not connected">\n' +
      "    <errors>\n      <error>crm_mon: Error: cluster is not available on this node</error>\n    </errors>\n" +
      "  </status>\n</pacemaker-result>\n";
    expect(parseCrmMon(error)).toBeUndefined();
    expect(parseCrmMon("")).toBeUndefined();
  });
});

describe("the Pacemaker observer", () => {
  /** A cloud whose members answer as `answers` says (missing: crm_mon as on a healthy cluster). */
  function cloud(
    answers: Readonly<Record<string, HostOutput | Error>>,
    down: readonly string[] = [],
    plan: Plan = packtpubPlan(),
  ): { ctx: ObserveContext; asked: string[] } {
    const asked: string[] = [];
    const access: HostAccess = {
      exec(host, argv, opts) {
        asked.push(`${host} ${argv.join(" ")}${opts?.container ? ` in ${opts.container}` : ""}`);
        const a = answers[host] ?? { stdout: xml, stderr: "", exitCode: 0 };
        return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
      },
      readFile: () => Promise.resolve(undefined),
      unixSocket: () => Promise.resolve(""),
    };
    const ctx: ObserveContext = {
      plan,
      access,
      vip: "198.18.0.47",
      locate: () => undefined,
      running: (service, host) => !(service === "hacluster-pacemaker" && down.includes(host)),
    };
    return { ctx, asked };
  }

  it("asks the first member, in kolla's hacluster_pacemaker container", async () => {
    const { ctx, asked } = cloud({});
    const o = await observe("pacemaker", ctx);
    expect(o.from).toBe("cc01");
    expect(o.state?.dc).toBe("cc03");
    expect(asked).toEqual(["cc01 crm_mon -1 --output-as=xml in hacluster_pacemaker"]);
  });

  it("falls back to the next member when one is down or its crm_mon fails", async () => {
    const { ctx, asked } = cloud({ cc02: new Error("timed out after 15000 ms") }, ["cc01"]);
    const o = await observe("pacemaker", ctx);
    expect(o.from).toBe("cc03");
    expect(asked.map((a) => a.split(" ")[0])).toEqual(["cc02", "cc03"]);
  });

  it("says why no member answered, each in its own words", async () => {
    const notConnected: HostOutput = {
      stdout:
        '<pacemaker-result api-version="2.28" request="crm_mon -1 --output-as=xml">' +
        '<status code="102" message="Not connected"><errors><error>crm_mon: Error: cluster is not available on this node</error></errors></status></pacemaker-result>',
      stderr: "",
      exitCode: 102,
    };
    const { ctx } = cloud(
      {
        cc02: notConnected,
        cc03: { stdout: "", stderr: "crm_mon: command not found\n", exitCode: 127 },
      },
      ["cc01"],
    );
    expect(await observe("pacemaker", ctx)).toEqual({
      error:
        "cc01: Pacemaker not running; cc02: crm_mon: Error: cluster is not available on this node; " +
        "cc03: crm_mon: command not found",
    });
  });

  it("observes nothing when the Plan has no hacluster", async () => {
    const plan = packtpubPlan();
    const { ctx, asked } = cloud({}, [], { ...plan, masakari: { ...plan.masakari, hacluster: false } });
    expect(await observe("pacemaker", ctx)).toEqual({});
    expect(asked).toEqual([]);
  });
});
