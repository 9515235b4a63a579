// A survey export file → a header and rows of cells, whatever the container: CSV (any encoding), .xlsx, .xls, and the
// HTML table or tab-separated text that 问卷星 sometimes serves under an .xls name.
// Nothing here knows about questions; mapping headers to the codebook is map-columns.ts.
// Every container is checked before it is parsed: the size on disk, the ZIP directory of an .xlsx (zip-guard.ts),
// encryption. A file that fails a check is refused whole with an UnreadableFileError saying why and what to do.
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { extname } from "node:path";
import * as XLSX from "@e965/xlsx";
import { detectDelimiter, parseCsvRecords } from "../io/csv.ts";
import { decodeText, DecodeError, type DecodedText, type TextEncoding } from "../io/decode.ts";
import type { RowErrorKind } from "./parse-row.ts";
import { checkXlsxZip, ZipRejected } from "../io/zip-guard.ts";

export type Cell = string | number | boolean | null;
/** csv: any delimited text (also when named .xls); html: an HTML table named .xls, as 问卷星 sometimes serves. */
export type FileFormat = "csv" | "xlsx" | "xls" | "html";

/** A cell the container marks as not trustworthy: its row is quarantined with this reason (row as a spreadsheet shows it). */
export interface CellIssue {
  row: number;
  column: number;
  kind: RowErrorKind;
  reason: string;
}

export interface RawTable {
  format: FileFormat;
  encoding?: TextEncoding;
  sheet?: string;
  /** A workbook's visible sheets with content, in order (the one read is `sheet`). */
  sheets?: string[];
  header: string[];
  /** Data rows after the header; rowNumbers[i] is the row as a spreadsheet shows it (header = its own row number). */
  rows: Cell[][];
  rowNumbers: number[];
  /** Blank rows after the last data row: not data rows (Excel ranges often run past the data), but reported. */
  trailingBlankRows: number;
  /** Whether the workbook used the 1904 date system (old Mac Excel): date serials are 1462 days smaller. */
  date1904: boolean;
  /** The header's row as a spreadsheet shows it. */
  headerRow?: number;
  /** Rows above the header that are not blank (a title line above the table): not data, but reported. */
  preamble?: { row: number; cells: Cell[] }[];
  /** Cells the container marks (merged, formula without a saved value, Excel error value). */
  cellIssues?: CellIssue[];
  /** Text only: rows whose quoted cells span several text lines (to explain a row that swallowed the lines after it). */
  spans?: { row: number; fromLine: number; toLine: number }[];
  /** Things the steward should know about the file as a whole. */
  warnings?: string[];
  /** SHA-256 of exactly the bytes that were parsed. */
  sha256?: string;
}

/** A file that cannot be read at all: refused whole, with the reason a steward can act on. */
export class UnreadableFileError extends Error {
  constructor(
    readonly file: string,
    reason: string
  ) {
    super(`${file}: ${reason}`);
    this.name = "UnreadableFileError";
  }
}

/**
 * Larger exports than this are refused before a byte is read. A file is parsed whole in memory; measured peak resident
 * memory of a whole ingest just under the limit (exports of this questionnaire): a 23 MB CSV (37,000 respondents)
 * 0.8 GB, a 22 MB .xls (18,000, by option number) 1.1 GB, a 22 MB .xlsx (31,000) 1.0 GB. A 问卷星 export of this
 * questionnaire is 0.6–1.2 KB per respondent, so the limit is some 20,000–40,000 respondents in one file.
 */
export const MAX_FILE_BYTES = exportLimitMb() * 1024 * 1024;

/** YIPANQI_MAX_EXPORT_MB raises the limit on a machine with the memory for it (about 40× the file size). */
function exportLimitMb(): number {
  const mb = Number(process.env.YIPANQI_MAX_EXPORT_MB);
  return Number.isFinite(mb) && mb > 0 ? mb : 24;
}

