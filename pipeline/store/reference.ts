// The store describes itself: the reference tables every named query joins (the codebook's cb_* tables, the roster, the
// indicator definitions and the assessment scores) are written as Parquet beside the survey tables at each ingest,
//   <store>/reference/<table>/<content sha>.parquet
// and listed in the manifest with the sha of their content and of the file they were read from. Together with
// <store>/views.sql (written after every commit: one view per relation of the store, relative paths) a bare DuckDB,
// or Trino or Spark, given only the store folder has every table the SQL of pipeline/db/sql reads.
// The tables are defined once, here (referenceTables): the report store registers exactly these rows and types from
// data/ (pipeline/db/report-store.ts), so the store's copy and the report's can be compared by their content sha; the
// assessment tables it takes from the store's copy when that was made from the same files (db/staging.ts).
import { createHash } from "node:crypto";
import { chmodSync, closeSync, existsSync, openSync, readSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DuckDBAppender, DuckDBConnection } from "@duckdb/node-api";
import { z } from "zod";
import { indexCodebook, loadIndicators, type CodebookIndex } from "../codebook/load.ts";
import type { AssessmentScore, Codebook, Indicator, RosterUnit } from "../codebook/schema.ts";
import { loadAssessmentScores } from "../ingest/assessment.ts";
import { sqlString } from "../io/duckdb.ts";
import { PROJECT_ROOT } from "../io/config.ts";
import { codeDigest } from "../io/module-graph.ts";
import { sha256Of } from "../io/trace.ts";

type ColumnType = "VARCHAR" | "BOOLEAN" | "DOUBLE" | "INTEGER";
type Cell = string | number | boolean | null;

/** A reference table: its name, its columns with their DuckDB types, its rows (cells in column order). */
export interface ReferenceTable {
  name: string;
  columns: [string, ColumnType][];
  rows: Cell[][];
}

/** What the manifest says of one reference table. */
export const ReferenceEntrySchema = z.object({
  name: z.string(),
  /** The Parquet file, relative to the store. */
  path: z.string(),
  /** sha256 of the table's content (tableSha): the same rows and types give the same sha on every machine. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  rows: z.int(),
  /** The file the table was read from (its name and sha256), null when there was none (no assessment scores). */
  source: z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).nullable(),
  /** What every reference table of the commit was made from (referenceDerivation); absent in older stores. */
  derivedFrom: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional()
});
export type ReferenceEntry = z.infer<typeof ReferenceEntrySchema>;

/** The codebook and roster tables, in the order they are registered. */
export const CODEBOOK_TABLES = ["cb_likert", "cb_attributes", "cb_roster", "cb_quality", "cb_questions"] as const;
/** The assessment tables (indicator definitions and scores). */
export const ASSESSMENT_TABLES = ["cb_indicators", "assessment_scores"] as const;

/**
 * cb_likert, cb_attributes, cb_roster, cb_quality, cb_questions: the codebook and roster as tables the SQL can join
 * (cb_questions: the codebook's questions in order, with question, number, type, position).
 */
export function codebookTables(index: CodebookIndex, roster: RosterUnit[]): ReferenceTable[] {
  const { codebook } = index;
  const categories = [...new Set(roster.map((u) => u.category))];
  const exclude = new Set(codebook.quality.excludeFromScores);
  return [
    {
      name: "cb_likert",
      columns: [
        ["question", "VARCHAR"],
        ["subdimension", "VARCHAR"],
        ["dimension", "VARCHAR"],
        ["section", "VARCHAR"],
        ["reverse", "BOOLEAN"],
        ["scale_min", "DOUBLE"],
        ["scale_max", "DOUBLE"],
        ["agree_from", "DOUBLE"]
      ],
      rows: index.likert.map((q) => {
        const sd = index.subdimension.get(q.subdimension)!;
        const scale = index.scaleOf(q);
        return [q.code, sd.code, sd.dimension, sd.section, q.reverse, scale.min, scale.max, scale.agreeFrom];
      })
    },
    {
      name: "cb_attributes",
      columns: [
        ["attribute", "VARCHAR"],
        ["question", "VARCHAR"]
      ],
      rows: index.attributes.map((a) => [a.attribute, a.question])
    },
    {
      name: "cb_roster",
      columns: [
        ["unit", "VARCHAR"],
        ["name", "VARCHAR"],
        ["category", "VARCHAR"],
        ["category_order", "INTEGER"],
        ["headcount", "INTEGER"]
      ],
      rows: roster.map((u) => [u.code, u.name, u.category, categories.indexOf(u.category) + 1, u.headcount])
    },
    {
      name: "cb_quality",
      columns: [
        ["exclude_speeders", "BOOLEAN"],
        ["exclude_straightliners", "BOOLEAN"]
      ],
      rows: [[exclude.has("speeder"), exclude.has("straightliner")]]
    },
    {
      name: "cb_questions",
      columns: [
        ["question", "VARCHAR"],
        ["number", "INTEGER"],
        ["type", "VARCHAR"],
        ["position", "INTEGER"]
      ],
      rows: codebook.questions.map((q, i) => [q.code, q.number ?? null, q.type, i + 1])
    }
  ];
}

