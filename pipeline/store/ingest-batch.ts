// Ingest a batch of export files into the store: read and validate each, then commit all accepted rows at once.
// A file that cannot be read is refused whole and reported; it never stops the other files.
import { existsSync, readdirSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Codebook, RosterUnit } from "../codebook/schema.ts";
import {
  attachStore,
  beginIngest,
  commitStaged,
  endIngest,
  readManifest,
  stageResult,
  stageReference,
  sweepStore,
  type IngestStaging,
  type ManifestFile
} from "./store.ts";
import { exactKeySql, Seen } from "../ingest/fingerprint.ts";
import { ingestFile, type FileResult } from "../ingest/ingest-file.ts";
import type { RowErrorKind } from "../ingest/parse-row.ts";
import { checkFileSize, UnreadableFileError } from "../ingest/read-table.ts";
import { INGEST_EXIT } from "../io/exit-codes.ts";
import { FileChecksums, fileChecksumsPath } from "./file-checksums.ts";
import type { ReferenceInputs } from "./reference.ts";

export interface FileReport {
  file: string;
  kind: string | null;
  format: string | null;
  encoding: string | null;
  wave: number | null;
  rows: number;
  accepted: number;
  quarantined: number;
  /**
   * new: ingested now; already_ingested: same checksum in the store (or earlier in the batch), nothing added (rows,
   * accepted and quarantined are 0; a warning names the earlier ingest and its counts); refused: unreadable as
   * a whole (one error, kind file_refused).
   */
  status: "new" | "already_ingested" | "refused";
  sha256: string | null;
  errors: { row: number | null; column: string | null; kind: RowErrorKind | "file_refused"; reason: string }[];
  warnings: string[];
}

/** The store could not be written: the batch is not committed, the store is as it was. Names the file being written. */
export class StoreWriteError extends Error {
  constructor(
    readonly file: string | null,
    readonly cause: unknown
  ) {
    super(`${file ? `写入 ${file} 时` : ""}${(cause as Error)?.message ?? String(cause)}`);
    this.name = "StoreWriteError";
  }
}

export interface IngestReport {
  files: FileReport[];
  store: string;
  /** The reference tables written into the store by this ingest (store/reference.ts), and what could not be read. */
  reference: { written: string[]; problems: string[] };
}

export function exitCodeOf(report: IngestReport): number {
  if (report.files.some((f) => f.status === "refused")) return INGEST_EXIT.fileRefused;
  if (report.files.some((f) => f.quarantined > 0)) return INGEST_EXIT.rowsQuarantined;
  return INGEST_EXIT.ok;
}

/**
 * The file's report, with strings of its own. A cell, header or reason is often a slice of the file's whole decoded
 * text (V8 keeps the text alive as long as any slice of it lives): reports kept to the end of a batch kept every file's
 * text, 11 MB per 20,000-row part, so the ingest's memory grew with the batch (7.7 GB at 10 M respondents). The copy
 * holds only what the report says.
 */
function reportOf(result: FileResult): FileReport {
  return structuredClone({
    file: result.file,
    kind: result.kind,
    format: result.format,
    encoding: result.encoding ?? null,
    wave: result.wave,
    rows: result.rows,
    accepted: result.accepted.length,
    quarantined: result.quarantined.length,
    status: "new",
    sha256: result.sha256,
    errors: result.quarantined.flatMap((q) =>
      q.errors.map((e) => ({ row: q.row, column: e.column, kind: e.kind, reason: e.reason }))
    ),
    warnings: result.warnings
  } satisfies FileReport);
}

