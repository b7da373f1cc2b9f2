import { defineConfig } from "vitest/config";

// Lab tests need root and drive real daemons on one shared machine: one file
// at a time, generous timeouts, and every file tears its lab down in afterAll.
export default defineConfig({
  test: {
    include: ["test/lab/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 600_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
