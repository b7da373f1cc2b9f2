import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  isSafeRelativePath,
  MANIFEST,
  readManifest,
  UnsafePathError,
  WriteConflictError,
  writeRendered,
} from "../../src/render/write.ts";
import { scratchDir } from "../support/validators.ts";

describe("the render writer", () => {
  let scratch: ReturnType<typeof scratchDir>;
  let dir: string;
  beforeEach(() => {
    scratch = scratchDir("hacloud-write-");
    dir = join(scratch.dir, "out");
  });
  afterEach(() => scratch.remove());

  const files = (entries: Record<string, string>): Map<string, string> => new Map(Object.entries(entries));

  it("writes new files and a manifest, then leaves unchanged files alone", () => {
    const first = writeRendered(dir, files({ "a.txt": "A\n", "sub/b.txt": "B\n" }));
    expect(first).toEqual({ written: ["a.txt", "sub/b.txt"], unchanged: [], removed: [] });
    expect(readFileSync(join(dir, "sub/b.txt"), "utf8")).toBe("B\n");
    expect(readManifest(dir)).toEqual(["a.txt", "sub/b.txt"]);
    const mtime = statSync(join(dir, "a.txt")).mtimeMs;

    const second = writeRendered(dir, files({ "a.txt": "A\n", "sub/b.txt": "B2\n" }));
    expect(second).toEqual({ written: ["sub/b.txt"], unchanged: ["a.txt"], removed: [] });
    expect(statSync(join(dir, "a.txt")).mtimeMs).toBe(mtime);
  });

  it("removes files it wrote before that are no longer rendered, and their empty directories", () => {
    writeRendered(dir, files({ "a.txt": "A\n", "gone/x.txt": "X\n" }));
    const r = writeRendered(dir, files({ "a.txt": "A\n" }));
    expect(r.removed).toEqual(["gone/x.txt"]);
    expect(existsSync(join(dir, "gone"))).toBe(false);
    expect(readManifest(dir)).toEqual(["a.txt"]);
  });

  it("never touches files it did not write", () => {
    mkdirSync(join(dir, "gone"), { recursive: true });
    writeFileSync(join(dir, "mine.txt"), "operator's\n");
    writeRendered(dir, files({ "a.txt": "A\n", "gone/x.txt": "X\n" }));
    writeFileSync(join(dir, "gone/keep.txt"), "operator's too\n");
    writeRendered(dir, files({ "a.txt": "A\n" }));
    expect(readFileSync(join(dir, "mine.txt"), "utf8")).toBe("operator's\n");
    expect(readFileSync(join(dir, "gone/keep.txt"), "utf8")).toBe("operator's too\n");
  });

  it("refuses to overwrite a file it did not write, unless told to adopt it", () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "globals.yml"), "hand-written\n");
    expect(() => writeRendered(dir, files({ "globals.yml": "rendered\n" }))).toThrow(WriteConflictError);
    expect(readFileSync(join(dir, "globals.yml"), "utf8")).toBe("hand-written\n");
    expect(existsSync(join(dir, MANIFEST))).toBe(false);
    writeRendered(dir, files({ "globals.yml": "rendered\n" }), { adopt: true });
    expect(readFileSync(join(dir, "globals.yml"), "utf8")).toBe("rendered\n");
  });

  it("refuses paths that leave the directory, and writes through no symbolic link", () => {
    for (const p of ["../x", "/etc/passwd", "a/../../x", "./a", "a//b", "", MANIFEST]) {
      expect(isSafeRelativePath(p), p).toBe(false);
      expect(() => writeRendered(dir, files({ [p]: "x" })), p).toThrow(UnsafePathError);
    }
    mkdirSync(dir, { recursive: true });
    mkdirSync(join(scratch.dir, "elsewhere"));
    symlinkSync(join(scratch.dir, "elsewhere"), join(dir, "link"));
    expect(() => writeRendered(dir, files({ "link/x.txt": "x" }))).toThrow(UnsafePathError);
    expect(existsSync(join(scratch.dir, "elsewhere/x.txt"))).toBe(false);
  });

  it("ignores manifest entries that point outside the directory", () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(scratch.dir, "victim.txt"), "keep\n");
    writeFileSync(join(dir, MANIFEST), "../victim.txt\n/etc/hostname\nok.txt\n");
    expect(readManifest(dir)).toEqual(["ok.txt"]);
    writeRendered(dir, files({ "a.txt": "A\n" }));
    expect(readFileSync(join(scratch.dir, "victim.txt"), "utf8")).toBe("keep\n");
  });
});
