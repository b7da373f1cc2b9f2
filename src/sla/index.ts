/**
 * The SLA model's public surface: analysis, the SPOF/cut-set helpers that
 * `hacloud check` uses, the drill-report reader, the rates check and the
 * report renderers. Pure: no disk, no processes.
 */
export {
  analyseSla,
  minimalCutSets,
  singlePointsOfFailure,
  unknownHosts,
  type OverallResult,
  type ServiceResult,
  type SlaAnalysis,
  type SlaOptions,
  type Spof,
} from "./analyse.ts";
export type { CutSet, ZoneCutSet } from "./cuts.ts";
export { kOfN, parallel, series, steadyState } from "./kofn.ts";
export { parseMeasuredReport, SCENARIOS, type MeasuredReport } from "./measured.ts";
export { DEFAULT_RATES, knownRateKinds, validateSlaRates } from "./rates.ts";
export { slaJson } from "./report-json.ts";
export { slaText } from "./report-text.ts";
export { slaSummary, type SlaSummary } from "./summary.ts";
