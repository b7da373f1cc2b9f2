import { mkdtempSync, readFileSync, rmSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { UndoStack } from "../../src/drill/undo-stack.ts";
import { FaultJournal } from "../../src/targets/fault-journal.ts";
import { applyUndo } from "../../src/targets/lab/faults.ts";

describe("undo stack", () => {
  it("undoes the last registered action first", async () => {
    const order: string[] = [];
    const s = new UndoStack();
    s.push("links up", () => {
      order.push("links up");
      return Promise.resolve();
    });
    s.push("start services", () => {
      order.push("start services");
      return Promise.resolve();
    });
    s.push("SIGCONT", () => {
      order.push("SIGCONT");
      return Promise.resolve();
    });
    expect(s.pending()).toEqual(["SIGCONT", "start services", "links up"]);
    await s.unwind();
    expect(order).toEqual(["SIGCONT", "start services", "links up"]);
  });

  it("carries on past a failing undo and reports it", async () => {
    const order: string[] = [];
    const s = new UndoStack();
    s.push("a", () => {
      order.push("a");
      return Promise.resolve();
    });
    s.push("b", () => Promise.reject(new Error("boom")));
    s.push("c", () => {
      order.push("c");
      return Promise.resolve();
    });
    const r = await s.unwind();
    expect(order).toEqual(["c", "a"]);
    expect(r.failed).toEqual([{ label: "b", error: "boom" }]);
    expect(r.undone).toEqual(["c", "a"]);
  });

  it("runs each undo once, even when unwound twice (finally after a signal handler)", async () => {
    let n = 0;
    const s = new UndoStack();
    s.push("x", () => {
      n++;
      return Promise.resolve();
    });
    await Promise.all([s.unwind(), s.unwind()]);
    await s.unwind();
    expect(n).toBe(1);
  });

  it("can drop an undo whose effect never happened", async () => {
    let n = 0;
    const s = new UndoStack();
    const drop = s.push("x", () => {
      n++;
      return Promise.resolve();
    });
    drop();
    await s.unwind();
    expect(n).toBe(0);
  });
});

describe("fault journal", () => {
  let dir = "";
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps faults without an undone mark as leftovers, and survives a torn last line", () => {
    dir = mkdtempSync(`${tmpdir()}/hacloud-faults-`);
    const j = new FaultJournal(`${dir}/faults.jsonl`);
    const at = new Date(0).toISOString();
    j.append({
      op: "inject",
      id: "f1",
      at,
      pid: 1,
      fault: { kind: "link-cut", host: "hap1", network: "management" },
      undo: [{ kind: "link-up" }],
    });
    j.append({
      op: "inject",
      id: "f2",
      at,
      pid: 1,
      fault: { kind: "host-crash", host: "cc01" },
      undo: [{ kind: "repair" }],
    });
    j.append({ op: "undone", id: "f1", at });
    appendFileSync(`${dir}/faults.jsonl`, '{"op":"inject","id":"f3"');
    expect(j.leftovers().map((e) => e.id)).toEqual(["f2"]);
    expect(readFileSync(`${dir}/faults.jsonl`, "utf8").split("\n").length).toBe(4);
  });
});

describe("lab undo of several host crashes", () => {
  const dir = mkdtempSync(`${tmpdir()}/hc-undo-`);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("repairs only once no other fault still holds cables out (a controller pair crash)", async () => {
    const journal = new FaultJournal(`${dir}/faults.jsonl`);
    const crash = (id: string, h: string) =>
      journal.append({
        op: "inject",
        id,
        at: "2026-11-25T00:00:00Z",
        pid: 1,
        fault: { kind: "host-crash", host: h },
        undo: [{ kind: "repair" }, { kind: "links-up", netns: "hc-x-sw", ifs: [`${h}-eth0`] }],
      });
    crash("a", "cc01");
    crash("b", "cc02");
    let repairs = 0;
    const ctx = {
      rt: undefined as never,
      journal,
      repair: () => {
        repairs++;
        return Promise.resolve();
      },
    };
    // b is undone first (last-first): a still has cc01's cables out, so no repair yet
    await applyUndo({ kind: "repair" }, ctx, "b");
    expect(repairs).toBe(0);
    journal.append({ op: "undone", id: "b", at: "2026-11-25T00:00:01Z" });
    await applyUndo({ kind: "repair" }, ctx, "a");
    expect(repairs).toBe(1);
  });
});
