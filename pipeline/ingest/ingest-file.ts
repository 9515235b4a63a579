// One export file → accepted respondents and quarantined rows, with nothing written yet (the store does that).
// rows = accepted + quarantined, always: every data row of the file ends in exactly one of the two. A file that
// cannot be used as a whole (unreadable, not this questionnaire, no answers, a required question's column missing,
// wave unknown) throws UnreadableFileError and is refused whole.
import { closeSync, openSync } from "node:fs";
import { sha256OfOpenFile } from "../io/trace.ts";
import { basename } from "node:path";
import type { Codebook, RosterUnit } from "../codebook/schema.ts";
import { Fingerprinter, SeenIndex, type RespondentKeys, type Seen } from "./fingerprint.ts";
import { mapColumns, normalizeText, type ColumnMap, type ColumnRole, type MetaField } from "./map-columns.ts";
import {
  createRowDecoder,
  decodeTimestamp,
  isSkipped,
  type Respondent,
  type RowDecoder,
  type RowError
} from "./parse-row.ts";
import { readTable, UnreadableFileError, withHeaderAt, type Cell, type RawTable } from "./read-table.ts";

/** How 问卷星 wrote the answers: option text, option number (multiple choice expanded to 0/1 columns), or score. */
export type ExportKind = "wjx-text" | "wjx-number" | "wjx-score" | "table";

export interface AcceptedRespondent extends Respondent {
  respondentId: string;
  row: number;
  isSpeeder: boolean;
  isStraightliner: boolean;
  /** Its fingerprint and exact key (fingerprint.ts): stored, and looked up by later files. */
  keys: RespondentKeys;
}

export interface QuarantinedRow {
  row: number;
  errors: RowError[];
  /** The row's cells, without the IP and 来源详情 columns and with anything IP-like masked (never stored). */
  cells: Cell[];
}

export interface FileResult {
  file: string;
  name: string;
  sha256: string;
  format: RawTable["format"];
  encoding?: string;
  sheet?: string;
  kind: ExportKind;
  wave: number;
  rows: number;
  accepted: AcceptedRespondent[];
  quarantined: QuarantinedRow[];
  warnings: string[];
  unknownColumns: { column: string; reason: string }[];
  missingQuestions: string[];
}

export interface IngestOptions {
  codebook: Codebook;
  roster: RosterUnit[];
  /** The survey wave (year); otherwise taken from the file name, then from the submission times. */
  wave?: number;
  /** Respondents already in the store or earlier in this batch (their fingerprints and exact keys). */
  seen?: Seen;
}

// An IPv4 address, or an IPv6 one (with "::", or at least four colons: never a time of day such as 9:31:05).
const IPV4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/g;
const IPV6 = /(?<![0-9A-Za-z:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Za-z:])/g;

/**
 * Text with every IP-like part replaced by [IP]: the store never writes an IP address (来自IP is personal data), and a
 * row shifted by a column can carry one into any cell, reason or warning.
 */
export function maskIp(text: string): string {
  if (!text.includes(".") && !text.includes(":")) return text;
  return text.replace(IPV4, "[IP]").replace(IPV6, (m) => (m.includes("::") || m.split(":").length > 4 ? "[IP]" : m));
}

/** Metadata columns that can carry an IP address: dropped from the quarantined cells. */
const IP_FIELDS: ReadonlySet<MetaField> = new Set(["ip", "sourceDetail"]);

/** SHA-256 of a file, read in 1 MB chunks (memory does not grow with the file). */
export function sha256File(file: string): string {
  const fd = openSync(file, "r");
  try {
    return sha256OfOpenFile(fd);
  } finally {
    closeSync(fd);
  }
}

export function detectKind(table: RawTable, roles: ColumnRole[]): ExportKind {
  const hasId = roles.some((r) => r.kind === "meta" && r.field === "id");
  if (roles.some((r) => r.kind === "meta" && r.field === "totalScore")) return "wjx-score";
  if (roles.some((r) => r.kind === "option")) return "wjx-number";
  let labels = 0;
  let numbers = 0;
  roles.forEach((role, i) => {
    if (role.kind !== "question" || (role.question.type !== "likert" && role.question.type !== "single")) return;
    for (const row of table.rows.slice(0, 200)) {
      const cell = row[i] ?? null;
      if (isSkipped(cell)) continue;
      if (typeof cell === "number" || /^\s*-?\d+\s*$/.test(String(cell))) numbers++;
      else labels++;
    }
  });
  if (!hasId) return "table"; // a plain table (no 问卷星 序号 column), e.g. an analyst's CSV
  return labels >= numbers ? "wjx-text" : "wjx-score";
}

