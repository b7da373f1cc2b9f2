/**
 * Masakari rules (HA500–HA599): instance HA needs pacemaker to see compute
 * failures, somewhere to evacuate to, a coordination backend, storage that
 * survives the evacuation, and fencing when that storage is shared.
 */
import { didYouMean } from "../diagnostics/suggest.ts";
import { defineRule, listing, written, type Hit } from "./define.ts";
import { demo } from "./example.ts";
import { rolesPath } from "./facts.ts";
import type { Rule, RuleContext } from "./types.ts";

/** The masakari section as most examples write it: enabled, etcd, shared storage. */
const MASAKARI = "masakari: { enabled: true, coordination: etcd, shared_storage: true }";

/** Where to point for a masakari setting: the key if written, else the section. */
function at(ctx: RuleContext, key: string): (string | number)[] {
  return written(ctx.source, ["masakari", key]) ? ["masakari", key] : ["masakari"];
}

function enabled(ctx: RuleContext): boolean {
  return ctx.plan.masakari.enabled;
}

const noHacluster = defineRule({
  code: "HA500",
  severity: "error",
  family: "masakari",
  title: "Masakari without hacluster",
  rationale:
    "masakari-hostmonitor learns that a compute died from pacemaker: corosync/pacemaker on the controllers (`hacluster`) and pacemaker_remote on the computes (`hacluster-remote`). kolla turns enable_hacluster on with the host monitor because hostmonitor without it broke (LP#1934149). Without it, host failures — the reason to run Masakari — are never detected.",
  sources: [
    'kolla-facts.md §2: `enable_hacluster: "{{ enable_masakari_hostmonitor | bool }}"` (LP#1934149)',
    "kolla-facts.md §5: hostmonitor `restrict_to_remotes = true`, pacemaker_node_type cluster/remote",
  ],
  hint: "Remove `hacluster: false`.",
  example: {
    topology: demo({
      tail: "masakari: { enabled: true, coordination: etcd, shared_storage: true, hacluster: false }  # <-- HA500",
    }),
  },
  find: (ctx) =>
    enabled(ctx) && ctx.topology.masakari?.hacluster === false
      ? [
          {
            path: ["masakari", "hacluster"],
            message:
              "without hacluster, masakari-hostmonitor cannot see compute hosts fail; only instance (VM process) failures are recovered",
          },
        ]
      : [],
});

const tooFewComputes = defineRule({
  code: "HA501",
  severity: "error",
  family: "masakari",
  title: "Masakari with fewer than two computes",
  rationale:
    "Masakari recovers a failed compute by evacuating its instances (nova evacuate) to another compute in the segment. With one compute there is nowhere to go: host failures cannot be recovered, only restarted VM processes.",
  sources: [
    "ha-anchors.md §3.2: host failure recovery = disable compute service, then evacuate_instances_task",
  ],
  hint: "Add a second compute, or disable Masakari until there is one.",
  example: {
    topology: demo({ hosts: { cmp2: null }, tail: `${MASAKARI}  # <-- HA501` }),
    also: ["HA510", "HA800"],
  },
  find: (ctx) => {
    if (!enabled(ctx)) return [];
    const computes = ctx.plan.groups.compute ?? [];
    if (computes.length >= 2) return [];
    return [
      {
        path: at(ctx, "enabled"),
        message:
          computes.length === 0
            ? "Masakari is enabled but there are no computes to protect"
            : `Masakari is enabled with one compute (${computes[0]!}): a failed host's instances have nowhere to be evacuated to`,
      },
    ];
  },
});

const noCoordination = defineRule({
  code: "HA502",
  severity: "error",
  family: "masakari",
  title: "Masakari on several hosts without a coordination backend",
  rationale:
    "Several masakari-api/engine instances must coordinate so that one failure is not recovered twice. kolla's masakari precheck stops: 'Please enable Valkey or etcd when running in multinode scenario.'",
  sources: [
    "kolla-facts.md §4: ansible/roles/masakari/tasks/precheck.yml (masakari_coordination_backend == '')",
  ],
  hint: "Set `masakari.coordination: etcd` (or valkey); hacloud enables it on the controllers.",
  example: {
    topology: demo({ tail: "masakari: { enabled: true, shared_storage: true }  # <-- HA502" }),
    also: ["HA510"],
  },
  find: (ctx) => {
    const m = ctx.plan.masakari;
    if (!m.enabled || m.coordination !== "none" || m.apiHosts.length < 2) return [];
    return [
      {
        path: at(ctx, "coordination"),
        message: `masakari-api runs on ${m.apiHosts.length} hosts without a coordination backend; kolla's precheck fails ('Please enable Valkey or etcd when running in multinode scenario.')`,
      },
    ];
  },
});

