/**
 * Where the import tests find the book's and kolla's real files (shared/reference
 * beside the repository, as on developer machines and in CI), and ansible-inventory.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

/** shared/reference beside the repository. */
export const REFERENCE_DIR = resolve(import.meta.dirname, "../../../shared/reference");

/** The real inventories and globals the importer must handle. */
export const REFERENCE = {
  ch03Inventory: resolve(REFERENCE_DIR, "book/Chapter03/multi_packtpub_prod"),
  ch03Globals: resolve(REFERENCE_DIR, "book/Chapter03/globals.yml"),
  ch07Inventory: resolve(REFERENCE_DIR, "book/Chapter07/multi_packtpub_prod"),
  ch07Globals: resolve(REFERENCE_DIR, "book/Chapter07/globals.yml"),
  kollaMultinode: resolve(REFERENCE_DIR, "kolla/multinode"),
  kollaAllInOne: resolve(REFERENCE_DIR, "kolla/all-in-one"),
} as const;

/** Why the reference files cannot be used here, or undefined when they can. */
export const referenceMissing: string | undefined = Object.values(REFERENCE).every((f) => existsSync(f))
  ? undefined
  : `shared/reference is not beside the repository (looked in ${REFERENCE_DIR})`;

/** The text of a reference file. */
export function readReference(file: string): string {
  return readFileSync(file, "utf8");
}

/** The ansible-inventory binary, when installed. */
export const ANSIBLE_INVENTORY = ["/usr/bin/ansible-inventory", "/usr/local/bin/ansible-inventory"].find(
  (f) => existsSync(f),
);
