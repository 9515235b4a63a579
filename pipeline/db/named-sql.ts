// Named SQL: every query lives in pipeline/db/sql/<name>.sql, named for what it returns.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { recordInput } from "../io/trace.ts";
import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { z } from "zod";
import { queryRows } from "../io/duckdb.ts";
import { cacheModeOf, queryCacheOf, runCachedQuery } from "./query-cache.ts";
import { NAMED_QUERY_ROWS } from "./rows.ts";
import { stageFor } from "./staging.ts";

const SQL_DIR = new URL("./sql/", import.meta.url);

/**
 * The named scripts that create the views every query may read besides the store's, in the order they are run (each
 * may read those before it): the respondents numbered, the breakdown groups, the Likert items numbered, the keyed
 * answers (by number, and with their ids and codes), and the respondents' profiles of groups.
 */
export const SHARED_VIEWS = [
  "respondent_numbers",
  "respondent_groups",
  "cb_likert_numbered",
  "keyed_likert_answer_rows",
  "keyed_likert_answers",
  "respondent_profiles",
  "profile_groups"
];

/**
 * Whether a named query's header declares `-- reads: reference tables only`: it reads the codebook's, the roster's and
 * the assessment's tables, never the survey (respondents, answers and the views over them, quarantine), so its rows
 * do not change with the store's waves (test/marts/reference-only.test.ts runs each such query with no survey at all).
 */
export function readsReferenceOnly(sql: string): boolean {
  return /^--\s*reads:\s*reference tables only\s*$/m.test(sql);
}

/** The file listing each report store's survey (its manifest), by connection (report-store.ts). */
const surveyListOf = new WeakMap<DuckDBConnection, string>();

/**
 * Registers the file that lists the survey a connection's views read (the store's manifest.json): every named query
 * run on it that may read the survey records that file as read (io/trace.ts), so that the data files made from it are
 * made again when the survey changes, and those made from reference tables alone are not (data-pass.ts).
 */
export function registerSurveyList(conn: DuckDBConnection, manifestPath: string): void {
  surveyListOf.set(conn, manifestPath);
}

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
  const referenceOnly = readsReferenceOnly(sql);
  const surveyList = surveyListOf.get(conn);
  if (surveyList && !referenceOnly) recordInput(surveyList);
  const staged = await stageFor(conn, sql);
  const mode = cacheModeOf(sql);
  // A cached result is keyed on the store's parts, and one per wave is repeated per wave: neither fits a query that
  // reads no survey, and its file would not record the manifest it was keyed on.
  if (mode && referenceOnly) throw new Error(`named query ${name}: declares a cache but reads reference tables only`);
  if (mode && staged.length)
    throw new Error(
      `named query ${name}: declares a cache but reads ${staged.join(", ")}, which its key does not cover`
    );
  const context = queryCacheOf(conn);
  if (!context || !mode) return parseRows(name, rows, await queryRows<unknown>(conn, sql, params));
  // The query's own schema (the key of its cached results covers rows.ts) parses in the cache, where a result kept
  // as parsed is not parsed again; any other schema (a test's) parses what the cache gives.
  if ((NAMED_QUERY_ROWS as Record<string, z.ZodType>)[name] !== rows)
    return parseRows(name, rows, await runCachedQuery<unknown>(conn, context, name, sql, params, mode));
  return sharedResult(conn, `${name} ${JSON.stringify(params ?? {})}`, () =>
    runCachedQuery(conn, context, name, sql, params, mode, (raw, where) => parseRows(name, rows, raw, where))
  );
}

/**
 * The cached queries' results read on a connection, while some caller still holds them: a second caller of the same
 * query and parameters gets the rows the first was given instead of reading the cache's files again. Held weakly, so
 * that a result nobody uses any more is freed and read again if asked for; a result that several marts read at
 * different times is held by a mart of its own (marts/per-store.ts: the units' sums, the item distributions), which
 * also covers the query cache being off. Callers read the rows and never change them; the store's data does not
 * change while it is open.
 */
const shared = new WeakMap<DuckDBConnection, Map<string, WeakRef<unknown[]> | Promise<unknown[]>>>();

async function sharedResult<T>(conn: DuckDBConnection, key: string, compute: () => Promise<T[]>): Promise<T[]> {
  const byKey = shared.get(conn) ?? new Map<string, WeakRef<unknown[]> | Promise<unknown[]>>();
  shared.set(conn, byKey);
  const held = byKey.get(key);
  // Nothing awaited before the computation is registered: a caller arriving meanwhile waits for it.
  const rows = held instanceof WeakRef ? held.deref() : held ? await held : undefined;
  if (rows) return rows as T[];
  const computing = compute();
  byKey.set(key, computing);
  try {
    const result = await computing;
    if (byKey.get(key) === computing) byKey.set(key, new WeakRef(result));
    return result;
  } catch (e) {
    if (byKey.get(key) === computing) byKey.delete(key);
    throw e;
  }
}

export class NamedQueryRowError extends Error {}

/** Parses rows with a schema; `where` names the part of the result they are (a wave's: ", wave 2025"). */
function parseRows<S extends z.ZodType>(name: string, schema: S, rows: unknown[], where = ""): z.output<S>[] {
  return rows.map((row, i) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success)
      throw new NamedQueryRowError(
        `named query ${name}${where}: row ${i + 1} of ${rows.length} does not match its schema (pipeline/db/rows.ts):\n${z.prettifyError(parsed.error)}`
      );
    return parsed.data;
  });
}

/** Runs a named script that creates views (no result). */
export async function createNamedViews(conn: DuckDBConnection, ...names: string[]): Promise<void> {
  for (const name of names) await conn.run(sqlText(name));
}