/** A file whose checksum is already known: nothing read now, so nothing accepted or quarantined now. */
function alreadyIngested(file: string, earlier: FileReport | ManifestFile, sha: string): FileReport {
  const when =
    "ingestedAt" in earlier
      ? `（${earlier.ingestedAt.slice(0, 10)} 导入时读取 ${earlier.rows} 行：接受 ${earlier.accepted} 行，隔离 ${earlier.quarantined} 行）`
      : `（本批读取 ${earlier.rows} 行：接受 ${earlier.accepted} 行，隔离 ${earlier.quarantined} 行）`;
  const name = "ingestedAt" in earlier ? earlier.name : earlier.file;
  return {
    file,
    kind: earlier.kind,
    format: earlier.format,
    encoding: earlier.encoding ?? null,
    wave: earlier.wave,
    rows: 0,
    accepted: 0,
    quarantined: 0,
    status: "already_ingested",
    sha256: sha,
    errors: [],
    warnings: [`与已导入的 ${name} 内容相同（校验和 ${sha.slice(0, 12)}），未重复导入${when}`]
  };
}

/**
 * Every respondent of the store, by its fingerprint and its exact key (序号 + submission time), streamed from the
 * Parquet parts chunk by chunk into typed arrays: only 32-bit integers cross from DuckDB (the exact key is computed
 * there, the file as its number), so a million respondents load in about a second. Parts written before the
 * fingerprint column existed give only their exact keys (the rule before it): `legacy` names their files.
 */
async function loadSeen(
  conn: DuckDBConnection,
  manifest: ReturnType<typeof readManifest>
): Promise<{ seen: Seen; legacy: Set<string> }> {
  const respondents = manifest.files.reduce((n, f) => n + f.accepted, 0);
  const seen = new Seen(2 * respondents + 4096);
  const legacy = new Set<string>(); // files whose respondents have no fingerprint
  for (const f of manifest.files) seen.addFile(f.name);
  if (!manifest.files.some((f) => f.respondents)) return { seen, legacy };
  // A store whose parts all predate the column has none (read by name, a part without it gives NULL).
  const columns = (await conn.runAndReadAll(`DESCRIBE respondents`)).getRows().map((r) => r[0]);
  const fingerprint = columns.includes("fingerprint") ? "r.fingerprint" : "NULL::UBIGINT";
  await conn.run(`CREATE OR REPLACE TEMP TABLE seen_files (file_sha VARCHAR, i INTEGER)`);
  const appender = await conn.createAppender("seen_files");
  manifest.files.forEach((f, i) => {
    appender.appendVarchar(f.sha256);
    appender.appendInteger(i);
    appender.endRow();
  });
  appender.closeSync();
  const exact = exactKeySql("r");
  const result = await conn.stream(
    `SELECT (${fingerprint} >> 32)::UINTEGER AS hi, (${fingerprint} & 4294967295)::UINTEGER AS lo,
            ${exact.hi} AS exact_hi, ${exact.lo} AS exact_lo, f.i AS file
     FROM respondents r JOIN seen_files f USING (file_sha)`
  );
  for (let chunk = await result.fetchChunk(); chunk; chunk = await result.fetchChunk()) {
    const rows = chunk.rowCount;
    if (rows === 0) break;
    const [hi, lo, exactHi, exactLo, file] = [0, 1, 2, 3, 4].map((i) => chunk.getColumnValues(i) as (number | null)[]);
    for (let r = 0; r < rows; r++) {
      if (hi[r] !== null) seen.index.add({ hi: hi[r]!, lo: lo[r]! }, file[r]!);
      else legacy.add(seen.names[file[r]!]);
      if (exactHi[r] !== null) seen.index.add({ hi: exactHi[r]!, lo: exactLo[r]! }, file[r]!);
    }
  }
  await conn.run(`DROP TABLE seen_files`);
  return { seen, legacy };
}

/** A file refused whole: it could not be read, or reading it failed (e). */
function refused(file: string, e: unknown): FileReport {
  const reason =
    e instanceof UnreadableFileError
      ? e.message
      : `${file}: 读取时出错，整个文件未导入（${(e as Error)?.message ?? String(e)}）：请把该文件和这条信息交给维护人员`;
  return {
    file,
    kind: null,
    format: null,
    encoding: null,
    wave: null,
    rows: 0,
    accepted: 0,
    quarantined: 0,
    status: "refused",
    sha256: null,
    errors: [{ row: null, column: null, kind: "file_refused", reason }],
    warnings: []
  };
}

