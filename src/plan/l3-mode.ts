/**
 * The L3 agent's `agent_mode` on a host, as kolla's l3_agent.ini template
 * chooses it: with enable_neutron_dvr, `dvr_snat` on the network group and
 * neutron_compute_dvr_mode on the computes; otherwise `legacy` (HA or not).
 * The lab writes it, verify checks what the agents report against it. Pure.
 */
import type { Plan } from "./types.ts";

/** One of neutron's L3 agent modes. */
export type L3AgentMode = "legacy" | "dvr" | "dvr_snat" | "dvr_no_external";

/** The mode of the L3 agent on `host`. */
export function l3AgentMode(plan: Pick<Plan, "neutron" | "groups">, host: string): L3AgentMode {
  if (plan.neutron.routing !== "dvr") return "legacy";
  return (plan.groups.network ?? []).includes(host) ? "dvr_snat" : plan.neutron.dvrComputeMode;
}
