/**
 * What differs between the kolla-ansible releases hacloud renders for. Each
 * fact names the file it comes from in kolla-ansible (branch per release:
 * master, stable/2025.1, unmaintained/2024.1), so a renderer never guesses.
 */
import type { Release } from "../spec/schema.ts";

/** Per-release facts the renderers need. */
export interface KollaRelease {
  readonly release: Release;
  /** The kolla-ansible git branch the facts were read from. */
  readonly branch: string;
  /**
   * How the release's own etc/kolla/globals.yml spells booleans: master uses
   * YAML booleans, 2025.1 and 2024.1 the strings "yes"/"no". Both pass `| bool`.
   */
  readonly booleanStyle: "yaml" | "yes-no";
  /** group_vars/all.yml `enable_proxysql` default. */
  readonly proxysqlDefault: boolean;
  /**
   * The variable that enables the Redis-protocol coordination backend
   * masakari can use (group_vars `masakari_coordination_backend`).
   */
  readonly keyValueStoreVar: "enable_valkey" | "enable_redis";
  /**
   * MariaDB through HAProxy checks the clustercheck container on this port
   * (roles/mariadb/defaults `internal_haproxy_members`); master dropped the
   * HAProxy path for MariaDB altogether.
   */
  readonly mariadbClustercheckPort?: number;
  /** Command-line flavour: cliff (`kolla-ansible deploy -i INV`) or the bash script (`kolla-ansible -i INV deploy`). */
  readonly cli: "cliff" | "bash";
  /** The Galera recovery subcommand: `mariadb-recovery`, or `mariadb_recovery` in the 2024.1 bash CLI. */
  readonly mariadbRecoveryCommand: string;
}

const RELEASES: Readonly<Record<Release, KollaRelease>> = {
  master: {
    release: "master",
    branch: "master",
    booleanStyle: "yaml",
    proxysqlDefault: true,
    keyValueStoreVar: "enable_valkey",
    cli: "cliff",
    mariadbRecoveryCommand: "mariadb-recovery",
  },
  "2025.1": {
    release: "2025.1",
    branch: "stable/2025.1",
    booleanStyle: "yes-no",
    proxysqlDefault: true,
    keyValueStoreVar: "enable_valkey",
    mariadbClustercheckPort: 4569,
    cli: "cliff",
    mariadbRecoveryCommand: "mariadb-recovery",
  },
  "2024.1": {
    release: "2024.1",
    branch: "unmaintained/2024.1",
    booleanStyle: "yes-no",
    proxysqlDefault: false,
    keyValueStoreVar: "enable_redis",
    mariadbClustercheckPort: 4569,
    cli: "bash",
    mariadbRecoveryCommand: "mariadb_recovery",
  },
};

/** The facts of one release. */
export function kollaRelease(release: Release): KollaRelease {
  return RELEASES[release];
}

/** A boolean as the release's globals.yml writes it. */
export function kollaBool(r: KollaRelease, value: boolean): boolean | string {
  if (r.booleanStyle === "yaml") return value;
  return value ? "yes" : "no";
}
