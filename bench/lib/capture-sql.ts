// Preloaded into a data loader (node --import tsx --import bench/lib/capture-sql.ts <loader>) to record every statement
// it sends to DuckDB, with its parameters and time, and the rows it appends to tables (the codebook's cb_* tables, the
// assessment scores), into the JSON-lines file YIPANQI_BENCH_CAPTURE. bench/steps/replay.ts runs the same statements
// again in a fresh DuckDB over the same store: the loader's SQL measured without the loader around it.
// Only the bench uses this; the loaders do not know about it.
import { appendFileSync } from "node:fs";
import { DuckDBConnection, type DuckDBValue } from "@duckdb/node-api";

export type CapturedValue = string | number | boolean | null;

export type Captured =
  | { kind: "sql"; sql: string; params: Record<string, CapturedValue> | null; ms: number; rows: number | null }
  | { kind: "append"; table: string; ops: [string, CapturedValue?][] };

const target = process.env.YIPANQI_BENCH_CAPTURE;

function plain(value: DuckDBValue | undefined): CapturedValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return String(value);
}

function write(entry: Captured): void {
  if (target) appendFileSync(target, JSON.stringify(entry) + "\n");
}

if (target) {
  const run = DuckDBConnection.prototype.run;
  const runAndReadAll = DuckDBConnection.prototype.runAndReadAll;
  const createAppender = DuckDBConnection.prototype.createAppender;
  let reading = false;
  const paramsOf = (values: unknown) =>
    values && typeof values === "object" && !Array.isArray(values)
      ? Object.fromEntries(Object.entries(values as Record<string, DuckDBValue>).map(([k, v]) => [k, plain(v)]))
      : null;

  DuckDBConnection.prototype.run = async function (this: DuckDBConnection, sql, values, types) {
    if (reading) return run.call(this, sql, values, types);
    const started = performance.now();
    const result = await run.call(this, sql, values, types);
    write({ kind: "sql", sql, params: paramsOf(values), ms: performance.now() - started, rows: null });
    return result;
  } as typeof run;

  DuckDBConnection.prototype.runAndReadAll = async function (this: DuckDBConnection, sql, values, types) {
    const started = performance.now();
    reading = true;
    try {
      const reader = await runAndReadAll.call(this, sql, values, types);
      write({
        kind: "sql",
        sql,
        params: paramsOf(values),
        ms: performance.now() - started,
        rows: reader.currentRowCount
      });
      return reader;
    } finally {
      reading = false;
    }
  } as typeof runAndReadAll;

  DuckDBConnection.prototype.createAppender = async function (this: DuckDBConnection, table, schema, catalog) {
    const appender = await createAppender.call(this, table, schema, catalog);
    const ops: [string, CapturedValue?][] = [];
    for (const method of ["appendVarchar", "appendDouble", "appendInteger", "appendBoolean", "appendBigInt"] as const) {
      const original = appender[method].bind(appender) as (v: never) => void;
      (appender as unknown as Record<string, (v: never) => void>)[method] = (v: never) => {
        ops.push([method, plain(v)]);
        original(v);
      };
    }
    for (const method of ["appendNull", "endRow"] as const) {
      const original = appender[method].bind(appender);
      appender[method] = () => {
        ops.push([method]);
        original();
      };
    }
    const close = appender.closeSync.bind(appender);
    appender.closeSync = () => {
      close();
      write({ kind: "append", table, ops });
    };
    return appender;
  } as typeof createAppender;
}
