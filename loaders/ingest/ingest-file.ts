// One export file → accepted respondents and quarantined rows, with nothing written yet (the store does that).
// rows = accepted + quarantined, always: every data row of the file ends in exactly one of the two. A file that
// cannot be used as a whole (unreadable, not this questionnaire, no answers, a required question's column missing,
// wave unknown) throws UnreadableFileError and is refused whole.
import { createHash } from "node:crypto";
import { closeSync, openSync, readSync } from "node:fs";
import { basename } from "node:path";
import type { Codebook, RosterUnit } from "../codebook/schema.ts";
import { mapColumns, normalizeText, type ColumnMap, type ColumnRole } from "./map-columns.ts";
import { createRowDecoder, decodeTimestamp, isSkipped, type Respondent, type RowError } from "./parse-row.ts";
import { readTable, UnreadableFileError, withHeaderAt, type Cell, type RawTable } from "./read-table.ts";

/** How 问卷星 wrote the answers: option text, option number (multiple choice expanded to 0/1 columns), or score. */
export type ExportKind = "wjx-text" | "wjx-number" | "wjx-score" | "table";

export interface AcceptedRespondent extends Respondent {
  respondentId: string;
  row: number;
  isSpeeder: boolean;
  isStraightliner: boolean;
}

export interface QuarantinedRow {
  row: number;
  errors: RowError[];
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
  /** Respondents already in the store (or earlier in this batch) for a wave, keyed `serial|submittedAt`, valued by file name. */
  existingKeys?: (wave: number) => Map<string, string>;
}

/** SHA-256 of a file, read in 1 MB chunks (memory does not grow with the file). */
export function sha256File(file: string): string {
  const hash = createHash("sha256");
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(1 << 20);
    for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

export function detectKind(table: RawTable, roles: ColumnRole[], codebook: Codebook): ExportKind {
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

const YEAR_IN_NAME = /(?:^|[^0-9])((?:19|20)\d{2})(?![0-9])/;

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
    const candidate = mapColumns(table.rows[i].map((c) => (c === null ? "" : String(c))), codebook, rosterNames);
    const count = mappedCount(candidate);
    if (count > bestCount) {
      const moved = withHeaderAt(table, i);
      best = { table: moved, map: mapColumns(moved.header, codebook, rosterNames) };
      bestCount = count;
    }
  }
  return best;
}

