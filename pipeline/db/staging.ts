// Staging: the tables and views the named SQL reads besides the store's own views (respondents, answers), declared in
// one place, openReportStore, so that no mart has to create them or know in which order to call what.
//   made when the store opens, from the codebook and roster:  cb_likert, cb_attributes, cb_roster, cb_quality,
//     cb_questions (report-store.ts) and the shared views (SHARED_VIEWS in named-sql.ts: respondent_groups…);
//   made the first time a query names them, from files of their own:  cb_indicators, assessment_scores and
//     assessment_totals (data/indicators.json and the assessment scores file, or the store's copy of the two tables
//     when its ingest made them from the same files), quarantine (the store's quarantine files). Made on first use,
//     so that a loader records (io/trace.ts) only the files its output depends on: the refresh re-runs after a change
//     to the scores the loaders that read them, not every loader.
// Every staged relation is in DuckDB's main schema, visible to every connection of the database (the query cache
// computes a wave on a connection of its own, query-cache.ts).
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DuckDBConnection } from "@duckdb/node-api";
import { z } from "zod";
import { loadIndicators } from "../codebook/load.ts";
import type { Indicator, RosterUnit } from "../codebook/schema.ts";
import { loadAssessmentScores, type AssessmentFile } from "../ingest/assessment.ts";
import { PROJECT_ROOT } from "../io/config.ts";
import { queryRows, sqlString } from "../io/duckdb.ts";
import { codeDigest } from "../io/module-graph.ts";
import { collectInputs, recordInput } from "../io/trace.ts";
import { writeFileAtomic, type Manifest } from "../store/store.ts";
import {
  ASSESSMENT_TABLES,
  assessmentTables,
  createReferenceTable,
  hasKindColumn,
  referenceDerivation,
  type ReferenceInputs,
  type ReferenceTable
} from "../store/reference.ts";

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

/** The scores file as the report tells of it: its rows, how many were accepted, and those quarantined and why. */
const ScoresFileReadSchema = z.strictObject({
  file: z.string(),
  rows: z.number().int().nonnegative(),
  accepted: z.number().int().nonnegative(),
  quarantined: z.array(
    z.strictObject({ file: z.string(), row: z.number().int(), column: z.string(), reason: z.string() })
  )
});
export type ScoresFileRead = z.infer<typeof ScoresFileReadSchema>;

export interface AssessmentData {
  indicators: Indicator[];
  /** The indicator definitions' version. */
  version: string;
  /** How far apart (percentile points) a unit's two assessment ranks must be to be called 两张皮. */
  twoSkinsTolerance: number;
  /** The scores file as read (null when there is none). */
  file: ScoresFileRead | null;
}

/**
 * The store the report reads and what its reference tables come from besides the indicators and scores files: with
 * it, stageAssessment takes the assessment tables from the store when its ingest made them from the same files and
 * code (storedAssessment).
 */
export interface StoredReference {
  storeDir: string;
  manifest: Manifest;
  inputs: Omit<ReferenceInputs, "indicatorsFile" | "scoresFile">;
}

/**
 * Reads the indicator definitions and the assessment scores (when the file exists) and registers them as
 * cb_indicators and assessment_scores, and the weighted totals (assessment_totals_by_year_unit.sql, passed as
 * `totalsSql`) as assessment_totals. Given the store (`stored`), the two tables are its own copies when its ingest
 * made them from exactly these files and code (storedAssessment): a province's scores file is then not parsed again
 * at every refresh.
 */
