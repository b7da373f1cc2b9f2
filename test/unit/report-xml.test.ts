import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { junitXml } from "../../src/report/junit.ts";
import { xmlEscape, xmlSafeText } from "../../src/report/xml.ts";

/** Parses XML with Python's expat (a strict XML 1.0 parser), returning its error or "ok". */
function parseXml(xml: string): string {
  return execFileSync(
    "python3",
    [
      "-c",
      "import sys, xml.dom.minidom\ntry:\n xml.dom.minidom.parseString(sys.stdin.buffer.read()); print('ok')\nexcept Exception as e: print(e)",
    ],
    { input: xml },
  )
    .toString()
    .trim();
}

describe("XML text", () => {
  const stderr =
    "\x1b[31merror\x1b[0m: connection reset\x00\x07 at \x1b]0;title\x07step\x0b\x0c\ud800 \ufffe done\u{1F600}";

  it("drops terminal escapes and what XML 1.0 forbids, keeps the rest", () => {
    expect(xmlSafeText(stderr)).toBe("error: connection reset at step  done\u{1F600}");
    expect(xmlSafeText("tab\tnew\nline\r")).toBe("tab\tnew\nline\r");
  });

  it("makes a JUnit file a strict XML parser reads, with stderr in a failure", () => {
    const raw = `<failure message="${stderr}">${stderr}</failure>`;
    // The same text escaped only for markup is what Jenkins refused.
    expect(parseXml(`<?xml version="1.0"?><x>${raw.replace(/</g, "&lt;")}</x>`)).not.toBe("ok");
    const xml = junitXml(
      "suite",
      [{ classname: "c", name: "n", time: 1, failure: stderr, output: stderr }],
      "t",
    );
    expect(parseXml(xml)).toBe("ok");
    expect(xml).toContain("error: connection reset at step");
    expect(xmlEscape("a<b & 'c'")).toBe("a&lt;b &amp; &apos;c&apos;");
  });
});