/** Said with every new file, so that the steward knows which duplicates the store cannot recognise. */
function legacyWarningOf(legacy: Set<string>): string | undefined {
  return legacy.size
    ? `数据仓库中有 ${legacy.size} 个文件（${[...legacy].slice(0, 3).join("、")}${legacy.size > 3 ? " 等" : ""}）是在答卷指纹引入之前导入的：` +
        "与其中答卷的重复只能按“序号 + 精确到秒的提交时间”识别，Excel 另存（秒数丢失）或没有序号的副本识别不出；" +
        "要完整查重，请把数据仓库（data/store）移到别处，再重新导入全部导出文件（如 npm run ingest -- data/surveys）"
    : undefined;
}

export async function runIngest(
  conn: DuckDBConnection,
  options: {
    files: string[];
    codebook: Codebook;
    roster: RosterUnit[];
    store: string;
    wave?: number;
    /** The files the reference tables are read from or named after (default: those of paths()). */
    reference?: Partial<Omit<ReferenceInputs, "codebook" | "roster">>;
    /** The files' checksums (default: remembered in the store's .cache between ingests, file-checksums.ts). */
    checksums?: FileChecksums;
  }
): Promise<IngestReport> {
  const manifest = readManifest(options.store);
  sweepStore(options.store, manifest);
  await attachStore(conn, options.store, manifest);
  const known = new Map(manifest.files.map((f) => [f.sha256, f]));
  // A refresh lists every export of the inbox, nearly all of them already in the store: their checksums are reused
  // while the file system says they are unchanged, instead of reading every file again.
  const checksums = options.checksums ?? new FileChecksums(fileChecksumsPath(options.store));
  // The store's duplicate keys (a million respondents load in about a second), loaded for the first file that has to
  // be read: a refresh with nothing new does not need them. Loaded with all of DuckDB's threads, before the reading
  // takes one.
  let duplicateKeys: { seen: Seen; legacyWarning: string | undefined } | undefined;
  let restoreThreads: () => Promise<void> = async () => {};
  const keysOfStore = async () => {
    if (!duplicateKeys) {
      const { seen, legacy } = await loadSeen(conn, manifest);
      duplicateKeys = { seen, legacyWarning: legacyWarningOf(legacy) };
      restoreThreads = await threadsBesideReading(conn);
    }
    return duplicateKeys;
  };

  const reports: FileReport[] = [];
  // Each file is written to staging as soon as it is read and then let go: memory holds the file being read while
  // DuckDB copies the previous one's staged CSV text to Parquet (respondent-parts.ts).
  const staged = new Map<string, FileReport>(); // by checksum: a file given twice in one batch is ingested once
  let staging: IngestStaging | undefined;
  let reference: IngestReport["reference"] = { written: [], problems: [] };
  // The file whose Parquet parts DuckDB is still writing (stageResult's `written`) while the next file is read: the
  // copy runs on DuckDB's threads, the reading on this one. Awaited before the next file is staged and before commit.
  let writing: { file: string; written: Promise<void> } | undefined;
  const written = async () => {
    const last = writing;
    writing = undefined;
    if (last)
      await last.written.catch((e) => {
        throw new StoreWriteError(last.file, e);
      });
  };
  try {
    for (const file of options.files) {
      // Reading and validating write nothing, so any failure of either concerns this file only: it is refused whole,
      // named, with the reason, and the other files go on. Only the store (its keys, writing to it) can fail the batch.
      let sha: string;
      try {
        checkFileSize(file); // missing, a folder, empty or too large: refused before a byte is read
        sha = checksums.sha256(file);
      } catch (e) {
        reports.push(refused(file, e));
        continue;
      }
      const prior = known.get(sha);
      const inBatch = staged.get(sha);
      if (prior || inBatch) {
        reports.push(alreadyIngested(file, prior ?? inBatch!, sha));
        continue;
      }
      const { seen, legacyWarning } = await keysOfStore();
      let result: FileResult;
      try {
        result = ingestFile(file, { codebook: options.codebook, roster: options.roster, wave: options.wave, seen });
      } catch (e) {
        reports.push(refused(file, e));
        continue;
      }
      if (result.sha256 !== sha) {
        // The bytes read are not those looked up (the file changed meanwhile, or its remembered checksum was wrong):
        // what was read decides, and the checksum is not remembered.
        checksums.forget(file);
        const same = known.get(result.sha256) ?? staged.get(result.sha256);
        if (same) {
          reports.push(alreadyIngested(file, same, result.sha256));
          continue;
        }
      }
      const report = reportOf(result);
      if (legacyWarning) report.warnings.push(legacyWarning);
      reports.push(report);
      staged.set(result.sha256, { ...report, file: result.name });
      // Later files of this batch are checked against this one too: the same answers exported twice are caught
      // whether the first export is already in the store or only earlier in the batch.
      const fileIndex = seen.addFile(result.name);
      for (const r of result.accepted) {
        seen.index.add(r.keys.fingerprint, fileIndex);
        if (r.keys.exact) seen.index.add(r.keys.exact, fileIndex);
      }
      await written(); // the previous file's parts: one connection, one copy at a time
      try {
        staging ??= beginIngest(options.store);
        writing = { file, written: (await stageResult(conn, staging, result, options.codebook.version)).written };
      } catch (e) {
        throw new StoreWriteError(file, e);
      }
    }
    await written();
    try {
      // The codebook, roster and assessment tables are committed with the new parts, or alone when only they changed.
      ({ staging, ...reference } = await stageReference(conn, options.store, staging, options));
      if (staging) commitStaged(staging, options.codebook);
    } catch (e) {
      throw new StoreWriteError(null, e);
    }
  } finally {
    if (existsSync(options.store)) checksums.save(); // true of the files whatever became of the batch
    // After a failure the last file's copy may still be running: it is let finish before its folder goes.
    await writing?.written.catch(() => undefined);
    try {
      if (staging) endIngest(staging);
    } finally {
      await restoreThreads();
    }
  }
  return { files: reports, store: options.store, reference };
}