export async function stageAssessment(
  conn: DuckDBConnection,
  roster: RosterUnit[],
  files: { indicators: string; scores: string },
  totalsSql: () => string,
  /** Given the tables as registered (to compare them with the store's copy). */
  check?: (tables: ReferenceTable[]) => void,
  stored?: StoredReference
): Promise<AssessmentData> {
  const { indicators, version, twoSkinsTolerance } = loadIndicators(files.indicators);
  const derive = () =>
    referenceDerivation({ ...stored!.inputs, indicatorsFile: files.indicators, scoresFile: files.scores });
  const derivation = stored && derive();
  let file = stored && derivation ? await storedAssessment(conn, stored, derivation, files.scores) : undefined;
  if (file === undefined) {
    const read = existsSync(files.scores) ? loadAssessmentScores(files.scores, roster, indicators) : null;
    // Absent, it is an input all the same: what was made without it must be made again when it appears.
    if (!read) recordInput(files.scores);
    const tables = assessmentTables(indicators, read?.scores ?? []);
    for (const table of tables) await createReferenceTable(conn, table);
    check?.(tables);
    file = read && readOf(read);
    // Remembered only when the files did not change while they were read (as the ingest records a derivation), so
    // that what is remembered is what those bytes give.
    if (stored && derivation && derive() === derivation) rememberScoresFile(stored.storeDir, derivation, file);
  }
  await conn.run(`CREATE OR REPLACE TABLE assessment_totals AS ${totalsSql().replace(/;\s*$/, "")}`);
  return { indicators, version, twoSkinsTolerance, file };
}

const readOf = (f: AssessmentFile): ScoresFileRead => ({
  file: f.file,
  rows: f.rows,
  accepted: f.scores.length,
  quarantined: f.quarantined
});

/** Where the scores file as read is remembered, by what it was read from (one entry: the latest). */
const scoresFileMemoDir = (storeDir: string) => join(storeDir, ".cache", "assessment");

/**
 * The memo's name: the derivation (the files and the code that reads them) and this module's own code, which says
 * what is remembered of the file (readOf), so that a change to either is never answered by an older memo.
 */
const memoName = (derivation: string) =>
  `${createHash("sha256")
    .update(derivation)
    .update(codeDigest(PROJECT_ROOT, fileURLToPath(import.meta.url)))
    .digest("hex")}.json`;

/**
 * The scores file as read and the assessment tables as the store holds them, when the store's tables were made from
 * `derivation` (the same codebook, roster, indicators and scores files, code, packages and Node: reference.ts ·
 * referenceDerivation, on which an ingest already relies to keep them) and the scores file as read from it is
 * remembered (rememberScoresFile): cb_indicators and assessment_scores are then created from the store's Parquet,
 * which are the tables the files give. Undefined otherwise, or when the store's copy cannot be read: read the files.
 */
async function storedAssessment(
  conn: DuckDBConnection,
  stored: StoredReference,
  derivation: string,
  scoresFile: string
): Promise<ScoresFileRead | null | undefined> {
  const entries = ASSESSMENT_TABLES.map((name) => stored.manifest.reference.find((e) => e.name === name));
  if (entries.some((e) => e?.derivedFrom !== derivation)) return undefined;
  let memo: { file: ScoresFileRead | null };
  try {
    const text = readFileSync(join(scoresFileMemoDir(stored.storeDir), memoName(derivation)), "utf8");
    memo = z.strictObject({ file: ScoresFileReadSchema.nullable() }).parse(JSON.parse(text));
  } catch {
    return undefined; // not remembered, or unreadable: read the files
  }
  try {
    for (const e of entries) {
      await conn.run(
        `CREATE OR REPLACE TABLE ${e!.name} AS SELECT * FROM read_parquet(${sqlString(join(stored.storeDir, e!.path))})`
      );
      // A copy cut short or swapped for another is not taken: it must hold the rows its entry lists.
      const [{ n }] = await queryRows<{ n: number }>(conn, `SELECT count(*)::INTEGER AS n FROM ${e!.name}`);
      if (n !== e!.rows) return undefined;
    }
  } catch {
    return undefined;
  }
  recordInput(scoresFile); // the marts depend on it as if it had been read here (or found absent)
  return memo.file;
}

/** Remembers the scores file as read from `derivation`'s files, in the store's cache (owner-only; best effort). */
function rememberScoresFile(storeDir: string, derivation: string, file: ScoresFileRead | null): void {
  const dir = scoresFileMemoDir(storeDir);
  const name = memoName(derivation);
  try {
    writeFileAtomic(join(dir, name), JSON.stringify({ file }));
    for (const old of readdirSync(dir)) if (old !== name) rmSync(join(dir, old), { force: true });
  } catch {
    /* a read-only store: the files are read every time */
  }
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
