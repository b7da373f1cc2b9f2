/**
 * Every password of a release, filled the way kolla-genpwd
 * (kolla_ansible/cmd/genpwd.py) fills them, from node:crypto randomness. The
 * only module of render/ that draws random numbers: the renderers stay pure,
 * and passwords.ts turns these values into passwords.yml.
 */
import {
  createHmac,
  createPublicKey,
  generateKeyPair,
  randomBytes,
  randomInt,
  randomUUID,
} from "node:crypto";
import { passwordKeys } from "../../kolla/password-keys.ts";
import type { Release } from "../../spec/schema.ts";
import { openSshRsaPublicKey, type PasswordValue, type SshKeyPair } from "./passwords.ts";

/** genpwd.py's key classes (identical on master, 2025.1 and 2024.1). */
const UUID_KEYS = new Set([
  "rbd_secret_uuid",
  "cinder_rbd_secret_uuid",
  "gnocchi_project_id",
  "gnocchi_resource_id",
  "gnocchi_user_id",
  "designate_pool_id",
]);
const SSH_KEYS = new Set([
  "kolla_ssh_key",
  "nova_ssh_key",
  "keystone_ssh_key",
  "bifrost_ssh_key",
  "octavia_amp_ssh_key",
  "neutron_ssh_key",
  "haproxy_ssh_key",
]);
const BLANK_KEYS = new Set(["docker_registry_password"]);
const HMAC_MD5_KEYS = new Set(["designate_rndc_key", "osprofiler_secret"]);
const FERNET_KEYS = new Set(["barbican_crypto_key"]);
const BCRYPT_SALT_KEYS = new Set(["prometheus_bcrypt_salt"]);

/** kolla-genpwd's password length and alphabet (string.ascii_letters + string.digits). */
export const PASSWORD_LENGTH = 40;
const ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
/** ansible.utils.encrypt.random_salt's alphabet. */
const SALT_CHARS = ALPHANUMERIC + "./";

/** Options of generatePasswords. */
export interface GenerateOptions {
  /** Values to keep (kolla-mergepwd: existing non-empty values win; unknown keys are kept). */
  readonly existing?: Readonly<Record<string, unknown>>;
  /** RSA key size of the SSH keys (kolla-genpwd: 4096). */
  readonly rsaBits?: number;
}

/** A random string over an alphabet, without modulo bias. */
export function randomString(length: number, alphabet: string): string {
  let s = "";
  for (let i = 0; i < length; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

/** Every password of a release, keeping existing values. */
export async function generatePasswords(
  release: Release,
  o: GenerateOptions = {},
): Promise<Record<string, PasswordValue>> {
  const existing = o.existing ?? {};
  const out: Record<string, PasswordValue> = {};
  const pending: Promise<void>[] = [];
  for (const key of passwordKeys(release)) {
    const old = existing[key];
    if (SSH_KEYS.has(key)) {
      if (isKeyPair(old) && (Boolean(old.private_key) || Boolean(old.public_key))) {
        out[key] = old;
      } else {
        out[key] = null;
        pending.push(
          sshKeyPair(o.rsaBits ?? 4096).then((pair) => {
            out[key] = pair;
          }),
        );
      }
      continue;
    }
    if (typeof old === "string" && old !== "") {
      out[key] = old;
      continue;
    }
    out[key] = freshValue(key);
  }
  await Promise.all(pending);
  // kolla-mergepwd keeps keys the new file does not know (a later release may want them back).
  for (const [key, value] of Object.entries(existing)) {
    if (!(key in out)) out[key] = value as PasswordValue;
  }
  return out;
}

function freshValue(key: string): string | null {
  if (BLANK_KEYS.has(key)) return null;
  if (UUID_KEYS.has(key)) return randomUUID();
  if (HMAC_MD5_KEYS.has(key)) return createHmac("md5", randomUUID()).update("").digest("hex");
  // cryptography's Fernet.generate_key(): 32 random bytes, URL-safe base64 with padding.
  if (FERNET_KEYS.has(key)) return randomBytes(32).toString("base64url") + "=";
  if (BCRYPT_SALT_KEYS.has(key)) return randomString(22, SALT_CHARS);
  return randomString(PASSWORD_LENGTH, ALPHANUMERIC);
}

function isKeyPair(v: unknown): v is SshKeyPair {
  return typeof v === "object" && v !== null && ("private_key" in v || "public_key" in v);
}

/** An RSA key pair: PKCS#8 PEM private key, OpenSSH public key (what kolla-genpwd writes). */
export async function sshKeyPair(bits: number): Promise<SshKeyPair> {
  const { publicKey, privateKey } = await new Promise<{ publicKey: string; privateKey: string }>(
    (resolve, reject) => {
      generateKeyPair(
        "rsa",
        {
          modulusLength: bits,
          publicExponent: 65537,
          publicKeyEncoding: { type: "spki", format: "pem" },
          privateKeyEncoding: { type: "pkcs8", format: "pem" },
        },
        (err, pub, priv) => (err ? reject(err) : resolve({ publicKey: pub, privateKey: priv })),
      );
    },
  );
  return {
    private_key: privateKey,
    public_key: openSshRsaPublicKey(createPublicKey(publicKey).export({ format: "jwk" })),
  };
}
