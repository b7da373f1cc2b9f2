/** XML escaping, shared by the JUnit writer and the HTML and SVG reports. Pure. */

// Terminal escape sequences (colours, cursor moves) as stderr carries them into failure details.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;
// What XML 1.0 does not allow at all, even escaped: C0 controls but tab, newline and carriage
// return, lone surrogates, U+FFFE and U+FFFF. Jenkins refuses a JUnit file that holds one.
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex
  /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text without terminal escape sequences and without the characters XML 1.0 forbids. */
export function xmlSafeText(s: string): string {
  return s.replace(ANSI, "").replace(FORBIDDEN, "");
}

/** Escapes text for XML attributes and content (and drops what XML cannot carry). */
export function xmlEscape(s: string): string {
  return xmlSafeText(s)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}