const noSharedStorage = defineRule({
  code: "HA503",
  severity: "warning",
  family: "masakari",
  title: "evacuation without shared storage",
  rationale:
    "Evacuation rebuilds an instance on another compute. Unless its disk is on shared storage (or it boots from a Cinder volume), the rebuild starts from the image: the instance comes back, but its local disk — everything written since boot — is gone. 'In order for an instance to be relocated to another hypervisor some form of shared storage must be implemented.'",
  sources: [
    "kolla-facts.md §5 / ha-anchors.md §3: charm-guide instance-ha (https://docs.openstack.org/charm-guide/zed/admin/instance-ha.html)",
  ],
  hint: "Put instance disks on shared storage and set `shared_storage: true`, or boot HA instances from volumes.",
  example: {
    topology: demo({ tail: "masakari: { enabled: true, coordination: etcd }  # <-- HA503" }),
  },
  find: (ctx) => {
    const m = ctx.plan.masakari;
    if (!m.enabled || m.sharedStorage) return [];
    return [
      {
        path: at(ctx, "shared_storage"),
        message: `instance disks are not on shared storage${ctx.topology.masakari?.shared_storage === undefined ? " (shared_storage is not set)" : ""}: evacuated instances restart from their image and lose their local disk`,
      },
    ];
  },
});

const reservedMissing = defineRule({
  code: "HA504",
  severity: "error",
  family: "masakari",
  title: "reserved_host recovery without reserved hosts",
  rationale:
    "With recovery_method reserved_host, Masakari evacuates only to hosts marked reserved in the segment. With none, every host failure ends in an error notification and no instance is recovered.",
  sources: [
    "ha-anchors.md §3.2: recovery methods auto, reserved_host, auto_priority, rh_priority (masakari api-ref failover-segments.inc)",
  ],
  hint: "List spare computes in `reserved_hosts`, or use `recovery: auto`.",
  example: {
    topology: demo({
      tail: "masakari: { enabled: true, coordination: etcd, shared_storage: true, recovery: reserved_host }  # <-- HA504",
    }),
    also: ["HA510"],
  },
  find: (ctx) => {
    const m = ctx.plan.masakari;
    if (!m.enabled || m.recovery !== "reserved_host" || m.reservedHosts.length > 0) return [];
    return [
      {
        path: ["masakari", "recovery"],
        message: "recovery reserved_host with no reserved_hosts: no host failure can be recovered",
      },
    ];
  },
});

const priorityWithoutReserved = defineRule({
  code: "HA505",
  severity: "warning",
  family: "masakari",
  title: "priority recovery without reserved hosts",
  rationale:
    "auto_priority falls back to reserved hosts when `auto` fails, and rh_priority tries reserved hosts first. With no reserved hosts both behave like `auto`, so the setting promises a fallback that does not exist.",
  sources: [
    "ha-anchors.md §3.2: auto_priority (auto, then reserved_host), rh_priority (reserved_host, then auto)",
  ],
  hint: "List spare computes in `reserved_hosts`, or say `recovery: auto`.",
  example: {
    topology: demo({
      tail: "masakari: { enabled: true, coordination: etcd, shared_storage: true, recovery: rh_priority }  # <-- HA505",
    }),
    also: ["HA510"],
  },
  find: (ctx) => {
    const m = ctx.plan.masakari;
    if (
      !m.enabled ||
      (m.recovery !== "auto_priority" && m.recovery !== "rh_priority") ||
      m.reservedHosts.length > 0
    )
      return [];
    return [
      {
        path: ["masakari", "recovery"],
        message: `recovery ${m.recovery} without reserved_hosts behaves like auto`,
      },
    ];
  },
});

const badReservedHost = defineRule({
  code: "HA506",
  severity: "error",
  family: "masakari",
  title: "reserved host is not a compute of this cloud",
  rationale:
    "Reserved hosts are spare computes Masakari evacuates to. A name that is not a compute host (a typo, a controller) cannot take instances, so the reserve is smaller than planned.",
  sources: ["ha-anchors.md §3.1: segment hosts have `reserved`; evacuation targets are nova-compute hosts"],
  hint: "Name compute hosts from `hosts:`.",
  example: {
    topology: demo({
      tail: "masakari: { enabled: true, coordination: etcd, shared_storage: true, recovery: rh_priority, reserved_hosts: [cmp3] }  # <-- HA506",
    }),
    also: ["HA510"],
  },
  find: (ctx) => {
    const t = ctx.topology;
    const computes = ctx.plan.groups.compute ?? [];
    const hits: Hit[] = [];
    (t.masakari?.reserved_hosts ?? []).forEach((name, i) => {
      if (computes.includes(name)) return;
      const known = name in t.hosts;
      hits.push({
        path: ["masakari", "reserved_hosts", i],
        message: known
          ? `reserved host ${name} is not a compute`
          : `reserved host ${name} is not a host of this cloud.${didYouMean(name, computes)}`,
      });
    });
    return hits;
  },
});

const reservedUnused = defineRule({
  code: "HA507",
  severity: "warning",
  family: "masakari",
  title: "reserved hosts with recovery auto",
  rationale:
    "With recovery_method auto the nova scheduler picks the target and reserved hosts play no part; operators usually keep reserved computes disabled in nova, so they sit idle while failures are recovered onto busy hosts.",
  sources: ["ha-anchors.md §3.2: auto (any host in segment) vs reserved_host"],
  hint: "Use `recovery: rh_priority` or `auto_priority` to use the reserved hosts, or drop them.",
  example: {
    topology: demo({
      tail: "masakari: { enabled: true, coordination: etcd, shared_storage: true, recovery: auto, reserved_hosts: [cmp2] }  # <-- HA507",
    }),
    also: ["HA510"],
  },
  find: (ctx) => {
    const m = ctx.plan.masakari;
    if (!m.enabled || m.recovery !== "auto" || m.reservedHosts.length === 0) return [];
    return [
      { path: ["masakari", "reserved_hosts"], message: "reserved_hosts are not used by recovery auto" },
    ];
  },
});