/**
 * While the files are read, DuckDB copies each file's parts on its threads beside this one. DuckDB gets at most one
 * thread fewer than the machine has cores (openDuckDB gives it two: one on a 2-core machine, unchanged on 3 or more),
 * so that the copies do not take turns with the reading. With two DuckDB threads beside the reading, one 1 M wave
 * (8 files) took 5.9–6.1 s against 5.5–5.7 s with one. Set at the batch's first new file, after the store's duplicate
 * keys were read with every thread, it holds to the end of the batch (its staging and commit too), and the returned
 * function puts it back. A batch that reads no file keeps every thread.
 */
async function threadsBesideReading(conn: DuckDBConnection): Promise<() => Promise<void>> {
  const [[setting]] = (await conn.runAndReadAll(`SELECT current_setting('threads')`)).getRows();
  const threads = Number(setting);
  const beside = Math.max(1, Math.min(threads, availableParallelism() - 1));
  if (beside === threads) return async () => undefined;
  await conn.run(`SET threads = ${beside}`);
  return async () => {
    await conn.run(`SET threads = ${threads}`);
  };
}

const SURVEY_EXTENSIONS = /\.(csv|txt|tsv|xls|xlsx)$/i;

/** A folder stands for the export files directly inside it. */
export function expandInputs(inputs: string[]): string[] {
  return inputs.flatMap((input) =>
    existsSync(input) && statSync(input).isDirectory()
      ? readdirSync(input)
          .filter((f) => SURVEY_EXTENSIONS.test(f) && !f.startsWith("~$"))
          .sort()
          .map((f) => join(input, f))
      : [input]
  );
}
