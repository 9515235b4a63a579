// DuckDB access for loaders and command-line tools: one in-memory database per process, plain JS values out.
import { mkdirSync } from "node:fs";
import { tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from "@duckdb/node-api";

export type Row = Record<string, unknown>;

const instances = new WeakMap<DuckDBConnection, DuckDBInstance>();

/**
 * DuckDB's memory: YIPANQI_DUCKDB_MEMORY (default: defaultDuckdbMemory, where DuckDB's own would be 80% of the
 * machine's RAM, or of its cgroup's limit) bounds what one process holds; beyond it DuckDB spills to
 * YIPANQI_DUCKDB_TEMP (default a folder of the user's own, 0700, in the system's temporary folder: spilled pages are
 * answers), in a sub-folder per process that DuckDB removes on exit. The by-wave queries run wave by wave
 * (pipeline/db/query-cache.ts), so what it holds is one wave's data (docs/scale.md, "Queries at province scale";
 * docs/stewards.md).
 */
export function duckdbMemory(): { memoryLimit: string; tempDirectory: string } {
  const memoryLimit = process.env.YIPANQI_DUCKDB_MEMORY || defaultDuckdbMemory();
  const base = process.env.YIPANQI_DUCKDB_TEMP || join(tmpdir(), `yipanqi-duckdb-${process.getuid?.() ?? "user"}`);
  return { memoryLimit, tempDirectory: join(base, String(process.pid)) };
}

const GB = 1e9; // DuckDB's "GB"

/**
 * A quarter of the memory this process may use, in whole GB, at least 1 and at most 4: the machine's memory, or its own
 * cgroup's limit when that is less (a container's, a systemd unit's MemoryMax=; not a limit set on a parent slice).
 * A limit only caps DuckDB: a 1 M store's cold pass took as long at 1 GB and at 4 GB, in about as much memory (2.14
 * and 2.30 GB: a wave fits in less). A 10 M wave (1.43 M respondents) spills at 1 and 2 GB, and 4 GB was the fastest
 * limit tried: the cold pass over the 10 M store took 609 s in 2.7 GB of RSS at 1 GB and 493 s in 6.3 GB at 4 GB,
 * with the same files (docs/scale.md, "DuckDB's memory limit at 10 M"). The other three quarters are for the pass's
 * own results, Framework's build after it, and the rest of the machine.
 */
export function defaultDuckdbMemory(
  totalBytes = totalmem(),
  constrainedBytes = process.constrainedMemory?.() ?? 0
): string {
  const usable = constrainedBytes > 0 ? Math.min(totalBytes, constrainedBytes) : totalBytes;
  return `${Math.min(4, Math.max(1, Math.floor(usable / 4 / GB)))}GB`;
}

/**
 * The environment of processes that may each open DuckDB at the same time (the preview server's data loaders, one
 * process per file a page asks for): each gets 1 GB unless the steward set YIPANQI_DUCKDB_MEMORY, so that several at
 * once do not take a quarter of the machine each. A refresh or a build opens one DuckDB at a time (the one pass).
 */
export function withSharedDuckdbMemory(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return env.YIPANQI_DUCKDB_MEMORY ? env : { ...env, YIPANQI_DUCKDB_MEMORY: "1GB" };
}

export async function openDuckDB(): Promise<DuckDBConnection> {
  const { memoryLimit, tempDirectory } = duckdbMemory();
  mkdirSync(join(tempDirectory, ".."), { recursive: true, mode: 0o700 });
  const instance = await DuckDBInstance.create(":memory:", {
    threads: "2",
    memory_limit: memoryLimit,
    temp_directory: tempDirectory
  });
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
  const names = reader.deduplicatedColumnNames(); // as getRowObjects names them: x, x:1 … never one over another
  // Each row built once from its values (no row object, entry list and copy per row: 280,000 unit rows at 1 M).
  return reader.getRows().map((values) => {
    const row: Row = {};
    for (let i = 0; i < names.length; i++) row[names[i]] = toPlain(values[i]);
    return row as T;
  });
}

/** Quotes a string as a SQL literal (for file paths in read_parquet/COPY, which take no parameters). */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
