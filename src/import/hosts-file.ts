/**
 * An /etc/hosts-style file (`10.0.0.20 hap1.os.packtpub hap1`): the one place
 * an operator already keeps the addresses that a kolla inventory leaves out.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { parseIpv4 } from "../net/ipv4.ts";
import { IMPORT_CODES as C, importDiagnostic } from "./codes.ts";

/** One name of a hosts file and the address it maps to. */
export interface HostsEntry {
  readonly address: string;
  /** The name as written. */
  readonly name: string;
  /** The first name on the line (the canonical name, usually the FQDN). */
  readonly canonical: string;
  readonly line: number;
  readonly column: number;
}

/** A parsed hosts file: lower-cased name -> first entry for it (as the resolver takes the first). */
export interface HostsFile {
  readonly file: string;
  readonly byName: ReadonlyMap<string, HostsEntry>;
  readonly diagnostics: Diagnostic[];
}

/** True for a dotted-quad IPv4 address, with no space around it. */
export function isIpv4(s: string): boolean {
  return s === s.trim() && parseIpv4(s) !== undefined;
}

/** Reads hosts-file text; IPv6 lines are skipped (the topology is IPv4), bad lines reported. */
export function parseHostsFile(file: string, text: string): HostsFile {
  const byName = new Map<string, HostsEntry>();
  const diagnostics: Diagnostic[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const hash = raw.indexOf("#");
    const content = (hash >= 0 ? raw.slice(0, hash) : raw).replace(/\r$/, "");
    const words = [...content.matchAll(/\S+/g)];
    if (words.length === 0) continue;
    const address = words[0]![0];
    if (address.includes(":")) continue;
    if (!isIpv4(address) || words.length < 2) {
      diagnostics.push(
        importDiagnostic(
          C.hostsFileSyntax,
          "warning",
          !isIpv4(address)
            ? `\`${address.slice(0, 40)}\` is not an IPv4 address; the line is skipped`
            : `the line gives the address ${address} but no name; it is skipped`,
          file,
          { line: i + 1, column: (words[0]!.index ?? 0) + 1 },
          "Write `ADDRESS NAME [ALIAS...]`, e.g. `10.0.0.20 hap1.os.packtpub hap1`.",
        ),
      );
      continue;
    }
    const canonical = words[1]![0];
    for (const w of words.slice(1)) {
      const key = w[0].toLowerCase();
      if (!byName.has(key)) {
        byName.set(key, { address, name: w[0], canonical, line: i + 1, column: (w.index ?? 0) + 1 });
      }
    }
  }
  return { file, byName, diagnostics };
}
