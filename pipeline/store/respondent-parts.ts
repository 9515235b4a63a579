// A file's accepted respondents written as the store's two Parquet parts (respondents/ and answers/). JavaScript writes
// them as CSV text into the private staging folder and DuckDB reads that text on explicit column types and copies it
// to Parquet: DuckDB's CSV reader takes a row in far less time than an appender call per value from JavaScript
// (about 12 M calls per 1 M-respondent wave: a third of the ingest's time, docs/scale.md).
import { rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { sqlString } from "../io/duckdb.ts";
import { keyToBigInt } from "../ingest/fingerprint.ts";
import type { AcceptedRespondent, FileResult } from "../ingest/ingest-file.ts";
import { FILE_MODE, mkdirPrivate } from "./private-files.ts";

/**
 * The columns of the store's respondents parts, in their order (the CSV's too). serial is INTEGER: parse-row.ts
 * quarantines a 序号 over MAX_SERIAL (2^31 − 1), so validation and store agree. fingerprint (fingerprint.ts) was added
 * later: parts without it are read with it NULL (union_by_name).
 */
export const RESPONDENTS_COLUMNS = `respondent_id VARCHAR, file_sha VARCHAR, source_row INTEGER, serial INTEGER, submitted_at VARCHAR,
  duration_s DOUBLE, source VARCHAR, unit VARCHAR, is_speeder BOOLEAN, is_straightliner BOOLEAN, fingerprint UBIGINT`;
/** The columns of the store's answers parts. */
export const ANSWERS_COLUMNS = `respondent_id VARCHAR, question VARCHAR, option INTEGER, value DOUBLE, label VARCHAR, text VARCHAR`;

/**
 * DuckDB's longest CSV line by default is 2,000,000 bytes (its newline not counted). A file with a line over half of
 * that (a very long answer or fill-in) gets a limit of its own, well clear of the default's edge.
 */
const LONG_LINE = 1_000_000;

const QUOTE = 0x22;
const COMMA = 0x2c;
const NEWLINE = 0x0a;

/**
 * CSV text written straight into bytes (UTF-8): a string per field and a string per line, joined, cost more in garbage
 * collection than the appender calls they replaced. A text field is quoted, so that "" is an empty text and an
 * unquoted empty field is NULL (allow_quoted_nulls off); a number is the shortest text that reads back as the same
 * double (-0 kept).
 */
class CsvBytes {
  private bytes = Buffer.allocUnsafe(1 << 20);
  private length = 0;
  private lineStart = 0;
  /** The longest line in bytes (DuckDB needs to know a line longer than its default). */
  longest = 0;

  private ensure(more: number): void {
    if (this.length + more <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + more));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }

  text(v: string | null | undefined): this {
    if (v === null || v === undefined) return this;
    this.ensure(v.length * 3 + 2); // at most three bytes a UTF-16 unit (a doubled quote takes two)
    const bytes = this.bytes;
    let at = this.length;
    bytes[at++] = QUOTE;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c >= 0x80) {
        // not ASCII: the rest through Buffer's UTF-8 encoder, quotes doubled first
        const rest = v.slice(i);
        at += bytes.write(rest.includes('"') ? rest.replaceAll('"', '""') : rest, at, "utf8");
        break;
      }
      if (c === QUOTE) bytes[at++] = QUOTE;
      bytes[at++] = c;
    }
    bytes[at++] = QUOTE;
    this.length = at;
    return this;
  }

  number(v: number | null | undefined): this {
    if (v === null || v === undefined) return this;
    if (v >= 0 && v < 10 && Number.isInteger(v) && !Object.is(v, -0)) {
      this.ensure(1);
      this.bytes[this.length++] = 0x30 + v;
      return this;
    }
    return this.ascii(Object.is(v, -0) ? "-0" : String(v));
  }

  /** Text written as it is (numbers, booleans: ASCII only). */
  ascii(v: string): this {
    this.ensure(v.length);
    for (let i = 0; i < v.length; i++) this.bytes[this.length++] = v.charCodeAt(i);
    return this;
  }

  /** Bytes written as they are: a field already encoded (encodedText). */
  raw(v: Uint8Array): this {
    this.ensure(v.length);
    this.bytes.set(v, this.length);
    this.length += v.length;
    return this;
  }

  comma(): this {
    this.ensure(1);
    this.bytes[this.length++] = COMMA;
    return this;
  }

  endLine(): void {
    this.ensure(1);
    this.bytes[this.length++] = NEWLINE;
    this.longest = Math.max(this.longest, this.length - this.lineStart);
    this.lineStart = this.length;
  }

  /** The bytes written. */
  written(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

/** A text field's bytes, quoted: for a field repeated on many lines (a respondent's id on each of its answers). */
function encodedText(v: string): Uint8Array {
  return Buffer.from(`"${v.replaceAll('"', '""')}"`, "utf8");
}

/** The CSV texts of one file's parts: respondents, numeric answers (one wide row each), other answers (rows). */
interface PartTexts {
  respondents: CsvBytes;
  values: CsvBytes;
  answers: CsvBytes;
  /** The numeric questions, in the order of the values' columns after respondent_id. */
  numeric: string[];
}

/**
 * Writes the file's two Parquet parts. Numeric answers (Likert and number questions, most of every row) go into a
 * wide CSV, one DOUBLE column per question, which DuckDB unnests into answer rows; the other answers (options, units,
 * texts) are written as rows. The part holds the numeric answers first, then the others (readers never rely on the
 * order of rows; sorting them would cost time and memory here). Returns once the CSV files are written; `written`
 * settles when DuckDB has copied them (not awaited here: DuckDB copies while the caller reads the next file) and has
 * removed them.
 */
export async function writeRespondentParts(
  conn: DuckDBConnection,
  result: FileResult,
  respondentsPath: string,
  answersPath: string
): Promise<{ written: Promise<void> }> {
  mkdirPrivate(dirname(respondentsPath));
  mkdirPrivate(dirname(answersPath));
  const texts = partTexts(result);
  const csv = {
    respondents: `${respondentsPath}.csv`,
    values: `${answersPath}.values.csv`,
    answers: `${answersPath}.csv`
  };
  const files = texts.numeric.length
    ? (["respondents", "values", "answers"] as const)
    : (["respondents", "answers"] as const);
  for (const key of files) writeCsv(csv[key], texts[key]);
  const read = (key: keyof typeof csv, columns: string) => readCsvSql(csv[key], columns, texts[key].longest);
  const valueColumns = ["respondent_id VARCHAR", ...texts.numeric.map((_, i) => `v${i} DOUBLE`)].join(", ");
  // Each wide row unnested into its answers, in the row's order: a respondent's answers stay together in the part,
  // which its Parquet encoding needs (the ids in runs). (UNPIVOT joined to the column names gave them grouped by
  // question instead: the answers part came out 2.3 times the size, and slower to read.) A skipped question (NULL)
  // has no answer row.
  const questions = `[${texts.numeric.map(sqlString).join(", ")}]`;
  const columns = `[${texts.numeric.map((_, i) => `v${i}`).join(", ")}]`;
  const numericAnswers = texts.numeric.length
    ? `SELECT respondent_id, question, NULL::INTEGER AS option, value, NULL::VARCHAR AS label, NULL::VARCHAR AS text
       FROM (SELECT respondent_id, unnest(${questions}) AS question, unnest(${columns}) AS value
             FROM ${read("values", valueColumns)})
       WHERE value IS NOT NULL
       UNION ALL `
    : "";
  // One call for both: DuckDB runs the statements one after another on its own threads without coming back to
  // JavaScript between them, so both copies go on while this thread reads the next file (ingest-batch.ts).
  const copied = conn.run(
    `COPY (SELECT * FROM ${read("respondents", RESPONDENTS_COLUMNS)}) TO ${sqlString(respondentsPath)} (FORMAT parquet, COMPRESSION zstd);
     COPY (${numericAnswers}SELECT * FROM ${read("answers", ANSWERS_COLUMNS)}) TO ${sqlString(answersPath)} (FORMAT parquet, COMPRESSION zstd)`
  );
  const written = copied.then(
    () => removeAll(files.map((key) => csv[key])),
    (error: unknown) => {
      removeAll(files.map((key) => csv[key]));
      throw withoutRowContent(error);
    }
  );
  return { written };
}

/**
 * DuckDB's CSV errors quote the line they stopped at ("Original Line: …"): a respondent's id and answers, which must
 * not reach the console or the refresh's log. The error is given on without it.
 */
export function withoutRowContent(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const at = error.message.search(/\n?\s*Original Line:/);
  if (at < 0) return error;
  return new Error(`${error.message.slice(0, at)}\n（出错的那一行是答卷内容，不写进日志）`);
}

/** Best effort: a CSV left behind goes with the staging folder, so failing to remove it must not fail the copy. */
function removeAll(paths: string[]): void {
  for (const path of paths)
    try {
      rmSync(path, { force: true });
    } catch {
      /* removed with the staging folder (endIngest) */
    }
}

function writeCsv(path: string, csv: CsvBytes): void {
  writeFileSync(path, csv.written(), { mode: FILE_MODE });
}

/**
 * read_csv of one of our own CSV files: no sniffing, the columns as given (`name TYPE, …`: the store's types have no
 * comma), every option explicit. Not parallel: DuckDB's parallel reader splits a file every 8,000,000 bytes, even on
 * one thread, and refuses a file where a split falls inside a quoted text whose lines look like rows (a table pasted
 * into a suggestion, in an export well inside the 24 MB limit).
 */
function readCsvSql(path: string, columns: string, longestLineBytes: number): string {
  const struct = columns
    .split(",")
    .map((c) => c.trim().split(/\s+/))
    .map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`)
    .join(", ");
  const lineLimit =
    longestLineBytes > LONG_LINE
      ? `, max_line_size = ${2 * longestLineBytes}, buffer_size = ${4 * longestLineBytes}`
      : "";
  return `read_csv(${sqlString(path)}, columns = {${struct}}, header = false, auto_detect = false, delim = ',',
    quote = '"', escape = '"', new_line = '\\n', allow_quoted_nulls = false, strict_mode = true,
    hive_partitioning = false, parallel = false${lineLimit})`;
}

function partTexts(result: FileResult): PartTexts {
  const numericColumn = numericColumns(result);
  const texts: PartTexts = {
    respondents: new CsvBytes(),
    values: new CsvBytes(),
    answers: new CsvBytes(),
    numeric: [...numericColumn.keys()]
  };
  const values: (number | null)[] = new Array<number | null>(numericColumn.size); // reused: one wide row at a time
  for (const r of result.accepted) {
    values.fill(null);
    const id = encodedText(r.respondentId);
    const unit = answerLines(texts.answers, id, r, numericColumn, values);
    texts.values.raw(id);
    for (const v of values) texts.values.comma().number(v);
    texts.values.endLine();
    texts.respondents.raw(id).comma().text(result.sha256).comma().number(r.row).comma().number(r.serial).comma();
    texts.respondents.text(r.submittedAt).comma().number(r.durationSeconds).comma().text(r.source).comma();
    texts.respondents.text(unit).comma().ascii(String(r.isSpeeder)).comma().ascii(String(r.isStraightliner)).comma();
    texts.respondents.ascii(keyToBigInt(r.keys.fingerprint).toString()).endLine();
  }
  return texts;
}

/** The questions of this file with numeric answers (Likert and number), each with its column index in the wide CSV. */
function numericColumns(result: FileResult): Map<string, number> {
  const numericColumn = new Map<string, number>();
  for (const r of result.accepted)
    for (const [question, a] of r.answers)
      if ((a.type === "likert" || a.type === "number") && !numericColumn.has(question))
        numericColumn.set(question, numericColumn.size);
  return numericColumn;
}

/**
 * Adds one respondent's non-numeric answers as answer lines and puts its numeric answers into `values` (by column
 * index); returns the unit it answered, or null.
 */
function answerLines(
  csv: CsvBytes,
  id: Uint8Array,
  r: AcceptedRespondent,
  numericColumn: Map<string, number>,
  values: (number | null)[]
): string | null {
  const answerLine = (
    question: string,
    option: number | null,
    value: number | null,
    label: string | null,
    body: string | null
  ) => {
    csv.raw(id).comma().text(question).comma().number(option).comma().number(value).comma();
    csv.text(label).comma().text(body).endLine();
  };
  let unit: string | null = null;
  for (const [question, a] of r.answers) {
    switch (a.type) {
      case "likert":
      case "number":
        values[numericColumn.get(question)!] = a.value;
        break;
      case "single":
        answerLine(question, a.option, a.option, a.label, a.other ?? null);
        break;
      case "unit":
        unit = a.unit;
        answerLine(question, null, null, a.unit, null);
        break;
      case "multiple":
        for (const option of a.options)
          answerLine(question, option, 1, null, option === a.otherOption ? (a.other ?? null) : null);
        if (a.options.length === 0) answerLine(question, null, 0, null, null); // answered, nothing chosen
        break;
      case "text":
        answerLine(question, null, null, null, a.value);
        break;
    }
  }
  return unit;
}
