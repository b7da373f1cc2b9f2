/** The lab journal (append, torn last line, newest process per host), the lock, and HAProxy's `show stat`. */
import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { parseShowStat } from "../../src/observe/backends.ts";
import { currentProcesses, Journal, journalProcesses, readJournal } from "../../src/targets/lab/journal.ts";
import { acquireLock, lockPath } from "../../src/targets/lab/lock.ts";
import { LabError } from "../../src/targets/lab/errors.ts";

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(`${tmpdir()}/hc-lab-`);
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("lab journal", () => {
  it("reads back what was appended and skips a line torn by SIGKILL", () => {
    const j = new Journal(`${tmp()}/journal.jsonl`);
    j.append({ op: "netns", name: "hc-x-sw" });
    j.append({
      op: "process",
      id: "a",
      host: "h1",
      service: "haproxy",
      name: "haproxy",
      stopSignal: "SIGTERM",
      stopTimeoutMs: 1,
    });
    appendFileSync(j.path, '{"op":"pid","id":"a","pid":12');
    expect(j.read()).toEqual([
      { op: "netns", name: "hc-x-sw" },
      {
        op: "process",
        id: "a",
        host: "h1",
        service: "haproxy",
        name: "haproxy",
        stopSignal: "SIGTERM",
        stopTimeoutMs: 1,
      },
    ]);
    expect(journalProcesses(j.read())[0]!.pid).toBeUndefined();
  });

  it("creates the journal 0600 and reads a missing one as empty", () => {
    const path = `${tmp()}/journal.jsonl`;
    expect(readJournal(path)).toEqual([]);
    new Journal(path).append({ op: "netns", name: "hc-x-sw" });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("joins PIDs to their processes and keeps the newest process per host and name", () => {
    const j = new Journal(`${tmp()}/journal.jsonl`);
    const proc = (id: string) =>
      ({
        op: "process",
        id,
        host: "h1",
        service: "haproxy",
        name: "haproxy",
        stopSignal: "SIGTERM",
        stopTimeoutMs: 1,
      }) as const;
    j.append(proc("a"));
    j.append({ op: "pid", id: "a", pid: 100, start: 5 });
    j.append(proc("b"));
    j.append({ op: "pid", id: "b", pid: 200, start: 9 });
    expect(journalProcesses(readJournal(j.path)).map((p) => p.pid)).toEqual([100, 200]);
    expect(currentProcesses(readJournal(j.path)).get("h1/haproxy")).toMatchObject({
      id: "b",
      pid: 200,
      start: 9,
    });
  });

  it("reads a missing journal as empty", () => {
    expect(readJournal(`${tmp()}/none.jsonl`)).toEqual([]);
  });
});

describe("lab lock", () => {
  it("refuses a second holder while the first is alive, and takes over a dead owner's lock", () => {
    const state = `${tmp()}/cloud`;
    const release = acquireLock(state);
    expect(() => acquireLock(state)).toThrow(LabError);
    release();
    // a lock left by a process that no longer exists (pid 2^22 + 1 is above Linux's pid_max)
    writeFileSync(lockPath(state), "4194305 1\n");
    const again = acquireLock(state);
    again();
  });
});

describe("haproxy show stat", () => {
  it("lists backend servers with status and backup flag, without summary rows or the stats proxies", () => {
    const csv = [
      "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck",
      "stats,FRONTEND,,,0,1,4000,1,0,0,0,0,0,,,,,OPEN,,,",
      "mariadb_front,FRONTEND,,,2,2,4000,2,0,0,0,0,0,,,,,OPEN,,,",
      "mariadb_back,cc01,0,0,2,2,,2,0,0,,0,,0,0,0,0,UP,1,1,0",
      "mariadb_back,cc02,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,1,0,1",
      "mariadb_back,BACKEND,0,0,2,2,400,2,0,0,0,0,,0,0,0,0,UP,1,1,1",
    ].join("\n");
    expect(parseShowStat("hap1", csv)).toEqual([
      { lb: "hap1", proxy: "mariadb", server: "cc01", status: "UP", backup: false, sessions: 2 },
      { lb: "hap1", proxy: "mariadb", server: "cc02", status: "DOWN", backup: true, sessions: 0 },
    ]);
  });
});
