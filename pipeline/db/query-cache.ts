// Results of named queries kept beside the store, so that a query is computed once per state of the data, not once
// per loader that runs it (scale_scores_by_wave_group alone ran 8 times in every build), and so that a refresh after
// one new wave computes the by-wave queries for that wave only.
//
// A query opts in with a line in its .sql header:
//   -- cache: per wave      its rows for a wave depend only on that wave's respondents and answers (and the codebook
//                           and roster), and it orders by wave first: it is run wave by wave and the rows concatenated;
//   -- cache: whole store   cached as one result for the whole store.
// The key of a result is a hash of everything it can depend on: every file of pipeline/db/sql, the parameters, the
// codebook and roster as registered, DuckDB's version, and the store parts it reads (each part is named by its
// content checksum). A key never changes meaning, so a stale entry can only be unused, never wrong. The cache lives
// in <store>/.cache/queries; entries unused by the last successful refresh are pruned by it (pruneQueryCache).
// Writing is best effort: a read-only store (shared storage) simply computes every time.
// A result is kept as its query's schema (rows.ts) parsed it, and the key covers that schema's source and zod's
// version: a result read back is not parsed again (at 1 M that was 1.4 s of a pass that reads 100 MB of results),
// unless it held a NaN or an infinity, which JSON keeps as null.
// A wave is computed on a connection of its own (one per wave), whose temporary views respondents and answers list
// that wave's parts alone, and whose own shared views (keyed_likert_answers…) are built on them: the views of the
// report store's connection are never narrowed, so queries on it may run at any time, in any order.
// A shared view whose script declares `-- materialize: per wave` (respondent_groups, keyed_likert_answer_rows… : read by
// several queries of a build) is computed once per wave: on the wave's connection it is written to Parquet in the
// cache, keyed like a result (<key>.parquet), and the view then reads that file, so a refresh after a new wave
// computes that wave's only. If the cache folder cannot be written, it is kept in a temporary table of the wave's
// connection. YIPANQI_QUERY_CACHE=off turns the cache off: there are no wave connections then, and every query runs
// over the whole store with the shared views computed inline.
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync
} from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { version as duckdbVersion, type DuckDBConnection, type DuckDBValue } from "@duckdb/node-api";
import { z } from "zod";
import { connectAgain, queryRows, sqlString } from "../io/duckdb.ts";
import { attachStore, type Manifest } from "../store/store.ts";
import { wavesOf } from "../codebook/scales.ts";

export type CacheMode = "per wave" | "whole store";

export interface QueryCacheContext {
  storeDir: string;
  manifest: Manifest;
  /** Hash of what the connection registered besides the store: the codebook and the roster. */
  registeredKey: string;
  /** The views the queries may read besides the store's (keyed_likert_answers…), made per wave: name and script. */
  views: { name: string; sql: string }[];
}

/**
 * How many results were read from the cache and how many computed (per wave counts once per wave), and the same for
 * the materialized views (once per view and wave).
 */
export const queryCacheStats = { hits: 0, misses: 0, viewHits: 0, viewMisses: 0 };

const contexts = new WeakMap<DuckDBConnection, QueryCacheContext>();
const FORMAT = "2";

export function queryCacheEnabled(): boolean {
  return !/^(0|off|false|no)$/i.test(process.env.YIPANQI_QUERY_CACHE ?? "");
}

/** Called by openReportStore: queries on this connection may use the cache of this store. */
export function enableQueryCache(conn: DuckDBConnection, context: QueryCacheContext): void {
  if (queryCacheEnabled()) contexts.set(conn, context);
}

export function queryCacheOf(conn: DuckDBConnection): QueryCacheContext | undefined {
  return contexts.get(conn);
}

export function queryCacheDir(storeDir: string): string {
  return join(storeDir, ".cache", "queries");
}

/** The `-- cache: …` declaration of a named query's header, if any. */
export function cacheModeOf(sql: string): CacheMode | null {
  const m = /^--\s*cache:\s*(per wave|whole store)\s*$/m.exec(sql);
  return m ? (m[1] as CacheMode) : null;
}

/** Whether a shared view's script declares `-- materialize: per wave`. */
export function materializedPerWave(sql: string): boolean {
  return /^--\s*materialize:\s*per wave\s*$/m.test(sql);
}

let sqlFolderHash: string | undefined;
/**
 * Every named SQL file, and the rows' schemas: a change to a shared view (keyed_likert_answers…) must change the key of
 * every query, and a result kept as checked must have been checked by the schema its reader has.
 */
