// Ingest a batch of export files into the store: read and validate each, then commit all accepted rows at once.
// A file that cannot be read is refused whole and reported; it never stops the other files.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Codebook, RosterUnit } from "../codebook/schema.ts";
import { queryRows } from "../db.ts";
import { attachStore, beginIngest, commitStaged, endIngest, readManifest, stageResult, sweepStore, type IngestStaging, type ManifestFile } from "../store/store.ts";
import { ingestFile, sha256File, type FileResult } from "./ingest-file.ts";
import { checkFileSize, UnreadableFileError } from "./read-table.ts";

export interface FileReport {
  file: string;
  kind: string | null;
  format: string | null;
  encoding: string | null;
  wave: number | null;
  rows: number;
  accepted: number;
  quarantined: number;
  /** new: ingested now; already_ingested: same checksum in the store, nothing added; refused: unreadable as a whole. */
  status: "new" | "already_ingested" | "refused";
  sha256: string | null;
  errors: { row: number | null; column: string | null; reason: string }[];
  warnings: string[];
}

export interface IngestReport {
  files: FileReport[];
  store: string;
}

/** Exit codes of `npm run ingest`, documented in the README. */
export const EXIT = { ok: 0, rowsQuarantined: 1, usage: 2, fileRefused: 3, storeFailed: 4 } as const;

export function exitCodeOf(report: IngestReport): number {
  if (report.files.some((f) => f.status === "refused")) return EXIT.fileRefused;
  if (report.files.some((f) => f.quarantined > 0)) return EXIT.rowsQuarantined;
  return EXIT.ok;
}

function reportOf(result: FileResult): FileReport {
  return {
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
    errors: result.quarantined.flatMap((q) => q.errors.map((e) => ({ row: q.row, column: e.column, reason: e.reason }))),
    warnings: result.warnings
  };
}

function reportOfManifestEntry(entry: ManifestFile): FileReport {
  return {
    file: entry.name,
    kind: entry.kind,
    format: entry.format,
    encoding: entry.encoding ?? null,
    wave: entry.wave,
    rows: entry.rows,
    accepted: entry.accepted,
    quarantined: entry.quarantined,
    status: "already_ingested",
    sha256: entry.sha256,
    errors: [],
    warnings: entry.warnings
  };
}

export async function runIngest(
  conn: DuckDBConnection,
  options: { files: string[]; codebook: Codebook; roster: RosterUnit[]; store: string; wave?: number }
): Promise<IngestReport> {
  const manifest = readManifest(options.store);
  sweepStore(options.store, manifest);
  await attachStore(conn, options.store, manifest);
  const known = new Map(manifest.files.map((f) => [f.sha256, f]));
  const keysByWave = new Map<number, Map<string, string>>();
  for (const row of await queryRows<{ wave: number; serial: number; submitted_at: string; name: string }>(
    conn,
    `SELECT r.wave, r.serial, r.submitted_at, r.file_sha AS name FROM respondents r WHERE r.serial IS NOT NULL AND r.submitted_at IS NOT NULL`
  )) {
    const name = known.get(row.name)?.name ?? row.name;
    if (!keysByWave.has(row.wave)) keysByWave.set(row.wave, new Map());
    keysByWave.get(row.wave)!.set(`${row.serial}|${row.submitted_at}`, name);
  }

  const reports: FileReport[] = [];
  // Each file is written to staging as soon as it is read and then let go, so memory holds one file at a time.
  const staged = new Map<string, FileReport>(); // by checksum: a file given twice in one batch is ingested once
  let staging: IngestStaging | undefined;
  try {
    for (const file of options.files) {
      let result: FileResult;
      try {
        checkFileSize(file); // missing, a folder, empty or too large: refused before a byte is read
        const sha = sha256File(file);
        const prior = known.get(sha);
        const inBatch = staged.get(sha);
        if (prior || inBatch) {
          const same = inBatch ?? reportOfManifestEntry(prior!);
          reports.push({ ...same, file, status: "already_ingested", errors: [], warnings: [`与已导入的 ${prior?.name ?? inBatch!.file} 内容相同（校验和 ${sha.slice(0, 12)}），未重复导入`] });
          continue;
        }
        result = ingestFile(file, { codebook: options.codebook, roster: options.roster, wave: options.wave, existingKeys: (w) => keysByWave.get(w) ?? new Map() });
      } catch (e) {
        // Reading and validating write nothing, so any failure here concerns this file only: it is refused whole,
        // named, with the reason, and the other files go on. Only writing to the store can fail the batch.
        const reason =
          e instanceof UnreadableFileError
            ? e.message
            : `${file}: 读取时出错，整个文件未导入（${(e as Error)?.message ?? String(e)}）：请把该文件和这条信息交给维护人员`;
        reports.push({
          file, kind: null, format: null, encoding: null, wave: null, rows: 0, accepted: 0, quarantined: 0,
          status: "refused", sha256: null, errors: [{ row: null, column: null, reason }], warnings: []
        });
        continue;
      }
      const report = reportOf(result);
      reports.push(report);
      staged.set(result.sha256, { ...report, file: result.name });
      // Later files of this batch are checked against this one too: the same answers exported twice are caught
      // whether the first export is already in the store or only earlier in the batch.
      if (!keysByWave.has(result.wave)) keysByWave.set(result.wave, new Map());
      const keys = keysByWave.get(result.wave)!;
      for (const r of result.accepted) if (r.serial !== null && r.submittedAt) keys.set(`${r.serial}|${r.submittedAt}`, result.name);
      staging ??= beginIngest(options.store);
      await stageResult(conn, staging, result, options.codebook.version);
    }
    if (staging) commitStaged(staging, options.codebook);
  } finally {
    if (staging) endIngest(staging);
  }
  return { files: reports, store: options.store };
}

const SURVEY_EXTENSIONS = /\.(csv|txt|tsv|xls|xlsx)$/i;

/** A folder stands for the export files directly inside it. */
export function expandInputs(inputs: string[]): string[] {
  return inputs.flatMap((input) =>
    existsSync(input) && statSync(input).isDirectory()
      ? readdirSync(input).filter((f) => SURVEY_EXTENSIONS.test(f) && !f.startsWith("~$")).sort().map((f) => join(input, f))
      : [input]
  );
}
