// Replays what a data loader sent to DuckDB (captured by capture-sql.ts) in a fresh DuckDB over a store: the same
// statements with the same parameters, the same rows appended to the same tables, each statement timed. The store's
// views are attached by the store's own attachStore (not by the captured statement, whose file list names the store
// the loader read), so the statements can be replayed over another store of the same layout (the 10 M store).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DuckDBAppender, DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { openDuckDB } from "../../pipeline/io/duckdb.ts";
import { attachStore } from "../../pipeline/store/store.ts";
import type { Captured } from "./capture-sql.ts";

const SQL_DIR = join(import.meta.dirname, "../../pipeline/db/sql");

export interface NamedSql {
  name: string;
  text: string;
}

/** The named SQL of pipeline/db/sql/, each as the text a statement holds (without a trailing semicolon). */
export function namedSqlFiles(dir = SQL_DIR): NamedSql[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((f) => ({
      name: f.replace(/\.sql$/, ""),
      text: readFileSync(join(dir, f), "utf8").trim().replace(/;\s*$/, "")
    }));
}

/** Which named SQL a statement runs (it may wrap it, as CREATE TEMP TABLE … AS <named SQL>), or null. */
export function namedSqlOf(sql: string, named: readonly NamedSql[]): string | null {
  const trimmed = sql.trim();
  return named.find((n) => trimmed.includes(n.text))?.name ?? null;
}

/**
 * A statement that attaches the store's Parquet (replaced by attachStore on replay), on the loader's connection or, as
 * temporary views of one wave's parts, on a connection of the query cache (query-cache.ts).
 */
export function isStoreAttach(sql: string): boolean {
  return /^\s*(DROP (VIEW|TABLE) IF EXISTS (respondents|answers)\b|CREATE OR REPLACE (TEMP )?VIEW (respondents|answers) AS SELECT \* FROM read_parquet|CREATE (TEMP )?TABLE (respondents|answers) \()/i.test(
    sql
  );
}

export function readCapture(file: string): Captured[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Captured);
}

export interface ReplayedStatement {
  /** the named SQL (with its parameters), or `setup` for the loader's own DDL */
  name: string;
  ms: number;
  /** ms the statement took inside the loader (captured) */
  loaderMs: number;
  rows: number | null;
}

export interface ReplayResult {
  attachMs: number;
  appendMs: number;
  statements: ReplayedStatement[];
  /** sum over the statements that run named SQL */
  namedMs: number;
  /** sum over the other statements (tables the marts create, views over quarantine files) */
  setupMs: number;
}

function label(name: string | null, params: Record<string, unknown> | null): string {
  if (!name) return "setup";
  const p = params ? Object.values(params).filter((v) => typeof v === "string") : [];
  return p.length ? `${name}[${p.join(",")}]` : name;
}

function replayAppend(appender: DuckDBAppender, ops: [string, unknown?][]): void {
  const a = appender as unknown as Record<string, (v?: unknown) => void>;
  for (const [method, value] of ops) a[method](value);
  appender.closeSync();
}

/**
 * Replays a capture over `storeDir`. Statements that name another store's files (the quarantine view) are skipped
 * when `portable` is set (replaying over a store the loader did not read).
 */
export async function replayCapture(
  captured: readonly Captured[],
  storeDir: string,
  options: { conn?: DuckDBConnection; portable?: boolean; named?: readonly NamedSql[] } = {}
): Promise<ReplayResult> {
  const conn = options.conn ?? (await openDuckDB());
  const named = options.named ?? namedSqlFiles();
  let t = performance.now();
  await attachStore(conn, storeDir);
  const attachMs = performance.now() - t;
  let appendMs = 0;
  const statements: ReplayedStatement[] = [];
  for (const entry of captured) {
    if (entry.kind === "append") {
      t = performance.now();
      replayAppend(await conn.createAppender(entry.table), entry.ops);
      appendMs += performance.now() - t;
      continue;
    }
    if (isStoreAttach(entry.sql)) continue;
    if (options.portable && /read_csv\(\[/.test(entry.sql)) continue;
    const name = namedSqlOf(entry.sql, named);
    t = performance.now();
    const params = (entry.params ?? undefined) as Record<string, DuckDBValue> | undefined;
    let rows: number | null = null;
    if (entry.rows !== null) rows = (await conn.runAndReadAll(entry.sql, params)).currentRowCount;
    else await conn.run(entry.sql, params);
    statements.push({ name: label(name, entry.params), ms: performance.now() - t, loaderMs: entry.ms, rows });
  }
  const namedMs = statements.filter((s) => s.name !== "setup").reduce((s, x) => s + x.ms, 0);
  const setupMs = statements.filter((s) => s.name === "setup").reduce((s, x) => s + x.ms, 0);
  return { attachMs, appendMs, statements, namedMs, setupMs };
}
