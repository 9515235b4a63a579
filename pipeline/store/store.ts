// The typed store: Hive-partitioned Parquet (respondents/ and answers/ by wave), the original files with their
// checksums, quarantine files, and manifest.json. The manifest is the commit point: readers see only the parts it
// lists, and it is replaced by one atomic rename after every new part is on disk. A crash at any earlier moment
// leaves the previous manifest, hence the previous store, exactly as it was; leftovers are swept on the next ingest
// (a staging folder only once the ingest that owns it is gone).
// The store is personal data: its folders are created 0700 and its files 0600, and it never writes an IP address
// (the 来自IP and 来源详情 columns are not stored, and are emptied from quarantined rows; originals/ keeps the export
// byte for byte).
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync
} from "node:fs";
import { dirname, extname, join, relative } from "node:path";
import { z } from "zod";
import type { DuckDBConnection } from "@duckdb/node-api";
import { sqlString } from "../io/duckdb.ts";
import { toCsv } from "../io/csv.ts";
import type { FileResult } from "../ingest/ingest-file.ts";
import { ownerRunning, processAlive, readOwner, thisProcess } from "../io/lock.ts";
import { recordInput } from "../io/trace.ts";
import { paths } from "../io/config.ts";
import type { Codebook, RosterUnit } from "../codebook/schema.ts";
import {
  hasKindColumn,
  ReferenceEntrySchema,
  referenceChanged,
  referenceCurrent,
  referenceDerivation,
  referenceTablesOf,
  stageReferenceTables,
  type ReferenceEntry,
  type ReferenceInputs
} from "./reference.ts";
import { DIR_MODE, FILE_MODE, fsyncPath, mkdirPrivate } from "./private-files.ts";
import { ANSWERS_COLUMNS, RESPONDENTS_COLUMNS, writeRespondentParts } from "./respondent-parts.ts";

export const ManifestFileSchema = z.object({
  name: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  format: z.string(),
  encoding: z.string().optional(),
  kind: z.string(),
  wave: z.int(),
  rows: z.int(),
  accepted: z.int(),
  quarantined: z.int(),
  ingestedAt: z.string(),
  codebookVersion: z.string(),
  original: z.string(),
  respondents: z.string().nullable(),
  answers: z.string().nullable(),
  quarantine: z.string().nullable(),
  warnings: z.array(z.string()).default([])
});

export const ManifestSchema = z.object({
  format: z.literal(1),
  updatedAt: z.string(),
  codebook: z.object({ id: z.string(), version: z.string() }).nullable(),
  files: z.array(ManifestFileSchema),
  /** The reference tables (codebook, roster, indicators, assessment scores) as of this commit (reference.ts). */
  reference: z.array(ReferenceEntrySchema).default([])
});

export type ManifestFile = z.infer<typeof ManifestFileSchema>;
export type Manifest = z.infer<typeof ManifestSchema>;

const MANIFEST = "manifest.json";

/** The store's manifest file: what the store holds (every commit rewrites it). */
export const manifestPathOf = (storeDir: string): string => join(storeDir, MANIFEST);
/** The store's views as SQL, written after every commit (storeViewsSql). */
export const VIEWS_SQL = "views.sql";

/** The header of every quarantine file (before the kind column: file,row,column,reason,cells). */
export const QUARANTINE_HEADER = ["file", "row", "column", "kind", "reason", "cells"];

export function emptyManifest(): Manifest {
  return { format: 1, updatedAt: new Date(0).toISOString(), codebook: null, files: [], reference: [] };
}

export function readManifest(storeDir: string): Manifest {
  const path = join(storeDir, MANIFEST);
  if (!existsSync(path)) return emptyManifest();
  recordInput(path);
  const parsed = ManifestSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success)
    throw new Error(
      `${path}: the store manifest is damaged (${parsed.error.issues[0]?.message}); restore it from a backup`
    );
  return parsed.data;
}

/**
 * The store folder itself, created 0700 (its parent, e.g. data/, as any folder); an existing store is made 0700 too,
 * so that a store created before this rule is closed to other users as well.
 */
export function ensureStoreDir(storeDir: string): void {
  mkdirSync(dirname(storeDir), { recursive: true });
  mkdirSync(storeDir, { recursive: true, mode: DIR_MODE });
  try {
    if ((statSync(storeDir).mode & 0o777) !== DIR_MODE) chmodSync(storeDir, DIR_MODE);
  } catch {
    // a store folder owned by another account (a shared mount): its owner keeps it closed; writing is still possible
  }
}