/** cb_indicators (the indicator definitions) and assessment_scores (the accepted scores; none without a file). */
export function assessmentTables(indicators: Indicator[], scores: AssessmentScore[]): ReferenceTable[] {
  return [
    {
      name: "cb_indicators",
      columns: [
        ["code", "VARCHAR"],
        ["name", "VARCHAR"],
        ["domain", "VARCHAR"],
        ["kind", "VARCHAR"],
        ["weight", "DOUBLE"],
        ["max_score", "DOUBLE"]
      ],
      rows: indicators.map((i) => [i.code, i.name, i.domain, i.kind, i.weight, i.maxScore])
    },
    {
      name: "assessment_scores",
      columns: [
        ["year", "INTEGER"],
        ["unit", "VARCHAR"],
        ["indicator", "VARCHAR"],
        ["score", "DOUBLE"]
      ],
      rows: scores.map((s) => [s.year, s.unit, s.indicator, s.score])
    }
  ];
}

/** sha256 of a table's name, columns and rows: what "the same table" means for the store and the report. */
export function tableSha(table: ReferenceTable): string {
  return createHash("sha256")
    .update(JSON.stringify([table.name, table.columns, table.rows]))
    .digest("hex");
}

function append(a: DuckDBAppender, type: ColumnType, v: Cell): void {
  if (v === null) a.appendNull();
  else if (type === "VARCHAR") a.appendVarchar(String(v));
  else if (type === "BOOLEAN") a.appendBoolean(Boolean(v));
  else if (type === "INTEGER") a.appendInteger(Number(v));
  else a.appendDouble(Number(v));
}

/** Creates (or replaces) the table in DuckDB with its rows: `temporary` for a table of this connection alone. */
export async function createReferenceTable(
  conn: DuckDBConnection,
  table: ReferenceTable,
  { temporary = false, as = table.name } = {}
): Promise<void> {
  const columns = table.columns.map(([name, type]) => `"${name}" ${type}`).join(", ");
  await conn.run(`CREATE OR REPLACE ${temporary ? "TEMP " : ""}TABLE ${as} (${columns})`);
  const appender = await conn.createAppender(as);
  for (const row of table.rows) {
    table.columns.forEach(([, type], i) => append(appender, type, row[i]));
    appender.endRow();
  }
  appender.closeSync();
}

/** The inputs of the reference tables at an ingest. */
export interface ReferenceInputs {
  codebook: Codebook;
  roster: RosterUnit[];
  /** The files they were read from (for the manifest's source sha; a missing file gives a null source). */
  codebookFile: string;
  rosterFile: string;
  indicatorsFile: string;
  /** The assessment scores (may be absent: an empty assessment_scores). */
  scoresFile: string;
}

function sourceOf(file: string): ReferenceEntry["source"] {
  if (!existsSync(file)) return null;
  return { file: basename(file), sha256: sha256Of(file) };
}

/**
 * What the reference tables of these inputs are made from, as one sha256: the codebook and roster as loaded, the
 * sha256 of each file they come from (codebook, roster, indicators, scores), the code that makes the tables (this
 * module's graph: loading, decoding, the assessment scores' reader), package-lock.json (the packages it uses) and
 * Node's version. Two ingests with the same derivation make the same tables, so an ingest that finds every table of
 * the store made from it only hashes the files, and neither parses them nor builds and hashes the tables again
 * (referenceCurrent): at a province the scores file is 400,000 rows, about 1.2 s at every ingest and every refresh.
 */
export function referenceDerivation(inputs: ReferenceInputs): string {
  const lock = join(PROJECT_ROOT, "package-lock.json");
  return createHash("sha256")
    .update(
      JSON.stringify([
        inputs.codebook,
        inputs.roster,
        // names too: the manifest's entries say which file each table was read from
        [inputs.codebookFile, inputs.rosterFile, inputs.indicatorsFile, inputs.scoresFile].map((file) => [
          basename(file),
          contentOf(file)
        ]),
        codeDigest(PROJECT_ROOT, fileURLToPath(import.meta.url)),
        contentOf(lock),
        // Node's decoders (GB18030 through ICU) read the files too
        [process.version, process.versions.icu]
      ])
    )
    .digest("hex");
}

/** A file's sha256 for the derivation; a file that is missing or cannot be read counts as such (referenceTablesOf says why). */
function contentOf(file: string): string {
  try {
    return sha256Of(file);
  } catch (e) {
    return `unreadable: ${(e as NodeJS.ErrnoException).code ?? "error"}`;
  }
}

