/**
 * Naming rules (HA600–HA699): host names and FQDNs that are valid, unique
 * and consistent with the domain (RabbitMQ, corosync and HAProxy name members
 * by host name), names that cannot be confused, and consistent zones.
 */
import { defineRule, lineOf, listing, written, type Hit } from "./define.ts";
import { demo } from "./example.ts";
import { rolesPath } from "./facts.ts";
import { firstNearMisses } from "./near-miss.ts";
import type { Rule, RuleContext } from "./types.ts";

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/** The FQDN of every host, with the path that decides it. */
function fqdns(
  ctx: RuleContext,
): { host: string; fqdn: string; path: (string | number)[]; at: "key" | "value" }[] {
  return Object.entries(ctx.topology.hosts).map(([host, h]) => ({
    host,
    fqdn: (h.fqdn ?? `${host}.${ctx.topology.domain}`).toLowerCase().replace(/\.$/, ""),
    path: h.fqdn !== undefined ? ["hosts", host, "fqdn"] : ["hosts", host],
    at: h.fqdn !== undefined ? ("value" as const) : ("key" as const),
  }));
}

/** Why a name is not a valid DNS name, or undefined. */
function fqdnProblem(name: string): string | undefined {
  const n = name.endsWith(".") ? name.slice(0, -1) : name;
  if (n.length === 0) return "it is empty";
  if (n.length > 253) return "it is longer than 253 characters";
  const bad = n.split(".").find((l) => !LABEL.test(l));
  if (bad !== undefined) return `the label \`${bad}\` is not letters, digits and inner hyphens (at most 63)`;
  return undefined;
}

const duplicateFqdn = defineRule({
  code: "HA600",
  severity: "error",
  family: "naming",
  title: "two hosts with the same FQDN",
  rationale:
    "The FQDN goes into /etc/hosts and the inventory; two hosts under one name make it resolve to one of them, so kolla's RabbitMQ precheck ('Hostname has to resolve uniquely to the IP address of api_interface') fails and SSH reaches the wrong machine.",
  sources: ["kolla-facts.md §4: roles/rabbitmq/tasks/precheck.yml getent check"],
  hint: "Give each host its own FQDN.",
  example: {
    topology: demo({
      hosts: {
        cmp2: "{ roles: [compute], addresses: { management: 10.0.0.42 }, fqdn: cmp1.demo.example }  # <-- HA600",
      },
    }),
    also: ["HA603"],
  },
  find: (ctx) => {
    const seen = new Map<string, { host: string; path: (string | number)[]; at: "key" | "value" }>();
    const hits: Hit[] = [];
    for (const f of fqdns(ctx)) {
      const first = seen.get(f.fqdn);
      if (first) {
        hits.push({
          path: f.path,
          at: f.at,
          message: `${f.host}'s FQDN ${f.fqdn} is also ${first.host}'s (${lineOf(ctx.source, first.path, first.at)})`,
        });
      } else seen.set(f.fqdn, f);
    }
    return hits;
  },
});

const duplicateShortName = defineRule({
  code: "HA601",
  severity: "error",
  family: "naming",
  title: "two hosts with the same short host name",
  rationale:
    "RabbitMQ names its nodes rabbit@<short hostname>, corosync and HAProxy name members by host name, and kolla resolves the short name on every rabbit host. Two FQDNs with the same first label (cc01.a.example, cc01.b.example) collide there even though the FQDNs differ.",
  sources: [
    "kolla-facts.md §4: rabbitmq precheck `getent ahostsv4 <ansible hostname>`; kolla-facts.md §5: corosync nodelist name = ansible_facts.nodename",
  ],
  hint: "Give each host a distinct first label.",
  example: {
    topology: demo({
      hosts: {
        cmp2: "{ roles: [compute], addresses: { management: 10.0.0.42 }, fqdn: cmp1.rack2.demo.example }  # <-- HA601",
      },
    }),
    also: ["HA603"],
  },
  find: (ctx) => {
    const seen = new Map<
      string,
      { host: string; fqdn: string; path: (string | number)[]; at: "key" | "value" }
    >();
    const hits: Hit[] = [];
    for (const f of fqdns(ctx)) {
      const short = f.fqdn.split(".")[0]!;
      const first = seen.get(short);
      if (first && first.fqdn !== f.fqdn) {
        hits.push({
          path: f.path,
          at: f.at,
          message: `${f.host} (${f.fqdn}) and ${first.host} (${first.fqdn}, ${lineOf(ctx.source, first.path, first.at)}) share the short host name ${short}`,
        });
      } else if (!first) seen.set(short, f);
    }
    return hits;
  },
});

