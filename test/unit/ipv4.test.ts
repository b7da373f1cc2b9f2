import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canonicalCidr,
  cidrContains,
  cidrsOverlap,
  formatIpv4,
  hasHostBits,
  parseCidr,
  parseIpv4,
  reservedEnd,
  splitHostPort,
} from "../../src/net/ipv4.ts";

describe("IPv4 helpers", () => {
  it("parse and format round-trip every address", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
        expect(parseIpv4(formatIpv4(n))).toBe(n);
      }),
    );
  });

  it("refuse malformed addresses", () => {
    for (const s of ["10.0.0", "10.0.0.256", "010.0.0.1", "a.b.c.d", "1.2.3.4.5", ""])
      expect(parseIpv4(s), s).toBeUndefined();
  });

  it("mask host bits and keep the prefix", () => {
    const c = parseCidr("10.0.0.5/24")!;
    expect(canonicalCidr(c)).toBe("10.0.0.0/24");
    expect(hasHostBits(c)).toBe(true);
    expect(formatIpv4(c.last)).toBe("10.0.0.255");
    expect(canonicalCidr(parseCidr("0.0.0.0/0")!)).toBe("0.0.0.0/0");
    expect(parseCidr("10.0.0.0/33")).toBeUndefined();
  });

  it("tell containment, overlap and the reserved ends", () => {
    const a = parseCidr("10.0.0.0/24")!;
    expect(cidrContains(a, parseIpv4("10.0.0.200")!)).toBe(true);
    expect(cidrContains(a, parseIpv4("10.0.1.0")!)).toBe(false);
    expect(cidrsOverlap(a, parseCidr("10.0.0.128/25")!)).toBe(true);
    expect(cidrsOverlap(a, parseCidr("10.0.1.0/24")!)).toBe(false);
    expect(reservedEnd(a, parseIpv4("10.0.0.0")!)).toBe("network");
    expect(reservedEnd(a, parseIpv4("10.0.0.255")!)).toBe("broadcast");
    expect(reservedEnd(a, parseIpv4("10.0.0.1")!)).toBeUndefined();
    // RFC 3021: a /31 has no network or broadcast address.
    expect(reservedEnd(parseCidr("10.0.0.0/31")!, parseIpv4("10.0.0.0")!)).toBeUndefined();
  });

  it("overlap is symmetric and implied by containment of the base", () => {
    const cidr = fc
      .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }))
      .map(([n, p]) => parseCidr(`${formatIpv4(n)}/${p}`)!);
    fc.assert(
      fc.property(cidr, cidr, (a, b) => {
        expect(cidrsOverlap(a, b)).toBe(cidrsOverlap(b, a));
        if (cidrContains(a, b.network)) expect(cidrsOverlap(a, b)).toBe(true);
      }),
    );
  });

  it("split a registry address into host and port", () => {
    expect(splitHostPort("10.0.0.15:4000")).toEqual({ host: "10.0.0.15", port: 4000 });
    expect(splitHostPort("registry.example")).toEqual({ host: "registry.example" });
  });
});
