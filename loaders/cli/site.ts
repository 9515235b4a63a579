// npm run dev  → tsx loaders/cli/site.ts preview   (prepare the store, then Framework's preview server)
// npm run build → tsx loaders/cli/site.ts build    (prepare the store, then a fresh static build into dist/)
// Telemetry is always off: many users are on isolated networks, and the site must not call home.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../config.ts";
import { prepareStore } from "../site/prepare.ts";

const [command = "build", ...rest] = process.argv.slice(2);
if (command !== "build" && command !== "preview") {
  console.error("用法：tsx loaders/cli/site.ts build|preview [observable 参数…]");
  process.exit(2);
}

const prepared = await prepareStore();
if (prepared !== 0) process.exit(prepared);

// Framework reuses any cached loader output whatever changed in the data or the modules a loader imports, so the
// site starts from an empty loader cache (correct, not incremental; the refresh issue keys the cache properly).
rmSync(join(PROJECT_ROOT, "src/.observablehq/cache/data"), { recursive: true, force: true });

const child = spawn(join(PROJECT_ROOT, "node_modules/.bin/observable"), [command, ...rest], {
  cwd: PROJECT_ROOT,
  stdio: "inherit",
  env: { ...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true" }
});
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