const fqdnOutsideDomain = defineRule({
  code: "HA602",
  severity: "warning",
  family: "naming",
  title: "FQDN outside the cloud's domain",
  rationale:
    "hacloud writes /etc/hosts and the inventory from FQDNs and the domain; a host outside the domain resolves differently from its peers (search domains, certificates, the chapter's `<host>.os.packtpub` convention), which is usually a typo in the FQDN.",
  sources: ["hacloud topology format: `fqdn` defaults to <name>.<domain>"],
  hint: "End the FQDN with the cloud's domain, or remove it to use <name>.<domain>.",
  example: {
    topology: demo({
      hosts: {
        cmp2: "{ roles: [compute], addresses: { management: 10.0.0.42 }, fqdn: cmp2.demo.exmaple }  # <-- HA602",
      },
    }),
  },
  find: ({ topology: t }) =>
    Object.entries(t.hosts)
      .filter(
        ([, h]) => h.fqdn !== undefined && !h.fqdn.toLowerCase().replace(/\.$/, "").endsWith(`.${t.domain}`),
      )
      .map(([host, h]) => ({
        path: ["hosts", host, "fqdn"],
        message: `${host}'s FQDN ${h.fqdn!} is not under the domain ${t.domain}`,
      })),
});

const fqdnOtherName = defineRule({
  code: "HA603",
  severity: "warning",
  family: "naming",
  title: "FQDN names another host",
  rationale:
    "The host's key is its inventory name; kolla's RabbitMQ and corosync use the machine's own hostname. When the FQDN's first label differs from the key, the two names drift apart (logs, `--limit`, haproxy server names) and the RabbitMQ precheck may resolve the wrong one.",
  sources: [
    "kolla-facts.md §4: rabbitmq precheck resolves the ansible hostname; kolla-facts.md §3: haproxy `server <ansible_facts.hostname>`",
  ],
  hint: "Make the FQDN start with the host's name, or rename the host.",
  example: {
    topology: demo({
      hosts: {
        cmp2: "{ roles: [compute], addresses: { management: 10.0.0.42 }, fqdn: compute2.demo.example }  # <-- HA603",
      },
    }),
  },
  find: ({ topology: t }) =>
    Object.entries(t.hosts)
      .filter(
        ([host, h]) => h.fqdn !== undefined && h.fqdn.split(".")[0]!.toLowerCase() !== host.toLowerCase(),
      )
      .map(([host, h]) => ({
        path: ["hosts", host, "fqdn"],
        message: `${host}'s FQDN ${h.fqdn!} starts with ${h.fqdn!.split(".")[0]!}, not ${host}`,
      })),
});

const nearMissNames = defineRule({
  code: "HA604",
  severity: "warning",
  family: "naming",
  title: "host names one typo apart",
  rationale:
    "Names one keystroke apart (hap1 and hpa1) are how commands reach the wrong machine — the chapter this tool follows writes its load balancers both ways. Numbered series (hap1, hap2) are fine; a letter swap or slip is not.",
  sources: ["shared/seed/chapter07-README.md: `hpa1.os.packtpub` in the address table, hap1 elsewhere"],
  hint: "Rename one of the two hosts so that they differ by more than a typo.",
  example: {
    topology: demo({
      hosts: {
        lb2: null,
        bl1: "{ roles: [loadbalancer], addresses: { management: 10.0.0.12 } }  # <-- HA604",
      },
    }),
  },
  find: (ctx) => {
    const names = Object.keys(ctx.topology.hosts);
    const hits: Hit[] = [];
    const firsts = firstNearMisses(names);
    for (let j = 1; j < names.length; j++) {
      const other = firsts[j] === -1 ? undefined : names[firsts[j]!];
      if (other !== undefined) {
        hits.push({
          path: ["hosts", names[j]!],
          at: "key",
          message: `${names[j]!} is one typo away from ${other} (${lineOf(ctx.source, ["hosts", other])})`,
        });
      }
    }
    return hits;
  },
});

