/** A lab host context as the engine builds it (src/targets/lab/runtime.ts hostContext), with no way to run anything. */
import type { Plan } from "../../src/plan/types.ts";
import type { LabLayout } from "../../src/targets/lab/layout.ts";
import { proxiedEntries } from "../../src/targets/lab/runtime.ts";
import type { LabHostContext, LabIdentity, LabService } from "../../src/targets/lab/service.ts";

/** The context of `host` in `layout`, serving `services` with `secrets`. */
export function unitHostContext(
  plan: Plan,
  layout: LabLayout,
  host: string,
  opts: {
    readonly secrets: Readonly<Record<string, string>>;
    readonly services: readonly LabService[];
    readonly identity?: LabIdentity;
  },
): LabHostContext {
  const h = layout.hosts.find((x) => x.name === host);
  if (h === undefined) throw new Error(`no host ${host} in the layout`);
  return {
    plan,
    host: plan.hosts.find((p) => p.name === host)!,
    netns: h.netns,
    addresses: h.addresses,
    links: h.links,
    addressOf: (name, net) => layout.hosts.find((x) => x.name === name)!.addresses[net]!,
    vip: { internal: layout.vip.internal },
    dirs: { etc: `${h.dir}/etc`, lib: `${h.dir}/lib`, run: `${h.dir}/run`, log: `${h.dir}/log` },
    sharedDir: `${layout.stateDir}/shared`,
    secrets: opts.secrets,
    proxied: proxiedEntries({ plan, secrets: opts.secrets, services: opts.services }),
    databases: opts.services.flatMap((s) => s.databases ?? []),
    identity: opts.identity,
    exec: () => Promise.reject(new Error("no commands in unit tests")),
  };
}
