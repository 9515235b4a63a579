// A store folder is enough: given only the folder (no codebook.json, no roster.csv, no data/), a bare DuckDB
// connection gets every relation the named SQL reads: the store's own (respondents, answers, quarantine and the
// reference tables cb_*, cb_indicators, assessment_scores: <store>/views.sql, written at each commit) and the shared
// views made from them by named SQL (SHARED_VIEWS: keyed_likert_answers, respondent_groups…; assessment_totals).
// What Trino, Spark or MotherDuck would need is the same script (bareStoreSql), with their dialect's changes
// (docs/scale.md).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { sqlString } from "../io/duckdb.ts";
import { readManifest, storeViewsSql, VIEWS_SQL } from "../store/store.ts";
import { SHARED_VIEWS, sqlText } from "./named-sql.ts";

/**
 * The whole script, paths relative to the store: the store's views.sql, then the shared views and assessment_totals
 * (the relation assessment_totals_by_year_unit.sql returns, which the assessment queries read).
 */
export function bareStoreSql(storeDir: string): string {
  const views = readFileSync(join(storeDir, VIEWS_SQL), "utf8");
  const shared = SHARED_VIEWS.map((name) => `-- ${name}.sql\n${sqlText(name).trim()}\n`);
  const totals = sqlText("assessment_totals_by_year_unit").trim().replace(/;\s*$/, "");
  return [
    views,
    ...shared,
    `-- assessment_totals_by_year_unit.sql\nCREATE OR REPLACE VIEW assessment_totals AS\n${totals};\n`
  ].join("\n");
}

/**
 * Creates in `conn` (a fresh DuckDB connection) every relation the named SQL reads, from the store folder alone.
 * Relative paths resolve against the store through DuckDB's file_search_path. Throws when the store has no views.sql
 * or its views.sql names no reference tables (a store not written by an ingest of this version: run npm run ingest).
 */
export async function openBareStore(conn: DuckDBConnection, storeDir: string): Promise<void> {
  const manifest = readManifest(storeDir);
  if (manifest.reference.length === 0)
    throw new Error(
      `${storeDir}: 数据仓库中没有码本、名册等参照表（manifest.json 的 reference）：请先运行 npm run ingest 写入`
    );
  // views.sql is what was written at the last commit; it must say what the manifest says (a crash between the two
  // leaves an older views.sql, which the next ingest rewrites).
  if (readFileSync(join(storeDir, VIEWS_SQL), "utf8") !== storeViewsSql(storeDir, manifest))
    throw new Error(`${storeDir}: views.sql 与 manifest.json 不一致：请运行 npm run ingest 重新写入`);
  await conn.run(`SET file_search_path = ${sqlString(storeDir)}`);
  await conn.run(bareStoreSql(storeDir));
}