function allSqlHash(): string {
  if (sqlFolderHash) return sqlFolderHash;
  const dir = fileURLToPath(new URL("./sql/", import.meta.url));
  const hash = createHash("sha256");
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort())
    hash.update(file).update(readFileSync(join(dir, file)));
  // rows.ts imports nothing but zod (a test checks it); named-sql.ts parses with its schemas.
  for (const module of ["./rows.ts", "./named-sql.ts"])
    hash.update(readFileSync(fileURLToPath(new URL(module, import.meta.url))));
  hash.update(JSON.stringify(z.core.version));
  return (sqlFolderHash = hash.digest("hex"));
}

/** The store parts a result reads: all of them, or one wave's (parts are content-addressed, so names suffice). */
function partsOf(manifest: Manifest, wave?: number): string[] {
  return manifest.files
    .filter((f) => wave === undefined || f.wave === wave)
    .flatMap((f) => [f.sha256, f.respondents ?? "", f.answers ?? ""])
    .sort();
}

function keyOf(
  context: QueryCacheContext,
  name: string,
  params: Record<string, DuckDBValue> | undefined,
  wave?: number
): string {
  const hash = createHash("sha256");
  hash.update(
    JSON.stringify([
      FORMAT,
      duckdbVersion(),
      allSqlHash(),
      name,
      params ?? {},
      context.registeredKey,
      wave ?? "all",
      partsOf(context.manifest, wave)
    ])
  );
  return hash.digest("hex");
}

/**
 * What the cache keeps of a result: its rows, and whether they are as the query's own schema parsed them (then they
 * are not parsed again when read back).
 */
interface CachedResult {
  checked: boolean;
  rows: unknown[];
}

/** Parses a result's rows with its query's own schema (rows.ts), throwing on the first row that does not match. */
export type CheckRows<T> = (rows: unknown[], where: string) => T[];

function read(file: string): CachedResult | undefined {
  try {
    const entry = JSON.parse(readFileSync(file, "utf8")) as CachedResult;
    if (!Array.isArray(entry.rows)) return undefined;
    touch(file);
    return entry;
  } catch {
    return undefined; // absent, or half-written by a process that died: computed again
  }
}

/**
 * Keeps a result. The results are aggregates before suppression (a unit's count of 2 is there): personal data like
 * the rest of the store, so only the owner may read them (folders 0700, files 0600, as the store's own).
 */
