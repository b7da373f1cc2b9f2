/**
 * kolla-ansible rules (HA700–HA799): releases and switches kolla supports,
 * settings that have no effect without another, and settings that would make
 * kolla deploy something other than what hacloud checked.
 */
import { defineRule, written, type Hit } from "./define.ts";
import { demo } from "./example.ts";
import { rolesPath } from "./facts.ts";
import { DERIVED_GLOBALS, isDerivedGlobal } from "./kolla-derived.ts";
import { registryClash, registryIsVip } from "./kolla-registry.ts";
import type { Rule, RuleContext } from "./types.ts";

function cinderAt(ctx: RuleContext, key: string): (string | number)[] {
  return written(ctx.source, ["cinder", key]) ? ["cinder", key] : ["cinder"];
}

const noProxysqlOnMaster = defineRule({
  code: "HA700",
  severity: "error",
  family: "kolla",
  title: "ProxySQL disabled on kolla master",
  rationale:
    "kolla-ansible master dropped HAProxy + clustercheck as MariaDB's load balancer: 'The HAProxy + clustercheck backend for MariaDB is no longer supported.' With enable_proxysql off, nothing serves the database on the VIP and every service fails to connect.",
  sources: [
    'kolla-facts.md (header): master `enable_proxysql: "{{ enable_mariadb }}"`, releasenotes/notes/drop-clustercheck-and-haproxy-support-for-mariadb-4cbd7c8590a34981.yaml',
  ],
  hint: "Remove `enable_proxysql: false` (or pin kolla.release to 2025.1, the last release with the HAProxy backend).",
  example: { topology: demo({ top: { kolla: "{ release: master, enable_proxysql: false }  # <-- HA700" } }) },
  find: (ctx) =>
    ctx.plan.release === "master" && ctx.topology.kolla.enable_proxysql === false
      ? [
          {
            path: ["kolla", "enable_proxysql"],
            message:
              "kolla master has no HAProxy backend for MariaDB: with ProxySQL off, nothing serves the database",
          },
        ]
      : [],
});

const unmaintainedRelease = defineRule({
  code: "HA701",
  severity: "info",
  family: "kolla",
  title: "kolla-ansible 2024.1 is unmaintained",
  rationale:
    "kolla-ansible's 2024.1 branch is `unmaintained/2024.1`: it gets no regular fixes or images, and its defaults differ (MariaDB through HAProxy active/backup unless enable_proxysql is set, an `all.yml` group_vars layout, underscore CLI commands such as mariadb_recovery).",
  sources: [
    'kolla-facts.md (header): branches stable/2025.1 and unmaintained/2024.1; enable_proxysql default "no" on 2024.1; §6 CLI drift',
  ],
  hint: "Plan the upgrade to 2025.1.",
  example: { topology: demo({ top: { kolla: '{ release: "2024.1" }  # <-- HA701' } }) },
  find: (ctx) =>
    ctx.plan.release === "2024.1"
      ? [
          {
            path: ["kolla", "release"],
            message: "kolla-ansible 2024.1 is unmaintained upstream (branch unmaintained/2024.1)",
          },
        ]
      : [],
});

const cinderWithoutBackend = defineRule({
  code: "HA702",
  severity: "error",
  family: "kolla",
  title: "Cinder enabled without a backend",
  rationale:
    "With enable_cinder and no backend, cinder-api accepts requests that no volume service can serve. kolla's cinder precheck stops: 'Please enable at least one backend when enabling Cinder'.",
  sources: [
    "kolla-ansible ansible/roles/cinder/tasks/precheck.yml 'Checking at least one valid backend is enabled for Cinder'",
  ],
  hint: "Set cinder.backend (lvm, ceph or nfs), or remove `enabled: true`.",
  example: { topology: demo({ tail: "cinder: { enabled: true }  # <-- HA702" }) },
  find: (ctx) =>
    ctx.plan.cinder.enabled && ctx.plan.cinder.backend === "none"
      ? [
          {
            path: cinderAt(ctx, "enabled"),
            message:
              "Cinder is enabled with no backend; kolla's precheck fails ('Please enable at least one backend when enabling Cinder')",
          },
        ]
      : [],
});

