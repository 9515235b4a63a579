// One export file → accepted respondents and quarantined rows, with nothing written yet (the store does that).
// rows = accepted + quarantined, always: every data row of the file ends in exactly one of the two.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { Codebook, RosterUnit } from "../codebook/schema.ts";
import { mapColumns, type ColumnRole } from "./map-columns.ts";
import { createRowDecoder, isSkipped, type Respondent, type RowError } from "./parse-row.ts";
import { readTable, UnreadableFileError, type Cell, type RawTable } from "./read-table.ts";

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
  /** Respondents already in the store for a wave, keyed `serial|submittedAt`, to catch the same answers exported twice. */
  existingKeys?: (wave: number) => Map<string, string>;
}

export function sha256File(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
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

export function inferWave(name: string, respondents: { submittedAt: string | null }[]): number | undefined {
  const fromName = /(?:^|[^0-9])((?:19|20)\d{2})(?![0-9])/.exec(name);
  if (fromName) return Number(fromName[1]);
  const years = new Map<number, number>();
  for (const r of respondents) if (r.submittedAt) years.set(Number(r.submittedAt.slice(0, 4)), (years.get(Number(r.submittedAt.slice(0, 4))) ?? 0) + 1);
  return [...years].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function isStraightliner(r: Respondent, minItems: number): boolean {
  const values = [...r.answers.values()].flatMap((a) => (a.type === "likert" ? [a.value] : []));
  return values.length >= minItems && values.every((v) => v === values[0]);
}

export function ingestFile(file: string, options: IngestOptions): FileResult {
  const { codebook, roster } = options;
  const name = basename(file);
  const table = readTable(file); // throws UnreadableFileError: the file is refused whole
  const sha256 = sha256File(file);
  const rosterNames = roster.map((u) => u.name);
  const map = mapColumns(table.header, codebook, rosterNames);
  const mapped = map.roles.filter((r) => r.kind === "question" || r.kind === "option").length;
  if (mapped === 0)
    throw new UnreadableFileError(file, "表头没有一列能对应到码本中的题目：这不是本问卷的导出文件，或码本不对");
  const kind = detectKind(table, map.roles, codebook);
  const decoder = createRowDecoder({ codebook, roster, roles: map.roles, header: table.header, date1904: table.date1904 });

  const decoded: { row: number; cells: Cell[]; respondent?: Respondent; errors: RowError[] }[] = table.rows.map((cells, i) => {
    const row = table.rowNumbers[i];
    if (cells.every((c) => isSkipped(c))) return { row, cells, errors: [{ column: "(整行)", reason: "空行：整行没有任何内容" }] };
    return { row, cells, ...decoder.decode(cells) };
  });

  const wave = options.wave ?? inferWave(name, decoded.flatMap((d) => (d.respondent ? [d.respondent] : [])));
  if (wave === undefined) throw new UnreadableFileError(file, "无法确定调查年度（文件名和提交时间中都没有年份），请用 --wave 指定");

  const idColumn = table.header[map.roles.findIndex((r) => r.kind === "meta" && r.field === "id")] ?? "序号";
  const existing = options.existingKeys?.(wave) ?? new Map<string, string>();
  const seenSerial = new Map<number, number>();
  const accepted: AcceptedRespondent[] = [];
  const quarantined: QuarantinedRow[] = [];
  for (const d of decoded) {
    const r = d.respondent;
    if (r && r.serial !== null) {
      const first = seenSerial.get(r.serial);
      if (first !== undefined) d.errors.push({ column: idColumn, reason: `序号 ${r.serial} 重复（与第 ${first} 行相同）` });
      else seenSerial.set(r.serial, d.row);
      const elsewhere = r.submittedAt ? existing.get(`${r.serial}|${r.submittedAt}`) : undefined;
      if (elsewhere) d.errors.push({ column: idColumn, reason: `与已导入的 ${elsewhere} 中同一序号、同一提交时间的答卷重复` });
    }
    if (!r || d.errors.length) {
      quarantined.push({ row: d.row, errors: d.errors, cells: d.cells });
      continue;
    }
    accepted.push({
      ...r,
      respondentId: `${sha256.slice(0, 12)}-${r.serial ?? `r${d.row}`}`,
      row: d.row,
      isSpeeder: r.durationSeconds !== null && r.durationSeconds < codebook.quality.minDurationSeconds,
      isStraightliner: isStraightliner(r, codebook.quality.straightLineMinItems)
    });
  }

  const unknownColumns = map.roles.flatMap((role, i) => (role.kind === "unknown" && table.header[i].trim() !== "" ? [{ column: table.header[i], reason: role.reason }] : []));
  const warnings = [...map.warnings];
  if (table.trailingBlankRows) warnings.push(`文件末尾有 ${table.trailingBlankRows} 个空行，不计为答卷`);
  if (unknownColumns.length) warnings.push(`${unknownColumns.length} 列不在码本中，未导入：${unknownColumns.map((c) => c.column.trim()).join("、")}`);
  if (map.missing.length) warnings.push(`码本中的 ${map.missing.length} 道题在文件中没有对应列，按缺失处理：${map.missing.map((q) => q.code).join("、")}`);

  return {
    file,
    name,
    sha256,
    format: table.format,
    encoding: table.encoding,
    sheet: table.sheet,
    kind,
    wave,
    rows: table.rows.length,
    accepted,
    quarantined,
    warnings,
    unknownColumns,
    missingQuestions: map.missing.map((q) => q.code)
  };
}