function write(file: string, entry: CachedResult): void {
  try {
    mkdirSync(join(file, ".."), { recursive: true, mode: 0o700 });
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(entry), { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    /* read-only or full store: the result is simply not kept */
  }
}

/** Whether every number of the rows survives JSON: NaN and ±Infinity come back as null, which the schema must see. */
function allFinite(rows: unknown[]): boolean {
  for (const row of rows as Record<string, unknown>[])
    for (const key in row) {
      const value = row[key];
      if (typeof value === "number" && !Number.isFinite(value)) return false;
    }
  return true;
}

/** The rows of a result just computed, parsed when `check` is given, and kept in `file`. */
function keep<T>(file: string, raw: unknown[], check: CheckRows<T> | undefined, where: string): T[] {
  const rows = check ? check(raw, where) : (raw as T[]);
  write(file, { checked: check !== undefined && allFinite(rows), rows });
  return rows;
}

/** The rows of a result read back: parsed again unless they were kept as checked (and then `check` is the same). */
function reuse<T>(entry: CachedResult, check: CheckRows<T> | undefined, where: string): T[] {
  return check && !entry.checked ? check(entry.rows, where) : (entry.rows as T[]);
}

/**
 * A named query's rows from the cache, or computed and kept. With `check`, the rows returned are parsed; without, they
 * are as DuckDB gave them (or as a check kept them) and the caller parses them. `check` must be the query's own schema
 * in rows.ts, which the key covers (runNamedQuery passes no other): a result it passed is kept as checked, and is
 * trusted when read back (the cache's files are the owner's alone, and written whole or not at all).
 */
export async function runCachedQuery<T>(
  conn: DuckDBConnection,
  context: QueryCacheContext,
  name: string,
  sql: string,
  params: Record<string, DuckDBValue> | undefined,
  mode: CacheMode,
  check?: CheckRows<T>
): Promise<T[]> {
  const dir = queryCacheDir(context.storeDir);
  if (mode === "whole store") {
    const file = join(dir, `${keyOf(context, name, params)}.json`);
    const cached = read(file);
    if (cached) {
      queryCacheStats.hits++;
      return reuse(cached, check, "");
    }
    queryCacheStats.misses++;
    return keep(file, await queryRows(conn, sql, params), check, "");
  }
  const rows: T[] = [];
  for (const wave of wavesOf(context.manifest)) {
    const file = join(dir, `${keyOf(context, name, params, wave)}.json`);
    const where = `, wave ${wave}`;
    const cached = read(file);
    let waveRows: T[];
    if (cached) {
      queryCacheStats.hits++;
      waveRows = reuse(cached, check, where);
    } else {
      queryCacheStats.misses++;
      waveRows = keep(file, await queryRows(await waveConnection(conn, context, wave), sql, params), check, where);
    }
    for (const row of waveRows) rows.push(row);
  }
  return rows;
}

interface WaveConnection {
  conn: DuckDBConnection;
  /** The cache's Parquet files its materialized views read. */
  files: string[];
}

const waveConnections = new WeakMap<QueryCacheContext, Map<number, Promise<WaveConnection>>>();

/**
 * The connection on which a wave is computed: made once per wave, its views never changed afterwards; made again if
 * a file its materialized views read is gone (the cache folder may be deleted or pruned at any time).
 */
async function waveConnection(
  conn: DuckDBConnection,
  context: QueryCacheContext,
  wave: number
): Promise<DuckDBConnection> {
  const made = waveConnections.get(context) ?? new Map<number, Promise<WaveConnection>>();
  waveConnections.set(context, made);
  const existing = made.get(wave);
  if (existing) {
    const w = await existing;
    if (w.files.every((f) => existsSync(f))) return w.conn;
  }
  const waveConn = (async (): Promise<WaveConnection> => {
    const c = await connectAgain(conn);
    const parts = context.manifest.files.filter((f) => f.wave === wave);
    await attachStore(c, context.storeDir, { ...context.manifest, files: parts }, { temporary: true });
    const files: string[] = [];
    for (const view of context.views) {
      await c.run(view.sql);
      if (materializedPerWave(view.sql)) {
        const file = await materialize(c, context, view.name, wave);
        if (file) files.push(file);
      }
    }
    return { conn: c, files };
  })();
  made.set(wave, waveConn);
  return (await waveConn).conn;
}

/**
 * Replaces the view `name` on a wave's connection by its rows: read from the cache's Parquet file for this state of
 * the wave when there is one, written there first otherwise (or, the cache off or not writable, kept in a temporary
 * table of the connection). Returns the file the view reads, if any.
 */
async function materialize(
  c: DuckDBConnection,
  context: QueryCacheContext,
  name: string,
  wave: number
): Promise<string | null> {
  const readFile = async (file: string) => {
    await c.run(`CREATE OR REPLACE TEMP VIEW ${name} AS SELECT * FROM read_parquet(${sqlString(file)})`);
  };
  if (queryCacheEnabled()) {
    const file = join(queryCacheDir(context.storeDir), `${keyOf(context, `view ${name}`, undefined, wave)}.parquet`);
    if (existsSync(file)) {
      touch(file);
      queryCacheStats.viewHits++;
      await readFile(file);
      return file;
    }
    queryCacheStats.viewMisses++;
    try {
      mkdirSync(join(file, ".."), { recursive: true, mode: 0o700 });
      const tmp = `${file}.tmp-${process.pid}`;
      await c.run(`COPY (SELECT * FROM ${name}) TO ${sqlString(tmp)} (FORMAT parquet)`);
      chmodSync(tmp, 0o600);
      renameSync(tmp, file);
      await readFile(file);
      return file;
    } catch {
      /* read-only or full store: kept in the connection instead */
    }
  }
  await c.run(`CREATE TEMP TABLE ${name}__rows AS SELECT * FROM ${name}`);
  await c.run(`CREATE OR REPLACE TEMP VIEW ${name} AS SELECT * FROM ${name}__rows`);
  return null;
}

function touch(file: string): void {
  const now = new Date();
  try {
    utimesSync(file, now, now); // marks the entry as used by this build (see pruneQueryCache)
  } catch {
    /* read-only store */
  }
}

/** Removes entries not used since `since` (the start of the last successful build): stale states of the data. */
export function pruneQueryCache(storeDir: string, since: Date): number {
  const dir = queryCacheDir(storeDir);
  if (!existsSync(dir)) return 0;
  let removed = 0;
  for (const entry of readdirSync(dir)) {
    const file = join(dir, entry);
    try {
      if (statSync(file).mtimeMs < since.getTime()) {
        rmSync(file, { force: true });
        removed++;
      }
    } catch {
      /* gone already */
    }
  }
  return removed;
}