const mb = (n: number) => `${(n / 1048576).toFixed(n < 10 * 1048576 ? 1 : 0)} MB`;

/** The checks that need no reading: the file exists, is a file, is not empty and not too large. */
export function checkFileSize(file: string): number {
  let stat;
  try {
    stat = statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "文件不存在"
        : code === "EACCES" || code === "EPERM"
          ? "没有读取权限"
          : `无法读取文件（${code ?? String(e)}）`;
    throw new UnreadableFileError(file, `${why}：请检查路径和权限`);
  }
  if (!stat.isFile()) throw new UnreadableFileError(file, "这不是一个文件（可能是文件夹）：请给出导出文件本身");
  if (stat.size === 0) throw new UnreadableFileError(file, "文件为空（0 字节）：可能下载未完成，请重新从问卷星下载");
  if (stat.size > MAX_FILE_BYTES)
    throw new UnreadableFileError(
      file,
      `文件过大（${mb(stat.size)}，上限 ${mb(MAX_FILE_BYTES)}），未读取：请确认选对了文件；如确为答卷，请在问卷星按时间段或单位分批导出（每份不超过 ${mb(MAX_FILE_BYTES)}）后分别导入`
    );
  return stat.size;
}

const isZip = (b: Uint8Array) =>
  b[0] === 0x50 && b[1] === 0x4b && (b[2] === 0x03 || b[2] === 0x05) && (b[3] === 0x04 || b[3] === 0x06);
const isOle = (b: Uint8Array) =>
  b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0 && b[4] === 0xa1 && b[5] === 0xb1;
/** A bare BIFF2–BIFF5 worksheet stream (very old Excel), which SheetJS reads too. */
const isBareBiff = (b: Uint8Array) => b[0] === 0x09 && [0x00, 0x02, 0x04, 0x08].includes(b[1]) && b[3] === 0x00;

/** The container by its first bytes: ZIP is .xlsx, OLE2 is .xls, anything else must be text (CSV or an HTML table). */
export function detectFormat(bytes: Uint8Array): "xlsx" | "xls" | "text" {
  if (isZip(bytes)) return "xlsx";
  if (isOle(bytes) || isBareBiff(bytes)) return "xls";
  return "text";
}

export interface ReadOptions {
  /**
   * How well the first rows of a sheet fit the questionnaire (0: not at all). Given, a workbook's sheet is the visible
   * one that fits best (the first on a tie); otherwise the first visible sheet with content.
   */
  sheetScore?: (firstRows: Cell[][]) => number;
}

/** Rows of a sheet handed to ReadOptions.sheetScore: enough for a header under a title line or two. */
const SCORED_ROWS = 12;

