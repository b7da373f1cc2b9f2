/**
 * Host patterns of an INI inventory: `name`, `name:port`, `[v6addr]:port`, and
 * ranges such as `control[01:03]`, `node-[a:c]` or `web[1:10:2]`, expanded the
 * way Ansible does (zero-padded when the start has a leading zero).
 */

/** Ranges may not expand into more hosts than this: no real inventory has as many. */
export const MAX_EXPANDED_HOSTS = 100_000;

/** The expansion of one host pattern, or why it has none. */
export type HostPatternResult =
  | { readonly ok: true; readonly hosts: string[]; readonly port: number | undefined }
  | { readonly ok: false; readonly message: string };

const RANGE = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const LABEL = String.raw`(?:[\p{L}\p{N}_]|${RANGE})(?:[\p{L}\p{N}_-]|${RANGE})*(?<![_-])`;
const HOSTNAME = new RegExp(String.raw`^${LABEL}(?:\.${LABEL})*$`, "iu");
const V4_PART = String.raw`(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|\[[0-9]+:[0-9]+(?::[0-9]+)?\])`;
const IPV4 = new RegExp(String.raw`^(?:${V4_PART}\.){3}${V4_PART}$`, "i");
// IPv6 is accepted loosely: hex groups, colons, ranges and an optional dotted tail.
const IPV6 = /^(?=.*:.*:)[0-9a-f:.[\]]+$/i;
const BRACKETED_PORT = /^\[(.+)\]:([0-9]+)$/;
const HOST_PORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;

/** Splits `host:port` like Ansible's parse_address; an unparsable pattern is kept whole, without a port. */
export function splitPort(pattern: string): { host: string; port: number | undefined } {
  let host = pattern;
  let port: number | undefined;
  for (const re of [BRACKETED_PORT, HOST_PORT]) {
    const m = re.exec(host);
    if (m) {
      host = m[1]!;
      port = Number(m[2]);
    }
  }
  if (IPV4.test(host) || IPV6.test(host) || HOSTNAME.test(host)) return { host, port };
  return { host: pattern, port: undefined };
}

/** Expands a host pattern into host names and an optional port. */
export function expandHostPattern(pattern: string): HostPatternResult {
  const { host, port } = splitPort(pattern);
  if (pattern.trim().endsWith(":") && port === undefined) {
    return {
      ok: false,
      message: `invalid host pattern \`${pattern}\`: a trailing \`:\` is reserved for a port number`,
    };
  }
  if (!host.includes("[")) return { ok: true, hosts: [host], port };
  const hosts: string[] = [];
  // Expand one bracket at a time, depth first, as Ansible's recursive expansion does.
  const stack: string[] = [host];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (!item.includes("[")) {
      hosts.push(item);
      if (hosts.length > MAX_EXPANDED_HOSTS) {
        return {
          ok: false,
          message: `host range \`${pattern}\` expands to more than ${MAX_EXPANDED_HOSTS} hosts`,
        };
      }
      continue;
    }
    const step = expandFirstRange(item);
    if (!step.ok) return { ok: false, message: `host range \`${pattern}\`: ${step.message}` };
    if (step.names.length + stack.length > MAX_EXPANDED_HOSTS) {
      return {
        ok: false,
        message: `host range \`${pattern}\` expands to more than ${MAX_EXPANDED_HOSTS} hosts`,
      };
    }
    for (let i = step.names.length - 1; i >= 0; i--) stack.push(step.names[i]!);
  }
  return { ok: true, hosts, port };
}

const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

function expandFirstRange(line: string): { ok: true; names: string[] } | { ok: false; message: string } {
  const open = line.indexOf("[");
  const close = line.indexOf("]", open + 1);
  // Ansible replaces the first `[` and the first `]` with `|` and splits into exactly three parts.
  const firstClose = line.indexOf("]");
  if (close < 0 || firstClose < open || line.includes("|")) {
    return { ok: false, message: "a range is written [begin:end] or [begin:end:step]" };
  }
  const head = line.slice(0, open);
  const tail = line.slice(close + 1);
  const bounds = line.slice(open + 1, close).split(":");
  if (bounds.length !== 2 && bounds.length !== 3) {
    return { ok: false, message: "a range is written [begin:end] or [begin:end:step]" };
  }
  const beg = bounds[0] || "0";
  const end = bounds[1]!;
  const stepText = bounds[2] ?? "1";
  if (!end) return { ok: false, message: "the range has no end value" };
  if (!/^\s*[+-]?\d+\s*$/.test(stepText))
    return { ok: false, message: `the step \`${stepText}\` is not a number` };
  const step = Number(stepText);
  if (step === 0) return { ok: false, message: "the step must not be 0" };
  let width = 0;
  if (beg[0] === "0" && beg.length > 1) {
    if (beg.length !== end.length) {
      return { ok: false, message: "zero-padded ranges need begin and end of the same width (e.g. [01:10])" };
    }
    width = beg.length;
  }
  const fill = (x: string) => (width ? x.padStart(width, "0") : x);
  const names: string[] = [];
  const ib = LETTERS.indexOf(beg);
  const ie = LETTERS.indexOf(end);
  if (ib >= 0 && ie >= 0) {
    if (ib > ie) return { ok: false, message: "the range must have begin <= end" };
    if (step < 0) return { ok: true, names };
    for (let i = ib; i <= ie; i += step) names.push(head + fill(LETTERS[i]!) + tail);
    return { ok: true, names };
  }
  if (!/^\s*[+-]?\d+\s*$/.test(beg) || !/^\s*[+-]?\d+\s*$/.test(end)) {
    return { ok: false, message: `\`${beg}:${end}\` is neither a numeric nor a single-letter range` };
  }
  const b = Number(beg);
  const e = Number(end);
  // Python's range(b, e + 1, step): possibly empty, possibly descending.
  const count = Math.max(0, step > 0 ? Math.ceil((e + 1 - b) / step) : Math.ceil((b - e - 1) / -step));
  if (count > MAX_EXPANDED_HOSTS) {
    return { ok: false, message: `the range expands to more than ${MAX_EXPANDED_HOSTS} hosts` };
  }
  if (step > 0) for (let i = b; i <= e; i += step) names.push(head + fill(String(i)) + tail);
  else for (let i = b; i > e + 1; i += step) names.push(head + fill(String(i)) + tail);
  return { ok: true, names };
}
