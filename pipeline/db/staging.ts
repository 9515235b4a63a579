// Staging: the tables and views the named SQL reads besides the store's own views (respondents, answers), declared in
// one place, openReportStore, so that no mart has to create them or know in which order to call what.
//   made when the store opens, from the codebook and roster:  cb_likert, cb_attributes, cb_roster, cb_quality,
//     cb_questions (report-store.ts) and the shared views (SHARED_VIEWS in named-sql.ts: respondent_groups…);
//   made the first time a query names them, from files of their own:  cb_indicators, assessment_scores and
//     assessment_totals (data/indicators.json and the assessment scores file), quarantine (the store's quarantine
//     files). Made on first use, so that a loader records (io/trace.ts) only the files its output depends on: the
//     refresh re-runs after a change to the scores the loaders that read them, not every loader.
// Every staged relation is in DuckDB's main schema, visible to every connection of the database (the query cache
// computes a wave on a connection of its own, query-cache.ts).
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { loadIndicators } from "../codebook/load.ts";
import type { Indicator, RosterUnit } from "../codebook/schema.ts";
import { loadAssessmentScores, type AssessmentFile } from "../ingest/assessment.ts";
import { sqlString } from "../io/duckdb.ts";
import { collectInputs, recordInput } from "../io/trace.ts";
import type { Manifest } from "../store/store.ts";
import { assessmentTables, createReferenceTable, hasKindColumn, type ReferenceTable } from "../store/reference.ts";

/** The relations made on first use, per connection: name → its maker (run once, then its promise is reused). */
const declared = new WeakMap<DuckDBConnection, Map<string, () => Promise<unknown>>>();

/**
 * Runs `make` once, however often and however concurrently it is asked for. The data files it read are recorded again
 * (trace.ts) each time its result is reused, so that every caller, not only the first, is known to depend on them.
 */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<{ value: T; inputs: string[] }> | undefined;
  return async () => {
    const first = made === undefined;
    made ??= collectInputs(make);
    const { value, inputs } = await made;
    if (!first) for (const input of inputs) recordInput(input);
    return value;
  };
}

/** Declares relations made on first use (each name maps to the maker of the relations it belongs to). */
export function declareStaging(conn: DuckDBConnection, relations: Record<string, () => Promise<unknown>>): void {
  declared.set(conn, new Map(Object.entries(relations)));
}

/**
 * Makes, before a query runs, every declared relation its SQL names (a whole word: quarantine, not quarantined).
 * Returns their names: the query cache's key does not cover these relations, so a cached query must name none.
 */
export async function stageFor(conn: DuckDBConnection, sql: string): Promise<string[]> {
  const named = [...(declared.get(conn) ?? [])].filter(([name]) => new RegExp(`\\b${name}\\b`).test(sql));
  for (const [, make] of named) await make();
  return named.map(([name]) => name);
}

export interface AssessmentData {
  indicators: Indicator[];
  /** The indicator definitions' version. */
  version: string;
  /** How far apart (percentile points) a unit's two assessment ranks must be to be called 两张皮. */
  twoSkinsTolerance: number;
  /** The scores file as read (null when there is none). */
  file: AssessmentFile | null;
}

/**
 * Reads the indicator definitions and the assessment scores (when the file exists) and registers them as
 * cb_indicators and assessment_scores, and the weighted totals (assessment_totals_by_year_unit.sql, passed as
 * `totalsSql`) as assessment_totals.
 */
export async function stageAssessment(
  conn: DuckDBConnection,
  roster: RosterUnit[],
  files: { indicators: string; scores: string },
  totalsSql: () => string,
  /** Given the tables as registered (to compare them with the store's copy). */
  check?: (tables: ReferenceTable[]) => void
): Promise<AssessmentData> {
  const { indicators, version, twoSkinsTolerance } = loadIndicators(files.indicators);
  const file = existsSync(files.scores) ? loadAssessmentScores(files.scores, roster, indicators) : null;
  const tables = assessmentTables(indicators, file?.scores ?? []);
  for (const table of tables) await createReferenceTable(conn, table);
  check?.(tables);
  await conn.run(`CREATE OR REPLACE TABLE assessment_totals AS ${totalsSql().replace(/;\s*$/, "")}`);
  return { indicators, version, twoSkinsTolerance, file };
}

/** Registers the quarantine files the manifest names as the view `quarantine` (an empty table when there are none). */
export async function stageQuarantine(conn: DuckDBConnection, storeDir: string, manifest: Manifest): Promise<void> {
  const files = manifest.files.filter((f) => f.quarantine);
  if (files.length === 0) {
    await conn.run(
      `CREATE OR REPLACE TABLE quarantine (file VARCHAR, row INTEGER, "column" VARCHAR, kind VARCHAR, reason VARCHAR, quarantine_file VARCHAR)`
    );
    return;
  }
  const withKind: string[] = [];
  const without: string[] = [];
  for (const f of files) {
    const path = join(storeDir, f.quarantine!);
    recordInput(path);
    (hasKindColumn(path) ? withKind : without).push(sqlString(path));
  }
  // Explicit columns: files have the header file,row,column,kind,reason,cells (older ones file,row,column,reason,cells:
  // their kind is NULL, and is taken from the reason), written with a BOM.
  const read = (list: string[], kind: boolean) =>
    `SELECT file, row, "column", ${kind ? "kind" : "NULL::VARCHAR AS kind"}, reason, regexp_extract(filename, '(quarantine/[^/]+)$', 1) AS quarantine_file
     FROM read_csv([${list.join(", ")}], header = true, filename = true, quote = '"', escape = '"',
                   columns = {'file': 'VARCHAR', 'row': 'INTEGER', 'column': 'VARCHAR', ${kind ? "'kind': 'VARCHAR', " : ""}'reason': 'VARCHAR', 'cells': 'VARCHAR'})`;
  const parts = [...(withKind.length ? [read(withKind, true)] : []), ...(without.length ? [read(without, false)] : [])];
  await conn.run(`CREATE OR REPLACE VIEW quarantine AS ${parts.join(" UNION ALL ")}`);
}
