// Opens the store for the loaders: DuckDB over the store's Parquet, the codebook and roster registered as tables,
// the shared views (keyed answers, breakdown groups) created, and every other staged table declared (staging.ts):
// marts only query. Every mart starts here.
import { createHash } from "node:crypto";
import type { DuckDBConnection } from "@duckdb/node-api";
import { indexCodebook, loadCodebook, loadRoster, type CodebookIndex } from "../codebook/load.ts";
import type { RosterUnit } from "../codebook/schema.ts";
import { paths } from "../io/config.ts";
import { openDuckDB } from "../io/duckdb.ts";
import { recordInput } from "../io/trace.ts";
import { attachStore, manifestPathOf, type Manifest } from "../store/store.ts";
import { codebookTables, createReferenceTable, tableSha, type ReferenceTable } from "../store/reference.ts";
import { enableQueryCache } from "./query-cache.ts";
import { createNamedViews, registerSurveyList, SHARED_VIEWS, sqlText } from "./named-sql.ts";
import { declareStaging, once, stageAssessment, stageQuarantine, type AssessmentData } from "./staging.ts";

export type { AssessmentData };

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
  const codebookFile = options.codebook ?? p.codebook;
  const rosterFile = options.roster ?? p.roster;
  const codebook = loadCodebook(codebookFile);
  const roster = loadRoster(rosterFile);
  const conn = await openDuckDB();
  const storeDir = options.store ?? p.store;
  const manifest = await attachStore(conn, storeDir);
  if (manifest.files.every((f) => f.accepted === 0))
    throw new EmptyStoreError(
      `数据仓库 ${options.store ?? p.store} 中还没有数据：请先运行 npm run ingest（或 npm run sample 生成示例数据）`
    );
  const index = indexCodebook(codebook);
  const registered = await registerCodebook(conn, index, roster);
  checkStoreReference(manifest, registered, storeDir);
  await createNamedViews(conn, ...SHARED_VIEWS);
  const assessment = once(() =>
    stageAssessment(
      conn,
      roster,
      { indicators: options.indicators ?? p.indicators, scores: options.scores ?? p.assessmentScores },
      () => sqlText("assessment_totals_by_year_unit"),
      (tables) => checkStoreReference(manifest, tables, storeDir),
      {
        storeDir,
        manifest,
        inputs: { codebook, roster, codebookFile, rosterFile }
      }
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
    // staged on first use (assessment, quarantine): those are not part of the key. The tables as registered, not only
    // the files they were made from: the per-wave keyed answers name items by their number among cb_likert's rows
    // (cb_likert_numbered.sql), so a cached file must not be read against other rows.
    registeredKey: createHash("sha256")
      .update(JSON.stringify([codebook, roster, registered.map(tableSha)]))
      .digest("hex"),
    views: SHARED_VIEWS.map((name) => ({ name, sql: sqlText(name) }))
  });
  // What reads the survey records the manifest as read (io/trace.ts): the named queries that may read it, and every
  // read of `manifest` (the waves, the files). A data file made from reference tables alone then does not depend on
  // the survey (refresh/data-pass.ts).
  const manifestFile = manifestPathOf(storeDir);
  registerSurveyList(conn, manifestFile);
  return {
    conn,
    index,
    roster,
    get manifest() {
      recordInput(manifestFile);
      return manifest;
    },
    storeDir,
    assessment
  };
}

/**
 * cb_likert, cb_attributes, cb_roster, cb_quality, cb_questions: the codebook and roster as tables the SQL can join
 * (cb_questions: the codebook's questions in order, with question, number, type, position). The tables are those the
 * ingest writes into the store (store/reference.ts defines both); returned, so that they can be compared with it.
 */
export async function registerCodebook(
  conn: DuckDBConnection,
  index: CodebookIndex,
  roster: RosterUnit[]
): Promise<ReferenceTable[]> {
  const tables = codebookTables(index, roster);
  for (const table of tables) await createReferenceTable(conn, table);
  return tables;
}

/**
 * The report reads data/ (the files a steward edits; the assessment tables from the store only when made from the same
 * files: staging.ts · storedAssessment); every command that builds ingests first, which writes the same
 * tables into the store. When the store's copy says otherwise (data/ edited since the last ingest, and a loader run
 * alone), the report is still right, but the store is not what a bare DuckDB over it would report: said on stderr,
 * with what to run. Returns the names of the tables that differ.
 */
export function checkStoreReference(manifest: Manifest, tables: ReferenceTable[], storeDir: string): string[] {
  if (manifest.reference.length === 0) return []; // a store written before the store held them: the next ingest does
  const stale = tables
    .filter((t) => manifest.reference.find((e) => e.name === t.name)?.sha256 !== tableSha(t))
    .map((t) => t.name);
  if (stale.length)
    console.error(
      `注意：数据仓库 ${storeDir} 中的 ${stale.join("、")} 与 data/ 中的码本、名册或指标不一致（上次导入之后修改过）：` +
        "报告按 data/ 中的文件生成；请运行 npm run ingest（或 npm run refresh / npm run build，它们会先导入），让数据仓库随之更新"
    );
  return stale;
}
