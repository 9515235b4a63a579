// Child process of the bench: replays a loader's captured SQL in a fresh DuckDB over a store and prints the timings
// as one JSON line. tsx bench/steps/replay.ts --capture FILE --store DIR [--portable]
import { parseArgs } from "node:util";
import { readCapture, replayCapture } from "../lib/replay.ts";

const { values } = parseArgs({ options: { capture: { type: "string" }, store: { type: "string" }, portable: { type: "boolean", default: false } } });
if (!values.capture || !values.store) {
  console.error("usage: tsx bench/steps/replay.ts --capture FILE --store DIR [--portable]");
  process.exit(2);
}
const result = await replayCapture(readCapture(values.capture), values.store, { portable: values.portable });
process.stdout.write(JSON.stringify({ ...result, maxRssKb: process.resourceUsage().maxRSS }) + "\n");
