// Child process of the bench: runIngest (pipeline/store/ingest-batch.ts) over export files into a store, as `npm run ingest`
// and the refresh call it, timed inside the process; prints one JSON line.
// tsx bench/steps/ingest.ts --codebook FILE --roster FILE --store DIR FILE…
import { parseArgs } from "node:util";
import { loadCodebook, loadRoster } from "../../pipeline/codebook/load.ts";
import { openDuckDB } from "../../pipeline/io/duckdb.ts";
import { runIngest } from "../../pipeline/store/ingest-batch.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { codebook: { type: "string" }, roster: { type: "string" }, store: { type: "string" } }
});
if (!values.codebook || !values.roster || !values.store || positionals.length === 0) {
  console.error("usage: tsx bench/steps/ingest.ts --codebook FILE --roster FILE --store DIR FILE…");
  process.exit(2);
}
const codebook = loadCodebook(values.codebook);
const roster = loadRoster(values.roster);
const conn = await openDuckDB();
const started = performance.now();
const report = await runIngest(conn, { files: positionals, codebook, roster, store: values.store });
const ms = performance.now() - started;
const sum = (f: (r: (typeof report.files)[number]) => number) => report.files.reduce((s, r) => s + f(r), 0);
process.stdout.write(
  JSON.stringify({
    ms,
    files: report.files.length,
    rows: sum((f) => f.rows),
    accepted: sum((f) => f.accepted),
    quarantined: sum((f) => f.quarantined),
    refused: report.files.filter((f) => f.status === "refused").map((f) => `${f.file}: ${f.errors[0]?.reason ?? ""}`),
    maxRssKb: process.resourceUsage().maxRSS
  }) + "\n"
);
