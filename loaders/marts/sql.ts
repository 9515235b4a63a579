// Named SQL: every query lives in loaders/sql/<name>.sql, named for what it returns.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { recordInput } from "../refresh/trace.ts";
import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { queryRows, type Row } from "../db.ts";

const SQL_DIR = new URL("../sql/", import.meta.url);

export function sqlText(name: string): string {
  const url = new URL(`${name}.sql`, SQL_DIR);
  recordInput(fileURLToPath(url));
  return readFileSync(url, "utf8");
}

/** Runs a named query and returns its rows as plain objects. */
export function runNamedQuery<T = Row>(conn: DuckDBConnection, name: string, params?: Record<string, DuckDBValue>): Promise<T[]> {
  return queryRows<T>(conn, sqlText(name), params);
}

/** Runs a named script that creates views (no result). */
export async function createNamedViews(conn: DuckDBConnection, ...names: string[]): Promise<void> {
  for (const name of names) await conn.run(sqlText(name));
}
