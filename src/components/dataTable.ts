// DataTable(rows, {columns}): a plain, printable HTML table (no scrolling box, unlike Inputs.table), for the lists a
// steward reads line by line: files, quarantined rows, counts per wave. Each column says its heading, how to get the
// cell from a row, and whether it is numeric (right-aligned, tabular figures, class `num`: never broken inside a
// number, also on a phone).
export interface Column<T> {
  label: string;
  value: (row: T) => string | number | null | undefined;
  numeric?: boolean;
  /** A tooltip for the cell (e.g. a full checksum behind a shortened one). */
  title?: (row: T) => string;
}

export function DataTable<T>(
  rows: readonly T[],
  {
    columns,
    caption,
    empty = "（无）",
    className = "",
    document = globalThis.document
  }: { columns: Column<T>[]; caption?: string; empty?: string; className?: string; document?: Document }
): HTMLTableElement {
  const table = document.createElement("table");
  table.className = `data-table ${className}`.trim();
  if (caption) table.createCaption().textContent = caption;
  const head = table.createTHead().insertRow();
  for (const c of columns) {
    const th = document.createElement("th");
    th.textContent = c.label;
    th.scope = "col";
    if (c.numeric) {
      th.className = "num";
      th.style.textAlign = "right";
    }
    head.appendChild(th);
  }
  const body = table.createTBody();
  if (rows.length === 0) {
    const td = body.insertRow().insertCell();
    td.colSpan = columns.length;
    td.textContent = empty;
    td.className = "muted";
  }
  for (const row of rows) {
    const tr = body.insertRow();
    for (const c of columns) {
      const td = tr.insertCell();
      const v = c.value(row);
      td.textContent = v == null ? "—" : String(v);
      if (c.numeric) {
        td.className = "num";
        td.style.textAlign = "right";
        td.style.fontVariantNumeric = "tabular-nums";
      }
      if (c.title) td.title = c.title(row);
    }
  }
  return table;
}