const cinderNoEffect = defineRule({
  code: "HA703",
  severity: "warning",
  family: "kolla",
  title: "Cinder setting that has no effect",
  rationale:
    "A backend with Cinder disabled, or a volume group without the LVM backend, renders nothing: the file says volumes exist, the cloud has none. Usually `enabled: false` was left over or the backend is mistyped.",
  sources: [
    "kolla-facts.md §2; kolla-ansible group_vars/all/cinder.yml: enable_cinder false, enable_cinder_backend_lvm false, cinder_volume_group used by the LVM backend only",
  ],
  hint: "Enable Cinder, or drop the settings it ignores.",
  example: { topology: demo({ tail: "cinder: { backend: lvm, enabled: false }  # <-- HA703" }) },
  find: (ctx) => {
    const c = ctx.topology.cinder;
    if (!c) return [];
    const hits: Hit[] = [];
    if (c.enabled === false && c.backend !== "none") {
      hits.push({
        path: ["cinder", "enabled"],
        message: `Cinder is disabled, so backend ${c.backend} has no effect`,
      });
    } else if (c.volume_group !== undefined && c.backend !== "lvm") {
      hits.push({
        path: ["cinder", "volume_group"],
        message: `volume_group is used only by the LVM backend, not ${c.backend}`,
      });
    }
    return hits;
  },
});

const lvmWithoutStorage = defineRule({
  code: "HA704",
  severity: "error",
  family: "kolla",
  title: "LVM backend without storage hosts",
  rationale:
    "kolla runs the LVM cinder-volume (and tgtd) on `cinder-volume-lvm`, a child of `storage`. With no storage host the volume service runs nowhere and every volume request fails.",
  sources: [
    "kolla-facts.md §1: cinder-volume-lvm<storage, tgtd<storage; roles/cinder/defaults cinder-volume group",
  ],
  hint: "Give a host the `storage` role (with the volume group on it).",
  example: { topology: demo({ tail: "cinder: { backend: lvm }  # <-- HA704" }) },
  find: (ctx) => {
    const c = ctx.plan.cinder;
    if (!c.enabled || c.backend !== "lvm" || c.volumeHosts.length > 0) return [];
    return [
      {
        path: cinderAt(ctx, "backend"),
        message: "the LVM backend runs cinder-volume on storage hosts, and there are none",
      },
    ];
  },
});

const idleStorage = defineRule({
  code: "HA705",
  severity: "warning",
  family: "kolla",
  title: "storage host with nothing to run",
  rationale:
    "In hacloud's topology the `storage` role serves cinder-volume. With Cinder off, or on kolla master with Ceph or NFS (cinder-volume then runs on the controllers), a storage host gets only the common containers: a machine that does nothing for the cloud, often a sign that the backend was meant to be LVM.",
  sources: [
    "kolla-ansible roles/cinder/defaults/main.yml: cinder-volume group is cinder-volume-lvm only with enable_cinder_backend_lvm",
  ],
  hint: "Set `cinder.backend: lvm`, or drop the storage role.",
  example: {
    topology: demo({
      hosts: { stor1: "{ roles: [storage], addresses: { management: 10.0.0.51 } }  # <-- HA705" },
    }),
  },
  find: (ctx) => {
    const c = ctx.plan.cinder;
    // Where cinder-volume runs depends on the release's group tree (master: the
    // controllers for Ceph/NFS; 2024.1 and 2025.1: the storage hosts), so ask the Plan.
    const idle = (ctx.plan.groups.storage ?? []).filter((h) => !c.volumeHosts.includes(h));
    const why = c.enabled
      ? `the ${c.backend} backend runs cinder-volume on ${c.volumeHosts.join(", ") || "no host"} on kolla ${ctx.plan.release}`
      : "Cinder is not enabled";
    return idle.map((h) => ({ path: rolesPath(h), message: `${h} has the storage role, but ${why}` }));
  },
});

