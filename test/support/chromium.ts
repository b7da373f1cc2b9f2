/** Headless Debian chromium for browser tests: the flags this machine needs, a fresh profile each time. */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { run } from "../../src/util/run.ts";

/** Where Debian's chromium lives. */
export const CHROMIUM = "/usr/bin/chromium";

/** True when chromium is installed (scripts/test installs it). */
export function haveChromium(): boolean {
  return existsSync(CHROMIUM);
}

/** Runs chromium headless on a URL with extra flags (--dump-dom, --screenshot=…); returns stdout. */
export async function chromium(url: string, extra: readonly string[]): Promise<string> {
  const profile = mkdtempSync(`${tmpdir()}/hacloud-chromium-`);
  try {
    const r = await run(
      CHROMIUM,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--user-data-dir=${profile}`,
        ...extra,
        url,
      ],
      { timeoutMs: 90_000 },
    );
    return r.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
