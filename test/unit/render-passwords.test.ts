import { createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { passwordKeys } from "../../src/kolla/password-keys.ts";
import { generatePasswords, PASSWORD_LENGTH } from "../../src/render/kolla/genpwd.ts";
import {
  openSshRsaPublicKey,
  parsePasswordsYaml,
  passwordsYaml,
  type SshKeyPair,
} from "../../src/render/kolla/passwords.ts";

// Small RSA keys keep the test fast; the key format is the same as with kolla-genpwd's 4096 bits.
const FAST = { rsaBits: 1024 };

describe("passwords.yml", () => {
  it("has every key of the release's passwords.yml, and the release differences", () => {
    expect(passwordKeys("2025.1")).toHaveLength(120);
    expect(passwordKeys("2025.1")).toContain("valkey_master_password");
    expect(passwordKeys("2024.1")).toContain("redis_master_password");
    expect(passwordKeys("2024.1")).not.toContain("valkey_master_password");
    expect(passwordKeys("master")).not.toContain("redis_master_password");
  });

  it("fills every key the way kolla-genpwd does", async () => {
    const v = await generatePasswords("2025.1", FAST);
    expect(Object.keys(v)).toEqual([...passwordKeys("2025.1")]);
    expect(v.keystone_admin_password).toMatch(new RegExp(`^[A-Za-z0-9]{${PASSWORD_LENGTH}}$`));
    expect(v.keepalived_password).not.toBe(v.keystone_admin_password);
    expect(v.rbd_secret_uuid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(v.osprofiler_secret).toMatch(/^[0-9a-f]{32}$/);
    expect(Buffer.from(v.barbican_crypto_key as string, "base64url")).toHaveLength(32);
    expect(v.barbican_crypto_key).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    expect(v.prometheus_bcrypt_salt).toMatch(/^[A-Za-z0-9./]{22}$/);
    expect(v.docker_registry_password).toBeNull();
  });

  it("writes SSH key pairs whose public half matches the private one", async () => {
    const v = await generatePasswords("2024.1", FAST);
    const pair = v.nova_ssh_key as SshKeyPair;
    expect(pair.private_key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const derived = openSshRsaPublicKey(createPublicKey(pair.private_key!).export({ format: "jwk" }));
    expect(pair.public_key).toBe(derived);
    expect(pair.public_key).toMatch(/^ssh-rsa AAAAB3NzaC1yc2E/);
    expect((v.kolla_ssh_key as SshKeyPair).public_key).not.toBe(pair.public_key);
  });

  it("keeps existing values when merging, regenerates empty ones, and keeps unknown keys", async () => {
    const existing = {
      keystone_admin_password: "0123",
      database_password: "",
      nova_ssh_key: { private_key: "PRIV", public_key: "PUB" },
      retired_password: "old",
    };
    const v = await generatePasswords("2025.1", { ...FAST, existing });
    expect(v.keystone_admin_password).toBe("0123");
    expect(v.database_password).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(v.nova_ssh_key).toEqual({ private_key: "PRIV", public_key: "PUB" });
    expect(v.retired_password).toBe("old");
  });

  it("round-trips through YAML as Ansible reads it (YAML 1.1: no accidental booleans or numbers)", async () => {
    const v = await generatePasswords("2025.1", { ...FAST, existing: { keystone_admin_password: "yes" } });
    v.database_password = "0123";
    const text = passwordsYaml(v, "2025.1");
    const back = parse(text, { version: "1.1" }) as Record<string, unknown>;
    expect(back.keystone_admin_password).toBe("yes");
    expect(back.database_password).toBe("0123");
    expect(back.docker_registry_password).toBeNull();
    expect((back.haproxy_ssh_key as SshKeyPair).private_key).toBe(
      (v.haproxy_ssh_key as SshKeyPair).private_key,
    );
    expect(parsePasswordsYaml(text).database_password).toBe("0123");
  });

  it("never quotes the file in a parse error", () => {
    const secret = "s3cr3tValue";
    let message = "";
    try {
      parsePasswordsYaml(`a: ${secret}\n  b: [${secret}\n`);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^not valid YAML/);
    expect(message).not.toContain(secret);
    expect(() => parsePasswordsYaml("- a\n- b\n")).toThrow(/mapping/);
  });
});