/** Writes a file so that it is either wholly there or not at all: temp file (mode 0600), fsync, rename, fsync the folder. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  mkdirPrivate(dirname(path));
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content, { mode: FILE_MODE });
  chmodSync(tmp, FILE_MODE); // a leftover temp file of the same name keeps its mode otherwise
  fsyncPath(tmp);
  renameSync(tmp, path);
  fsyncPath(dirname(path));
}

/**
 * Creates the views `respondents` and `answers` over the parts the manifest lists (empty tables when it lists none).
 * `temporary`: as temporary views of this connection alone (on a fresh connection), which hide the database's own.
 */
export async function attachStore(
  conn: DuckDBConnection,
  storeDir: string,
  manifest = readManifest(storeDir),
  { temporary = false } = {}
): Promise<Manifest> {
  const temp = temporary ? "TEMP " : "";
  for (const [view, key, columns] of [
    ["respondents", "respondents", RESPONDENTS_COLUMNS],
    ["answers", "answers", ANSWERS_COLUMNS]
  ] as const) {
    const parts = manifest.files.flatMap((f) => (f[key] ? [join(storeDir, f[key]!)] : []));
    if (!temporary) await dropRelation(conn, view); // a view, or the empty table of an empty store
    if (parts.length === 0) {
      await conn.run(`CREATE ${temp}TABLE ${view} (wave INTEGER, ${columns})`);
      continue;
    }
    const list = parts.map(sqlString).join(", ");
    // Respondents parts of older stores lack the fingerprint column: read by name, it is NULL there.
    const byName = view === "respondents" ? ", union_by_name = true" : "";
    await conn.run(
      `CREATE OR REPLACE ${temp}VIEW ${view} AS SELECT * FROM read_parquet([${list}], hive_partitioning = true, hive_types = {'wave': INTEGER}${byName})`
    );
  }
  return manifest;
}

/**
 * The store's relations as a DuckDB script over paths relative to the store folder, so that the folder can be moved,
 * copied or synced to object storage: respondents and answers (Hive-partitioned, the parts the manifest lists), every
 * reference table (cb_likert, cb_attributes, cb_roster, cb_quality, cb_questions, cb_indicators, assessment_scores)
 * and quarantine (the quarantine files). Run it with the store as DuckDB's file_search_path (or from the store folder:
 * `cd <store> && duckdb -c ".read views.sql"`); the shared views the queries also read (SHARED_VIEWS:
 * keyed_likert_answers, respondent_groups…; assessment_totals) are named SQL over these (pipeline/db/bare-store.ts).
 */
export function storeViewsSql(storeDir: string, manifest: Manifest): string {
  const list = (paths: string[]) => `[${paths.map(sqlString).join(", ")}]`;
  const lines = [
    `-- The relations of this Yipanqi store as of ${manifest.updatedAt}, from manifest.json (written at every commit;`,
    "-- do not edit). Paths are relative to this folder: cd into it, or SET file_search_path to it, before .read.",
    "-- The store is personal data: answers are respondent-level. Publish only through the site's audited marts."
  ];
  for (const [view, key, columns] of [
    ["respondents", "respondents", RESPONDENTS_COLUMNS],
    ["answers", "answers", ANSWERS_COLUMNS]
  ] as const) {
    const parts = manifest.files.flatMap((f) => (f[key] ? [f[key]!] : []));
    const byName = view === "respondents" ? ", union_by_name = true" : "";
    lines.push(
      parts.length === 0
        ? `CREATE OR REPLACE TABLE ${view} (wave INTEGER, ${columns.replace(/\s+/g, " ")});`
        : `CREATE OR REPLACE VIEW ${view} AS SELECT * FROM read_parquet(${list(parts)}, hive_partitioning = true, hive_types = {'wave': INTEGER}${byName});`
    );
  }
  for (const r of manifest.reference)
    lines.push(`CREATE OR REPLACE VIEW ${r.name} AS SELECT * FROM read_parquet(${sqlString(r.path)});`);
  const quarantine = manifest.files.flatMap((f) => (f.quarantine ? [f.quarantine] : []));
  const withKind = quarantine.filter((q) => !existsSync(join(storeDir, q)) || hasKindColumn(join(storeDir, q)));
  const without = quarantine.filter((q) => !withKind.includes(q));
  const read = (files: string[], kind: boolean) =>
    `SELECT file, row, "column", ${kind ? "kind" : "NULL::VARCHAR AS kind"}, reason, regexp_extract(filename, '(quarantine/[^/]+)$', 1) AS quarantine_file FROM read_csv(${list(files)}, header = true, filename = true, quote = '"', escape = '"', columns = {'file': 'VARCHAR', 'row': 'INTEGER', 'column': 'VARCHAR', ${kind ? "'kind': 'VARCHAR', " : ""}'reason': 'VARCHAR', 'cells': 'VARCHAR'})`;
  const reads = [...(withKind.length ? [read(withKind, true)] : []), ...(without.length ? [read(without, false)] : [])];
  lines.push(
    reads.length
      ? `CREATE OR REPLACE VIEW quarantine AS ${reads.join(" UNION ALL ")};`
      : `CREATE OR REPLACE TABLE quarantine (file VARCHAR, row INTEGER, "column" VARCHAR, kind VARCHAR, reason VARCHAR, quarantine_file VARCHAR);`
  );
  return lines.join("\n") + "\n";
}

