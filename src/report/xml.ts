/** XML escaping, shared by the JUnit writer and the HTML and SVG reports. Pure. */

/** Escapes text for XML attributes and content. */
export function xmlEscape(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}
