import { describe, expect, it } from "vitest";
import { limitText } from "../../src/drill/report/format.ts";

describe("a drill check's verdict text", () => {
  it("reads as a comparison that is true, with units for seconds", () => {
    expect(limitText(102.924, 25, undefined, "vip_move_s")).toBe("102.9 s > limit 25 s");
    expect(limitText(3.416, 5, undefined, "longest_gap_s")).toBe("3.4 s ≤ limit 5 s");
    expect(limitText(1, 0, undefined, "lost_writes")).toBe("1 > limit 0");
    expect(limitText(0, undefined, 1, "outage_confirmed")).toBe("0 < minimum 1");
    expect(limitText(12, 300, 10, "recovery_s")).toBe("minimum 10 s ≤ 12 s ≤ limit 300 s");
    expect(limitText(null, 5, undefined, "vip_move_s")).toBe("not measured (limit 5 s)");
  });

  it("never rounds a value onto the wrong side of its limit, or onto the limit", () => {
    expect(limitText(5.04, 5, undefined, "vip_move_s")).toBe("5.04 s > limit 5 s");
    expect(limitText(25.0001, 25, undefined, "vip_move_s")).not.toMatch(/^25(\.0+)? s >/);
    for (const m of [4.94, 4.96, 4.999, 5, 5.001, 5.06]) {
      const text = limitText(m, 5, undefined, "x_s");
      const above = text.includes(" > ");
      const v = Number(text.split(" ")[0]);
      expect(above ? v > 5 : v <= 5, text).toBe(true);
      expect(above, text).toBe(m > 5);
    }
  });
});
