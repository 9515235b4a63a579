// Child process of the bench: replays a loader's captured SQL in a fresh DuckDB over a store and prints the timings
// as one JSON line. DuckDB is opened as the loaders open it (pipeline/io/duckdb.ts: 2 threads), with a memory limit so that a
// 10 M replay spills to disk instead of taking the memory of a shared machine (DuckDB's default is 80% of RAM).
// tsx bench/steps/replay.ts --capture FILE --store DIR [--portable] [--memory-limit 8GB] [--temp DIR]
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openDuckDB, sqlString } from "../../pipeline/io/duckdb.ts";
import { readCapture, replayCapture } from "../lib/replay.ts";

const { values } = parseArgs({
  options: {
    capture: { type: "string" },
    store: { type: "string" },
    portable: { type: "boolean", default: false },
    "memory-limit": { type: "string", default: "8GB" },
    temp: { type: "string", default: join(import.meta.dirname, "../.work/duckdb-tmp") }
  }
});
if (!values.capture || !values.store) {
  console.error(
    "usage: tsx bench/steps/replay.ts --capture FILE --store DIR [--portable] [--memory-limit 8GB] [--temp DIR]"
  );
  process.exit(2);
}
const conn = await openDuckDB();
mkdirSync(values.temp, { recursive: true });
await conn.run(
  `SET memory_limit = ${sqlString(values["memory-limit"])}; SET temp_directory = ${sqlString(values.temp)}`
);
const result = await replayCapture(readCapture(values.capture), values.store, { conn, portable: values.portable });
process.stdout.write(JSON.stringify({ ...result, maxRssKb: process.resourceUsage().maxRSS }) + "\n");
