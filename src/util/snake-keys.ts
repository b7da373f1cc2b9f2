/** snake_case keys for JSON output: hacloud's JSON uses one key casing (docs/decisions.md). Pure. */

/** `camelCase` → `snake_case` (keys only; names already in snake_case or kebab-case are unchanged). */
export function snakeCase(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/**
 * A value with every object key in snake_case, except below the keys in
 * `verbatim` (data keyed by the operator's own names, such as extra globals).
 */
export function snakeKeys(value: unknown, verbatim: ReadonlySet<string> = new Set()): unknown {
  if (Array.isArray(value)) return value.map((v) => snakeKeys(v, verbatim));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[snakeCase(k)] = verbatim.has(k) ? v : snakeKeys(v, verbatim);
  }
  return out;
}