const YEAR_IN_NAME = /(?:^|[^0-9])((?:19|20)\d{2})(?![0-9])/g;
/** A number followed by one of these counts something (导出2031条, 共2024份): it is not a year. */
const COUNT_WORD = /^\s*(?:条|份|人|行|个|名|例|张|项|题|次)/u;

/**
 * The year the file name gives: the first 19xx/20xx written as a year (2024年, 2024年度), else the first one that is
 * not a count; `marked` when written with 年.
 */
export function yearInName(name: string): { year: number; marked: boolean } | undefined {
  let bare: number | undefined;
  for (const m of name.matchAll(YEAR_IN_NAME)) {
    const after = name.slice(m.index + m[0].length);
    if (/^\s*年/u.test(after)) return { year: Number(m[1]), marked: true };
    if (bare === undefined && !COUNT_WORD.test(after)) bare = Number(m[1]);
  }
  return bare === undefined ? undefined : { year: bare, marked: false };
}

function mostCommonYear(timestamps: (string | null)[]): { year: number; count: number; total: number } | undefined {
  const years = new Map<number, number>();
  let total = 0;
  for (const t of timestamps)
    if (t) {
      years.set(Number(t.slice(0, 4)), (years.get(Number(t.slice(0, 4))) ?? 0) + 1);
      total++;
    }
  const [year, count] = [...years].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0] ?? [];
  return year === undefined ? undefined : { year, count: count!, total };
}

/** Every cell of the row is blank or a skip marker. */
function isBlankRow(cells: Cell[]): boolean {
  for (let i = 0; i < cells.length; i++) if (!isSkipped(cells[i])) return false;
  return true;
}

/** What a row read is replaced by (its cells are kept only if it is quarantined). */
const NO_CELLS: Cell[] = [];

/** A quarantined row's cells as the store keeps them: IP and 来源详情 columns emptied, IP-like text masked. */
function quarantineCells(cells: Cell[], ipColumns: number[]): Cell[] {
  const out = cells.map((c) => (typeof c === "string" ? maskIp(c) : c));
  for (const i of ipColumns) if (i < out.length) out[i] = null;
  return out;
}

/** At least minItems Likert answers, all the same value. */
function isStraightliner(r: Respondent, minItems: number): boolean {
  let count = 0;
  let first = 0;
  for (const a of r.answers.values()) {
    if (a.type !== "likert") continue;
    if (count === 0) first = a.value;
    if (a.value !== first) return false; // first too: a NaN equals nothing
    count++;
  }
  return count >= minItems;
}

const mappedCount = (map: ColumnMap) => map.roles.filter((r) => r.kind === "question" || r.kind === "option").length;

