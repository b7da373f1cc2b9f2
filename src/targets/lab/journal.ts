/**
 * The lab's journal: an append-only, fsync'd list of everything the lab is
 * about to create, written BEFORE each creation. `lab down` replays it in
 * reverse, so a `lab up` killed with SIGKILL at any instant leaves nothing
 * that down cannot find. A torn last line (killed mid-write) is ignored.
 */
import { appendJsonLine, readJsonLines } from "../../util/jsonl.ts";

/** One record. Process records come in two steps: intent (before spawn), then pid (after). */
export type JournalEntry =
  | { readonly op: "begin"; readonly at: string; readonly pid: number }
  | { readonly op: "netns"; readonly name: string }
  /** The lab's cgroup v2 group (relative to the hierarchy's mount): every process of the lab is in it. */
  | { readonly op: "cgroup"; readonly group: string }
  | {
      readonly op: "link";
      readonly name: string;
      readonly netns: string;
      readonly peer: string;
      readonly peerNetns: string;
    }
  | {
      readonly op: "process";
      readonly id: string;
      readonly host: string;
      readonly service: string;
      readonly name: string;
      readonly stopSignal: string;
      readonly stopTimeoutMs: number;
      /** Started under the restart loop (spawn.ts): the journalled PID is the loop's, the daemon its child. */
      readonly restart?: "unless-stopped";
    }
  | { readonly op: "pid"; readonly id: string; readonly pid: number; readonly start: number }
  /** A file outside the state directory (e.g. a temporary /usr/sbin/policy-rc.d); removed when its content is ours. */
  | { readonly op: "file"; readonly path: string; readonly content: string };

/** The journal file of a lab state directory. */
export function journalPath(stateDir: string): string {
  return `${stateDir}/journal.jsonl`;
}

/** Appends entries durably; one instance per `lab up`/`lab down`. */
export class Journal {
  constructor(readonly path: string) {}

  /** Appends and fsyncs one entry; returns only once it is on disk. */
  append(entry: JournalEntry): void {
    appendJsonLine(this.path, entry);
  }

  /** All complete entries, oldest first (empty when there is no journal). */
  read(): JournalEntry[] {
    return readJournal(this.path);
  }
}

/** Reads a journal; lines that do not parse (a write cut by SIGKILL) are skipped. */
export function readJournal(path: string): JournalEntry[] {
  return readJsonLines<JournalEntry>(path);
}

/** A journalled process with its PID once known. */
export interface JournalProcess {
  readonly id: string;
  readonly host: string;
  readonly service: string;
  readonly name: string;
  readonly stopSignal: string;
  readonly stopTimeoutMs: number;
  readonly restart?: "unless-stopped";
  readonly pid?: number;
  readonly start?: number;
}

/** Processes of a journal, in start order, with their PIDs joined in. */
export function journalProcesses(entries: readonly JournalEntry[]): JournalProcess[] {
  const pids = new Map<string, { pid: number; start: number }>();
  for (const e of entries) if (e.op === "pid") pids.set(e.id, { pid: e.pid, start: e.start });
  return entries.flatMap((e) => (e.op === "process" ? [{ ...e, ...pids.get(e.id) }] : []));
}

/** The newest journalled process per (host, name): what is supposed to run now. */
export function currentProcesses(entries: readonly JournalEntry[]): Map<string, JournalProcess> {
  const out = new Map<string, JournalProcess>();
  for (const p of journalProcesses(entries)) out.set(`${p.host}/${p.name}`, p);
  return out;
}
