// resultCsv(rows, columns): a query result (探索) as CSV text that Excel opens correctly, written by the same writer as
// every other download (figure.ts csvText: UTF-8 with a byte-order mark, CRLF line ends, RFC 4180 quoting). Numbers
// at full precision, empty cells for null, lists and objects as JSON. resultCsvBlob wraps it for a download link.
import { CSV_BOM, csvText } from "./figure.js";

/** The byte-order mark: without it Excel reads UTF-8 as the local code page (GBK on a Chinese Windows). */
export const BOM = CSV_BOM;

/** A query result's value as one CSV field's text (csvField quotes it). */
function fieldOf(value: unknown): string | number | null {
  if (value == null || typeof value === "number" || typeof value === "string") return value ?? null;
  return typeof value === "boolean" || typeof value === "bigint" ? String(value) : JSON.stringify(value);
}

/** The CSV text (with the BOM) of the rows, columns in the given order, a header line first. */
export function resultCsv(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  return csvText(
    columns,
    rows.map((r) => columns.map((c) => fieldOf(r[c])))
  );
}

export function resultCsvBlob(rows: readonly Record<string, unknown>[], columns: readonly string[]): Blob {
  return new Blob([resultCsv(rows, columns)], { type: "text/csv;charset=utf-8" });
}