const cephNoCoordination = defineRule({
  code: "HA706",
  severity: "error",
  family: "kolla",
  title: "Ceph-backed Cinder on several hosts without a coordination backend",
  rationale:
    "Active/active cinder-volume needs a distributed lock manager. kolla's cinder precheck stops with 'Please enable valkey or etcd when using Cinder Ceph backend' when cinder-volume runs on more than one host without one.",
  sources: [
    "kolla-ansible ansible/roles/cinder/tasks/precheck.yml 'Checking for coordination backend if Ceph backend is enabled'; group_vars/all/cinder.yml cinder_coordination_backend from enable_valkey/enable_etcd",
  ],
  hint: "Set `masakari.coordination: etcd` (or valkey): hacloud enables that backend on the controllers and Cinder uses it too.",
  // On 2024.1/2025.1 cinder-volume runs on the storage hosts; two of them make it active/active.
  example: {
    topology: demo({
      hosts: {
        st1: "{ roles: [storage], addresses: { management: 10.0.0.51 } }",
        st2: "{ roles: [storage], addresses: { management: 10.0.0.52 } }",
      },
      tail: "cinder: { backend: ceph }  # <-- HA706",
    }),
  },
  find: (ctx) => {
    const c = ctx.plan.cinder;
    if (
      !c.enabled ||
      c.backend !== "ceph" ||
      c.volumeHosts.length < 2 ||
      ctx.plan.masakari.coordination !== "none"
    )
      return [];
    return [
      {
        path: cinderAt(ctx, "backend"),
        message: `Ceph-backed cinder-volume runs on ${c.volumeHosts.length} hosts without etcd or valkey; kolla's precheck fails`,
      },
    ];
  },
});

const insecureWithoutRegistry = defineRule({
  code: "HA707",
  severity: "warning",
  family: "kolla",
  title: "registry_insecure without a registry",
  rationale:
    "docker_registry_insecure only applies to docker_registry; without a registry the images come from the public one over TLS and the setting does nothing — usually the registry line was lost.",
  sources: ["kolla-ansible doc/source/user/multinode.rst: docker_registry and docker_registry_insecure"],
  hint: "Set kolla.registry (host:port), or drop registry_insecure.",
  example: {
    topology: demo({ top: { kolla: '{ release: "2025.1", registry_insecure: true }  # <-- HA707' } }),
  },
  find: (ctx) =>
    ctx.topology.kolla.registry_insecure !== undefined && ctx.topology.kolla.registry === undefined
      ? [
          {
            path: ["kolla", "registry_insecure"],
            message: "registry_insecure has no effect without kolla.registry",
          },
        ]
      : [],
});

const centosOnMaster = defineRule({
  code: "HA708",
  severity: "error",
  family: "kolla",
  title: "base_distro centos on kolla master",
  rationale:
    "kolla-ansible master builds and deploys Debian, Rocky and Ubuntu images only ('Valid options are ['debian', 'rocky', 'ubuntu']'; CentOS Stream 10 support dropped); there are no centos images to pull.",
  sources: [
    "kolla-ansible etc/kolla/globals.yml (master) kolla_base_distro; releasenotes/notes/drop-centos-10-17dfba542cd80b49.yaml",
  ],
  hint: "Use rocky (the closest) or ubuntu/debian.",
  example: { topology: demo({ top: { kolla: "{ release: master, base_distro: centos }  # <-- HA708" } }) },
  find: (ctx) =>
    ctx.plan.release === "master" && ctx.plan.baseDistro === "centos"
      ? [{ path: ["kolla", "base_distro"], message: "kolla master has no centos images" }]
      : [],
});

