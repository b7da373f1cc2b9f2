/**
 * The SLA model's inputs in the topology (`sla.rates`), checked with the
 * model's own validator so that the check and `hacloud sla` agree.
 */
import { validateSlaRates } from "../sla/rates.ts";
import { defineRule } from "./define.ts";
import { demo } from "./example.ts";
import type { Rule, RuleContext } from "./types.ts";

function rateFindings(ctx: RuleContext, code: string) {
  return validateSlaRates(
    ctx.topology.sla?.rates,
    ctx.plan.hosts.map((h) => h.zone),
  )
    .filter((f) => f.code === code)
    .map((f) => ({ path: f.path, message: f.message, at: f.at, hint: f.hint }));
}

const unknownKind = defineRule({
  code: "HA850",
  severity: "error",
  family: "spof",
  title: "unknown component kind in sla.rates",
  rationale:
    "The SLA model takes failure and repair rates per component kind (host, haproxy, mariadb…). A misspelt kind would silently leave the default in place, so the availability printed would not be the one the operator asked for.",
  sources: ["docs/sla.md: default rates and the kinds the model knows"],
  hint: "Use one of the kinds docs/sla.md lists.",
  example: {
    topology: demo({
      tail: "sla:\n  target: 99.9%\n  rates:\n    mariadbb: { mtbf_h: 2000, mttr_h: 1 }  # <-- HA850",
    }),
  },
  find: (ctx) => rateFindings(ctx, "HA850"),
});

const zoneWithoutZones = defineRule({
  code: "HA851",
  severity: "warning",
  family: "spof",
  title: "a zone failure rate, but no host has a zone",
  rationale:
    "A rate for `zone` models whole racks or power feeds failing; with no host in a zone there is nothing for it to apply to, so the figure is ignored — usually the hosts' `zone:` keys were forgotten.",
  sources: ["docs/sla.md: failure domains"],
  hint: "Give hosts a `zone:` (rack, power feed), or remove the zone rate.",
  example: {
    topology: demo({
      tail: "sla:\n  target: 99.9%\n  rates:\n    zone: { mtbf_h: 50000, mttr_h: 4 }  # <-- HA851",
    }),
  },
  find: (ctx) => rateFindings(ctx, "HA851"),
});

/** Rules over the SLA model's inputs. */
export const SLA_RATE_RULES: readonly Rule[] = [unknownKind, zoneWithoutZones];
