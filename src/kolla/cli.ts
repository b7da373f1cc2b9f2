/**
 * kolla-ansible's command line per release: the cliff CLI (2025.1, master)
 * takes the subcommand first (`kolla-ansible deploy -i INV`); the 2024.1 bash
 * script parsed options with getopt and its docs put them first
 * (`kolla-ansible -i INV deploy`), and spelled some subcommands with
 * underscores (`mariadb_recovery`).
 */
import type { Release } from "../spec/schema.ts";
import { kollaRelease } from "./releases.ts";

/** The subcommands hacloud runs, in hacloud's spelling (the cliff one). */
export type KollaCommand =
  "bootstrap-servers" | "prechecks" | "pull" | "deploy" | "post-deploy" | "reconfigure" | "mariadb-recovery";

/** Where kolla-ansible finds its files. */
export interface KollaInvocation {
  readonly inventory: string;
  readonly configDir: string;
}

/** The subcommand as the release's CLI spells it. */
export function kollaSubcommand(release: Release, command: KollaCommand): string {
  return command === "mariadb-recovery" ? kollaRelease(release).mariadbRecoveryCommand : command;
}

/** argv after `kolla-ansible` for one command. */
export function kollaArgs(release: Release, command: KollaCommand, inv: KollaInvocation): string[] {
  const sub = kollaSubcommand(release, command);
  const opts = ["-i", inv.inventory, "--configdir", inv.configDir];
  return kollaRelease(release).cli === "cliff" ? [sub, ...opts] : [...opts, sub];
}
