// The one pass: every data file the build needs (pipeline/publish/data-files.ts) made in this process from one opened
// store, and written into Framework's loader cache before `observable build`, so Framework finds each output fresh
// and starts no loader process (each paid ~0.6 s to start node, tsx, DuckDB and zod and to open the store again).
// Each file is keyed as a loader's output is (loader-cache.ts): its loader's module graph, the named SQL, its params,
// and the data files it read in this pass (the codebook and roster read when the store opened, and what its mart read
// on top: the store's manifest when it reads the survey, the indicators and assessment scores, the quarantine files).
// A file made from reference tables alone (the assessment's) so does not depend on the survey's waves, and a refresh
// after a new wave keeps it. A file whose key holds is
// reused and not recomputed; when every key holds, the store is not even opened. Each file goes through its contract
// (publish.ts) and is written atomically (temp + rename); a mart that throws stops the pass naming the file, and the
// files written before it keep their keys.
import { renameSync, rmSync, utimesSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { loadCodebook } from "../codebook/load.ts";
import { openReportStore, type ReportStore } from "../db/report-store.ts";
import { paths } from "../io/config.ts";
import { closeDuckDB } from "../io/duckdb.ts";
import { collectInputs } from "../io/trace.ts";
import { dataTargets, type DataTarget } from "../publish/data-files.ts";
import { manifestPathOf } from "../store/store.ts";
import type { FilesToAudit } from "../publish/audit-beside-build.ts";
import { UNIT_DATA_DIR, unitReportFiles } from "../site/unit-reports.ts";
import { KeyMemo, type LoaderCache, type LoaderRun } from "./loader-cache.ts";

export interface DataFileTiming {
  /** The cache path, e.g. data/sections/causes-scores.json. */
  target: string;
  /** ms to make and write it (0 when reused). */
  ms: number;
  bytes: number;
  made: boolean;
}

export interface DataPass {
  /** Targets computed in this pass (cache paths, data/…). */
  made: string[];
  /** Targets whose key held: left as they were. */
  reused: string[];
  files: DataFileTiming[];
  /** ms to open the store (0 when every key held). */
  openMs: number;
  /** ms of the whole pass. */
  ms: number;
  /** Every roster unit's data file, [code, JSON text], when asked for (DataPassOptions.unitReports). */
  unitReports?: [string, string][];
  /** ms to make them, made first (their marts are mostly shared with units-index.json, which then reuses them). */
  unitReportsMs: number;
}

/** A data file whose mart (or contract) failed: the pass stops, naming the file. */
export class DataFileFailure extends Error {
  constructor(
    readonly target: string,
    readonly cause: unknown
  ) {
    super(`数据文件 ${target} 生成失败：${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export interface DataPassOptions {
  /** Opens the store (default: openReportStore over paths()). */
  open?: () => Promise<ReportStore>;
  /** Only these targets (cache paths); default: every data file of the registry. */
  only?: (target: DataTarget) => boolean;
  log?: (line: string) => void;
  /**
   * Also make every roster unit's data file (pipeline/site/unit-reports.ts) from the same opened store, for the build
   * to write beside its unit template: the unit pages are the units index's own marts (perStore), so they cost little
   * on top of it, where opening the store again after Framework computed them all a second time.
   */
  unitReports?: boolean;
  /**
   * Told of each file the build will publish as soon as it is final: every file kept, before the store opens; each
   * file made, once written; the unit files, once made. The refresh's audit reads them then (audit-beside-build.ts).
   */
  onFiles?: (files: FilesToAudit) => void;
}

/**
 * Writes every data file whose key does not hold into Framework's cache (`cache.cacheRoot`), from one store opened
 * once, and records their keys. Throws DataFileFailure naming the first file that failed.
 */
export async function writeDataFiles(cache: LoaderCache, options: DataPassOptions = {}): Promise<DataPass> {
  const started = performance.now();
  const open = options.open ?? (() => openReportStore());
  const targets = dataTargets(loadCodebook(paths().codebook)).filter(options.only ?? (() => true));
  const records = new Map(cache.records().map((r) => [r.target, r]));
  const pass: DataPass = { made: [], reused: [], files: [], openMs: 0, ms: 0, unitReportsMs: 0 };
  const now = new Date();
  const todo: DataTarget[] = [];
  const memo = new KeyMemo(); // the keys of this check share their files' digests
  for (const t of targets) {
    if (cache.holds(records.get(t.target), memo)) {
      // Framework takes a cached output as fresh when it is newer than its loader file.
      utimesSync(join(cache.cacheRoot, t.target), now, now);
      pass.reused.push(t.target);
      pass.files.push({ target: t.target, ms: 0, bytes: 0, made: false });
    } else todo.push(t);
  }
  options.onFiles?.({ onDisk: pass.reused.map((target) => auditedDataFile(cache, target)), inMemory: [] });
  if (todo.length === 0 && !options.unitReports) {
    pass.ms = performance.now() - started;
    return pass;
  }
  const runs: LoaderRun[] = [];
  let store: ReportStore | undefined;
  try {
    const opened = await collectInputs(open);
    store = opened.value;
    // Opening the store read its manifest; a file depends on it only when its mart reads the survey (report-store.ts).
    const manifestFile = resolve(manifestPathOf(store.storeDir));
    const openedInputs = opened.inputs.filter((path) => path !== manifestFile);
    pass.openMs = performance.now() - started;
    // The unit files first: they are most of what the audit beside the pass reads (5,000 at a province), so it reads
    // them while the other files are made.
    if (options.unitReports) {
      const t0 = performance.now();
      try {
        pass.unitReports = await unitReportFiles(store);
      } catch (e) {
        throw new DataFileFailure(`data/${UNIT_FILES}/*.json`, e);
      }
      pass.unitReportsMs = performance.now() - t0;
      options.onFiles?.({ onDisk: [], inMemory: auditedUnitFiles(pass.unitReports) });
    }
    for (const t of todo) {
      const t0 = performance.now();
      let made: { value: string | Uint8Array; inputs: string[] };
      try {
        made = await collectInputs(() => t.file.make(store!, t.params));
      } catch (e) {
        throw new DataFileFailure(t.target, e);
      }
      const path = join(cache.cacheRoot, t.target);
      const temp = `${path}.${process.pid}.pass`;
      mkdirSync(dirname(path), { recursive: true });
      try {
        writeFileSync(temp, made.value);
        renameSync(temp, path);
      } catch (e) {
        rmSync(temp, { force: true });
        throw e;
      }
      const bytes = typeof made.value === "string" ? Buffer.byteLength(made.value) : made.value.byteLength;
      runs.push({
        loader: join(cache.projectRoot, t.loader),
        params: t.args,
        target: t.target,
        inputs: [...new Set([...openedInputs, ...made.inputs])].map((path) => ({ path, sha256: "" }))
      });
      options.onFiles?.({ onDisk: [auditedDataFile(cache, t.target)], inMemory: [] });
      pass.made.push(t.target);
      pass.files.push({ target: t.target, ms: performance.now() - t0, bytes, made: true });
      options.log?.(`  ${t.target} ${Math.round(performance.now() - t0)} ms`);
    }
  } finally {
    // The files written before a failure keep their keys: the next pass makes only what is still missing.
    if (runs.length) cache.record(runs);
    if (store) closeDuckDB(store.conn);
  }
  pass.ms = performance.now() - started;
  return pass;
}

/** A data file of the pass as the audit names it (under data/) and where it is (Framework's cache). */
const auditedDataFile = (cache: LoaderCache, target: string) => ({
  path: target.replace(/^data\//, ""),
  absolute: join(cache.cacheRoot, target)
});

/** Where the unit files are under data/, as the audit names them. */
const UNIT_FILES = UNIT_DATA_DIR.replace(/^_file\/data\//, "");

/** The unit files of the pass as the audit names them (under data/), with their text. */
function auditedUnitFiles(unitReports: [string, string][]): FilesToAudit["inMemory"] {
  return unitReports.map(([code, text]) => ({ path: `${UNIT_FILES}/${code}.json`, text }));
}

/**
 * The data files the build is about to publish, as far as the pass knows them: every file it made or kept in
 * Framework's cache, and every unit's file (written into the build after Framework). Paths are under data/, as the
 * audit names them (publishedDataFiles).
 */
export function filesOfPass(cache: LoaderCache, pass: DataPass): FilesToAudit {
  return {
    onDisk: pass.files.map((f) => auditedDataFile(cache, f.target)),
    inMemory: auditedUnitFiles(pass.unitReports ?? [])
  };
}