/** Text of a header or cell in a message: trimmed, at most 40 characters. */
function short(value: unknown): string {
  const text = String(value ?? "").trim();
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * The header is the first non-blank row, unless a title line sits above the table (a steward's “2019年问卷” row, or a
 * merged title cell): then the row among the first few that maps the most columns to the codebook is the header.
 */
function chooseHeader(table: RawTable, codebook: Codebook, rosterNames: string[]): { table: RawTable; map: ColumnMap } {
  let best = { table, map: mapColumns(table.header, codebook, rosterNames) };
  let bestCount = mappedCount(best.map);
  for (let i = 0; i < Math.min(table.rows.length, 10); i++) {
    const candidate = mapColumns(
      table.rows[i].map((c) => (c === null ? "" : String(c))),
      codebook,
      rosterNames
    );
    const count = mappedCount(candidate);
    if (count > bestCount) {
      const moved = withHeaderAt(table, i);
      best = { table: moved, map: mapColumns(moved.header, codebook, rosterNames) };
      bestCount = count;
    }
  }
  return best;
}

/** How many columns the best of a sheet's first rows maps to the codebook (to pick the sheet holding the answers). */
function sheetScore(codebook: Codebook, rosterNames: string[]) {
  return (rows: Cell[][]) =>
    Math.max(
      0,
      ...rows.map((row) =>
        mappedCount(
          mapColumns(
            row.map((c) => (c === null || c === undefined ? "" : String(c))),
            codebook,
            rosterNames
          )
        )
      )
    );
}

export function ingestFile(file: string, options: IngestOptions): FileResult {
  const { codebook, roster } = options;
  const name = basename(file);
  const { table, map } = readAnswerTable(file, codebook, roster); // throws UnreadableFileError
  const sha256 = table.sha256 ?? sha256File(file); // the checksum of exactly the bytes parsed
  const kind = detectKind(table, map.roles);
  const decoder = createRowDecoder({
    codebook,
    roster,
    roles: map.roles,
    header: table.header,
    date1904: table.date1904
  });
  const warnings = [...(table.warnings ?? []), ...map.warnings];
  // The submission times, decoded once: they give the wave, and the decoder takes them instead of decoding again.
  const timeColumn = map.roles.findIndex((r) => r.kind === "meta" && r.field === "submittedAt");
  const submittedAt =
    timeColumn < 0 ? [] : table.rows.map((row) => decodeTimestamp(row[timeColumn] ?? null, table.date1904, [], ""));
  const wave = chooseWave(file, name, options.wave, mostCommonYear(submittedAt), warnings);
  const rows = table.rows.length;
  const { accepted, quarantined, weakRepeats } = sortRows(table, {
    reader: rowReader(table, map, decoder, timeColumn, submittedAt),
    duplicates: duplicateCheck(table, map, codebook, options.seen, wave, timeColumn),
    ipColumns: map.roles.flatMap((r, i) => (r.kind === "meta" && IP_FIELDS.has(r.field) ? [i] : [])),
    idPrefix: sha256.slice(0, 12),
    quality: codebook.quality
  });
  const unknownColumns = map.roles.flatMap((role, i) =>
    role.kind === "unknown" && table.header[i].trim() !== "" ? [{ column: table.header[i], reason: role.reason }] : []
  );
  warnings.push(...fileWarnings(table, map, unknownColumns, weakRepeats));

  return {
    file,
    name,
    sha256,
    format: table.format,
    encoding: table.encoding,
    sheet: table.sheet,
    kind,
    wave,
    rows,
    accepted,
    quarantined,
    warnings: warnings.map(maskIp),
    unknownColumns,
    missingQuestions: map.missing.map((q) => q.code)
  };
}

/**
 * The file's table of answers, with its header row and sheet chosen; refused whole (UnreadableFileError) when no
 * column is a question of the codebook, there are no answers, or a required question's column is missing.
 */
function readAnswerTable(file: string, codebook: Codebook, roster: RosterUnit[]): { table: RawTable; map: ColumnMap } {
  const rosterNames = roster.map((u) => u.name);
  // readTable throws UnreadableFileError
  const { table, map } = chooseHeader(
    readTable(file, { sheetScore: sheetScore(codebook, rosterNames) }),
    codebook,
    rosterNames
  );
  const sheetsNamed =
    (table.sheets?.length ?? 0) > 1 ? `工作簿中的工作表${table.sheets!.map((s) => `“${s}”`).join("、")}` : undefined;
  if (mappedCount(map) === 0)
    throw new UnreadableFileError(
      file,
      sheetsNamed
        ? `${sheetsNamed}都没有能对应到码本中题目的表头：答卷不在这个工作簿里，或码本不对；请核对文件（问卷星导出的答卷工作表第一行是“序号”“提交答卷时间”和各题题目）`
        : "表头没有一列能对应到码本中的题目：这不是本问卷的导出文件，或码本不对；请核对文件和码本"
    );
  if (table.rows.length === 0)
    throw new UnreadableFileError(file, "文件只有表头，没有任何答卷：请确认在问卷星导出时选择了全部答卷");
  const missingRequired = map.missing.filter((q) => q.required);
  if (missingRequired.length)
    throw new UnreadableFileError(
      file,
      `文件中没有必答题${missingRequired.map((q) => `“${q.number ? `${q.number}、` : ""}${q.text}”（${q.code}）`).join("、")}这一列，任何答卷都无法导入：` +
        "请导出完整的问卷，或核对码本中的题目文字" +
        (sheetsNamed ? `（读取的是工作表“${table.sheet}”；${sheetsNamed}）` : "")
    );
  return { table, map };
}

/**
 * The wave: --wave, else the year in the file name, else the most common year of the submission times. A year
 * written as a year (2024年) is the wave even when the times disagree (a 补录 file, entered late), with a warning; a
 * bare number that no submission time agrees with is not taken for the year: the times decide.
 */
function chooseWave(
  file: string,
  name: string,
  given: number | undefined,
  years: ReturnType<typeof mostCommonYear>,
  warnings: string[]
): number {
  let fromName = yearInName(name);
  if (
    given === undefined &&
    fromName &&
    !fromName.marked &&
    years &&
    years.count === years.total &&
    years.year !== fromName.year
  ) {
    warnings.push(
      `文件名中的数字 ${fromName.year} 不是调查年度：所有答卷（${years.total} 份）都提交于 ${years.year} 年，已按提交时间定为 ${years.year} 年度；如有误请用 --wave 指定`
    );
    fromName = undefined;
  }
  const wave = given ?? fromName?.year ?? years?.year;
  if (wave === undefined)
    throw new UnreadableFileError(
      file,
      "无法确定调查年度：文件名中没有年份，文件中也没有可识别的提交答卷时间；请在文件名中写明年份（如“2019年问卷.xlsx”），或用 --wave 指定"
    );
  if (given === undefined && fromName && years && years.year !== wave && years.count > years.total / 2)
    warnings.push(
      `文件名中的年份是 ${wave}，但多数答卷（${years.count}/${years.total}）提交于 ${years.year} 年；已按 ${wave} 年度导入，如有误请用 --wave 指定`
    );
  return wave;
}

/** What it takes to turn one data row into a respondent or its reasons, before duplicates are looked for. */
interface RowReader {
  decoder: RowDecoder;
  /** Each row's submission time when already decoded from the decoder's own time column (not decoded twice). */
  times: (string | null)[] | undefined;
  isHeaderAgain: (cells: Cell[]) => boolean;
  /** Problems the reader found in single cells (merged cells, Excel errors, garbled text …), by row number. */
  issuesByRow: Map<number, RowError[]>;
  /** Rows spanning several text lines (a quoted field with line breaks), by row number. */
  spanOf: Map<number, NonNullable<RawTable["spans"]>[number]>;
  /** In a CSV, a row shorter than the header lost cells; a spreadsheet simply leaves trailing cells out. */
  textFormat: boolean;
  headerWidth: number;
}

function rowReader(
  table: RawTable,
  map: ColumnMap,
  decoder: RowDecoder,
  timeColumn: number,
  submittedAt: (string | null)[]
): RowReader {
  const normalizedHeader = table.header.map((h) => normalizeText(h));
  const headerNamed = normalizedHeader.filter((h) => h !== "").length >= 2;
  const issuesByRow = new Map<number, RowError[]>();
  for (const issue of table.cellIssues ?? []) {
    const column = table.header[issue.column]?.trim() ? table.header[issue.column] : `第${issue.column + 1}列`;
    issuesByRow.set(issue.row, [
      ...(issuesByRow.get(issue.row) ?? []),
      { column, kind: issue.kind, reason: issue.reason }
    ]);
  }
  return {
    decoder,
    times: timeColumn >= 0 && timeColumn === decoder.submittedAtColumn ? submittedAt : undefined,
    isHeaderAgain: (cells) =>
      headerNamed && normalizedHeader.every((h, i) => h === "" || normalizeText(String(cells[i] ?? "")) === h),
    issuesByRow,
    spanOf: new Map((table.spans ?? []).map((s) => [s.row, s])),
    textFormat: table.format === "csv",
    headerWidth: table.header.length
  };
}

/** Row `index` (numbered `row` in the file) → a respondent, or the reasons it is not one (yet without duplicates). */
function readRow(
  reader: RowReader,
  cells: Cell[],
  index: number,
  row: number
): { respondent?: Respondent; errors: RowError[] } {
  if (isBlankRow(cells)) return { errors: [{ column: "(整行)", kind: "empty_row", reason: "空行：整行没有任何内容" }] };
  if (reader.isHeaderAgain(cells))
    return {
      errors: [
        {
          column: "(整行)",
          kind: "repeated_header",
          reason: "这一行是重复的表头，不是答卷（多半是把两次导出拼接在了一起）"
        }
      ]
    };
  const { respondent, errors } = reader.decoder.decode(cells, reader.times?.[index]);
  if (reader.textFormat && cells.length < reader.headerWidth)
    errors.push({
      column: `第${cells.length + 1}列起`,
      kind: "column_shift",
      reason: `该行只有 ${cells.length} 列，比表头少 ${reader.headerWidth - cells.length} 列（行不完整或列错位）`
    });
  for (const issue of reader.issuesByRow.get(row) ?? []) errors.push(issue);
  const span = reader.spanOf.get(row);
  if (errors.length && span)
    errors.push({
      column: "(整行)",
      kind: "quote_span",
      reason: `这一行从文本第 ${span.fromLine} 行延续到第 ${span.toLine} 行（引号内有换行）：如不是有意写的多行文字，多半是某个引号没有闭合，把其后的行并进了这一行`
    });
  return { respondent, errors };
}

/** What is kept across a file's rows to find a submission that was already seen. */
interface DuplicateCheck {
  /** Respondents of the store and of earlier files of the batch. */
  seen: Seen | undefined;
  /** 序号 → the row it was first seen on. */
  seenSerial: Map<number, number>;
  /** Fingerprints of this file's accepted rows, valued by row. */
  inFile: SeenIndex;
  fingerprinter: Fingerprinter;
  /** Identical rows that cannot be told apart (no 序号, no time): accepted, and named in a warning. */
  weakRepeats: { row: number; of: string }[];
  wave: number;
  idColumn: string;
  timeHeader: string;
}

function duplicateCheck(
  table: RawTable,
  map: ColumnMap,
  codebook: Codebook,
  seen: Seen | undefined,
  wave: number,
  timeColumn: number
): DuplicateCheck {
  return {
    seen,
    seenSerial: new Map(),
    inFile: new SeenIndex(),
    fingerprinter: new Fingerprinter(codebook),
    weakRepeats: [],
    wave,
    idColumn: table.header[map.roles.findIndex((r) => r.kind === "meta" && r.field === "id")] ?? "序号",
    timeHeader: timeColumn >= 0 ? table.header[timeColumn] : "(整行)"
  };
}

/**
 * The respondent's keys, with a reason added to `errors` when it repeats an earlier one: the same 序号 earlier in this
 * file; the same submission (fingerprint) earlier in this file, or in the store or an earlier file of the batch,
 * whatever its export mode, container, encoding or time precision.
 */
function checkDuplicate(
  check: DuplicateCheck,
  respondent: Respondent,
  row: number,
  errors: RowError[]
): RespondentKeys {
  const keys = check.fingerprinter.keys(respondent, check.wave);
  const duplicateColumn = respondent.serial !== null ? check.idColumn : check.timeHeader;
  const first = respondent.serial === null ? undefined : check.seenSerial.get(respondent.serial);
  if (first !== undefined)
    errors.push({
      column: check.idColumn,
      kind: "duplicate",
      reason: `序号 ${respondent.serial} 重复（与第 ${first} 行相同）`
    });
  else if (respondent.serial !== null) check.seenSerial.set(respondent.serial, row);
  if (first !== undefined) return keys;
  const { inFile, seen } = check;
  const earlierRow = Math.max(inFile.get(keys.fingerprint), keys.previousMinute ? inFile.get(keys.previousMinute) : -1);
  const elsewhere = seen?.fileOf(keys.fingerprint) ?? seen?.fileOf(keys.previousMinute) ?? seen?.fileOf(keys.exact);
  if (keys.weak) {
    if (earlierRow >= 0) check.weakRepeats.push({ row, of: `第 ${earlierRow} 行` });
    else if (elsewhere) check.weakRepeats.push({ row, of: `已导入的 ${elsewhere}` });
  } else if (earlierRow >= 0)
    errors.push({
      column: duplicateColumn,
      kind: "duplicate",
      reason: `与本文件第 ${earlierRow} 行的答卷相同（同一提交时间（精确到分钟）、同样的答案${respondent.serial === null ? "；文件没有序号" : ""}）：同一份答卷粘贴或导出了两次`
    });
  else if (elsewhere)
    errors.push({
      column: duplicateColumn,
      kind: "duplicate",
      reason:
        respondent.serial !== null
          ? `与已导入的 ${elsewhere} 中同一序号、同一提交时间的答卷重复（同一份答卷导出了两次；提交时间按分钟比较，答案按解码后的选项比较）`
          : `与已导入的 ${elsewhere} 中同一提交时间（精确到分钟）、同样答案的答卷重复（同一份答卷导出或粘贴了两次）`
    });
  return keys;
}

/** What sortRows needs besides the table. */
interface RowSorter {
  reader: RowReader;
  duplicates: DuplicateCheck;
  /** Columns emptied in quarantined cells (IP and 来源详情). */
  ipColumns: number[];
  /** The start of every respondentId of this file (its checksum's). */
  idPrefix: string;
  quality: Codebook["quality"];
}

/**
 * Every data row into exactly one of accepted and quarantined. A row's cells are dropped from the table once read
 * (kept only if it is quarantined): memory does not hold the file twice.
 */
function sortRows(
  table: RawTable,
  sorter: RowSorter
): { accepted: AcceptedRespondent[]; quarantined: QuarantinedRow[]; weakRepeats: { row: number; of: string }[] } {
  const accepted: AcceptedRespondent[] = [];
  const quarantined: QuarantinedRow[] = [];
  const rows = table.rows.length;
  for (let i = 0; i < rows; i++) {
    const cells = table.rows[i];
    const row = table.rowNumbers[i];
    const { respondent, errors } = readRow(sorter.reader, cells, i, row);
    const keys = respondent ? checkDuplicate(sorter.duplicates, respondent, row, errors) : undefined;
    if (!respondent || errors.length) {
      for (const e of errors) e.reason = maskIp(e.reason);
      quarantined.push({ row, errors, cells: quarantineCells(cells, sorter.ipColumns) });
    } else {
      sorter.duplicates.inFile.add(keys!.fingerprint, row);
      accepted.push({
        serial: respondent.serial,
        submittedAt: respondent.submittedAt,
        durationSeconds: respondent.durationSeconds,
        source: respondent.source,
        answers: respondent.answers,
        respondentId: `${sorter.idPrefix}-${respondent.serial ?? `r${row}`}`,
        row,
        isSpeeder:
          respondent.durationSeconds !== null && respondent.durationSeconds < sorter.quality.minDurationSeconds,
        isStraightliner: isStraightliner(respondent, sorter.quality.straightLineMinItems),
        keys: keys!
      });
    }
    table.rows[i] = NO_CELLS; // this row's cells are kept only if quarantined
  }
  return { accepted, quarantined, weakRepeats: sorter.duplicates.weakRepeats };
}

/** The warnings about the file as a whole, after its rows: lines above the header, blank lines, unread columns … */
function fileWarnings(
  table: RawTable,
  map: ColumnMap,
  unknownColumns: { column: string }[],
  weakRepeats: { row: number; of: string }[]
): string[] {
  const warnings: string[] = [];
  if (table.preamble?.length)
    warnings.push(
      `表头在第 ${table.headerRow} 行；其上的 ${table.preamble.length} 行不是答卷，未导入：` +
        table.preamble
          .map(
            (p) => `第 ${p.row} 行“${short(p.cells.filter((c) => c !== null && String(c).trim() !== "").join(" "))}”`
          )
          .join("、")
    );
  if (table.trailingBlankRows) warnings.push(`文件末尾有 ${table.trailingBlankRows} 个空行，不计为答卷`);
  if (unknownColumns.length)
    warnings.push(
      `${unknownColumns.length} 列在码本中没有对应的题目，这些列的答案未导入（原文件已保存）：${unknownColumns.map((c) => `“${short(c.column)}”`).join("、")}；` +
        "如应导入，请先在码本中补上这些题"
    );
  if (map.missing.length)
    warnings.push(
      `码本中的 ${map.missing.length} 道题在文件中没有对应的列，按未作答处理：${map.missing.map((q) => `${q.code}（${short(q.text)}）`).join("、")}`
    );
  if (weakRepeats.length)
    warnings.push(
      `${weakRepeats.length} 行与${weakRepeats.length > 1 ? "其他" : "另一"}答卷的答案完全相同：${weakRepeats
        .slice(0, 10)
        .map((w) => `第 ${w.row} 行同${w.of}`)
        .join("、")}` +
        `${weakRepeats.length > 10 ? " 等" : ""}；文件既没有序号也没有提交答卷时间，无法区分重复粘贴和答案相同的不同答卷，已全部接受，请核对`
    );
  return warnings;
}
