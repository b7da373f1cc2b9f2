/**
 * The shape of an HA rule: a stable code, what it protects against and why
 * (with the source of that knowledge), a complete failing example, and a check
 * that walks the topology and its Plan and returns located findings.
 */
import type { Finding, Severity } from "../diagnostics/diagnostic.ts";
import type { Plan } from "../plan/types.ts";
import type { Topology } from "../spec/schema.ts";
import type { YamlSource } from "../spec/source.ts";

/** Rule families; each owns a code range (see docs/rules.md). */
export type RuleFamily =
  | "input"
  | "addressing"
  | "keepalived"
  | "loadbalancer"
  | "quorum"
  | "neutron"
  | "masakari"
  | "naming"
  | "kolla"
  | "spof";

/** Another cloud's topology, given with `--peer FILE`, that may share layer-2 segments with ours. */
export interface PeerCloud {
  readonly file: string;
  readonly source: YamlSource;
  readonly topology: Topology;
  readonly plan: Plan;
}

/** What a rule sees: the topology as written (with defaults), its Plan, the source for positions, and peers. */
export interface RuleContext {
  readonly file: string;
  readonly topology: Topology;
  readonly plan: Plan;
  readonly source: YamlSource;
  readonly peers: readonly PeerCloud[];
}

/** A failing example: a complete topology file, plus peer files for the rules that compare clouds. */
export interface RuleExample {
  /** The topology; lines the diagnostic should point at carry a `# <-- CODE` comment. */
  readonly topology: string;
  readonly peers?: readonly { readonly file: string; readonly text: string }[];
  /** Other codes the example cannot help triggering (e.g. no load balancer implies no network node). */
  readonly also?: readonly string[];
}

/** What every documented code has, whoever produces it. */
export interface CodeDoc {
  readonly code: string;
  readonly severity: Severity;
  readonly family: RuleFamily;
  /** One line: what is wrong. */
  readonly title: string;
  /** Why it matters to an HA cloud, in a few sentences. */
  readonly rationale: string;
  /** Where the facts come from: reference notes (kolla-facts.md §…, ha-anchors.md §…), upstream files, URLs. */
  readonly sources: readonly string[];
  /** How to fix it (the default hint of its diagnostics). */
  readonly hint: string;
}

/** A code produced by the loader (reading, YAML, schema) rather than by a rule. */
export interface LoaderCode extends CodeDoc {
  readonly family: "input";
  /** A YAML example, or a shell command for codes about the file itself (missing, binary). */
  readonly example: RuleExample | { readonly command: string; readonly bytes?: Uint8Array };
  /** Other severities this code may also carry (HA001 is a warning for YAML warnings). */
  readonly alsoSeverity?: Severity;
}

/** An HA rule. */
export interface Rule extends CodeDoc {
  readonly example: RuleExample;
  /** All findings in the topology; never throws for a schema-valid topology. */
  readonly check: (ctx: RuleContext) => Finding[];
}
