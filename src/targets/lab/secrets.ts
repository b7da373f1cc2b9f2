/**
 * The lab's secrets: random, generated once per lab, kept in the state
 * directory with mode 0600 and never printed or logged.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";

/** Path of the secrets file of a lab. */
export function secretsPath(stateDir: string): string {
  return `${stateDir}/secrets.json`;
}

/** Reads the lab's secrets (empty when none yet). */
export function readSecrets(stateDir: string): Record<string, string> {
  const p = secretsPath(stateDir);
  return existsSync(p) ? (JSON.parse(readFileSync(p, "utf8")) as Record<string, string>) : {};
}

/** Makes sure every named secret exists, generating missing ones; returns them all. */
export function ensureSecrets(stateDir: string, names: readonly string[]): Record<string, string> {
  const secrets = readSecrets(stateDir);
  let changed = false;
  for (const n of names) {
    if (secrets[n] === undefined) {
      // url-safe and free of quotes, so it fits any config file or URL unescaped
      secrets[n] = randomBytes(18).toString("base64url");
      changed = true;
    }
  }
  if (changed || !existsSync(secretsPath(stateDir))) {
    writeFileSync(secretsPath(stateDir), JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
    chmodSync(secretsPath(stateDir), 0o600);
  }
  return secrets;
}