const badHostName = defineRule({
  code: "HA605",
  severity: "error",
  family: "naming",
  title: "host name is not a valid hostname",
  rationale:
    "The host's key becomes its inventory name and the first label of its FQDN. A hostname is letters, digits and inner hyphens, at most 63 characters (RFC 1123): underscores, dots or spaces break /etc/hosts, RabbitMQ node names and certificates. A dotted key usually means the FQDN was used as the name.",
  sources: ["RFC 1123 §2.1; RFC 952"],
  hint: "Use the short name as the key (e.g. cc01) and put the full name in `fqdn:`.",
  example: {
    topology: demo({
      hosts: { cmp_3: "{ roles: [compute], addresses: { management: 10.0.0.43 } }  # <-- HA605" },
    }),
  },
  find: ({ topology: t }) =>
    Object.keys(t.hosts)
      .filter((host) => !LABEL.test(host))
      .map((host) => ({
        path: ["hosts", host],
        at: "key" as const,
        message: host.includes(".")
          ? `host name ${host} contains dots: it would become ${host}.${t.domain}`
          : `host name ${host} is not a valid hostname (letters, digits and inner hyphens, at most 63)`,
      })),
});

const upperCaseName = defineRule({
  code: "HA606",
  severity: "warning",
  family: "naming",
  title: "host name with upper-case letters",
  rationale:
    "DNS is case-insensitive but Ansible inventory names, RabbitMQ node names (rabbit@Host) and pacemaker node names are not: a host called CC01 whose machine reports cc01 appears as two different names.",
  sources: [
    "RFC 4343 (DNS case insensitivity); kolla-facts.md §5: corosync nodelist name = ansible_facts.nodename",
  ],
  hint: "Use lower case.",
  example: {
    topology: demo({
      hosts: { Cmp3: "{ roles: [compute], addresses: { management: 10.0.0.43 } }  # <-- HA606" },
    }),
  },
  find: ({ topology: t }) =>
    Object.keys(t.hosts)
      .filter((host) => LABEL.test(host) && host !== host.toLowerCase())
      .map((host) => ({
        path: ["hosts", host],
        at: "key" as const,
        message: `host name ${host} has upper-case letters`,
      })),
});

const badFqdn = defineRule({
  code: "HA607",
  severity: "error",
  family: "naming",
  title: "invalid FQDN",
  rationale:
    "FQDNs go into /etc/hosts, kolla_internal_fqdn/kolla_external_fqdn and the service endpoints; a name DNS cannot carry breaks every endpoint URL built from it.",
  sources: ["RFC 1123 §2.1; kolla-facts.md §2: kolla_internal_fqdn / kolla_external_fqdn"],
  hint: "Use letters, digits, inner hyphens and dots.",
  example: {
    topology: demo({
      vip: "{ internal: 10.0.0.10, router_id: 51, internal_fqdn: api_internal.demo.example }  # <-- HA607",
    }),
  },
  find: ({ topology: t }) => {
    const names: { path: (string | number)[]; name: string }[] = [];
    for (const [host, h] of Object.entries(t.hosts))
      if (h.fqdn !== undefined) names.push({ path: ["hosts", host, "fqdn"], name: h.fqdn });
    if (t.vip.internal_fqdn !== undefined)
      names.push({ path: ["vip", "internal_fqdn"], name: t.vip.internal_fqdn });
    if (t.vip.external_fqdn !== undefined)
      names.push({ path: ["vip", "external_fqdn"], name: t.vip.external_fqdn });
    const hits: Hit[] = [];
    for (const n of names) {
      const problem = fqdnProblem(n.name);
      if (problem) hits.push({ path: n.path, message: `${n.name} is not a valid DNS name: ${problem}` });
    }
    return hits;
  },
});

const vipFqdnIsHost = defineRule({
  code: "HA608",
  severity: "error",
  family: "naming",
  title: "VIP FQDN is a host's FQDN",
  rationale:
    "kolla builds every endpoint URL from kolla_internal_fqdn / kolla_external_fqdn. If that name is a host's, DNS sends all API traffic to that host instead of the VIP, bypassing HAProxy and keepalived: one host becomes the single point of failure for the whole API.",
  sources: [
    "kolla-facts.md §2: `kolla_internal_fqdn: {{ kolla_internal_vip_address }}`; endpoints use the FQDN",
  ],
  hint: "Give the VIP its own name (e.g. api.<domain>) resolving to the VIP address.",
  example: {
    topology: demo({
      vip: "{ internal: 10.0.0.10, router_id: 51, internal_fqdn: lb1.demo.example }  # <-- HA608",
    }),
  },
  find: (ctx) => {
    const hostNames = fqdns(ctx);
    const hits: Hit[] = [];
    for (const key of ["internal_fqdn", "external_fqdn"] as const) {
      const name = ctx.topology.vip[key];
      const owner =
        name === undefined
          ? undefined
          : hostNames.find((f) => f.fqdn === name.toLowerCase().replace(/\.$/, ""));
      if (owner)
        hits.push({
          path: ["vip", key],
          message: `vip.${key} ${name!} is the FQDN of host ${owner.host}: API traffic would bypass the VIP`,
        });
    }
    return hits;
  },
});

