// A survey export file → a header and rows of cells, whatever the container: CSV (any encoding), .xlsx, .xls.
// Nothing here knows about questions; mapping headers to the codebook is map-columns.ts.
import { readFileSync, statSync } from "node:fs";
import { extname } from "node:path";
import * as XLSX from "@e965/xlsx";
import { parseCsvText } from "./csv.ts";
import { decodeText, type TextEncoding } from "./decode.ts";

export type Cell = string | number | boolean | null;
export type FileFormat = "csv" | "xlsx" | "xls";

export interface RawTable {
  format: FileFormat;
  encoding?: TextEncoding;
  sheet?: string;
  header: string[];
  /** Data rows after the header; rowNumbers[i] is the row as a spreadsheet shows it (header = its own row number). */
  rows: Cell[][];
  rowNumbers: number[];
  /** Blank rows after the last data row: not data rows (Excel ranges often run past the data), but reported. */
  trailingBlankRows: number;
  /** Whether the workbook used the 1904 date system (old Mac Excel): date serials are 1462 days smaller. */
  date1904: boolean;
}

/** A file that cannot be read at all: refused whole, with the reason a steward can act on. */
export class UnreadableFileError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = "UnreadableFileError";
  }
}

/** Larger exports than this are refused before parsing: a municipal or provincial survey is far smaller. */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

export function detectFormat(file: string, bytes: Uint8Array): FileFormat | undefined {
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b; // PK: Office Open XML
  const isOle = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0; // BIFF in OLE2
  const ext = extname(file).toLowerCase();
  if (isZip) return "xlsx";
  if (isOle) return "xls";
  if (ext === ".csv" || ext === ".txt" || ext === ".tsv") return "csv";
  // 问卷星 sometimes serves an HTML or tab-separated text with an .xls name; treat text as CSV.
  if (ext === ".xls" || ext === ".xlsx") return undefined;
  return undefined;
}

export function readTable(file: string): RawTable {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (e) {
    throw new UnreadableFileError(file, `无法读取文件（${(e as NodeJS.ErrnoException).code ?? String(e)}）`);
  }
  if (size === 0) throw new UnreadableFileError(file, "文件为空（0 字节）");
  if (size > MAX_FILE_BYTES) throw new UnreadableFileError(file, `文件过大（${(size / 1048576).toFixed(0)} MB，上限 ${MAX_FILE_BYTES / 1048576} MB）`);
  const bytes = readFileSync(file);
  const format = detectFormat(file, bytes);
  if (format === "csv") return readCsv(file, bytes);
  if (format === "xlsx" || format === "xls") return readWorkbook(file, bytes, format);
  throw new UnreadableFileError(file, "无法识别的文件格式：请提供问卷星导出的 .xls、.xlsx 或 .csv 文件");
}

function readCsv(file: string, bytes: Uint8Array): RawTable {
  let decoded;
  try {
    decoded = decodeText(bytes);
  } catch (e) {
    throw new UnreadableFileError(file, (e as Error).message);
  }
  const all = parseCsvText(decoded.text);
  return splitHeader(file, all, { format: "csv", encoding: decoded.encoding, date1904: false });
}

function readWorkbook(file: string, bytes: Uint8Array, format: "xlsx" | "xls"): RawTable {
  let workbook: XLSX.WorkBook;
  try {
    workbook = XLSX.read(bytes, { type: "buffer", cellDates: false, cellFormula: false, cellHTML: false, cellStyles: false, dense: true });
  } catch (e) {
    throw new UnreadableFileError(file, `Excel 文件已损坏或无法解析（${(e as Error).message}）`);
  }
  // The first visible sheet that has cells: 问卷星 writes one sheet; stewards sometimes add hidden helper sheets.
  const hidden = new Set((workbook.Workbook?.Sheets ?? []).filter((s) => s.Hidden).map((s) => s.name));
  const sheet = workbook.SheetNames.find((name) => !hidden.has(name) && workbook.Sheets[name]?.["!ref"]);
  if (!sheet) throw new UnreadableFileError(file, "工作簿中没有含数据的可见工作表");
  const rows = XLSX.utils.sheet_to_json<Cell[]>(workbook.Sheets[sheet], { header: 1, raw: true, defval: null, blankrows: true });
  const date1904 = Boolean(workbook.Workbook?.WBProps?.date1904);
  return splitHeader(file, rows, { format, sheet, date1904 });
}

function isBlank(row: readonly Cell[]): boolean {
  return row.every((c) => c === null || (typeof c === "string" && c.trim() === ""));
}

function splitHeader(file: string, all: Cell[][], info: Pick<RawTable, "format" | "encoding" | "sheet" | "date1904">): RawTable {
  const headerIndex = all.findIndex((row) => !isBlank(row));
  if (headerIndex < 0) throw new UnreadableFileError(file, "文件中没有任何内容");
  const header = all[headerIndex].map((c) => (c === null ? "" : String(c)));
  // A sheet's range can be wider than its header (a stray cell to the right): those columns have no header, so cells
  // there are reported as extra columns of their row, not read as answers.
  while (header.length && header[header.length - 1].trim() === "") header.pop();
  // Trailing blank rows are the end of the sheet, not data; interior blank rows are kept (and quarantined) so none vanish.
  let end = all.length;
  while (end > headerIndex + 1 && isBlank(all[end - 1])) end--;
  const rows = all.slice(headerIndex + 1, end);
  const rowNumbers = rows.map((_, i) => headerIndex + 2 + i);
  return { ...info, header, rows, rowNumbers, trailingBlankRows: all.length - end };
}