const derivedOverride = defineRule({
  code: "HA709",
  severity: "error",
  family: "kolla",
  title: "extra_globals sets a variable hacloud derives from the topology",
  rationale:
    "hacloud writes globals.yml from the topology and every check, the Plan and the lab use those values. Setting the same variable again in extra_globals deploys a different value from the one checked — e.g. another keepalived_virtual_router_id than the one verified unique, or enable_haproxy: no under a design that relies on the VIP.",
  sources: ["hacloud: src/rules/kolla-derived.ts (the variables rendered from the topology)"],
  hint: "Set it through the topology key the message names, and remove it from extra_globals. A network's interface variable (tunnel_interface, kolla_external_vip_interface) is derived only when the topology declares that network; without it (an imported cloud) extra_globals keeps it.",
  example: {
    topology: demo({
      top: {
        kolla: '{ release: "2025.1", extra_globals: { keepalived_virtual_router_id: 52 } }  # <-- HA709',
      },
    }),
  },
  find: (ctx) =>
    Object.keys(ctx.topology.kolla.extra_globals ?? {})
      .filter((k) => isDerivedGlobal(k, ctx.topology))
      .map((k) => ({
        path: ["kolla", "extra_globals", k],
        at: "key" as const,
        message: `extra_globals sets ${k}, which hacloud derives from ${DERIVED_GLOBALS[k]!}`,
      })),
});

const registryOnVip = defineRule({
  code: "HA710",
  severity: "error",
  family: "kolla",
  title: "registry on a VIP",
  rationale:
    "The VIP belongs to whichever load balancer is master and only HAProxy's frontends listen on it; a registry is not one of them. Image pulls then fail — and they happen exactly when recovering (redeploying a failed host, reconfigure, upgrade).",
  sources: [
    "kolla-facts.md §3: HAProxy frontends bind the VIP per enabled service; kolla-ansible doc/source/user/multinode.rst 'Deploy a registry'",
  ],
  hint: "Point kolla.registry at the host that runs the registry (port 4000 by kolla's convention).",
  example: {
    topology: demo({ top: { kolla: '{ release: "2025.1", registry: "10.0.0.10:4000" }  # <-- HA710' } }),
  },
  find: (ctx) => registryIsVip(ctx),
});

const registryPortClash = defineRule({
  code: "HA711",
  severity: "error",
  family: "kolla",
  title: "registry port taken by a kolla service on the same host",
  rationale:
    "kolla services bind their ports on each host's api_interface address. A registry on a controller at port 5000 — Docker's default — collides with Keystone ('Here we are using port 4000 to avoid a conflict with Keystone'); likewise 80 (Horizon), 3306 (MariaDB), 5672 (RabbitMQ) and the other API ports.",
  sources: [
    "kolla-ansible doc/source/user/multinode.rst: 'Here we are using port 4000 to avoid a conflict with Keystone'",
    "kolla-facts.md §2/§4: service ports checked free by the prechecks",
  ],
  hint: "Run the registry on port 4000 (kolla's convention) or on a host outside the cloud.",
  example: {
    topology: demo({ top: { kolla: '{ release: "2025.1", registry: "10.0.0.21:5000" }  # <-- HA711' } }),
  },
  find: (ctx) => registryClash(ctx),
});

const duplicateRole = defineRule({
  code: "HA712",
  severity: "warning",
  family: "kolla",
  title: "role listed twice",
  rationale:
    "A role written twice in one host's list is harmless to kolla but almost always a copy-paste slip where another role was meant (compute twice instead of compute and storage).",
  sources: ["hacloud topology format: hosts.<name>.roles"],
  hint: "Remove the duplicate, or write the role that was meant.",
  example: {
    topology: demo({
      hosts: { cmp2: "{ roles: [compute, compute], addresses: { management: 10.0.0.42 } }  # <-- HA712" },
    }),
  },
  find: ({ topology: t }) => {
    const hits: Hit[] = [];
    for (const [host, h] of Object.entries(t.hosts)) {
      const seen = new Set<string>();
      h.roles.forEach((r, i) => {
        if (seen.has(r))
          hits.push({ path: ["hosts", host, "roles", i], message: `${host} lists the role ${r} twice` });
        seen.add(r);
      });
    }
    return hits;
  },
});

/** kolla-ansible rules. */
export const KOLLA_RULES: readonly Rule[] = [
  noProxysqlOnMaster,
  unmaintainedRelease,
  cinderWithoutBackend,
  cinderNoEffect,
  lvmWithoutStorage,
  idleStorage,
  cephNoCoordination,
  insecureWithoutRegistry,
  centosOnMaster,
  derivedOverride,
  registryOnVip,
  registryPortClash,
  duplicateRole,
];
