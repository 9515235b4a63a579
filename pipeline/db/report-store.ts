// Opens the store for the loaders: DuckDB over the store's Parquet, the codebook and roster registered as tables,
// the shared views (keyed answers, breakdown groups) created, and every other staged table declared (staging.ts):
// marts only query. Every mart starts here.
import { createHash } from "node:crypto";
import type { DuckDBConnection } from "@duckdb/node-api";
import { indexCodebook, loadCodebook, loadRoster, type CodebookIndex } from "../codebook/load.ts";
import type { RosterUnit } from "../codebook/schema.ts";
import { paths } from "../io/config.ts";
import { openDuckDB } from "../io/duckdb.ts";
import { attachStore, type Manifest } from "../store/store.ts";
import { enableQueryCache } from "./query-cache.ts";
import { createNamedViews, sqlText } from "./named-sql.ts";
import { declareStaging, once, stageAssessment, stageQuarantine, type AssessmentData } from "./staging.ts";

export type { AssessmentData };

/** The views every query may read, made from the store's views and the codebook tables (named SQL scripts). */
const SHARED_VIEWS = ["respondent_groups", "keyed_likert_answers"];

export interface ReportStore {
  conn: DuckDBConnection;
  index: CodebookIndex;
  roster: RosterUnit[];
  manifest: Manifest;
  /** The store's folder. */
  storeDir: string;
  /** The indicator definitions and the assessment scores, read (with their tables staged) on the first call. */
  assessment: () => Promise<AssessmentData>;
}

export class EmptyStoreError extends Error {}

/**
 * `codebook`, `roster`, `store`, `indicators` and `scores` move the inputs (default: those of paths(), the scores
 * file being data/assessment/scores.csv, which may be absent).
 */
export async function openReportStore(
  options: { codebook?: string; roster?: string; store?: string; indicators?: string; scores?: string } = {}
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
  await createNamedViews(conn, ...SHARED_VIEWS);
  const assessment = once(() =>
    stageAssessment(
      conn,
      roster,
      { indicators: options.indicators ?? p.indicators, scores: options.scores ?? p.assessmentScores },
      () => sqlText("assessment_totals_by_year_unit")
    )
  );
  const quarantine = once(() => stageQuarantine(conn, storeDir, manifest));
  declareStaging(conn, {
    cb_indicators: assessment,
    assessment_scores: assessment,
    assessment_totals: assessment,
    quarantine
  });
  enableQueryCache(conn, {
    storeDir,
    manifest,
    // The cached queries read the store, the codebook and roster tables and the shared views, never the tables
    // staged on first use (assessment, quarantine): those are not part of the key.
    registeredKey: createHash("sha256")
      .update(JSON.stringify([codebook, roster]))
      .digest("hex"),
    views: SHARED_VIEWS.map((name) => ({ name, sql: sqlText(name) }))
  });
  return { conn, index, roster, manifest, storeDir, assessment };
}

/**
 * cb_likert, cb_attributes, cb_roster, cb_quality, cb_questions: the codebook and roster as tables the SQL can join
 * (cb_questions: the codebook's questions in order, with question, number, type, position).
 */
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

  await conn.run(
    `CREATE OR REPLACE TABLE cb_questions (question VARCHAR, number INTEGER, type VARCHAR, position INTEGER)`
  );
  const questions = await conn.createAppender("cb_questions");
  codebook.questions.forEach((q, i) => {
    questions.appendVarchar(q.code);
    if (q.number === undefined) questions.appendNull();
    else questions.appendInteger(q.number);
    questions.appendVarchar(q.type);
    questions.appendInteger(i + 1);
    questions.endRow();
  });
  questions.closeSync();
}
