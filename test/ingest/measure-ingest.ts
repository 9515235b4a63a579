// One ingest in a process of its own, printing the report with the process's peak resident memory (maxRSS) and time,
// so a test can state how much memory an ingest of a given file takes.
// npx tsx test/ingest/measure-ingest.ts --codebook FILE --roster FILE --store DIR FILE…
import { parseArgs } from "node:util";
import { loadCodebook, loadRoster } from "../../pipeline/codebook/load.ts";
import { openDuckDB } from "../../pipeline/io/duckdb.ts";
import { runIngest } from "../../pipeline/store/ingest-batch.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { codebook: { type: "string" }, roster: { type: "string" }, store: { type: "string" } }
});
const started = Date.now();
const cpu = process.cpuUsage();
const baseline = process.memoryUsage().rss;
const conn = await openDuckDB();
const report = await runIngest(conn, {
  files: positionals,
  codebook: loadCodebook(values.codebook!),
  roster: loadRoster(values.roster!),
  store: values.store!
});
process.stdout.write(
  JSON.stringify({
    files: report.files,
    ms: Date.now() - started,
    cpuMs: Math.round(((u) => (u.user + u.system) / 1000)(process.cpuUsage(cpu))),
    startRssMB: Math.round(baseline / 1048576),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024)
  }) + "\n"
);
