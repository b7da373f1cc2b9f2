/** hacloud's version, read once from package.json (the one place it is written). */
import { readFileSync } from "node:fs";

/** The `version` of package.json. */
export const VERSION = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;
