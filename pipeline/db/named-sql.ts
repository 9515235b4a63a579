// Named SQL: every query lives in pipeline/db/sql/<name>.sql, named for what it returns.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { recordInput } from "../io/trace.ts";
import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { queryRows, type Row } from "../io/duckdb.ts";
import { cacheModeOf, queryCacheOf, runCachedQuery } from "./query-cache.ts";
import { stageFor } from "./staging.ts";

const SQL_DIR = new URL("./sql/", import.meta.url);

export function sqlText(name: string): string {
  const url = new URL(`${name}.sql`, SQL_DIR);
  recordInput(fileURLToPath(url));
  return readFileSync(url, "utf8");
}

/**
 * Runs a named query and returns its rows as plain objects. A query whose header declares `-- cache: …`, run on a
 * report store's connection, is answered from the query cache when the same data was queried before (query-cache.ts).
 * The staged tables it names are made first, if they are not yet (staging.ts).
 */
export async function runNamedQuery<T = Row>(
  conn: DuckDBConnection,
  name: string,
  params?: Record<string, DuckDBValue>
): Promise<T[]> {
  const sql = sqlText(name);
  const staged = await stageFor(conn, sql);
  const mode = cacheModeOf(sql);
  if (mode && staged.length)
    throw new Error(
      `named query ${name}: declares a cache but reads ${staged.join(", ")}, which its key does not cover`
    );
  const context = queryCacheOf(conn);
  return context && mode ? runCachedQuery<T>(conn, context, name, sql, params, mode) : queryRows<T>(conn, sql, params);
}

/** Runs a named script that creates views (no result). */
export async function createNamedViews(conn: DuckDBConnection, ...names: string[]): Promise<void> {
  for (const name of names) await conn.run(sqlText(name));
}