const nearMissZones = defineRule({
  code: "HA609",
  severity: "warning",
  family: "naming",
  title: "zone names one typo apart",
  rationale:
    "Zones are failure domains; `rack1` and `rakc1` are two zones to hacloud, so a typo silently spreads a quorum over an extra zone that does not exist and hides a real concentration of members.",
  sources: ["hacloud topology format: hosts.<name>.zone is a failure domain for the SLA model"],
  hint: "Spell the zone like the others.",
  example: {
    topology: demo({
      hosts: {
        ctl1: "{ roles: [control], addresses: { management: 10.0.0.21 }, zone: rack1 }",
        ctl2: "{ roles: [control], addresses: { management: 10.0.0.22 }, zone: rack2 }",
        ctl3: "{ roles: [control], addresses: { management: 10.0.0.23 }, zone: rakc1 }  # <-- HA609",
      },
    }),
  },
  find: ({ topology: t }) => {
    const firstHost = new Map<string, string>();
    for (const [host, h] of Object.entries(t.hosts))
      if (h.zone !== undefined && !firstHost.has(h.zone)) firstHost.set(h.zone, host);
    const zones = [...firstHost.keys()];
    const hits: Hit[] = [];
    const firsts = firstNearMisses(zones);
    for (let j = 1; j < zones.length; j++) {
      const other = firsts[j] === -1 ? undefined : zones[firsts[j]!];
      if (other !== undefined) {
        hits.push({
          path: ["hosts", firstHost.get(zones[j]!)!, "zone"],
          message: `zone ${zones[j]!} is one typo away from zone ${other}`,
        });
      }
    }
    return hits;
  },
});

const partialZones = defineRule({
  code: "HA610",
  severity: "warning",
  family: "naming",
  title: "zones given for some hosts of a role but not others",
  rationale:
    "Zones only say something when every member of a redundant group has one: a controller without a zone cannot be counted in a failure domain, so the quorum and single-point-of-failure checks cannot tell whether a zone failure stops the cluster.",
  sources: ["hacloud topology format: hosts.<name>.zone"],
  hint: "Give every host of the role a zone (or none of them).",
  example: {
    topology: demo({
      hosts: {
        net1: "{ roles: [network], addresses: { management: 10.0.0.31 }, zone: rack1 }",
        net2: "{ roles: [network], addresses: { management: 10.0.0.32 } }  # <-- HA610",
      },
    }),
  },
  find: ({ topology: t, plan }) => {
    const reported = new Set<string>();
    const hits: Hit[] = [];
    for (const role of ["loadbalancer", "control", "network", "compute", "storage"]) {
      const hosts = plan.groups[role] ?? [];
      const zoned = hosts.filter((h) => t.hosts[h]?.zone !== undefined);
      if (zoned.length === 0 || zoned.length === hosts.length) continue;
      for (const h of hosts) {
        if (t.hosts[h]?.zone !== undefined || reported.has(h)) continue;
        reported.add(h);
        hits.push({
          path: rolesPath(h),
          message: `${h} has no zone, while ${listing(zoned)} (${role}) ${zoned.length === 1 ? "has" : "have"} one`,
        });
      }
    }
    return hits;
  },
});

const localDomain = defineRule({
  code: "HA611",
  severity: "warning",
  family: "naming",
  title: "domain under .local",
  rationale:
    ".local is reserved for multicast DNS (RFC 6762): resolvers with nss-mdns send these names to mDNS instead of /etc/hosts or DNS, so host and endpoint names resolve slowly or not at all.",
  sources: ["RFC 6762 §3 (.local is link-local multicast DNS)"],
  hint: "Use a domain you control, or one reserved for private use such as .internal or .home.arpa.",
  example: { topology: demo({ top: { domain: "cloud.local  # <-- HA611" } }) },
  find: (ctx) =>
    ctx.topology.domain === "local" || ctx.topology.domain.endsWith(".local")
      ? [
          {
            path: written(ctx.source, ["domain"]) ? ["domain"] : [],
            message: `the domain ${ctx.topology.domain} is under .local, which resolvers send to multicast DNS`,
          },
        ]
      : [],
});

/** Naming rules. */
export const NAMING_RULES: readonly Rule[] = [
  duplicateFqdn,
  duplicateShortName,
  fqdnOutsideDomain,
  fqdnOtherName,
  nearMissNames,
  badHostName,
  upperCaseName,
  badFqdn,
  vipFqdnIsHost,
  nearMissZones,
  partialZones,
  localDomain,
];
