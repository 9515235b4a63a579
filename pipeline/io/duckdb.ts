// DuckDB access for loaders and command-line tools: one in-memory database per process, plain JS values out.
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from "@duckdb/node-api";

export type Row = Record<string, unknown>;

const instances = new WeakMap<DuckDBConnection, DuckDBInstance>();

export async function openDuckDB(): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(":memory:", { threads: "2" });
  const conn = await instance.connect();
  instances.set(conn, instance);
  return conn;
}

/** Another connection to the database of a connection openDuckDB opened: the same tables, temporary objects of its own. */
export async function connectAgain(conn: DuckDBConnection): Promise<DuckDBConnection> {
  const instance = instances.get(conn);
  if (!instance) throw new Error("connectAgain: the connection was not opened by openDuckDB");
  return instance.connect();
}

/** Closes a connection openDuckDB opened and its database (every other connection to it with it), freeing its memory. */
export function closeDuckDB(conn: DuckDBConnection): void {
  conn.closeSync();
  instances.get(conn)?.closeSync();
  instances.delete(conn);
}

/** Converts DuckDB values to what JSON and our statistics expect: BIGINT/HUGEINT → number, timestamps → ISO strings. */
function toPlain(value: DuckDBValue): unknown {
  if (value === null || typeof value === "number" || typeof value === "string" || typeof value === "boolean")
    return value;
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === "object" && "items" in value && Array.isArray((value as { items: unknown }).items))
    return (value as { items: DuckDBValue[] }).items.map(toPlain);
  return String(value);
}

export async function queryRows<T = Row>(
  conn: DuckDBConnection,
  sql: string,
  params?: Record<string, DuckDBValue>
): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, params);
  return reader
    .getRowObjects()
    .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toPlain(v)])) as T);
}

/** Quotes a string as a SQL literal (for file paths in read_parquet/COPY, which take no parameters). */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
