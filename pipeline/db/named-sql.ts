// Named SQL: every query lives in pipeline/db/sql/<name>.sql, named for what it returns.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { recordInput } from "../io/trace.ts";
import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { queryRows, type Row } from "../io/duckdb.ts";
import { cacheModeOf, queryCacheOf, runCachedQuery, serialized } from "./query-cache.ts";

const SQL_DIR = new URL("./sql/", import.meta.url);

export function sqlText(name: string): string {
  const url = new URL(`${name}.sql`, SQL_DIR);
  recordInput(fileURLToPath(url));
  return readFileSync(url, "utf8");
}

/**
 * Runs a named query and returns its rows as plain objects. A query whose header declares `-- cache: …`, run on a
 * report store's connection, is answered from the query cache when the same data was queried before (query-cache.ts).
 */
export function runNamedQuery<T = Row>(
  conn: DuckDBConnection,
  name: string,
  params?: Record<string, DuckDBValue>
): Promise<T[]> {
  const sql = sqlText(name);
  const mode = cacheModeOf(sql);
  const context = queryCacheOf(conn);
  if (!context) return queryRows<T>(conn, sql, params);
  // On a connection with the cache, named queries take turns (see serialized).
  return serialized(conn, () =>
    mode ? runCachedQuery<T>(conn, context, name, sql, params, mode) : queryRows<T>(conn, sql, params)
  );
}

/** Runs a named script that creates views (no result). */
export async function createNamedViews(conn: DuckDBConnection, ...names: string[]): Promise<void> {
  for (const name of names) await conn.run(sqlText(name));
}