export function readTable(file: string, options: ReadOptions = {}): RawTable {
  checkFileSize(file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new UnreadableFileError(file, `无法读取文件（${(e as NodeJS.ErrnoException).code ?? (e as Error).message}）`);
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const format = detectFormat(bytes);
  if (format === "xlsx") {
    try {
      checkXlsxZip(bytes);
    } catch (e) {
      if (e instanceof ZipRejected) throw new UnreadableFileError(file, e.message);
      throw e;
    }
    return { ...readWorkbook(file, bytes, "xlsx", options), sha256 };
  }
  if (format === "xls") return { ...readWorkbook(file, bytes, "xls", options), sha256 };
  return { ...readText(file, bytes, options), sha256 };
}

function readText(file: string, bytes: Uint8Array, options: ReadOptions): RawTable {
  const ext = extname(file).toLowerCase();
  const isExcelName = ext === ".xls" || ext === ".xlsx";
  let decoded: DecodedText;
  try {
    decoded = decodeText(bytes);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    throw new UnreadableFileError(
      file,
      isExcelName
        ? "不是 Excel 文件（没有 Excel 的文件头），也不是文本：文件可能已损坏，或根本不是问卷导出文件；请重新从问卷星下载"
        : e.message
    );
  }
  const warnings: string[] = [];
  if (decoded.otherEncodingLines) {
    const { encoding, lines } = decoded.otherEncodingLines;
    warnings.push(
      `文件混用了两种编码：第 ${listLines(lines)} 行是 ${encodingName(encoding)}，其余是 ${encodingName(decoded.encoding)}（可能是把两份导出拼在一起）；` +
        "已按每行自己的编码读取，请核对这些行"
    );
  }
  const head = decoded.text
    .slice(0, 4096)
    .replace(/^\uFEFF/, "")
    .trimStart();
  if (head.startsWith("<")) {
    if (!/<table[\s>]/i.test(decoded.text))
      throw new UnreadableFileError(
        file,
        "这是一个网页文件，里面没有表格（可能是问卷星的登录页或错误页）：请登录后重新下载导出文件"
      );
    return readHtml(file, decoded, warnings, options);
  }
  const delimiter = detectDelimiter(decoded.text);
  const { rows, lines, endLines, unclosedQuotes } = parseCsvRecords(decoded.text, delimiter);
  const spans: NonNullable<RawTable["spans"]> = [];
  for (let i = 0; i < lines.length; i++)
    if (endLines[i] > lines[i]) spans.push({ row: i + 1, fromLine: lines[i], toLine: endLines[i] });
  if (isExcelName)
    warnings.push(
      `扩展名是 ${ext}，但内容是${delimiter === "\t" ? "制表符分隔的" : ""}文本表格（问卷星有时这样导出），已按文本读取`
    );
  if (unclosedQuotes.length)
    warnings.push(
      `文本第 ${listLines(unclosedQuotes)} 行有一个没有闭合的引号，已把它当作普通字符读取（否则其后各行都会并入一个单元格）`
    );
  const table = splitHeader(file, rows, { format: "csv", encoding: decoded.encoding, date1904: false });
  return { ...table, cellIssues: garbledCells(rows, decoded), spans, warnings };
}

/**
 * Cells holding U+FFFD: bytes valid in neither UTF-8 nor GBK, replaced when decoding (a damaged file, or a third
 * encoding). Such text is never stored: its row is quarantined. Rows are numbered as splitHeader numbers them.
 */
function garbledCells(rows: Cell[][], decoded: DecodedText): CellIssue[] {
  if (!decoded.text.includes("\uFFFD")) return [];
  const issues: CellIssue[] = [];
  rows.forEach((cells, r) =>
    cells.forEach((cell, c) => {
      if (typeof cell === "string" && cell.includes("\uFFFD"))
        issues.push({
          row: r + 1,
          column: c,
          kind: "garbled_text",
          reason: `单元格有无法按 ${encodingName(decoded.encoding)} 解码的字节（乱码，显示为 �）：文件可能已损坏或用了别的编码；请从问卷星重新导出后再导入`
        });
    })
  );
  return issues;
}

function listLines(lines: number[]): string {
  return lines.length > 10 ? `${lines.slice(0, 10).join("、")} 等 ${lines.length}` : lines.join("、");
}

function encodingName(e: TextEncoding): string {
  return e === "gb18030" ? "GBK" : e === "utf-8-bom" ? "UTF-8" : e.toUpperCase();
}

function readHtml(file: string, decoded: DecodedText, warnings: string[], options: ReadOptions): RawTable {
  let workbook: XLSX.WorkBook;
  try {
    // raw: cell text stays text (no guessing of dates or numbers); the ingest decodes it like CSV text.
    workbook = XLSX.read(decoded.text, { type: "string", raw: true, dense: true, cellDates: false, cellHTML: false });
  } catch (e) {
    throw new UnreadableFileError(file, `网页表格无法解析（${(e as Error).message}）：请重新下载导出文件`);
  }
  warnings.push("这是一个网页表格（问卷星有时以 .xls 的名字提供网页），已按表格读取");
  return fromWorkbook(file, workbook, "html", warnings, options, decoded.encoding);
}

function readWorkbook(file: string, bytes: Uint8Array, format: "xlsx" | "xls", options: ReadOptions): RawTable {
  let workbook: XLSX.WorkBook;
  try {
    // cellFormula: only to know which cells are formulas; their saved (cached) values are read, never evaluated.
    // sheetStubs: a formula without a saved value (<c><f>…</f></c>, or openpyxl's <f>…</f><v/>) is otherwise dropped
    // as if the cell were empty; as a stub (type z) it is kept, and quarantined.
    workbook = XLSX.read(bytes, {
      type: "buffer",
      cellDates: false,
      cellFormula: true,
      cellHTML: false,
      cellStyles: false,
      dense: true,
      sheetStubs: true
    });
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    if (/password|encrypt/i.test(message))
      throw new UnreadableFileError(
        file,
        "文件设置了打开密码（已加密），无法读取：请在 Excel 中打开，选“文件 → 信息 → 保护工作簿 → 用密码进行加密”，清空密码后另存，再重新导入"
      );
    throw new UnreadableFileError(file, `Excel 文件已损坏或无法解析（${message}）：请重新从问卷星下载或导出`);
  }
  return fromWorkbook(file, workbook, format, [], options);
}

type DenseSheet = XLSX.WorkSheet & { "!data"?: (XLSX.CellObject | undefined)[][] };

/** Beyond these the sheet's content cannot be a survey export: a stray cell far away (or a damaged file). */
export const MAX_SHEET_COLUMNS = 2000;
export const MAX_SHEET_CELLS = 20_000_000;

/** A cell that holds something (a value, even an empty string, a formula or an error); formatting-only stubs do not. */
const hasContent = (cell: XLSX.CellObject | undefined): cell is XLSX.CellObject =>
  cell !== undefined &&
  (cell.f !== undefined || cell.t === "e" || (cell.t !== "z" && cell.v !== undefined && cell.v !== null));

/** A formula whose result the file does not hold: a stub, no value, or an empty text (what openpyxl writes). */
const formulaWithoutValue = (cell: XLSX.CellObject) =>
  cell.f !== undefined && (cell.t === "z" || cell.v === undefined || cell.v === null || cell.v === "");

/**
 * Where a sheet's content really ends. The range a workbook declares (its "dimension") is not trusted: Excel often
 * declares A1:XFD1048576 after formatting whole columns, and reading such a range cell by cell would never end.
 */
function contentExtent(ws: DenseSheet): { rows: number; columns: number } {
  let rows = 0;
  let columns = 0;
  const data = ws["!data"] ?? [];
  for (let r = 0; r < data.length; r++) {
    const cells = data[r];
    if (!cells) continue;
    for (let c = cells.length - 1; c >= 0; c--)
      if (hasContent(cells[c])) {
        rows = r + 1;
        columns = Math.max(columns, c + 1);
        break;
      }
  }
  return { rows, columns };
}

/** A cell's value as the export shows it: the saved value (never a formula), null for empty, error or stub cells. */
function valueOf(cell: XLSX.CellObject | undefined): Cell {
  if (!cell || cell.t === "e" || cell.t === "z" || cell.v === undefined || cell.v === null) return null;
  return cell.v instanceof Date ? cell.v.toISOString() : (cell.v as Cell);
}

function fromWorkbook(
  file: string,
  workbook: XLSX.WorkBook,
  format: FileFormat,
  warnings: string[],
  options: ReadOptions,
  encoding?: TextEncoding
): RawTable {
  // 问卷星 writes one sheet; stewards add hidden helper sheets, or put a 填表说明 sheet first. Of the visible sheets
  // with content, the one whose first rows fit the questionnaire best (the first one without a score or on a tie).
  const hidden = new Set((workbook.Workbook?.Sheets ?? []).filter((s) => s.Hidden).map((s) => s.name));
  const extents = new Map(
    workbook.SheetNames.map((name) => [name, contentExtent(workbook.Sheets[name] as DenseSheet)])
  );
  const hasCells = (name: string) => (extents.get(name)?.rows ?? 0) > 0;
  const visible = workbook.SheetNames.filter((name) => !hidden.has(name) && hasCells(name));
  let sheet = visible[0];
  let chosenByScore = false;
  if (options.sheetScore && visible.length > 1) {
    let best = 0;
    for (const name of visible) {
      const data = (workbook.Sheets[name] as DenseSheet)["!data"] ?? [];
      const score = options.sheetScore(
        data.slice(0, SCORED_ROWS).map((cells) => (cells ?? []).slice(0, MAX_SHEET_COLUMNS).map(valueOf))
      );
      if (score > best) [best, sheet, chosenByScore] = [score, name, name !== visible[0]];
    }
  }
  if (!sheet)
    throw new UnreadableFileError(
      file,
      hidden.size && workbook.SheetNames.some(hasCells)
        ? "工作簿中有数据的工作表都被隐藏了：请在 Excel 中取消隐藏答卷所在的工作表后重新导入"
        : "工作簿中没有任何含数据的工作表：文件是空的，请重新导出"
    );
  const skippedHidden = workbook.SheetNames.filter((name) => hidden.has(name) && hasCells(name));
  const otherVisible = visible.filter((name) => name !== sheet);
  if (skippedHidden.length)
    warnings.push(`跳过了隐藏的工作表：${skippedHidden.map((s) => `“${s}”`).join("、")}；读取的是“${sheet}”`);
  if (otherVisible.length)
    warnings.push(
      `工作簿还有其他工作表没有读取：${otherVisible.map((s) => `“${s}”`).join("、")}（读取的是工作表“${sheet}”：` +
        `${chosenByScore ? "它的表头与码本中的题目对应，其前面的工作表不是答卷" : "第一个有数据的可见工作表"}）`
    );

  const ws = workbook.Sheets[sheet] as DenseSheet;
  const extent = extents.get(sheet)!;
  if (extent.columns > MAX_SHEET_COLUMNS || extent.rows * extent.columns > MAX_SHEET_CELLS) {
    const far = XLSX.utils.encode_cell({ r: extent.rows - 1, c: extent.columns - 1 });
    throw new UnreadableFileError(
      file,
      `工作表“${sheet}”的内容一直延伸到 ${far}（${extent.rows} 行 × ${extent.columns} 列），远超一份问卷导出：` +
        "多半是误输入或误粘贴的单元格；请在 Excel 中删除答卷以外的行和列后重新导入"
    );
  }
  // Rows from A1, so row r is spreadsheet row r + 1 and column c is column c + 1; each row up to its last content.
  const data = ws["!data"] ?? [];
  const rows: Cell[][] = [];
  for (let r = 0; r < extent.rows; r++) {
    const cells = data[r] ?? [];
    let last = Math.min(cells.length, extent.columns) - 1;
    while (last >= 0 && !hasContent(cells[last])) last--;
    const row: Cell[] = new Array(last + 1);
    for (let c = 0; c <= last; c++) row[c] = valueOf(cells[c]);
    rows.push(row);
  }
  const date1904 = Boolean(workbook.Workbook?.WBProps?.date1904);
  const table = { ...splitHeader(file, rows, { format, sheet, date1904, encoding }), sheets: visible };

  const issues: CellIssue[] = [];
  let formulas = 0;
  for (let r = 0; r < extent.rows; r++)
    (data[r] ?? []).forEach((cell, c) => {
      if (!cell) return;
      if (cell.f !== undefined) formulas++;
      if (cell.t === "e" && cell.v !== undefined)
        issues.push({
          row: r + 1,
          column: c,
          kind: "excel_error",
          reason: `单元格是 Excel 错误值 ${cell.w ?? "#错误"}，不是答案`
        });
      else if (formulaWithoutValue(cell))
        issues.push({
          row: r + 1,
          column: c,
          kind: "formula_without_value",
          reason:
            "单元格是公式但文件中没有保存计算结果（公式不会被执行；openpyxl 等程序写出的公式都是这样）：请在 Excel 中打开并保存后再导入，或把公式粘贴为数值"
        });
    });
  if (formulas)
    warnings.push(`有 ${formulas} 个单元格是公式：只读取了文件中保存的计算结果，公式本身没有执行，也不会被写出`);
  // A merged range keeps its value in the top-left cell only: every other row it covers is flagged once.
  for (const merge of ws["!merges"] ?? []) {
    const anchor = XLSX.utils.encode_cell(merge.s);
    const name = XLSX.utils.encode_range(merge);
    const reason = `位于合并单元格 ${name} 内，值只保存在 ${anchor}：请取消合并、逐行填写后重新导入`;
    for (let r = merge.s.r; r <= Math.min(merge.e.r, extent.rows - 1); r++) {
      const column = r === merge.s.r ? merge.s.c + 1 : merge.s.c;
      if (column <= merge.e.c) issues.push({ row: r + 1, column, kind: "merged_cell", reason });
    }
  }
  if (format !== "html" && (ws["!merges"]?.length ?? 0) > 0)
    warnings.push(`工作表“${sheet}”有 ${ws["!merges"]!.length} 处合并单元格`);
  return { ...table, cellIssues: issues, warnings };
}

function isBlank(row: readonly Cell[]): boolean {
  return row.every((c) => c === null || c === undefined || (typeof c === "string" && c.trim() === ""));
}

function splitHeader(
  file: string,
  all: Cell[][],
  info: Pick<RawTable, "format" | "encoding" | "sheet" | "date1904">
): RawTable {
  const headerIndex = all.findIndex((row) => !isBlank(row));
  if (headerIndex < 0)
    throw new UnreadableFileError(
      file,
      all.length ? "文件中没有任何内容（只有空白）：请重新从问卷星导出" : "文件中没有任何内容：请重新从问卷星导出"
    );
  const numberOf = (i: number) => i + 1;
  const header = all[headerIndex].map((c) => (c === null || c === undefined ? "" : String(c)));
  // A sheet's range can be wider than its header (a stray cell to the right): those columns have no header, so cells
  // there are reported as extra columns of their row, not read as answers.
  while (header.length && header[header.length - 1].trim() === "") header.pop();
  // Trailing blank rows are the end of the sheet, not data; interior blank rows are kept (and quarantined) so none vanish.
  let end = all.length;
  while (end > headerIndex + 1 && isBlank(all[end - 1])) end--;
  const rows = all.slice(headerIndex + 1, end);
  const rowNumbers = rows.map((_, i) => numberOf(headerIndex + 1 + i));
  return { ...info, header, headerRow: numberOf(headerIndex), rows, rowNumbers, trailingBlankRows: all.length - end };
}

/** The same table with its data row `index` as the header: the old header and the rows above become the preamble. */
export function withHeaderAt(table: RawTable, index: number): RawTable {
  const preamble = [
    ...(table.preamble ?? []),
    { row: table.headerRow ?? table.rowNumbers[0] - 1, cells: table.header },
    ...table.rows.slice(0, index).flatMap((cells, i) => (isBlank(cells) ? [] : [{ row: table.rowNumbers[i], cells }]))
  ];
  const header = table.rows[index].map((c) => (c === null || c === undefined ? "" : String(c)));
  while (header.length && header[header.length - 1].trim() === "") header.pop();
  return {
    ...table,
    header,
    headerRow: table.rowNumbers[index],
    rows: table.rows.slice(index + 1),
    rowNumbers: table.rowNumbers.slice(index + 1),
    preamble
  };
}