/** Whether the manifest lists every reference table, each made from `derivation`: then nothing is to be made again. */
export function referenceCurrent(previous: ReferenceEntry[], derivation: string): boolean {
  const names: string[] = [...CODEBOOK_TABLES, ...ASSESSMENT_TABLES];
  return (
    previous.length === names.length &&
    names.every((name) => previous.some((e) => e.name === name && e.derivedFrom === derivation))
  );
}

/**
 * The reference tables of these inputs, each with its source. The indicator definitions and scores are read here: a
 * file that cannot be read leaves its tables out (the problem is returned, in Chinese, for the ingest's report), so
 * the store never lists an assessment table that does not say what the files say.
 */
export function referenceTablesOf(inputs: ReferenceInputs): {
  tables: { table: ReferenceTable; source: ReferenceEntry["source"] }[];
  problems: string[];
} {
  const index = indexCodebook(inputs.codebook);
  const tables = codebookTables(index, inputs.roster).map((table) => ({
    table,
    source: sourceOf(table.name === "cb_roster" ? inputs.rosterFile : inputs.codebookFile)
  }));
  const problems: string[] = [];
  try {
    const { indicators } = loadIndicators(inputs.indicatorsFile);
    const scores = existsSync(inputs.scoresFile)
      ? loadAssessmentScores(inputs.scoresFile, inputs.roster, indicators).scores
      : [];
    const [cbIndicators, assessmentScores] = assessmentTables(indicators, scores);
    tables.push({ table: cbIndicators, source: sourceOf(inputs.indicatorsFile) });
    tables.push({ table: assessmentScores, source: sourceOf(inputs.scoresFile) });
  } catch (e) {
    problems.push(
      `指标定义或考核得分无法读取，数据仓库中不写入考核表（cb_indicators、assessment_scores）：${(e as Error).message}`
    );
  }
  return { tables, problems };
}

/** Where a reference table of this content lives in the store. */
export function referencePath(table: ReferenceTable, sha = tableSha(table)): string {
  return join("reference", table.name, `${sha.slice(0, 16)}.parquet`);
}

/** Whether the manifest's list differs from these tables: another set of tables, content, source or derivation. */
export function referenceChanged(
  previous: ReferenceEntry[],
  tables: { table: ReferenceTable; source: ReferenceEntry["source"] }[],
  derivedFrom: string | undefined
): boolean {
  if (previous.length !== tables.length) return true;
  return tables.some(({ table, source }) => {
    const old = previous.find((e) => e.name === table.name);
    return (
      !old ||
      old.sha256 !== tableSha(table) ||
      JSON.stringify(old.source) !== JSON.stringify(source) ||
      old.derivedFrom !== derivedFrom
    );
  });
}

/**
 * Writes the tables whose content the store does not hold yet into `dir` (a staging folder) at their reference
 * path, and returns the manifest's new list of reference tables (those unchanged keep their entry and file).
 */
export async function stageReferenceTables(
  conn: DuckDBConnection,
  dir: string,
  previous: ReferenceEntry[],
  tables: { table: ReferenceTable; source: ReferenceEntry["source"] }[],
  mkdir: (path: string) => void,
  sync: (path: string) => void,
  /** What the tables were made from (referenceDerivation), recorded in each entry; undefined when not known. */
  derivedFrom: string | undefined
): Promise<{ entries: ReferenceEntry[]; written: string[] }> {
  const byName = new Map(previous.map((e) => [e.name, e]));
  const entries: ReferenceEntry[] = [];
  const written: string[] = [];
  for (const { table, source } of tables) {
    const sha = tableSha(table);
    const path = referencePath(table, sha);
    const old = byName.get(table.name);
    if (old && old.sha256 === sha && old.path === path) {
      entries.push({ ...old, source, derivedFrom });
      continue;
    }
    const target = join(dir, path);
    mkdir(join(dir, "reference", table.name));
    await createReferenceTable(conn, table, { temporary: true, as: "staged_reference" });
    await conn.run(`COPY staged_reference TO ${sqlString(target)} (FORMAT parquet, COMPRESSION zstd)`);
    await conn.run(`DROP TABLE staged_reference`);
    chmodSync(target, 0o600); // DuckDB creates files with the umask's mode
    sync(target);
    entries.push({ name: table.name, path, sha256: sha, rows: table.rows.length, source, derivedFrom });
    written.push(table.name);
  }
  return { entries, written };
}

/** Whether a quarantine file has the kind column (written since it exists): its header line says. */
export function hasKindColumn(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(64);
    const n = readSync(fd, head, 0, head.length, 0);
    return head
      .subarray(0, n)
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .startsWith("file,row,column,kind,");
  } finally {
    closeSync(fd);
  }
}
