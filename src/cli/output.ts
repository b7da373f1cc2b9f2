/**
 * One output convention for every command that prints a result: `--format
 * text|json` (and `--json`, its short alias; `check` adds sarif), JSON that
 * always starts with a `schema` naming the document and its version
 * (`hacloud-check/1`) and uses snake_case keys, and on failure a JSON error
 * object on standard output in place of the result.
 */
import { UsageError } from "./io.ts";

/** The formats every result-printing command offers. */
export const FORMATS = ["text", "json"] as const;
export type Format = (typeof FORMATS)[number];

export { snakeKeys } from "../util/snake-keys.ts";

/** The version of every JSON document hacloud prints; a document only ever gains fields within one. */
export const JSON_VERSION = 1;

/** `hacloud-NAME/1`: the schema field of a JSON document. */
export function schemaName(name: string): string {
  return `hacloud-${name}/${JSON_VERSION}`;
}

/** The help of `--format`. */
export function formatHelp(formats: readonly string[] = FORMATS): string {
  return `output format: ${formats.join(", ")}`;
}

/** The help of `--json`. */
export const JSON_HELP = "print JSON (short for --format json)";

/** The format a command's options ask for; a usage error for a format it does not offer. */
export function formatOf(
  opts: { readonly format?: string; readonly json?: boolean },
  formats: readonly string[] = FORMATS,
): string {
  if (opts.json === true) {
    if (opts.format !== undefined && opts.format !== "text" && opts.format !== "json")
      throw new UsageError(`--json and --format ${opts.format} exclude each other`);
    return "json";
  }
  const f = opts.format ?? "text";
  if (!formats.includes(f)) throw new UsageError(`--format must be one of ${formats.join(", ")}, not ${f}`);
  return f;
}

/** A JSON document: `schema` first, then the body, 2-space indented, with a trailing newline. */
export function jsonDocument(name: string, body: object): string {
  return JSON.stringify({ schema: schemaName(name), ...body }, null, 2) + "\n";
}

/**
 * Whether argv asks for JSON, read before the command runs: the error object
 * of a failure must be JSON even when the failure is in parsing the options.
 */
export function argvWantsJson(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") break;
    if (a === "--json" || a === "--format=json") return true;
    if (a === "--format" && argv[i + 1] === "json") return true;
  }
  return false;
}

/** The JSON error object printed on standard output when a JSON command fails. */
export function jsonError(e: {
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
  readonly exitCode: number;
}): string {
  return jsonDocument("error", {
    error: { code: e.code, message: e.message, hint: e.hint ?? null, exit_code: e.exitCode },
  });
}
