// resultCsv(rows, columns): a query result (探索) as CSV text that Excel opens correctly: UTF-8 with a byte-order mark,
// CRLF line ends, RFC 4180 quoting; numbers at full precision, empty cells for null. resultCsvBlob wraps it for a
// download link.

/** The byte-order mark: without it Excel reads UTF-8 as the local code page (GBK on a Chinese Windows). */
export const BOM = "\ufeff";

function cell(value: unknown): string {
  if (value == null) return "";
  const text =
    typeof value === "number"
      ? Number.isFinite(value)
        ? String(value)
        : ""
      : typeof value === "string"
        ? value
        : typeof value === "boolean"
          ? String(value)
          : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV text (with the BOM) of the rows, columns in the given order, a header line first. */
export function resultCsv(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  const lines = [columns.map(cell).join(","), ...rows.map((r) => columns.map((c) => cell(r[c])).join(","))];
  return `${BOM}${lines.join("\r\n")}\r\n`;
}

export function resultCsvBlob(rows: readonly Record<string, unknown>[], columns: readonly string[]): Blob {
  return new Blob([resultCsv(rows, columns)], { type: "text/csv;charset=utf-8" });
}