/** Writes <store>/views.sql for this manifest (atomically, and only when it differs from what is there). */
export function writeViewsSql(storeDir: string, manifest: Manifest): void {
  const path = join(storeDir, VIEWS_SQL);
  const text = storeViewsSql(storeDir, manifest);
  if (existsSync(path) && readFileSync(path, "utf8") === text) return;
  writeFileAtomic(path, text);
}

/**
 * An ingest in progress: each file's parts are written into a staging folder as soon as the file is read, so memory
 * holds the file being read while DuckDB copies the one before, however many files the batch has; none of it
 * is live until commitStaged swaps the manifest.
 */
export interface IngestStaging {
  storeDir: string;
  dir: string;
  entries: ManifestFile[];
  /** The reference tables the commit lists (stageReference), or undefined to keep the previous manifest's. */
  reference?: ReferenceEntry[];
}

/**
 * Names the process that owns a staging folder, inside it: the pid in the folder's name alone could name another
 * process after a reboot or once pids wrap, and a crash's leftover would not be swept while that process runs
 * (sweepStore).
 */
const STAGING_OWNER = "owner.json";

export function beginIngest(storeDir: string): IngestStaging {
  ensureStoreDir(storeDir);
  const dir = join(storeDir, `.staging-${process.pid}-${Date.now()}`);
  mkdirPrivate(dir);
  writeFileSync(join(dir, STAGING_OWNER), JSON.stringify(thisProcess()), { mode: FILE_MODE });
  return { storeDir, dir, entries: [] };
}

/**
 * Writes one file's respondents, answers, quarantine and original into the staging folder. Returns once the
 * respondents are written as CSV text for DuckDB (respondent-parts.ts); `written` settles when DuckDB has copied them
 * to their Parquet parts. That takes DuckDB's threads, not this one, so the caller can read the next file meanwhile;
 * it must await `written` before the next stageResult on the same connection (one statement at a time) and before
 * committing.
 */
export async function stageResult(
  conn: DuckDBConnection,
  staging: IngestStaging,
  result: FileResult,
  codebookVersion: string
): Promise<{ entry: ManifestFile; written: Promise<void> }> {
  const staged = await stageFile(conn, staging.storeDir, staging.dir, result, codebookVersion);
  staging.entries.push(staged.entry);
  return staged;
}

/** Drops a table or view of this name, whichever it is (DuckDB refuses DROP TABLE on a view and the reverse). */
async function dropRelation(conn: DuckDBConnection, name: string): Promise<void> {
  const found = await conn.runAndReadAll(
    `SELECT table_type FROM information_schema.tables WHERE table_name = $name AND table_schema = 'main'`,
    { name }
  );
  const type = found.getRows()[0]?.[0];
  if (type === "VIEW") await conn.run(`DROP VIEW ${name}`);
  else if (type !== undefined) await conn.run(`DROP TABLE ${name}`);
}