const controlAndCompute = defineRule({
  code: "HA508",
  severity: "error",
  family: "masakari",
  title: "a host that is both controller and compute under Masakari",
  rationale:
    "kolla runs pacemaker (cluster node) on `hacluster` = control and pacemaker_remote on `hacluster-remote` = compute; a host in both would run both daemons for one node, which pacemaker does not allow. kolla's hostmonitor is also restricted to remotes ('Kolla has remotes on dedicated computes'), so such a host's failure is not recovered.",
  sources: [
    "kolla-facts.md §1: hacluster<control, hacluster-remote<compute",
    "kolla-ansible masakari-monitors.conf.j2: restrict_to_remotes = true, 'Kolla has remotes on dedicated computes'",
  ],
  hint: "Keep computes and controllers on separate hosts when Masakari is enabled.",
  example: {
    topology: demo({
      hosts: { ctl3: "{ roles: [control, compute], addresses: { management: 10.0.0.23 } }  # <-- HA508" },
      tail: MASAKARI,
    }),
    also: ["HA510"],
  },
  find: (ctx) => {
    const m = ctx.plan.masakari;
    if (!m.enabled || !m.hacluster) return [];
    const remote = new Set(m.haclusterRemoteHosts);
    return m.haclusterHosts
      .filter((h) => remote.has(h))
      .map((h) => ({
        path: rolesPath(h),
        message: `${h} would be both a pacemaker cluster node (control) and a pacemaker_remote node (compute)`,
      }));
  },
});

const settingsWhileDisabled = defineRule({
  code: "HA509",
  severity: "warning",
  family: "masakari",
  title: "Masakari settings while Masakari is disabled",
  rationale:
    "`enabled: false` makes recovery, shared_storage, hacluster and reserved_hosts meaningless; usually Masakari was meant to be on, or the settings are left over.",
  sources: ["kolla-facts.md §2: enable_masakari gates the masakari and hacluster roles"],
  hint: "Remove `enabled: false`, or the settings.",
  example: {
    topology: demo({
      tail: "masakari: { enabled: false, recovery: reserved_host, reserved_hosts: [cmp2] }  # <-- HA509",
    }),
  },
  find: (ctx) => {
    const m = ctx.topology.masakari;
    if (!m || m.enabled) return [];
    const keys = ["recovery", "shared_storage", "hacluster", "reserved_hosts"].filter((k) =>
      written(ctx.source, ["masakari", k]),
    );
    if (keys.length === 0) return [];
    return [
      {
        path: ["masakari", "enabled"],
        message: `Masakari is disabled, so ${listing(keys)} ${keys.length === 1 ? "has" : "have"} no effect`,
      },
    ];
  },
});

const noFencing = defineRule({
  code: "HA510",
  severity: "warning",
  family: "masakari",
  title: "shared-storage evacuation without fencing",
  rationale:
    "kolla disables STONITH (`stonith-enabled false`) and sets hostmonitor's disable_ipmi_check, so Masakari evacuates a compute it can no longer see without confirming it is off. A compute cut off from the management network but still running keeps writing to the shared disks while the same instances start elsewhere: two writers, one disk, corruption. The upstream guidance is that an isolated hypervisor with access to shared storage must be fenced.",
  sources: [
    "kolla-facts.md §5: bootstrap `crm_attribute … stonith-enabled --update false`; masakari-monitors.conf `disable_ipmi_check = true`",
    "ha-anchors.md §3.4 / kolla-facts.md §5: charm-guide instance-ha and charm-deployment-guide app-masakari (fencing to avoid data corruption)",
  ],
  hint: "Add fencing outside kolla (IPMI/BMC power-off, or a watchdog that stops instances on a host that loses the management network) before relying on evacuation with shared storage.",
  example: { topology: demo({ tail: `${MASAKARI}  # <-- HA510` }) },
  find: (ctx) => {
    const m = ctx.plan.masakari;
    if (!m.enabled || !m.sharedStorage || m.haclusterRemoteHosts.length === 0) return [];
    return [
      {
        path: at(ctx, "shared_storage"),
        message:
          "Masakari evacuates from shared storage without fencing (kolla disables STONITH): an isolated but running compute can corrupt its instances' disks",
      },
    ];
  },
});

/** Masakari rules. */
export const MASAKARI_RULES: readonly Rule[] = [
  noHacluster,
  tooFewComputes,
  noCoordination,
  noSharedStorage,
  reservedMissing,
  priorityWithoutReserved,
  badReservedHost,
  reservedUnused,
  controlAndCompute,
  settingsWhileDisabled,
  noFencing,
];
