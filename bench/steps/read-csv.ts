// Child process of the bench: DuckDB's own CSV reader over the same export files, the yardstick of the ingest:
// `SELECT count(*) FROM read_csv(…)` (parse only) and `CREATE TABLE t AS SELECT * FROM read_csv(…)` (parse and
// materialize every column), all files in one read_csv call with DuckDB's parallel reader on explicit column types
// (every column VARCHAR, named from the first file's header, as the ingest reads them; no sniffing), on the same DuckDB
// settings as the loaders (pipeline/io/duckdb.ts). --sniff: read_csv's defaults instead (it sniffs the dialect, header
// and types of each file itself), the yardstick before issue 15. Prints one JSON line.
// tsx bench/steps/read-csv.ts --mode count|ctas [--sniff] FILE…
import { closeSync, openSync, readSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseCsvRecords } from "../../pipeline/io/csv.ts";
import { openDuckDB, queryRows, sqlString } from "../../pipeline/io/duckdb.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { mode: { type: "string", default: "count" }, sniff: { type: "boolean", default: false } }
});
if (positionals.length === 0 || (values.mode !== "count" && values.mode !== "ctas")) {
  console.error("usage: tsx bench/steps/read-csv.ts --mode count|ctas FILE…");
  process.exit(2);
}
const conn = await openDuckDB();
/** The number of columns of the first file's header line (its first 1 MB holds it). */
function headerWidth(file: string): number {
  const buffer = Buffer.alloc(1 << 20);
  const fd = openSync(file, "r");
  const n = readSync(fd, buffer, 0, buffer.length, 0);
  closeSync(fd);
  const text = buffer
    .subarray(0, n)
    .toString("utf8")
    .replace(/^\uFEFF/, "");
  return parseCsvRecords(text.slice(0, text.indexOf("\n") + 1), ",").rows[0].length;
}
const list = `[${positionals.map(sqlString).join(", ")}]`;
const columns = values.sniff
  ? ""
  : `, columns = {${Array.from({ length: headerWidth(positionals[0]) }, (_, i) => `'c${i}': 'VARCHAR'`).join(", ")}},
     header = true, delim = ',', quote = '"', escape = '"', auto_detect = false, parallel = true`;
const source = `read_csv(${list}${columns})`;
const started = performance.now();
let rows: number;
if (values.mode === "count") rows = (await queryRows<{ n: number }>(conn, `SELECT count(*) AS n FROM ${source}`))[0].n;
else {
  await conn.run(`CREATE TABLE t AS SELECT * FROM ${source}`);
  rows = (await queryRows<{ n: number }>(conn, `SELECT count(*) AS n FROM t`))[0].n;
}
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms, rows, maxRssKb: process.resourceUsage().maxRSS }) + "\n");
