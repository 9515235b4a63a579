// Two projects:
// - unit: fast tests in Node (components run against jsdom, see test/components); never builds the site.
// - browser: builds the site once (test/browser/global-setup.ts; YIPANQI_SKIP_BUILD=1 reuses dist/) and drives
//   Debian's chromium through playwright-core against a local static server.
// Both put their temporary folders in one folder per run, removed at its end (test/helpers/private-tmpdir.ts).
// Run one with `npx vitest run --project unit` or `--project browser`.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          globalSetup: ["test/helpers/private-tmpdir.ts"],
          include: ["test/**/*.test.ts", "pipeline/**/*.test.ts"],
          exclude: ["test/browser/**", "**/node_modules/**"],
          // No test may fail for want of speed: a busy 2-core machine runs the heavier in-process tests (ingests,
          // DuckDB marts over a whole sample store, sample generation) many times slower than an idle one, past vitest's
          // 5 s / 10 s defaults. Tests that spawn a process or a build set their own, longer timeouts.
          testTimeout: 120_000,
          hookTimeout: 300_000
        }
      },
      {
        extends: true,
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          globalSetup: ["test/helpers/private-tmpdir.ts", "test/browser/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One chromium at a time; the pages share one built dist/.
          fileParallelism: false
        }
      }
    ]
  }
});