/** A new store state: every staged part moved to its place, then the manifest swapped in one rename. */
export function commitStaged(staging: IngestStaging, codebook: { id: string; version: string }): Manifest {
  const { storeDir, dir } = staging;
  const previous = readManifest(storeDir);
  // Move every staged part to its final (content-addressed) place; none of them is live until the manifest names it.
  for (const file of listFiles(dir)) {
    if (file === join(dir, STAGING_OWNER)) continue;
    const target = join(storeDir, relative(dir, file));
    mkdirPrivate(dirname(target));
    renameSync(file, target);
    fsyncPath(dirname(target));
  }
  const manifest: Manifest = {
    format: 1,
    updatedAt: new Date().toISOString(),
    codebook: { id: codebook.id, version: codebook.version },
    files: [...previous.files, ...staging.entries],
    reference: staging.reference ?? previous.reference
  };
  writeFileAtomic(join(storeDir, MANIFEST), JSON.stringify(manifest, null, 2) + "\n");
  // Derived from the manifest just committed (a crash before this line leaves the previous views.sql, whose parts
  // stay until the next ingest, which writes it again before it sweeps anything).
  writeViewsSql(storeDir, manifest);
  return manifest;
}

/**
 * Stages the reference tables of these inputs (reference.ts) whose content or source the store's manifest does not
 * list yet, beginning an ingest when there is none (an ingest of nothing new after an edit of the codebook or roster
 * still commits them). Returns the staging to commit (undefined when nothing changed: then views.sql is only made
 * sure of) and what was written or could not be read.
 */
export async function stageReference(
  conn: DuckDBConnection,
  storeDir: string,
  staging: IngestStaging | undefined,
  options: {
    codebook: Codebook;
    roster: RosterUnit[];
    /** The files the tables are read from or named after (default: those of paths()). */
    reference?: Partial<Omit<ReferenceInputs, "codebook" | "roster">>;
  }
): Promise<{ staging: IngestStaging | undefined; written: string[]; problems: string[] }> {
  const p = paths();
  const previous = readManifest(storeDir);
  const inputs: ReferenceInputs = {
    codebookFile: p.codebook,
    rosterFile: p.roster,
    indicatorsFile: p.indicators,
    scoresFile: p.assessmentScores,
    ...options.reference,
    codebook: options.codebook,
    roster: options.roster
  };
  // Made from exactly these inputs already: the commit keeps the manifest's tables as they are.
  const derivation = referenceDerivation(inputs);
  if (referenceCurrent(previous.reference, derivation)) {
    if (!staging && (previous.files.length || previous.reference.length)) writeViewsSql(storeDir, previous);
    return { staging, written: [], problems: [] };
  }
  const { tables, problems } = referenceTablesOf(inputs);
  // A file that changed while it was read is not recorded as made from either content: the next ingest reads again.
  const derivedFrom = referenceDerivation(inputs) === derivation ? derivation : undefined;
  // The same tables from other inputs (a store older than derivedFrom, or an edit that changed no table) are
  // committed once with their new derivation, so that the next ingest finds them current.
  if (!staging && !referenceChanged(previous.reference, tables, derivedFrom)) {
    if (previous.files.length || previous.reference.length) writeViewsSql(storeDir, previous);
    return { staging, written: [], problems };
  }
  staging ??= beginIngest(storeDir);
  const { entries, written } = await stageReferenceTables(
    conn,
    staging.dir,
    previous.reference,
    tables,
    mkdirPrivate,
    fsyncPath,
    derivedFrom
  );
  staging.reference = entries;
  return { staging, written, problems };
}

/** Removes the staging folder (after a commit, or when the batch failed: the store stays as it was). */
export function endIngest(staging: IngestStaging): void {
  rmSync(staging.dir, { recursive: true, force: true });
}

/**
 * The parts made private and synced once DuckDB has written them (it creates files with the umask's mode). A function
 * of its own, so that the promise holds the paths alone, not the file's result (a closure beside one that reads
 * `result` would keep it alive until the copy ends, while the next file is read).
 */
function closedWhenWritten(written: Promise<void>, staging: string, parts: string[]): Promise<void> {
  const closed = written.then(() => {
    for (const part of parts) {
      chmodSync(join(staging, part), FILE_MODE);
      fsyncPath(join(staging, part));
    }
  });
  closed.catch(() => undefined); // awaited by the caller later; handled here so that it is not reported meanwhile
  return closed;
}

