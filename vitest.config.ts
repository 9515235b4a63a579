// Two projects:
// - unit: fast tests in Node (components run against jsdom, see test/components); never builds the site.
// - browser: builds the site once (test/browser/global-setup.ts; YIPANQI_SKIP_BUILD=1 reuses dist/) and drives
//   Debian's chromium through playwright-core against a local static server.
// Run one with `npx vitest run --project unit` or `--project browser`.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts", "loaders/**/*.test.ts"],
          exclude: ["test/browser/**", "**/node_modules/**"],
          // No test may depend on the machine's speed: the mart tests aggregate a whole sample store, and on a busy
          // 2-core machine (CI, or two files at once beside a build) seconds become minutes.
          testTimeout: 120_000,
          hookTimeout: 300_000
        }
      },
      {
        extends: true,
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          globalSetup: ["test/browser/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One chromium at a time; the pages share one built dist/.
          fileParallelism: false
        }
      }
    ]
  }
});
