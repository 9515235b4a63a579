// Child of a measurement: one wave's heavy named queries alone, as a refresh computes that wave. The wave's parts are
// attached alone, the codebook and roster registered, the shared views made (those whose script declares
// `-- materialize: per wave` written to Parquet in a private folder and read from there, as the query cache does),
// then each query runs once. DuckDB's memory limit is the refresh's own (YIPANQI_DUCKDB_MEMORY, or the default), so the
// same wave can be measured at several limits (docs/scale.md, "DuckDB's memory limit at 10 M"). Prints one JSON line
// per step (name, parameters, ms, rows) and a last one with the process's peak RSS.
// tsx bench/steps/wave-queries.ts --data DIR --store DIR --wave YEAR [--queries 'name;name@{"param":"value"};…']
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { DuckDBValue } from "@duckdb/node-api";
import { indexCodebook, loadCodebook, loadRoster } from "../../pipeline/codebook/load.ts";
import { SHARED_VIEWS, sqlText } from "../../pipeline/db/named-sql.ts";
import { materializedPerWave } from "../../pipeline/db/query-cache.ts";
import { registerCodebook } from "../../pipeline/db/report-store.ts";
import { closeDuckDB, openDuckDB, sqlString } from "../../pipeline/io/duckdb.ts";
import { attachStore, readManifest } from "../../pipeline/store/store.ts";

const HEAVY =
  'group_sizes_by_wave;scale_scores_by_wave_group@{"section":"causes"};scale_scores_by_wave_group@{"section":"problems"};' +
  'item_distribution_by_wave_group@{"section":"causes"};scale_scores_by_wave_unit;' +
  'scale_correlations_by_wave@{"predictors":"causes","outcomes":"problems"};missing_answers_by_wave_question';

const { values } = parseArgs({
  options: {
    data: { type: "string" },
    store: { type: "string" },
    wave: { type: "string" },
    queries: { type: "string", default: HEAVY }
  }
});
if (!values.data || !values.store || !values.wave) {
  console.error("usage: tsx bench/steps/wave-queries.ts --data DIR --store DIR --wave YEAR [--queries 'a;b@{json}']");
  process.exit(2);
}
const wave = Number(values.wave);
const print = (line: object) => process.stdout.write(JSON.stringify(line) + "\n");
const timed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const value = await run();
  return [value, performance.now() - started];
};

const conn = await openDuckDB();
const views = mkdtempSync(join(tmpdir(), "wave-queries-"));
try {
  const manifest = readManifest(values.store);
  const files = manifest.files.filter((f) => f.wave === wave);
  if (files.length === 0) throw new Error(`the store has no wave ${wave}`);
  await attachStore(conn, values.store, { ...manifest, files }, { temporary: true });
  const codebook = indexCodebook(loadCodebook(join(values.data, "codebook.json")));
  await registerCodebook(conn, codebook, loadRoster(join(values.data, "roster.csv")));
  for (const view of SHARED_VIEWS) {
    const sql = sqlText(view);
    await conn.run(sql);
    if (!materializedPerWave(sql)) continue;
    const file = sqlString(join(views, `${view}.parquet`));
    const [, ms] = await timed(() => conn.run(`COPY (SELECT * FROM ${view}) TO ${file} (FORMAT parquet)`));
    await conn.run(`CREATE OR REPLACE TEMP VIEW ${view} AS SELECT * FROM read_parquet(${file})`);
    print({ step: "materialize", name: view, ms });
  }
  for (const spec of values.queries.split(";").filter(Boolean)) {
    const at = spec.indexOf("@");
    const name = at < 0 ? spec : spec.slice(0, at);
    const params = at < 0 ? undefined : (JSON.parse(spec.slice(at + 1)) as Record<string, DuckDBValue>);
    const [reader, ms] = await timed(() => conn.runAndReadAll(sqlText(name), params));
    print({ step: "query", name, params: params ?? null, ms, rows: reader.currentRowCount });
  }
  print({ step: "done", wave, maxRssKb: process.resourceUsage().maxRSS });
} finally {
  closeDuckDB(conn);
  rmSync(views, { recursive: true, force: true });
}
