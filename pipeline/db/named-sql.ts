// Named SQL: every query lives in pipeline/db/sql/<name>.sql, named for what it returns.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { recordInput } from "../io/trace.ts";
import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { z } from "zod";
import { queryRows } from "../io/duckdb.ts";
import { cacheModeOf, queryCacheOf, runCachedQuery } from "./query-cache.ts";
import { stageFor } from "./staging.ts";

const SQL_DIR = new URL("./sql/", import.meta.url);

/**
 * The named scripts that create the views every query may read besides the store's, in the order they are run (each
 * may read those before it): the breakdown groups, the keyed answers, and the respondents' profiles of groups.
 */
export const SHARED_VIEWS = ["respondent_groups", "keyed_likert_answers", "respondent_profiles", "profile_groups"];

export function sqlText(name: string): string {
  const url = new URL(`${name}.sql`, SQL_DIR);
  recordInput(fileURLToPath(url));
  return readFileSync(url, "utf8");
}

/**
 * Runs a named query and returns its rows, each parsed with `rows` (its schema in rows.ts): a row that does not match
 * fails with the query's name, the row's number and what is wrong (never the row's values). A query whose header
 * declares `-- cache: …`, run on a report store's connection, is answered from the query cache when the same data was
 * queried before (query-cache.ts). The staged tables it names are made first, if they are not yet (staging.ts).
 */
export async function runNamedQuery<S extends z.ZodType>(
  conn: DuckDBConnection,
  name: string,
  rows: S,
  params?: Record<string, DuckDBValue>
): Promise<z.output<S>[]> {
  const sql = sqlText(name);
  const staged = await stageFor(conn, sql);
  const mode = cacheModeOf(sql);
  if (mode && staged.length)
    throw new Error(
      `named query ${name}: declares a cache but reads ${staged.join(", ")}, which its key does not cover`
    );
  const context = queryCacheOf(conn);
  const raw =
    context && mode
      ? await runCachedQuery<unknown>(conn, context, name, sql, params, mode)
      : await queryRows<unknown>(conn, sql, params);
  return parseRows(name, rows, raw);
}

export class NamedQueryRowError extends Error {}

function parseRows<S extends z.ZodType>(name: string, schema: S, rows: unknown[]): z.output<S>[] {
  return rows.map((row, i) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success)
      throw new NamedQueryRowError(
        `named query ${name}: row ${i + 1} of ${rows.length} does not match its schema (pipeline/db/rows.ts):\n${z.prettifyError(parsed.error)}`
      );
    return parsed.data;
  });
}

/** Runs a named script that creates views (no result). */
export async function createNamedViews(conn: DuckDBConnection, ...names: string[]): Promise<void> {
  for (const name of names) await conn.run(sqlText(name));
}
