import { defineConfig } from "vitest/config";

// Unit and golden tests run in parallel; lab tests (root, real daemons) run in
// their own serial invocation (see scripts/test) because they share one machine.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/lab/**", "test/e2e/**", "node_modules/**"],
    testTimeout: 30_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
