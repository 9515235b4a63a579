// Child process of the bench: the one pass (pipeline/refresh/data-pass.ts) alone, every data file of the build made
// from one opened store into a private cache folder (nothing reused), as the refresh makes them before Framework.
// Run with bench/lib/capture-sql.ts preloaded, its SQL is captured for bench/steps/replay.ts: the pass against the same
// statements run by DuckDB alone. Prints one JSON line: the pass's own timings and each file's.
// node --import tsx [--import bench/lib/capture-sql.ts] bench/steps/data-pass.ts --cache DIR
//   (YIPANQI_DATA / YIPANQI_STORE name the data)
import { rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

const started = performance.now();
const { values } = parseArgs({ options: { cache: { type: "string" } } });
if (!values.cache) {
  console.error("usage: bench/steps/data-pass.ts --cache DIR");
  process.exit(2);
}
const { LoaderCache } = await import("../../pipeline/refresh/loader-cache.ts");
const { writeDataFiles } = await import("../../pipeline/refresh/data-pass.ts");
const imported = performance.now();
rmSync(values.cache, { recursive: true, force: true });
// the project's loaders and code (for the keys), a private cache: the pass makes every file
const cache = new LoaderCache(join(import.meta.dirname, "../.."), values.cache);
const pass = await writeDataFiles(cache);
process.stdout.write(
  JSON.stringify({
    importMs: imported - started,
    passMs: pass.ms,
    openMs: pass.openMs,
    files: pass.files,
    maxRssKb: process.resourceUsage().maxRSS
  }) + "\n"
);
