// Child process of the bench: DuckDB's own CSV reader over the same export files, the yardstick of the ingest:
// `SELECT count(*) FROM read_csv(…)` (parse only) and `CREATE TABLE t AS SELECT * FROM read_csv(…)` (parse, type and
// materialize every column), with read_csv's defaults (it sniffs the dialect, header and types itself), on the same
// DuckDB settings as the loaders (pipeline/io/duckdb.ts). Prints one JSON line.
// tsx bench/steps/read-csv.ts --mode count|ctas FILE…
import { parseArgs } from "node:util";
import { openDuckDB, queryRows, sqlString } from "../../pipeline/io/duckdb.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { mode: { type: "string", default: "count" } }
});
if (positionals.length === 0 || (values.mode !== "count" && values.mode !== "ctas")) {
  console.error("usage: tsx bench/steps/read-csv.ts --mode count|ctas FILE…");
  process.exit(2);
}
const conn = await openDuckDB();
const source = `read_csv([${positionals.map(sqlString).join(", ")}])`;
const started = performance.now();
let rows: number;
if (values.mode === "count") rows = (await queryRows<{ n: number }>(conn, `SELECT count(*) AS n FROM ${source}`))[0].n;
else {
  await conn.run(`CREATE TABLE t AS SELECT * FROM ${source}`);
  rows = (await queryRows<{ n: number }>(conn, `SELECT count(*) AS n FROM t`))[0].n;
}
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms, rows, maxRssKb: process.resourceUsage().maxRSS }) + "\n");
