// Opens the store for the loaders: DuckDB over the store's Parquet, the codebook and roster registered as tables,
// and the shared views (keyed answers, breakdown groups) created. Every mart starts here.
import { createHash } from "node:crypto";
import type { DuckDBConnection } from "@duckdb/node-api";
import { indexCodebook, loadCodebook, loadRoster, type CodebookIndex } from "../codebook/load.ts";
import type { RosterUnit } from "../codebook/schema.ts";
import { paths } from "../io/config.ts";
import { openDuckDB } from "../io/duckdb.ts";
import { attachStore, type Manifest } from "../store/store.ts";
import { enableQueryCache } from "./query-cache.ts";
import { createNamedViews } from "./named-sql.ts";

export interface ReportStore {
  conn: DuckDBConnection;
  index: CodebookIndex;
  roster: RosterUnit[];
  manifest: Manifest;
}

export class EmptyStoreError extends Error {}

export async function openReportStore(
  options: { codebook?: string; roster?: string; store?: string } = {}
): Promise<ReportStore> {
  const p = paths();
  const codebook = loadCodebook(options.codebook ?? p.codebook);
  const roster = loadRoster(options.roster ?? p.roster);
  const conn = await openDuckDB();
  const storeDir = options.store ?? p.store;
  const manifest = await attachStore(conn, storeDir);
  if (manifest.files.every((f) => f.accepted === 0))
    throw new EmptyStoreError(
      `数据仓库 ${options.store ?? p.store} 中还没有数据：请先运行 npm run ingest（或 npm run sample 生成示例数据）`
    );
  const index = indexCodebook(codebook);
  await registerCodebook(conn, index, roster);
  await createNamedViews(conn, "respondent_groups", "keyed_likert_answers");
  enableQueryCache(conn, {
    storeDir,
    manifest,
    registeredKey: createHash("sha256")
      .update(JSON.stringify([codebook, roster]))
      .digest("hex")
  });
  return { conn, index, roster, manifest };
}

/** cb_likert, cb_attributes, cb_roster, cb_quality: the codebook and roster as tables the SQL can join. */
export async function registerCodebook(
  conn: DuckDBConnection,
  index: CodebookIndex,
  roster: RosterUnit[]
): Promise<void> {
  const { codebook } = index;
  await conn.run(`CREATE OR REPLACE TABLE cb_likert (question VARCHAR, subdimension VARCHAR, dimension VARCHAR, section VARCHAR,
    reverse BOOLEAN, scale_min DOUBLE, scale_max DOUBLE, agree_from DOUBLE)`);
  const likert = await conn.createAppender("cb_likert");
  for (const q of index.likert) {
    const sd = index.subdimension.get(q.subdimension)!;
    const scale = index.scaleOf(q);
    likert.appendVarchar(q.code);
    likert.appendVarchar(sd.code);
    likert.appendVarchar(sd.dimension);
    likert.appendVarchar(sd.section);
    likert.appendBoolean(q.reverse);
    likert.appendDouble(scale.min);
    likert.appendDouble(scale.max);
    likert.appendDouble(scale.agreeFrom);
    likert.endRow();
  }
  likert.closeSync();

  await conn.run(`CREATE OR REPLACE TABLE cb_attributes (attribute VARCHAR, question VARCHAR)`);
  const attributes = await conn.createAppender("cb_attributes");
  for (const a of index.attributes) {
    attributes.appendVarchar(a.attribute);
    attributes.appendVarchar(a.question);
    attributes.endRow();
  }
  attributes.closeSync();

  await conn.run(
    `CREATE OR REPLACE TABLE cb_roster (unit VARCHAR, name VARCHAR, category VARCHAR, category_order INTEGER, headcount INTEGER)`
  );
  const categories = [...new Set(roster.map((u) => u.category))];
  const units = await conn.createAppender("cb_roster");
  for (const u of roster) {
    units.appendVarchar(u.code);
    units.appendVarchar(u.name);
    units.appendVarchar(u.category);
    units.appendInteger(categories.indexOf(u.category) + 1);
    units.appendInteger(u.headcount);
    units.endRow();
  }
  units.closeSync();

  const exclude = new Set(codebook.quality.excludeFromScores);
  await conn.run(`CREATE OR REPLACE TABLE cb_quality AS SELECT $s AS exclude_speeders, $t AS exclude_straightliners`, {
    s: exclude.has("speeder"),
    t: exclude.has("straightliner")
  });
}
