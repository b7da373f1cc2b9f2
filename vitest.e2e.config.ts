import { defineConfig } from "vitest/config";

// Browser tests: headless Debian chromium against files and localhost pages, one file at a time.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