async function stageFile(
  conn: DuckDBConnection,
  storeDir: string,
  staging: string,
  result: FileResult,
  codebookVersion: string
): Promise<{ entry: ManifestFile; written: Promise<void> }> {
  const id = result.sha256.slice(0, 16);
  const partition = `wave=${result.wave}`;
  const original = join("originals", `${result.sha256}${extname(result.name).toLowerCase()}`);
  mkdirPrivate(join(staging, "originals"));
  if (!existsSync(join(storeDir, original))) {
    copyFileSync(result.file, join(staging, original));
    chmodSync(join(staging, original), FILE_MODE); // a copy keeps the mode of the export
  }
  fsyncPath(join(staging, original.split("/")[0]));

  let quarantine: string | null = null;
  if (result.quarantined.length) {
    quarantine = join("quarantine", `${id}.csv`);
    // cells: the rejected row without its IP and 来源详情 cells (ingest-file.ts); reasons have IP-like text masked.
    const rows = result.quarantined.flatMap((q) =>
      q.errors.map((e) => [result.name, q.row, e.column, e.kind, e.reason, JSON.stringify(q.cells)])
    );
    writeFileAtomic(join(staging, quarantine), "\uFEFF" + toCsv(QUARANTINE_HEADER, rows));
  }
  // The parts last: once DuckDB copies them, nothing here can fail and leave the copy running unawaited.
  let respondents: string | null = null;
  let answers: string | null = null;
  let written = Promise.resolve();
  if (result.accepted.length) {
    respondents = join("respondents", partition, `${id}.parquet`);
    answers = join("answers", partition, `${id}.parquet`);
    const copied = await writeRespondentParts(conn, result, join(staging, respondents), join(staging, answers));
    written = closedWhenWritten(copied.written, staging, [respondents, answers]);
  }
  const entry: ManifestFile = {
    name: result.name,
    sha256: result.sha256,
    format: result.format,
    encoding: result.encoding,
    kind: result.kind,
    wave: result.wave,
    rows: result.rows,
    accepted: result.accepted.length,
    quarantined: result.quarantined.length,
    ingestedAt: new Date().toISOString(),
    codebookVersion,
    original,
    respondents,
    answers,
    quarantine,
    // Copied: the warnings may be slices of the file's decoded text, which they would keep alive until the commit.
    warnings: structuredClone(result.warnings)
  };
  return { entry, written };
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]
  );
}

/**
 * Whether the ingest that made a staging folder still runs: the owner it records, or (a crash before it was written,
 * or a store written before owners were recorded) the pid in the folder's name `.staging-<pid>-<time>`.
 */
function stagingOwnerRunning(storeDir: string, entry: string): boolean {
  const recorded = readOwner(join(storeDir, entry, STAGING_OWNER));
  if (recorded) return ownerRunning(recorded);
  const m = /^\.staging-(\d+)-/.exec(entry);
  return m !== null && processAlive(Number(m[1]));
}

/**
 * Removes what a crashed ingest left: staging folders whose ingest is gone and parts no manifest names. Safe: live
 * parts are all listed, and a staging folder of a running ingest (this one or another) is never touched. (Parts
 * no manifest names can only be a crashed ingest's: a running one keeps its parts in its staging folder until it
 * holds the store's lock to commit, and every writer holds that lock, so none is sweeping meanwhile.)
 */
export function sweepStore(storeDir: string, manifest = readManifest(storeDir)): string[] {
  const live = new Set(
    manifest.files
      .flatMap((f) => [f.original, f.respondents, f.answers, f.quarantine].filter((p): p is string => !!p))
      .concat(manifest.reference.map((r) => r.path))
  );
  const removed: string[] = [];
  if (!existsSync(storeDir)) return removed;
  for (const entry of readdirSync(storeDir)) {
    if (entry.startsWith(".staging-") && !stagingOwnerRunning(storeDir, entry)) {
      rmSync(join(storeDir, entry), { recursive: true, force: true });
      removed.push(entry);
    }
  }
  for (const folder of ["respondents", "answers", "quarantine", "originals", "reference"])
    for (const file of listFiles(join(storeDir, folder))) {
      const rel = relative(storeDir, file);
      if (!live.has(rel)) {
        rmSync(file, { force: true });
        removed.push(rel);
      }
    }
  return removed;
}