export function ingestFile(file: string, options: IngestOptions): FileResult {
  const { codebook, roster } = options;
  const name = basename(file);
  const rosterNames = roster.map((u) => u.name);
  const { table, map } = chooseHeader(readTable(file), codebook, rosterNames); // readTable throws UnreadableFileError
  if (mappedCount(map) === 0)
    throw new UnreadableFileError(file, "表头没有一列能对应到码本中的题目：这不是本问卷的导出文件，或码本不对；请核对文件和码本");
  if (table.rows.length === 0)
    throw new UnreadableFileError(file, "文件只有表头，没有任何答卷：请确认在问卷星导出时选择了全部答卷");
  const missingRequired = map.missing.filter((q) => q.required);
  if (missingRequired.length)
    throw new UnreadableFileError(
      file,
      `文件中没有必答题${missingRequired.map((q) => `“${q.number ? `${q.number}、` : ""}${q.text}”（${q.code}）`).join("、")}这一列，任何答卷都无法导入：` +
        "请导出完整的问卷，或核对码本中的题目文字"
    );
  const sha256 = table.sha256 ?? sha256File(file); // the checksum of exactly the bytes parsed
  const kind = detectKind(table, map.roles, codebook);
  const decoder = createRowDecoder({ codebook, roster, roles: map.roles, header: table.header, date1904: table.date1904 });
  const warnings = [...(table.warnings ?? []), ...map.warnings];

  // The wave: --wave, else the year in the file name, else the most common year of the submission times.
  const timeColumn = map.roles.findIndex((r) => r.kind === "meta" && r.field === "submittedAt");
  const submittedAt = timeColumn < 0 ? [] : table.rows.map((row) => decodeTimestamp(row[timeColumn] ?? null, table.date1904, [], ""));
  const years = mostCommonYear(submittedAt);
  const decodedTimes = timeColumn >= 0 && timeColumn === decoder.submittedAtColumn; // handed to the decoder, not decoded twice
  const fromName = YEAR_IN_NAME.exec(name);
  const wave = options.wave ?? (fromName ? Number(fromName[1]) : years?.year);
  if (wave === undefined)
    throw new UnreadableFileError(
      file,
      "无法确定调查年度：文件名中没有年份，文件中也没有可识别的提交答卷时间；请在文件名中写明年份（如“2019年问卷.xlsx”），或用 --wave 指定"
    );
  if (options.wave === undefined && fromName && years && years.year !== wave && years.count > years.total / 2)
    warnings.push(`文件名中的年份是 ${wave}，但多数答卷（${years.count}/${years.total}）提交于 ${years.year} 年；已按 ${wave} 年度导入，如有误请用 --wave 指定`);

  const idColumn = table.header[map.roles.findIndex((r) => r.kind === "meta" && r.field === "id")] ?? "序号";
  const normalizedHeader = table.header.map((h) => normalizeText(h));
  const headerNamed = normalizedHeader.filter((h) => h !== "").length >= 2;
  const isHeaderAgain = (cells: Cell[]) => headerNamed && normalizedHeader.every((h, i) => h === "" || normalizeText(String(cells[i] ?? "")) === h);
  const issuesByRow = new Map<number, RowError[]>();
  for (const issue of table.cellIssues ?? []) {
    const column = table.header[issue.column]?.trim() ? table.header[issue.column] : `第${issue.column + 1}列`;
    issuesByRow.set(issue.row, [...(issuesByRow.get(issue.row) ?? []), { column, reason: issue.reason }]);
  }
  const textFormat = table.format === "csv";
  const spanOf = new Map((table.spans ?? []).map((s) => [s.row, s]));

  const existing = options.existingKeys?.(wave) ?? new Map<string, string>();
  const seenSerial = new Map<number, number>();
  const accepted: AcceptedRespondent[] = [];
  const quarantined: QuarantinedRow[] = [];
  const rows = table.rows.length;
  const idPrefix = sha256.slice(0, 12);
  for (let i = 0; i < rows; i++) {
    const cells = table.rows[i];
    const row = table.rowNumbers[i];
    let respondent: Respondent | undefined;
    let errors: RowError[];
    if (isBlankRow(cells)) errors = [{ column: "(整行)", reason: "空行：整行没有任何内容" }];
    else if (isHeaderAgain(cells))
      errors = [{ column: "(整行)", reason: "这一行是重复的表头，不是答卷（多半是把两次导出拼接在了一起）" }];
    else {
      ({ respondent, errors } = decoder.decode(cells, decodedTimes ? submittedAt[i] : undefined));
      if (textFormat && cells.length < table.header.length)
        errors.push({ column: `第${cells.length + 1}列起`, reason: `该行只有 ${cells.length} 列，比表头少 ${table.header.length - cells.length} 列（行不完整或列错位）` });
      for (const issue of issuesByRow.get(row) ?? []) errors.push(issue);
      const span = spanOf.get(row);
      if (errors.length && span)
        errors.push({
          column: "(整行)",
          reason: `这一行从文本第 ${span.fromLine} 行延续到第 ${span.toLine} 行（引号内有换行）：如不是有意写的多行文字，多半是某个引号没有闭合，把其后的行并进了这一行`
        });
    }
    if (respondent && respondent.serial !== null) {
      const first = seenSerial.get(respondent.serial);
      if (first !== undefined) errors.push({ column: idColumn, reason: `序号 ${respondent.serial} 重复（与第 ${first} 行相同）` });
      else seenSerial.set(respondent.serial, row);
      const elsewhere = respondent.submittedAt ? existing.get(`${respondent.serial}|${respondent.submittedAt}`) : undefined;
      if (elsewhere) errors.push({ column: idColumn, reason: `与已导入的 ${elsewhere} 中同一序号、同一提交时间的答卷重复（同一份答卷导出了两次）` });
    }
    if (!respondent || errors.length) quarantined.push({ row, errors, cells });
    else
      accepted.push({
        serial: respondent.serial,
        submittedAt: respondent.submittedAt,
        durationSeconds: respondent.durationSeconds,
        source: respondent.source,
        answers: respondent.answers,
        respondentId: `${idPrefix}-${respondent.serial ?? `r${row}`}`,
        row,
        isSpeeder: respondent.durationSeconds !== null && respondent.durationSeconds < codebook.quality.minDurationSeconds,
        isStraightliner: isStraightliner(respondent, codebook.quality.straightLineMinItems)
      });
    table.rows[i] = NO_CELLS; // this row's cells are kept only if quarantined: memory does not hold the file twice
  }

  const unknownColumns = map.roles.flatMap((role, i) => (role.kind === "unknown" && table.header[i].trim() !== "" ? [{ column: table.header[i], reason: role.reason }] : []));
  if (table.preamble?.length)
    warnings.push(
      `表头在第 ${table.headerRow} 行；其上的 ${table.preamble.length} 行不是答卷，未导入：` +
        table.preamble.map((p) => `第 ${p.row} 行“${short(p.cells.filter((c) => c !== null && String(c).trim() !== "").join(" "))}”`).join("、")
    );
  if (table.trailingBlankRows) warnings.push(`文件末尾有 ${table.trailingBlankRows} 个空行，不计为答卷`);
  if (unknownColumns.length)
    warnings.push(
      `${unknownColumns.length} 列在码本中没有对应的题目，这些列的答案未导入（原文件已保存）：${unknownColumns.map((c) => `“${short(c.column)}”`).join("、")}；` +
        "如应导入，请先在码本中补上这些题"
    );
  if (map.missing.length)
    warnings.push(`码本中的 ${map.missing.length} 道题在文件中没有对应的列，按未作答处理：${map.missing.map((q) => `${q.code}（${short(q.text)}）`).join("、")}`);

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
    warnings,
    unknownColumns,
    missingQuestions: map.missing.map((q) => q.code)
  };
}
