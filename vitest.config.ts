import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["test/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 30_000 } },
      {
        test: {
          name: "e2e",
          include: ["e2e/**/*.e2e.test.ts"],
          globalSetup: ["e2e/harness/global-setup.ts"],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          // Real runtimes are heavy; two cores run them one file at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
