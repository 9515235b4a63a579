// What an Arrow loader writes: one Arrow IPC *stream* on stdout (the format DuckDB-wasm reads offline; Parquet
// would make it fetch an extension). Columns are typed explicitly, so the table's schema is the data contract and
// does not depend on the first row; floats are rounded to 4 decimals as in output.ts.
import {
  Bool,
  Dictionary,
  Float64,
  Int32,
  Table,
  Utf8,
  tableToIPC,
  vectorFromArray,
  type DataType
} from "apache-arrow";

import type { ArrowColumn, ArrowColumnType, ArrowTableSpec } from "../contracts/explore.ts";

export type { ArrowColumn, ArrowColumnType, ArrowTableSpec };

/** `dictionary`: the id of a utf8 column's dictionary (its place among the table's utf8 columns, from 0). */
function arrowType(type: ArrowColumnType, dictionary: number): DataType {
  // Strings are dictionary-encoded: the tables repeat a few names and question texts thousands of times, and
  // DuckDB reads a dictionary column as plain VARCHAR. The ids are the table's own (Arrow would otherwise number
  // dictionaries across the process), so a table's bytes do not depend on what else the process wrote before.
  if (type === "utf8") return new Dictionary(new Utf8(), new Int32(), dictionary);
  if (type === "int32") return new Int32();
  if (type === "bool") return new Bool();
  return new Float64();
}

function unexpected(value: unknown, column: ArrowColumn, row: number): never {
  throw new Error(
    `arrow column ${column.name} (${column.type}), row ${row}: unexpected value ${JSON.stringify(value)}`
  );
}

// No closure is made per cell: tsx names every function expression it compiles (esbuild's keepNames), which cost more
// than the cell itself at a million cells.
function cell(value: unknown, column: ArrowColumn, row: number): unknown {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case "utf8":
      return typeof value === "string" ? value : unexpected(value, column, row);
    case "bool":
      return typeof value === "boolean" ? value : unexpected(value, column, row);
    case "int32":
      return Number.isInteger(value) ? value : unexpected(value, column, row);
    case "float64":
      if (typeof value !== "number" || Number.isNaN(value)) return unexpected(value, column, row);
      return Number.isFinite(value) && !Number.isInteger(value) ? Math.round(value * 1e4) / 1e4 : value;
  }
}

/** The spec's rows as an Arrow table with exactly the spec's columns, in order. */
export function toArrowTable(spec: ArrowTableSpec): Table {
  const utf8 = spec.columns.filter((c) => c.type === "utf8");
  const vectors = Object.fromEntries(
    spec.columns.map((c) => [
      c.name,
      vectorFromArray(
        spec.rows.map((r, i) => cell(r[c.name], c, i)),
        arrowType(c.type, utf8.indexOf(c)) as never
      )
    ])
  );
  return new Table(vectors);
}

/** The Arrow IPC stream bytes of a table spec. */
export function toArrowStream(spec: ArrowTableSpec): Uint8Array {
  return tableToIPC(toArrowTable(spec), "stream");
}

export function writeArrow(spec: ArrowTableSpec): void {
  process.stdout.write(toArrowStream(spec));
}
