/**
 * `hacloud check` as a library call: load the topology (and the peers'), build
 * the Plan, run every HA rule, locate each finding in the file, and return all
 * diagnostics at once, sorted. Never throws on bad input.
 */
import { sortDiagnostics, type Diagnostic, type Finding } from "./diagnostics/diagnostic.ts";
import { buildPlan } from "./plan/build.ts";
import type { Plan } from "./plan/types.ts";
import { RULES } from "./rules/registry.ts";
import type { PeerCloud, Rule, RuleContext } from "./rules/types.ts";
import { readTextFile } from "./spec/input.ts";
import { loadTopologyText } from "./spec/load.ts";
import type { YamlSource } from "./spec/source.ts";

/** A file's name and contents. */
export interface TextInput {
  readonly file: string;
  readonly text: string;
}

/** The outcome of a check. */
export interface CheckResult {
  /** Every problem, sorted by file, line and column. */
  readonly diagnostics: Diagnostic[];
  /** Set when the topology passed the schema (rules ran). */
  readonly plan?: Plan;
  /** The text of every file read (the topology and peers), for code frames. */
  readonly sources: ReadonlyMap<string, string>;
}

/** Options for checkTopologyText. */
export interface CheckTextOptions {
  /** Other clouds sharing layer-2 segments with this one (`--peer`). */
  readonly peers?: readonly TextInput[];
  /** The rules to run (all of them by default; tests narrow it). */
  readonly rules?: readonly Rule[];
}

/** Checks a topology held in memory. */
export function checkTopologyText(file: string, text: string, opts: CheckTextOptions = {}): CheckResult {
  const sources = new Map<string, string>([[file, text]]);
  const loaded = loadTopologyText(file, text);
  const diagnostics = [...loaded.diagnostics];
  const peers: PeerCloud[] = [];
  for (const p of opts.peers ?? []) {
    sources.set(p.file, p.text);
    const lp = loadTopologyText(p.file, p.text);
    // A peer's own warnings are its business; its errors mean it cannot be compared.
    diagnostics.push(...lp.diagnostics.filter((d) => d.severity === "error"));
    if (lp.topology && lp.source) {
      peers.push({ file: p.file, source: lp.source, topology: lp.topology, plan: buildPlan(lp.topology) });
    }
  }
  if (!loaded.topology || !loaded.source) return { diagnostics: sortDiagnostics(diagnostics), sources };
  const plan = buildPlan(loaded.topology);
  const ctx: RuleContext = { file, topology: loaded.topology, plan, source: loaded.source, peers };
  diagnostics.push(...runRules(ctx, opts.rules ?? RULES));
  return { diagnostics: sortDiagnostics(diagnostics), plan, sources };
}

/** Options for checkTopologyFile. */
export interface CheckFileOptions {
  /** Paths of other clouds' topology files (`--peer`). */
  readonly peers?: readonly string[];
}

/** Reads and checks a topology file (and its peers' files). */
export function checkTopologyFile(file: string, opts: CheckFileOptions = {}): CheckResult {
  const unreadable: Diagnostic[] = [];
  const peers: TextInput[] = [];
  for (const p of opts.peers ?? []) {
    const r = readTextFile(p);
    if (r.ok) peers.push({ file: p, text: r.text });
    else unreadable.push(r.diagnostic);
  }
  const read = readTextFile(file);
  if (!read.ok) return { diagnostics: sortDiagnostics([read.diagnostic, ...unreadable]), sources: new Map() };
  const result = checkTopologyText(file, read.text, { peers });
  return { ...result, diagnostics: sortDiagnostics([...result.diagnostics, ...unreadable]) };
}

/** Runs rules and locates their findings in the topology file. */
export function runRules(ctx: RuleContext, rules: readonly Rule[] = RULES): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const rule of rules) {
    for (const f of rule.check(ctx)) out.push(locate(ctx.source, f));
  }
  return out;
}

/** Turns a finding's path into file:line:column. */
export function locate(source: YamlSource, f: Finding): Diagnostic {
  const span = source.locate(f.path, f.at ?? "value");
  return {
    code: f.code,
    severity: f.severity,
    message: f.message,
    file: source.file,
    line: span.line,
    column: span.column,
    endLine: span.endLine,
    endColumn: span.endColumn,
    hint: f.hint,
  };
}
