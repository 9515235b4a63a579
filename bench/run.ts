// npm run bench -- [--sizes 10k,100k,1m] [--10m | --no-10m] [--seed N] [--work DIR] [--runs N] [--keep] [--out DIR]
// npm run bench -- --render      (latest.md again from latest.json, nothing measured)
// npm run bench -- --sizes 1m --merge   (measure 1 M again, keep the other sizes of latest.json)
// A province's survey on one machine, measured: seeded exports at each size → the ingest against DuckDB's own CSV
// reader → the full refresh (ingest + loaders + build) and an incremental one → every data loader against its own SQL
// → the published pages in chromium → query time as the data grows (and at 10 M, a store written straight to Parquet).
// Writes bench/results/latest.md and latest.json (rewritten after every size, so a long run keeps what it measured)
// and prints the table. Never part of `npm test` (test/bench checks the pieces at a tiny size).
import {
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statfsSync,
  writeFileSync
} from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { loadCodebook, loadIndicators } from "../pipeline/codebook/load.ts";
import { openDuckDB, queryRows } from "../pipeline/io/duckdb.ts";
import {
  BENCH_SEED,
  BENCH_WAVES,
  FLAW_EVERY,
  NEW_WAVE,
  PART_ROWS,
  generateBenchData,
  type GenerateSpec,
  parseSize,
  sizeLabel,
  unitsFor,
  type GeneratedFile
} from "./lib/generate.ts";
import { failureOf, fmt, jsonResult, runMeasured, type Measured } from "./lib/measure.ts";
import { cpuSnapshot, machineLoad, otherWorkBetween, type OtherWork } from "./lib/other-work.ts";
import { summarizeProfile, type ProfileSummary } from "./lib/profile.ts";
import { failed, figure, markdownTable, missedList, textTable, type Figure, type Target } from "./lib/results.ts";
import {
  benchEnv,
  failedLoaderOf,
  folderBytes,
  loaderFor,
  measurePages,
  prepareTree,
  runRefresh,
  type LoaderLine,
  type RefreshRun
} from "./lib/site.ts";
import type { ReplayResult } from "./lib/replay.ts";

const ROOT = join(import.meta.dirname, "..");
const TSX = join(ROOT, "node_modules/.bin/tsx");
const HOUR = 3_600_000;

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "10k,100k,1m" },
    "10m": { type: "boolean" },
    "no-10m": { type: "boolean" },
    "10m-pipeline": { type: "boolean", default: false },
    seed: { type: "string" },
    work: { type: "string" },
    runs: { type: "string", default: "3" },
    keep: { type: "boolean", default: false },
    out: { type: "string" },
    render: { type: "boolean", default: false },
    merge: { type: "boolean", default: false }
  }
});

// "none": no size of its own (e.g. --sizes none --10m-pipeline --merge, the 10 M pipeline added to the last results)
const sizes = values.sizes === "none" ? [] : values.sizes.split(",").map(parseSize);
const with10m = values["10m"] ?? (!values["no-10m"] && sizes.includes(1_000_000));
const with10mPipeline = values["10m-pipeline"];
const seed = Number(values.seed ?? BENCH_SEED);
const work = values.work ?? join(ROOT, "bench/.work");
const pageRuns = Number(values.runs);
const outDir = values.out ?? join(ROOT, "bench/results");
const codebookFile = join(ROOT, "data/codebook.json");
const indicatorsFile = join(ROOT, "data/indicators.json");
const codebook = loadCodebook(codebookFile);
const indicators = loadIndicators(indicatorsFile).indicators;

// ---------------------------------------------------------------------------------------------------------------------
// targets

const T = {
  ingestRatio: { kind: "min", limit: 0.5, label: "≥ 50% of DuckDB", format: fmt.pct, absolute: false } satisfies Target,
  loaderRatio: {
    kind: "max",
    limit: 1.5,
    label: "≤ 1.5× its SQL",
    format: fmt.ratio,
    absolute: false
  } satisfies Target,
  fullRefresh1m: { kind: "max", limit: 60_000, label: "< 60 s at 1 M", format: fmt.ms } satisfies Target,
  memory1m: { kind: "max", limit: 4 * 1024 * 1024, label: "< 4 GB at 1 M", format: fmt.kb } satisfies Target,
  fullRefresh10m: { kind: "max", limit: 600_000, label: "< 10 min at 10 M", format: fmt.ms } satisfies Target,
  memory10m: { kind: "max", limit: 8 * 1024 * 1024, label: "< 8 GB at 10 M", format: fmt.kb } satisfies Target,
  incremental: { kind: "max", limit: 0.2, label: "< 20% of full", format: fmt.pct, absolute: false } satisfies Target,
  pageBytes: { kind: "max", limit: 300_000, label: "< 300 KB", format: (b: number) => fmt.bytes(b) } satisfies Target,
  firstChart: { kind: "max", limit: 1_000, label: "< 1 s", format: fmt.ms } satisfies Target
};

// ---------------------------------------------------------------------------------------------------------------------
// what a size's run records

interface IngestStep {
  files: number;
  rows: number;
  accepted: number;
  quarantined: number;
  ms: number;
  wallMs: number;
  rowsPerSecond: number;
  maxRssKb: number | null;
  treePeakRssKb: number;
  error?: string;
}

interface LoaderMeasure {
  target: string;
  script: string;
  params: string[];
  /** Framework's own time for the loader in the full refresh's build (spawn to exit) */
  frameworkMs: number;
  outputBytes: number;
  /** the loader run again with its SQL captured: wall and peak memory */
  captureWallMs: number | null;
  maxRssKb: number | null;
  /** DuckDB time of its statements inside the loader */
  sqlInLoaderMs: number | null;
  replay: ReplayResult | null;
  ratio: number | null;
  error?: string;
}

interface SizeResult {
  label: string;
  respondents: number;
  units: number;
  loadBefore: number[];
  loadAfter?: number[];
  /** CPU used by other processes while this size was measured (Linux; absent elsewhere and in older results). */
  otherWork?: OtherWork;
  generation: { reused: boolean; seconds: number; formats: Record<string, { files: number; bytes: number }> };
  ingest: { utf8?: IngestStep; gbk?: IngestStep; xlsx?: IngestStep; batched?: IngestStep; profile?: ProfileSummary };
  duckdb: { count?: IngestStep; ctas?: IngestStep };
  floor?: { processMs: number; importMs: number; openMs: number };
  refresh: {
    full?: RefreshSummary;
    /** the last retry, when the full refresh failed */
    fullFallback?: RefreshSummary;
    incremental?: RefreshSummary;
    /** loaders removed from the private tree because they failed the build */
    dropped: { target: string; script: string; after: string; reason: string }[];
    notes: string[];
  };
  loaders: LoaderMeasure[];
  site?: { dist: string; bytes: number; files: number; pages: PageResult[] };
  figures: Figure[];
}

interface RefreshSummary {
  code: number | null;
  wallMs: number;
  maxRssKb: number | null;
  treePeakRssKb: number;
  phases: RefreshRun["phases"];
  loaderMs: number;
  pageCount: number;
  pageMs: number;
  rerun: number;
  reused: number;
  stages?: RefreshRun["stages"];
  error?: string;
}

interface PageResult {
  path: string;
  bytes: number;
  gzip: number;
  requests: number;
  data: number;
  firstChartMs: number | null;
  renderedMs: number | null;
  problems: string[];
}

interface Results {
  date: string;
  machine: { cores: number; cpu: string; memoryGB: number; node: string; duckdb: string; platform: string };
  seed: number;
  command: string;
  sizes: SizeResult[];
  tenM?: {
    respondents: number;
    writeMs: number | null;
    storeBytes: number;
    replays: { loader: string; replay: ReplayResult | null; error?: string }[];
  };
  /** 10 M through the whole pipeline (--10m-pipeline): UTF-8 exports, then one full refresh. */
  tenMPipeline?: {
    respondents: number;
    units: number;
    generation: SizeResult["generation"];
    readCsv: IngestStep;
    refresh: RefreshSummary;
    /** The refresh's own lines on the pass: its slowest data files and the query cache. */
    passNotes: string[];
    otherWork?: OtherWork;
  };
  growth: { label: string; ms: Record<string, number | null> }[];
  figures: Figure[];
}

const log = (line: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

// ---------------------------------------------------------------------------------------------------------------------
// steps

async function ingestStep(
  files: string[],
  dataDir: string,
  store: string,
  extraNode: string[] = []
): Promise<{ step: IngestStep; measured: Measured }> {
  rmSync(store, { recursive: true, force: true });
  const args = [
    "bench/steps/ingest.ts",
    "--codebook",
    join(dataDir, "codebook.json"),
    "--roster",
    join(dataDir, "roster.csv"),
    "--store",
    store,
    ...files
  ];
  const measured = extraNode.length
    ? await runMeasured(process.execPath, [...extraNode, "--import", "tsx", ...args], {
        cwd: ROOT,
        timeoutMs: 3 * HOUR
      })
    : await runMeasured(TSX, args, { cwd: ROOT, timeoutMs: 3 * HOUR });
  const r = jsonResult<{
    ms: number;
    files: number;
    rows: number;
    accepted: number;
    quarantined: number;
    refused: string[];
    maxRssKb: number;
  }>(measured);
  const step: IngestStep = r
    ? {
        files: r.files,
        rows: r.rows,
        accepted: r.accepted,
        quarantined: r.quarantined,
        ms: r.ms,
        wallMs: measured.wallMs,
        rowsPerSecond: (r.rows / r.ms) * 1000,
        maxRssKb: measured.maxRssKb,
        treePeakRssKb: measured.treePeakRssKb,
        ...(r.refused.length ? { error: `refused: ${r.refused.join("; ").slice(0, 300)}` } : {})
      }
    : {
        files: files.length,
        rows: 0,
        accepted: 0,
        quarantined: 0,
        ms: NaN,
        wallMs: measured.wallMs,
        rowsPerSecond: NaN,
        maxRssKb: measured.maxRssKb,
        treePeakRssKb: measured.treePeakRssKb,
        error: failureOf(measured)
      };
  return { step, measured };
}

async function readCsvStep(files: string[], mode: "count" | "ctas"): Promise<IngestStep> {
  const measured = await runMeasured(TSX, ["bench/steps/read-csv.ts", "--mode", mode, ...files], {
    cwd: ROOT,
    timeoutMs: HOUR
  });
  const r = jsonResult<{ ms: number; rows: number }>(measured);
  return r
    ? {
        files: files.length,
        rows: r.rows,
        accepted: r.rows,
        quarantined: 0,
        ms: r.ms,
        wallMs: measured.wallMs,
        rowsPerSecond: (r.rows / r.ms) * 1000,
        maxRssKb: measured.maxRssKb,
        treePeakRssKb: measured.treePeakRssKb
      }
    : {
        files: files.length,
        rows: 0,
        accepted: 0,
        quarantined: 0,
        ms: NaN,
        wallMs: measured.wallMs,
        rowsPerSecond: NaN,
        maxRssKb: measured.maxRssKb,
        treePeakRssKb: measured.treePeakRssKb,
        error: failureOf(measured)
      };
}

/** Files in batches of at most `rows` data rows (the way a steward ingests a large survey part by part). */
function batches(files: GeneratedFile[], dataDir: string, rows: number): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let n = 0;
  for (const f of files) {
    if (n + f.rows > rows && current.length) {
      out.push(current);
      current = [];
      n = 0;
    }
    current.push(join(dataDir, f.path));
    n += f.rows;
  }
  if (current.length) out.push(current);
  return out;
}

async function batchedIngest(files: GeneratedFile[], dataDir: string, store: string): Promise<IngestStep> {
  rmSync(store, { recursive: true, force: true });
  const total: IngestStep = {
    files: 0,
    rows: 0,
    accepted: 0,
    quarantined: 0,
    ms: 0,
    wallMs: 0,
    rowsPerSecond: 0,
    maxRssKb: 0,
    treePeakRssKb: 0
  };
  for (const batch of batches(files, dataDir, 60_000)) {
    const args = [
      "bench/steps/ingest.ts",
      "--codebook",
      join(dataDir, "codebook.json"),
      "--roster",
      join(dataDir, "roster.csv"),
      "--store",
      store,
      ...batch
    ];
    const measured = await runMeasured(TSX, args, { cwd: ROOT, timeoutMs: 3 * HOUR });
    const r = jsonResult<{ ms: number; files: number; rows: number; accepted: number; quarantined: number }>(measured);
    if (!r) return { ...total, error: failureOf(measured) };
    total.files += r.files;
    total.rows += r.rows;
    total.accepted += r.accepted;
    total.quarantined += r.quarantined;
    total.ms += r.ms;
    total.wallMs += measured.wallMs;
    total.maxRssKb = Math.max(total.maxRssKb ?? 0, measured.maxRssKb ?? 0);
    total.treePeakRssKb = Math.max(total.treePeakRssKb, measured.treePeakRssKb);
  }
  total.rowsPerSecond = (total.rows / total.ms) * 1000;
  return total;
}

async function profileIngest(file: string, dataDir: string, profDir: string): Promise<ProfileSummary | undefined> {
  rmSync(profDir, { recursive: true, force: true });
  mkdirSync(profDir, { recursive: true });
  const { measured } = await ingestStep([file], dataDir, join(profDir, "store"), [
    "--cpu-prof",
    `--cpu-prof-dir=${profDir}`
  ]);
  if (measured.code !== 0) return undefined;
  const profiles = readdirSync(profDir).filter((f) => f.endsWith(".cpuprofile"));
  // the ingest runs in the first (main) thread's profile; the others are the module loader's worker
  const summaries = profiles.map((p) => summarizeProfile(join(profDir, p), ROOT, 12));
  return summaries.sort((a, b) => b.own.length - a.own.length || b.totalMs - a.totalMs)[0];
}

function summarizeRefresh(run: RefreshRun): RefreshSummary {
  const ran = run.loaders.filter((l) => l.status !== "fresh");
  return {
    code: run.code,
    wallMs: run.measured.wallMs,
    maxRssKb: run.measured.maxRssKb,
    treePeakRssKb: run.measured.treePeakRssKb,
    phases: run.phases,
    loaderMs: ran.reduce((s, l) => s + l.ms, 0),
    pageCount: run.pages.count,
    pageMs: run.pages.ms,
    rerun: run.rerun,
    reused: run.reused,
    stages: run.stages,
    ...(run.code !== 0 && run.code !== 1
      ? { error: failureOf(run.measured) + ` | ${run.log.slice(-3).join(" | ").slice(0, 500)}` }
      : {})
  };
}

/**
 * A capture's named SQL: its time inside the captured run, and the same statements replayed by DuckDB alone in a fresh
 * process over `store` (bench/steps/replay.ts).
 */
async function replayCaptured(
  capture: string,
  store: string
): Promise<{ sqlMs: number; replay: ReplayResult | null; error?: string }> {
  const { readCapture, namedSqlFiles, namedSqlOf } = await import("./lib/replay.ts");
  const named = namedSqlFiles();
  const sqlMs = readCapture(capture).reduce((s, c) => s + (c.kind === "sql" && namedSqlOf(c.sql, named) ? c.ms : 0), 0);
  const replay = await runMeasured(TSX, ["bench/steps/replay.ts", "--capture", capture, "--store", store], {
    cwd: ROOT,
    timeoutMs: HOUR
  });
  const r = jsonResult<ReplayResult>(replay);
  return r ? { sqlMs, replay: r } : { sqlMs, replay: null, error: `replay: ${failureOf(replay)}` };
}

async function measureLoader(
  tree: string,
  env: NodeJS.ProcessEnv,
  line: LoaderLine,
  captureDir: string,
  store: string
): Promise<LoaderMeasure | null> {
  const run = loaderFor(tree, line.target);
  if (!run) return null;
  const name = line.target.replace(/^\/data\//, "").replace(/[^\w.-]+/g, "_");
  const capture = join(captureDir, `${name}.jsonl`);
  rmSync(capture, { force: true });
  const base: LoaderMeasure = {
    target: line.target,
    script: run.script,
    params: run.params,
    frameworkMs: line.ms,
    outputBytes: line.bytes,
    captureWallMs: null,
    maxRssKb: null,
    sqlInLoaderMs: null,
    replay: null,
    ratio: null
  };
  const measured = await runMeasured(
    process.execPath,
    ["--import", "tsx", "--import", join(ROOT, "bench/lib/capture-sql.ts"), run.script, ...run.params],
    {
      cwd: tree,
      // The query cache off: the capture must see all of the loader's SQL, as if it were the first loader to need it.
      env: { ...env, YIPANQI_BENCH_CAPTURE: capture, YIPANQI_QUERY_CACHE: "off" },
      discardStdout: true,
      timeoutMs: HOUR
    }
  );
  base.captureWallMs = measured.wallMs;
  base.maxRssKb = measured.maxRssKb;
  if (measured.code !== 0) return { ...base, error: `capture run: ${failureOf(measured)}` };
  const { sqlMs, replay: r, error } = await replayCaptured(capture, store);
  base.sqlInLoaderMs = sqlMs;
  if (!r) return { ...base, error };
  return { ...base, replay: r, ratio: r.namedMs > 0 ? line.ms / r.namedMs : null };
}

/**
 * The one pass alone (bench/steps/data-pass.ts) with its SQL captured, and that SQL replayed by DuckDB alone over the
 * same store: the pass's in-process time ÷ the replayed named SQL. Recorded as a loader measure named `/data (one pass)`
 * so that the 10 M step replays its SQL too.
 */
async function measureDataPass(
  env: NodeJS.ProcessEnv,
  captureDir: string,
  store: string,
  cacheDir: string
): Promise<{ measure: LoaderMeasure | null; files: number; openMs: number }> {
  const target = "/data (one pass)";
  const capture = join(captureDir, `${target.replace(/^\/data\//, "").replace(/[^\w.-]+/g, "_")}.jsonl`);
  rmSync(capture, { force: true });
  const measured = await runMeasured(
    process.execPath,
    [
      "--import",
      "tsx",
      "--import",
      join(ROOT, "bench/lib/capture-sql.ts"),
      "bench/steps/data-pass.ts",
      "--cache",
      cacheDir
    ],
    // The query cache off: the capture sees every statement the pass sends, and the replay runs each of them. With the
    // cache off the by-wave queries run over the whole store at once, which the refresh's 1 GB default of then did not
    // hold at 1 M (the 2026-12-05 run failed so; the default is now 1–4 GB by the machine's memory): the same 8 GB the
    // replay gets (bench/steps/replay.ts), so both sides match.
    {
      cwd: ROOT,
      env: { ...env, YIPANQI_BENCH_CAPTURE: capture, YIPANQI_QUERY_CACHE: "off", YIPANQI_DUCKDB_MEMORY: "8GB" },
      timeoutMs: HOUR
    }
  );
  const out = jsonResult<{ passMs: number; openMs: number; files: { target: string; bytes: number }[] }>(measured);
  const base: LoaderMeasure = {
    target,
    script: "bench/steps/data-pass.ts",
    params: [],
    frameworkMs: out?.passMs ?? measured.wallMs,
    outputBytes: out ? out.files.reduce((s, f) => s + f.bytes, 0) : 0,
    captureWallMs: measured.wallMs,
    maxRssKb: measured.maxRssKb,
    sqlInLoaderMs: null,
    replay: null,
    ratio: null
  };
  rmSync(cacheDir, { recursive: true, force: true });
  if (measured.code !== 0 || !out)
    return { measure: { ...base, error: `one pass: ${failureOf(measured)}` }, files: 0, openMs: 0 };
  const { sqlMs, replay: r, error } = await replayCaptured(capture, store);
  base.sqlInLoaderMs = sqlMs;
  const files = out.files.length;
  if (!r) return { measure: { ...base, error }, files, openMs: out.openMs };
  return {
    measure: { ...base, replay: r, ratio: r.namedMs > 0 ? out.passMs / r.namedMs : null },
    files,
    openMs: out.openMs
  };
}

/** Runs the refresh and keeps its whole output (Framework's lines included) beside the size's data, for a post-mortem. */
async function refreshLogged(
  tree: string,
  env: NodeJS.ProcessEnv,
  logFile: string,
  echo: (line: string) => void
): Promise<RefreshRun> {
  const run = await runRefresh(tree, env, 4 * HOUR, echo);
  writeFileSync(
    logFile,
    run.measured.lines.map((l) => `${(l.ms / 1000).toFixed(1).padStart(8)}s ${l.line}`).join("\n") + "\n"
  );
  return run;
}

function linkInto(dir: string, files: string[]): void {
  mkdirSync(dir, { recursive: true });
  for (const f of files) {
    const target = join(dir, basename(f));
    rmSync(target, { force: true });
    try {
      linkSync(f, target);
    } catch {
      cpSync(f, target);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// one size

/** A size's exports (and roster, indicators, scores) in `dataDir`, generated or reused (bench/lib/generate.ts). */
function generateSize(dataDir: string, respondents: number, units: number, formats: GenerateSpec["formats"]) {
  return generateBenchData(
    dataDir,
    {
      respondents,
      units,
      seed,
      waves: BENCH_WAVES,
      newWave: NEW_WAVE,
      partRows: PART_ROWS,
      flawEvery: FLAW_EVERY,
      formats
    },
    { codebook, codebookFile, indicatorsFile, indicators }
  );
}

/**
 * A steward's data folder for the refresh in the private tree: the size's codebook, roster, indicators and scores,
 * and these exports linked into its inbox (the previous refresh's store and site removed first). Returns the tree and
 * the refresh's environment.
 */
function refreshFolder(
  dataDir: string,
  refreshDir: string,
  exports: string[]
): { tree: string; env: NodeJS.ProcessEnv } {
  const tree = join(work, "tree");
  prepareTree(tree);
  rmSync(refreshDir, { recursive: true, force: true });
  mkdirSync(join(refreshDir, "assessment"), { recursive: true });
  for (const f of ["codebook.json", "roster.csv", "indicators.json", "assessment/scores.csv"])
    cpSync(join(dataDir, f), join(refreshDir, f));
  linkInto(join(refreshDir, "inbox"), exports);
  const env = benchEnv(tree, { dataDir: refreshDir, inbox: join(refreshDir, "inbox"), site: join(refreshDir, "site") });
  return { tree, env };
}

async function benchSize(respondents: number): Promise<SizeResult> {
  const label = sizeLabel(respondents);
  const units = unitsFor(respondents);
  const root = join(work, label);
  const dataDir = join(root, "data");
  const cpuBefore = cpuSnapshot();
  const result: SizeResult = {
    label,
    respondents,
    units,
    loadBefore: loadavg(),
    generation: { reused: false, seconds: 0, formats: {} },
    ingest: {},
    duckdb: {},
    refresh: { dropped: [], notes: [] },
    loaders: [],
    figures: []
  };
  const F = result.figures;

  log(
    `${label}: generating ${respondents.toLocaleString("en-US")} respondents, ${units} units, ${BENCH_WAVES.length} waves`
  );
  const { data, reused } = generateSize(dataDir, respondents, units, ["csv-utf8bom", "csv-gbk", "xlsx"]);
  result.generation = { reused, seconds: data.seconds, formats: {} };
  for (const f of data.files) {
    const g = (result.generation.formats[f.format] ??= { files: 0, bytes: 0 });
    g.files++;
    g.bytes += f.bytes;
  }
  const utf8 = data.files.filter((f) => f.format === "csv-utf8bom");
  const lastWave = BENCH_WAVES[BENCH_WAVES.length - 1];
  const utf8Files = utf8.map((f) => join(dataDir, f.path));
  F.push(
    figure(
      label,
      `exports: ${utf8.length} UTF-8 CSV parts (+ GBK, .xlsx)`,
      result.generation.formats["csv-utf8bom"].bytes,
      "bytes",
      fmt.bytes,
      undefined,
      reused ? "reused" : `generated in ${fmt.ms(data.seconds * 1000)}`
    )
  );

  // 1. ingest vs DuckDB's read_csv
  log(`${label}: ingest (runIngest) of ${utf8.length} UTF-8 files`);
  const ingestStore = join(root, "ingest-store");
  result.ingest.utf8 = (await ingestStep(utf8Files, dataDir, ingestStore)).step;
  let storeForRefresh: string | null = result.ingest.utf8.error ? null : ingestStore;
  if (result.ingest.utf8.error) {
    log(`${label}: ingest failed (${result.ingest.utf8.error.slice(0, 120)}); ingesting in batches of ≤ 60,000 rows`);
    result.ingest.batched = await batchedIngest(utf8, dataDir, ingestStore);
    if (!result.ingest.batched.error) storeForRefresh = ingestStore;
  }
  // GBK and .xlsx: the first parts of the latest wave (at most 3, 60,000 rows), enough for a throughput
  for (const [key, format] of [
    ["gbk", "csv-gbk"],
    ["xlsx", "xlsx"]
  ] as const) {
    const files = data.files
      .filter((f) => f.format === format && f.year === lastWave)
      .slice(0, 3)
      .map((f) => join(dataDir, f.path));
    log(`${label}: ingest of ${files.length} part(s) of the ${lastWave} wave as ${format}`);
    result.ingest[key] = (await ingestStep(files, dataDir, join(root, `ingest-${key}`))).step;
    rmSync(join(root, `ingest-${key}`), { recursive: true, force: true });
  }
  log(`${label}: DuckDB read_csv`);
  result.duckdb.count = await readCsvStep(utf8Files, "count");
  result.duckdb.ctas = await readCsvStep(utf8Files, "ctas");
  const ing = result.ingest.utf8.error ? result.ingest.batched : result.ingest.utf8;
  const ratio =
    ing && !ing.error && result.duckdb.ctas.rowsPerSecond ? ing.rowsPerSecond / result.duckdb.ctas.rowsPerSecond : null;
  log(`${label}: profiling the ingest of one part`);
  result.ingest.profile = await profileIngest(utf8Files[0], dataDir, join(root, "profile"));
  const hot = result.ingest.profile?.own
    .slice(0, 5)
    .map((h) => `${h.name} ${fmt.pct(h.totalShare)}`)
    .join(", ");
  F.push(
    result.ingest.utf8.error
      ? failed(label, "ingest throughput (runIngest, UTF-8 CSV, one batch)", result.ingest.utf8.error)
      : figure(
          label,
          "ingest throughput (runIngest, UTF-8 CSV, one batch)",
          result.ingest.utf8.rowsPerSecond,
          "rows/s",
          fmt.rate,
          undefined,
          `peak RSS ${fmt.kb(result.ingest.utf8.maxRssKb ?? 0)}`
        )
  );
  if (result.ingest.batched)
    F.push(
      result.ingest.batched.error
        ? failed(label, "ingest throughput (batches of ≤ 60k rows)", result.ingest.batched.error)
        : figure(
            label,
            "ingest throughput (batches of ≤ 60k rows)",
            result.ingest.batched.rowsPerSecond,
            "rows/s",
            fmt.rate
          )
    );
  F.push(figure(label, "DuckDB read_csv: count(*)", result.duckdb.count.rowsPerSecond, "rows/s", fmt.rate));
  F.push(figure(label, "DuckDB read_csv: CREATE TABLE AS", result.duckdb.ctas.rowsPerSecond, "rows/s", fmt.rate));
  F.push(
    figure(
      label,
      "ingest ÷ DuckDB CREATE TABLE AS",
      ratio,
      "ratio",
      fmt.pct,
      T.ingestRatio,
      hot ? `profile of one part (share of CPU time, with callees): ${hot}` : undefined
    )
  );
  for (const key of ["gbk", "xlsx"] as const) {
    const s = result.ingest[key]!;
    const name = `ingest throughput (${key === "gbk" ? "GBK CSV" : ".xlsx"}, ${s.files} part${s.files > 1 ? "s" : ""} of the ${lastWave} wave)`;
    F.push(
      s.error
        ? failed(label, name, s.error)
        : figure(
            label,
            name,
            s.rowsPerSecond,
            "rows/s",
            fmt.rate,
            undefined,
            `${s.rows.toLocaleString("en-US")} rows, peak RSS ${fmt.kb(s.maxRssKb ?? 0)}`
          )
    );
  }
  const peakIngest = Math.max(
    result.ingest.utf8.maxRssKb ?? 0,
    result.ingest.gbk?.maxRssKb ?? 0,
    result.ingest.xlsx?.maxRssKb ?? 0
  );
  F.push(figure(label, "peak RSS: ingest (largest of UTF-8, GBK, .xlsx)", peakIngest, "KB", fmt.kb));

  // 2. the refresh, in a private copy of the tree
  const refreshDir = join(root, "refresh");
  const { tree, env } = refreshFolder(dataDir, refreshDir, utf8Files);
  const echo = (line: string) => {
    if (!line.startsWith("  │")) log(`${label} refresh: ${line.slice(25, 200)}`);
  };
  log(`${label}: full refresh (ingest + loaders + build)`);
  let full = await refreshLogged(tree, env, join(root, "refresh-full.log"), echo);
  result.refresh.full = summarizeRefresh(full);
  const succeeded = (run: RefreshRun) => run.code === 0 || run.code === 1;
  let fullOk = succeeded(full);
  let batchedStore = false;
  // Keep measuring what can be measured, with the default JavaScript heap (a larger one would take the memory of a
  // shared machine): when the refresh's one-batch ingest failed, the store from the batched ingest, then a build on
  // it (nothing new to ingest); when a data loader failed (ran out of memory), the build again without that loader,
  // removed from the private tree only, and named in the results.
  for (let attempt = 1; !fullOk && attempt <= 3; attempt++) {
    const why = summarizeRefresh(full).error ?? `exit ${full.code}`;
    result.refresh.notes.push(`${attempt === 1 ? "the full refresh" : `retry ${attempt - 1}`} failed: ${why}`);
    const loader = failedLoaderOf(full.measured.lines.map((l) => l.line));
    if (loader) {
      const run = loaderFor(tree, loader.target);
      if (!run) break;
      rmSync(join(tree, run.script), { force: true });
      result.refresh.dropped.push({
        target: loader.target,
        script: run.script,
        after: loader.after,
        reason: loader.reason
      });
      result.refresh.notes.push(
        `${loader.target} (${run.script}) failed after ${loader.after}: ${loader.reason}; the build is retried without it`
      );
      F.push(
        failed(
          label,
          `loader ${loader.target}`,
          `failed after ${loader.after} in the build: ${loader.reason}${/134|heap/i.test(loader.reason + full.measured.stdout) ? " (JavaScript heap out of memory)" : ""}`
        )
      );
    } else if (full.phases.ingestMs === null && storeForRefresh && !batchedStore) {
      rmSync(join(refreshDir, "store"), { recursive: true, force: true });
      cpSync(storeForRefresh, join(refreshDir, "store"), { recursive: true });
      batchedStore = true;
      result.refresh.notes.push("the build is retried on the store ingested in batches (nothing new to ingest)");
    } else break;
    log(`${label}: refresh again (${result.refresh.notes[result.refresh.notes.length - 1].slice(0, 100)})`);
    full = await refreshLogged(tree, env, join(root, `refresh-full-retry${attempt}.log`), echo);
    result.refresh.fullFallback = summarizeRefresh(full);
    fullOk = succeeded(full);
  }
  if (result.refresh.fullFallback)
    result.refresh.notes.push(fullOk ? "the retried build succeeded" : "the retried build failed too");
  if (!values.keep && storeForRefresh && fullOk) rmSync(ingestStore, { recursive: true, force: true });
  const fullSummary = result.refresh.fullFallback ?? result.refresh.full;
  const without = result.refresh.dropped.length
    ? ` without ${result.refresh.dropped.map((d) => d.target).join(", ")}`
    : "";
  const fullLabel = batchedStore
    ? `refresh: build only, on a store ingested in batches${without}`
    : result.refresh.fullFallback
      ? `full refresh (ingest + loaders + build)${without}`
      : "full refresh (ingest + loaders + build)";
  const refreshTarget = respondents === 1_000_000 ? T.fullRefresh1m : undefined;
  if (result.refresh.full.error)
    F.push(
      failed(label, "full refresh (ingest + loaders + build)", result.refresh.full.error, refreshTarget?.label ?? "")
    );
  if (!result.refresh.full.error || result.refresh.fullFallback)
    F.push(
      fullSummary.error
        ? failed(label, fullLabel, fullSummary.error)
        : figure(
            label,
            fullLabel,
            fullSummary.wallMs,
            "ms",
            fmt.ms,
            batchedStore ? undefined : refreshTarget,
            `ingest ${fmt.ms(fullSummary.phases.ingestMs ?? NaN)}, data files in one pass ${fmt.ms(fullSummary.phases.passMs ?? NaN)}, build ${fmt.ms(fullSummary.phases.buildMs ?? NaN)}: ${fullSummary.pageCount} pages parsed in ${fmt.ms(fullSummary.stages?.parseMs ?? NaN)}, loaders Framework ran ${fmt.ms(fullSummary.loaderMs)}, pages written in ${fmt.ms(fullSummary.stages?.renderMs ?? NaN)}`
          )
    );
  // When the one-batch refresh could not finish, what a steward can do instead: ingest in batches, then refresh.
  const estimatedFull =
    batchedStore && fullOk && result.ingest.batched && !result.ingest.batched.error
      ? result.ingest.batched.wallMs + fullSummary.wallMs
      : null;
  if (estimatedFull !== null)
    F.push(
      figure(
        label,
        "full refresh, as batched ingest + the build-only refresh",
        estimatedFull,
        "ms",
        fmt.ms,
        refreshTarget,
        "the sum of two measured runs, not one refresh"
      )
    );
  // The memory target is judged on the whole process tree at its peak (Framework and the loader it runs at once): what
  // the machine must have free.
  F.push(
    figure(
      label,
      "peak RSS: full refresh, whole process tree",
      fullSummary.treePeakRssKb,
      "KB",
      fmt.kb,
      respondents === 1_000_000 ? T.memory1m : undefined,
      `largest single process ${fmt.kb(fullSummary.maxRssKb ?? 0)}`
    )
  );

  if (fullOk) {
    // 3. every data loader against its SQL
    const storeDir = join(refreshDir, "store");
    const loaderEnv = benchEnv(tree, { dataDir: refreshDir });
    const floor = await runMeasured(TSX, ["bench/steps/open-store.ts"], { cwd: ROOT, env: loaderEnv });
    const fr = jsonResult<{ importMs: number; openMs: number }>(floor);
    if (fr) result.floor = { processMs: floor.wallMs, importMs: fr.importMs, openMs: fr.openMs };
    const captureDir = join(root, "captures");
    mkdirSync(captureDir, { recursive: true });
    // 3a. the one pass (every data file from one opened store, as the refresh makes them) against its SQL
    log(`${label}: the one pass over the store, its SQL captured and replayed`);
    const pass = await measureDataPass(loaderEnv, captureDir, storeDir, join(root, "pass-cache"));
    if (pass.measure) result.loaders.push(pass.measure);
    if (pass.measure?.ratio != null)
      F.push(
        figure(
          label,
          `data files: the one pass (${pass.files} files, one process) ÷ its named SQL replayed by DuckDB alone`,
          pass.measure.ratio,
          "ratio",
          fmt.ratio,
          T.loaderRatio,
          `${fmt.ms(pass.measure.frameworkMs)} against ${fmt.ms(pass.measure.replay!.namedMs)} (query cache off in both; opening the store ${fmt.ms(pass.openMs)})`
        )
      );
    else F.push(failed(label, "the one pass", pass.measure?.error ?? "no result"));
    if (full.phases.passMs !== null)
      F.push(
        figure(
          label,
          "full refresh: every data file in the one pass (query cache on, empty)",
          full.phases.passMs,
          "ms",
          fmt.ms
        )
      );
    // 3b. the loaders Framework still ran as processes (the units archive, until the unit files are written beside it)
    const lines = full.loaders.filter((l) => l.status !== "fresh");
    log(`${label}: ${lines.length} data loaders run by Framework, each captured and its SQL replayed`);
    for (const line of lines) {
      const m = await measureLoader(tree, loaderEnv, line, captureDir, storeDir);
      if (m) result.loaders.push(m);
    }
    const measuredLoaders = result.loaders.filter((l) => l.ratio !== null);
    const totalLoader = measuredLoaders.reduce((s, l) => s + l.frameworkMs, 0);
    const totalSql = measuredLoaders.reduce((s, l) => s + (l.replay?.namedMs ?? 0), 0);
    const within = measuredLoaders.filter((l) => l.ratio! <= T.loaderRatio.limit).length;
    const worst = [...measuredLoaders].sort((a, b) => b.ratio! - a.ratio!)[0];
    const floorNote = result.floor
      ? `every loader first pays ${fmt.ms(result.floor.processMs)} to start tsx, import the marts (${fmt.ms(result.floor.importMs)}) and open the store (${fmt.ms(result.floor.openMs)})`
      : "";
    F.push(
      figure(
        label,
        `data loaders: all ${measuredLoaders.length} (Framework's time) ÷ their named SQL replayed`,
        totalSql ? totalLoader / totalSql : null,
        "ratio",
        fmt.ratio,
        T.loaderRatio,
        `${fmt.ms(totalLoader)} against ${fmt.ms(totalSql)}; ${floorNote}`
      )
    );
    F.push(
      figure(
        label,
        `data loaders within 1.5× of their SQL`,
        within,
        "count",
        (x) => `${x} of ${measuredLoaders.length}`
      )
    );
    if (worst)
      F.push(
        figure(
          label,
          `slowest loader relative to its SQL: ${worst.target}`,
          worst.ratio,
          "ratio",
          fmt.ratio,
          T.loaderRatio,
          `${fmt.ms(worst.frameworkMs)} against ${fmt.ms(worst.replay!.namedMs)} of SQL`
        )
      );
    const slowest = [...result.loaders].sort((a, b) => b.frameworkMs - a.frameworkMs)[0];
    if (slowest)
      F.push(
        figure(
          label,
          `slowest loader: ${slowest.target}`,
          slowest.frameworkMs,
          "ms",
          fmt.ms,
          undefined,
          slowest.replay ? `its SQL: ${fmt.ms(slowest.replay.namedMs)}` : slowest.error
        )
      );
    for (const l of result.loaders.filter((x) => x.error)) F.push(failed(label, `loader ${l.target}`, l.error!));
    const peakLoader = Math.max(0, ...result.loaders.map((l) => l.maxRssKb ?? 0));
    F.push(
      figure(label, "peak RSS: largest data loader, run alone with the query cache off", peakLoader, "KB", fmt.kb)
    );

    // 4. the published site
    const dist = realpathSync(join(refreshDir, "site", "current"));
    const size = folderBytes(dist);
    const unit = readFileSync(join(refreshDir, "roster.csv"), "utf8").split("\n")[1].split(",")[0];
    const pages = ["/", "/causes", "/problems", "/achievements", "/measures", "/trends", `/units/${unit}`];
    log(`${label}: dist ${fmt.bytes(size.bytes)}; measuring ${pages.length} leader pages in chromium`);
    const { transfers, timings } = await measurePages(dist, pages, pageRuns);
    result.site = {
      dist,
      bytes: size.bytes,
      files: size.files,
      pages: pages.map((path) => {
        const t = transfers.find((x) => x.path === path)!;
        const p = timings.find((x) => x.path === path)!;
        return {
          path,
          bytes: t.total,
          gzip: t.gzip,
          requests: t.requests,
          data: t.bytes.data,
          firstChartMs: p.firstChartMs,
          renderedMs: p.renderedMs,
          problems: [...new Set([...t.problems, ...p.problems])]
        };
      })
    };
    F.push(
      figure(
        label,
        "dist/ (published build)",
        size.bytes,
        "bytes",
        fmt.bytes,
        undefined,
        `${size.files.toLocaleString("en-US")} files`
      )
    );
    const biggest = [...result.site.pages].sort((a, b) => b.bytes - a.bytes)[0];
    const smallest = [...result.site.pages].sort((a, b) => a.bytes - b.bytes)[0];
    // Transferred = bytes on the wire from a server that compresses text as nginx's `gzip on` does (deploy/nginx.conf).
    const heaviest = [...result.site.pages].sort((a, b) => b.gzip - a.gzip)[0];
    F.push(
      figure(
        label,
        `largest leader page transfer (gzip, on the wire): ${heaviest.path}`,
        heaviest.gzip,
        "bytes",
        fmt.bytes,
        T.pageBytes,
        `files of the page uncompressed: ${fmt.bytes(heaviest.bytes)} (largest: ${biggest.path} ${fmt.bytes(biggest.bytes)}; smallest ${smallest.path} ${fmt.bytes(smallest.bytes)})`
      )
    );
    // A page without a chart (the overview: cards and tables) is judged by the time its content settled.
    const firstOf = (p: PageResult) => p.firstChartMs ?? p.renderedMs;
    const slow = [...result.site.pages].filter((p) => firstOf(p) !== null).sort((a, b) => firstOf(b)! - firstOf(a)!)[0];
    const noChart = result.site.pages
      .filter((p) => p.firstChartMs === null && p.renderedMs !== null)
      .map((p) => p.path);
    if (slow)
      F.push(
        figure(
          label,
          `slowest first chart: ${slow.path}`,
          firstOf(slow),
          "ms",
          fmt.ms,
          T.firstChart,
          `median of ${pageRuns} cold loads in a fresh browser context; page settled at ${fmt.ms(slow.renderedMs ?? NaN)}${noChart.length ? `; ${noChart.join(", ")} has no chart: its settled time counts` : ""}`
        )
      );
    for (const p of result.site.pages.filter((x) => x.problems.length))
      F.push(failed(label, `page ${p.path}`, p.problems.slice(0, 3).join("; ")));

    // 5. the incremental refresh: one new wave dropped into the inbox
    linkInto(
      join(refreshDir, "inbox"),
      data.newWaveFiles.map((f) => join(dataDir, f.path))
    );
    log(`${label}: incremental refresh (${data.newWaveFiles.length} files of the ${NEW_WAVE} wave)`);
    const inc = await refreshLogged(tree, env, join(root, "refresh-incremental.log"), echo);
    result.refresh.incremental = summarizeRefresh(inc);
    const fullMs = estimatedFull ?? (result.refresh.fullFallback ? null : fullSummary.wallMs);
    const incRatio = (inc.code === 0 || inc.code === 1) && fullMs ? inc.measured.wallMs / fullMs : null;
    F.push(
      result.refresh.incremental.error
        ? failed(label, "incremental refresh (one new wave)", result.refresh.incremental.error, T.incremental.label)
        : figure(
            label,
            "incremental refresh (one new wave)",
            inc.measured.wallMs,
            "ms",
            fmt.ms,
            undefined,
            `ingest ${fmt.ms(inc.phases.ingestMs ?? NaN)}, build ${fmt.ms(inc.phases.buildMs ?? NaN)}; ${inc.rerun} loader outputs re-run, ${inc.reused} reused`
          )
    );
    F.push(
      figure(
        label,
        "incremental ÷ full refresh",
        incRatio,
        "ratio",
        fmt.pct,
        T.incremental,
        estimatedFull !== null ? "against batched ingest + build-only refresh" : undefined
      )
    );
  }
  result.loadAfter = loadavg();
  const cpuAfter = cpuSnapshot();
  if (cpuBefore && cpuAfter) result.otherWork = otherWorkBetween(cpuBefore, cpuAfter, cpus().length);
  return result;
}

// ---------------------------------------------------------------------------------------------------------------------
// 10 M through the whole pipeline: exports, ingest, the one pass, the build, as a steward's refresh runs them

/** Disk a size's whole-pipeline run takes per respondent: its UTF-8 exports, the store's copy of them, its Parquet. */
const PIPELINE_BYTES_PER_RESPONDENT = 1_800;

async function benchTenMPipeline(results: Results): Promise<void> {
  const respondents = 10_000_000;
  const label = "10M";
  const name = (what: string) => `whole pipeline: ${what}`;
  const units = unitsFor(respondents);
  const root = join(work, "10M-pipeline");
  const dataDir = join(root, "data");
  const refreshDir = join(root, "refresh");
  // The previous run's store and site go first, so that the space they held counts as free.
  rmSync(refreshDir, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const reusable = existsSync(join(dataDir, "generated.json"));
  const needed = respondents * PIPELINE_BYTES_PER_RESPONDENT * (reusable ? 0.6 : 1);
  const { bavail, bsize } = statfsSync(root);
  if (bavail * bsize < needed) {
    const why = `${fmt.bytes(bavail * bsize)} free on the disk of ${root}, about ${fmt.bytes(needed)} needed`;
    log(`10M whole pipeline: skipped (${why})`);
    results.figures.push(failed(label, name("full refresh"), why, T.fullRefresh10m.label));
    return;
  }
  const cpuBefore = cpuSnapshot();
  // UTF-8 exports only: GBK and .xlsx are measured at the other sizes, and at 10 M they would take another 12 GB.
  log(`10M whole pipeline: generating ${respondents.toLocaleString("en-US")} respondents, ${units} units (UTF-8 CSV)`);
  const { data, reused } = generateSize(dataDir, respondents, units, ["csv-utf8bom"]);
  const utf8Files = data.files.map((f) => join(dataDir, f.path));
  const bytes = data.files.reduce((sum, f) => sum + f.bytes, 0);
  log(`10M whole pipeline: DuckDB read_csv of the ${utf8Files.length} parts`);
  const readCsv = await readCsvStep(utf8Files, "count");

  const { tree, env } = refreshFolder(dataDir, refreshDir, utf8Files);
  log("10M whole pipeline: full refresh (ingest + one pass + build)");
  const run = await refreshLogged(tree, env, join(root, "refresh-full.log"), (line) => {
    if (!line.startsWith("  │")) log(`10M refresh: ${line.slice(25, 200)}`);
  });
  const refresh = summarizeRefresh(run);
  const passNotes = run.log.filter((l) => /最费时的数据文件|查询缓存：/.test(l)).map((l) => l.slice(25));
  const cpuAfter = cpuSnapshot();
  results.tenMPipeline = {
    respondents,
    units,
    generation: { reused, seconds: data.seconds, formats: { "csv-utf8bom": { files: data.files.length, bytes } } },
    readCsv,
    refresh,
    passNotes,
    ...(cpuBefore && cpuAfter ? { otherWork: otherWorkBetween(cpuBefore, cpuAfter, cpus().length) } : {})
  };
  const F = results.figures;
  F.push(
    figure(
      label,
      name(`exports: ${utf8Files.length} UTF-8 CSV parts`),
      bytes,
      "bytes",
      fmt.bytes,
      undefined,
      reused ? "reused" : `generated in ${fmt.ms(data.seconds * 1000)}`
    )
  );
  const { phases } = refresh;
  if (refresh.error) F.push(failed(label, name("full refresh"), refresh.error, T.fullRefresh10m.label));
  else
    F.push(
      figure(
        label,
        name("full refresh (ingest + one pass + build)"),
        refresh.wallMs,
        "ms",
        fmt.ms,
        T.fullRefresh10m,
        `ingest ${fmt.ms(phases.ingestMs ?? NaN)}, data files in one pass ${fmt.ms(phases.passMs ?? NaN)}, build ${fmt.ms(phases.buildMs ?? NaN)}`
      )
    );
  F.push(
    figure(
      label,
      name("peak RSS, whole process tree"),
      refresh.treePeakRssKb,
      "KB",
      fmt.kb,
      T.memory10m,
      `largest single process ${fmt.kb(refresh.maxRssKb ?? 0)}`
    )
  );
  if (phases.ingestMs !== null && readCsv.rowsPerSecond) {
    const ingestRate = data.files.reduce((sum, f) => sum + f.rows, 0) / (phases.ingestMs / 1000);
    F.push(
      figure(
        label,
        name("ingest in the refresh ÷ DuckDB read_csv count(*)"),
        ingestRate / readCsv.rowsPerSecond,
        "ratio",
        fmt.pct,
        undefined,
        `${fmt.rate(ingestRate)} against ${fmt.rate(readCsv.rowsPerSecond)}: the refresh's ingest phase (its lock, the store's keys loaded, the commit included) against DuckDB counting the rows, the faster of the two yardsticks (CREATE TABLE AS, the target's, is measured up to 1 M: at 10 M its table would not fit in memory)`
      )
    );
  }
  // The next bottleneck: the longest phase, and within the pass the files that took longest.
  const phaseList: [string, number | null][] = [
    ["ingest", phases.ingestMs],
    ["the one pass", phases.passMs],
    ["build", phases.buildMs],
    ["publish", phases.publishMs]
  ];
  const [longest, longestMs] = [...phaseList].sort((a, b) => (b[1] ?? -1) - (a[1] ?? -1))[0];
  if (longestMs !== null && !refresh.error)
    F.push(
      figure(
        label,
        name(`next bottleneck: ${longest}`),
        longestMs / refresh.wallMs,
        "ratio",
        fmt.pct,
        undefined,
        `of the full refresh${longest === "the one pass" ? `; ${passNotes.join("; ")}` : ""}`
      )
    );
}

// ---------------------------------------------------------------------------------------------------------------------
// 10 M: a store written straight to Parquet, the 1 M loaders' SQL replayed over it

async function benchTenM(results: Results): Promise<void> {
  const one = results.sizes.find((s) => s.respondents === 1_000_000);
  const captureDir = join(work, "1M", "captures");
  if (!one || !existsSync(captureDir)) {
    log("10M: skipped (needs the 1M run's captured loader SQL)");
    return;
  }
  const store = join(work, "10M", "store");
  const respondents = 10_000_000;
  log("10M: writing the store straight to Parquet with DuckDB");
  const w = await runMeasured(
    TSX,
    [
      "bench/steps/write-store.ts",
      "--store",
      store,
      "--codebook",
      codebookFile,
      "--roster",
      join(work, "1M", "data", "roster.csv"),
      "--respondents",
      String(respondents),
      "--seed",
      String(seed)
    ],
    { cwd: ROOT, timeoutMs: 3 * HOUR }
  );
  const wr = jsonResult<{ ms: number }>(w);
  const tenM: NonNullable<Results["tenM"]> = {
    respondents,
    writeMs: wr?.ms ?? null,
    storeBytes: existsSync(store) ? folderBytes(store).bytes : 0,
    replays: []
  };
  results.tenM = tenM;
  if (!wr) {
    results.figures.push(failed("10M", "store written straight to Parquet", failureOf(w)));
    return;
  }
  results.figures.push(
    figure(
      "10M",
      "store written straight to Parquet (DuckDB, no exports)",
      wr.ms,
      "ms",
      fmt.ms,
      undefined,
      `${fmt.bytes(tenM.storeBytes)} of Parquet, peak RSS ${fmt.kb(w.maxRssKb ?? 0)}`
    )
  );
  const seen = new Set<string>();
  for (const l of one.loaders.filter((x) => x.replay)) {
    // each distinct named query once: a loader whose queries were all replayed already is skipped
    const names = l.replay!.statements.filter((s) => s.name !== "setup" && s.rows !== null).map((s) => s.name);
    if (names.length && names.every((n) => seen.has(n))) continue;
    names.forEach((n) => seen.add(n));
    const name = l.target.replace(/^\/data\//, "").replace(/[^\w.-]+/g, "_");
    log(`10M: replaying the SQL of ${l.target}`);
    const m = await runMeasured(
      TSX,
      ["bench/steps/replay.ts", "--capture", join(captureDir, `${name}.jsonl`), "--store", store, "--portable"],
      { cwd: ROOT, timeoutMs: HOUR }
    );
    const r = jsonResult<ReplayResult>(m);
    tenM.replays.push({ loader: l.target, replay: r, ...(r ? {} : { error: failureOf(m) }) });
    if (!r) results.figures.push(failed("10M", `SQL of ${l.target}`, failureOf(m)));
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// query growth

function growthTable(results: Results): Results["growth"] {
  const labels = [...results.sizes.map((s) => s.label), ...(results.tenM ? ["10M"] : [])];
  const bySize = new Map<string, Map<string, number[]>>();
  const add = (size: string, replay: ReplayResult | null) => {
    if (!replay) return;
    if (!bySize.has(size)) bySize.set(size, new Map());
    for (const s of replay.statements.filter((x) => x.name !== "setup" && x.rows !== null)) {
      const m = bySize.get(size)!;
      if (!m.has(s.name)) m.set(s.name, []);
      m.get(s.name)!.push(s.ms);
    }
  };
  for (const s of results.sizes) for (const l of s.loaders) add(s.label, l.replay);
  for (const r of results.tenM?.replays ?? []) add("10M", r.replay);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const names = [...new Set([...bySize.values()].flatMap((m) => [...m.keys()]))].sort();
  const rows = names.map((name) => ({
    label: name,
    ms: Object.fromEntries(labels.map((l) => [l, bySize.get(l)?.get(name) ? median(bySize.get(l)!.get(name)!) : null]))
  }));
  return rows.sort((a, b) => (b.ms[labels[labels.length - 1]] ?? 0) - (a.ms[labels[labels.length - 1]] ?? 0));
}

// ---------------------------------------------------------------------------------------------------------------------
// writing

function growthMarkdown(results: Results): string {
  const labels = [...results.sizes.map((s) => s.label), ...(results.tenM ? ["10M"] : [])];
  if (results.growth.length === 0) return "";
  const resp: Record<string, number> = Object.fromEntries([
    ...results.sizes.map((s) => [s.label, s.respondents] as const),
    ["10M", 10_000_000] as const
  ]);
  const exponent = (ms: Record<string, number | null>) => {
    const pts = labels
      .filter((l) => ms[l] !== null && ms[l]! > 0 && resp[l] >= 100_000)
      .map((l) => [Math.log(resp[l]), Math.log(ms[l]!)] as const);
    if (pts.length < 2) return "";
    const [a, b] = [pts[0], pts[pts.length - 1]];
    return ((b[1] - a[1]) / (b[0] - a[0])).toFixed(2);
  };
  const head = `| named SQL [parameters] | ${labels.join(" | ")} | growth exponent (time ∝ nᵏ, from 100 k up) |\n|---|${labels.map(() => "--:").join("|")}|--:|`;
  const rows = results.growth.map(
    (g) =>
      `| ${g.label} | ${labels.map((l) => (g.ms[l] === null ? "—" : fmt.ms(g.ms[l]!))).join(" | ")} | ${exponent(g.ms)} |`
  );
  return [head, ...rows].join("\n");
}

/**
 * How often the loaders ask for each named query (each loader's SQL captured alone, the query cache off), and the
 * DuckDB time that adds up to: what the query cache saves, since in a build each is computed once per state of a wave.
 */
function repeatsMarkdown(s: SizeResult): string {
  const byName = new Map<string, { runs: number; ms: number; loaders: Set<string> }>();
  for (const l of s.loaders)
    for (const st of l.replay?.statements ?? []) {
      if (st.name === "setup" || st.rows === null) continue;
      const e = byName.get(st.name) ?? { runs: 0, ms: 0, loaders: new Set<string>() };
      e.runs++;
      e.ms += st.ms;
      e.loaders.add(l.target.replace(/^\/data\//, ""));
      byName.set(st.name, e);
    }
  const rows = [...byName].filter(([, e]) => e.runs > 1).sort((a, b) => b[1].ms - a[1].ms);
  if (!rows.length) return "";
  const total = [...byName.values()].reduce((x, e) => x + e.ms, 0);
  const repeated = rows.reduce((x, [, e]) => x + (e.ms * (e.runs - 1)) / e.runs, 0);
  return [
    `Named queries asked for by more than one loader (captured with the query cache off: ${fmt.ms(repeated)} of the ${fmt.ms(total)} of named SQL repeats a query with the same parameters; in a build the query cache computes each once, and a per-wave query once per wave's data):`,
    "",
    "| named SQL [parameters] | runs | total | loaders |\n|---|--:|--:|---|",
    ...rows.map(([name, e]) => `| ${name} | ${e.runs} | ${fmt.ms(e.ms)} | ${[...e.loaders].join(", ")} |`)
  ].join("\n");
}

function loadersMarkdown(s: SizeResult): string {
  if (!s.loaders.length) return "";
  const head =
    "| data file | loader (Framework's time, query cache on) | its named SQL replayed (cache off) | ratio | SQL inside the loader (cache off) | peak RSS (cache off) | output |\n|---|--:|--:|--:|--:|--:|--:|";
  const rows = s.loaders.map(
    (l) =>
      `| ${l.target} | ${fmt.ms(l.frameworkMs)} | ${l.replay ? fmt.ms(l.replay.namedMs) : "—"} | ${l.ratio === null ? (l.error ? "failed" : "no SQL") : fmt.ratio(l.ratio)} | ${l.sqlInLoaderMs === null ? "—" : fmt.ms(l.sqlInLoaderMs)} | ${l.maxRssKb ? fmt.kb(l.maxRssKb) : "—"} | ${l.outputBytes ? fmt.bytes(l.outputBytes) : "archive"} |`
  );
  return [head, ...rows].join("\n");
}

function pagesMarkdown(s: SizeResult): string {
  if (!s.site) return "";
  const head =
    "| page | files (uncompressed) | transferred (gzip) | requests | data | first chart | settled |\n|---|--:|--:|--:|--:|--:|--:|";
  const rows = s.site.pages.map(
    (p) =>
      `| ${p.path} | ${fmt.bytes(p.bytes)} | ${fmt.bytes(p.gzip)} | ${p.requests} | ${fmt.bytes(p.data)} | ${p.firstChartMs === null ? "—" : fmt.ms(p.firstChartMs)} | ${p.renderedMs === null ? "—" : fmt.ms(p.renderedMs)} |`
  );
  return [head, ...rows].join("\n");
}

function tenMPipelineMarkdown(results: Results): string {
  const p = results.tenMPipeline;
  if (!p) return "";
  const r = p.refresh;
  const lines = [
    `## 10M: ${p.respondents.toLocaleString("en-US")} respondents, ${p.units.toLocaleString("en-US")} units, through the whole pipeline`,
    "",
    `The exports (UTF-8 CSV only, ${p.generation.formats["csv-utf8bom"]?.files ?? 0} parts) go through one full refresh, as at the other sizes: ingest, the one pass, Framework's build, the unit files and the audit, then the publish.`,
    "",
    `- Full refresh: ${r.error ? `failed (${r.error.slice(0, 300)})` : fmt.ms(r.wallMs)}; ingest ${fmt.ms(r.phases.ingestMs ?? NaN)}, the one pass ${fmt.ms(r.phases.passMs ?? NaN)}, build ${fmt.ms(r.phases.buildMs ?? NaN)}, publish ${fmt.ms(r.phases.publishMs ?? NaN)}.`,
    `- Peak RSS of the whole process tree ${fmt.kb(r.treePeakRssKb)}; largest single process ${fmt.kb(r.maxRssKb ?? 0)}.`,
    `- DuckDB's read_csv count(*) over the same parts: ${fmt.rate(p.readCsv.rowsPerSecond)}.`,
    ...p.passNotes.map((n) => `- The refresh's own line: ${n}`),
    ...(p.otherWork
      ? [
          `- CPU used by anything but the bench's own processes meanwhile (an upper bound): ${p.otherWork.cpuSeconds.toFixed(1)} CPU-s (${fmt.pct(p.otherWork.share)}).`
        ]
      : [])
  ];
  return lines.join("\n");
}

function writeResults(results: Results): void {
  results.growth = growthTable(results);
  results.figures = [...results.sizes.flatMap((s) => s.figures), ...results.figures.filter((f) => f.size === "10M")];
  if (results.tenM) {
    const total = (size: string) => results.growth.reduce((s, g) => s + (g.ms[size] ?? 0), 0);
    const one = total("1M");
    const ten = results.growth.filter((g) => g.ms["10M"] !== null).reduce((s, g) => s + (g.ms["1M"] ?? 0), 0);
    if (one && ten && !results.figures.some((f) => f.figure.startsWith("named SQL at 10 M")))
      results.figures.push(
        figure(
          "10M",
          "named SQL at 10 M ÷ the same SQL at 1 M",
          total("10M") / ten,
          "ratio",
          fmt.ratio,
          undefined,
          `${fmt.ms(total("10M"))} against ${fmt.ms(ten)} (each distinct query once)`
        )
      );
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "latest.json"), JSON.stringify(results, null, 1) + "\n");
  const m = results.machine;
  const md = [
    "# npm run bench: results",
    "",
    `${results.date} · ${m.cores} cores (${m.cpu}) · ${m.memoryGB} GB · Node ${m.node} · DuckDB ${m.duckdb} · ${m.platform} · seed ${results.seed}`,
    "",
    `Command: \`${results.command}\`. ${results.sizes.length ? machineLoad(results.sizes, m.cores) : ""}`,
    "",
    markdownTable(results.figures),
    "",
    "## Where a target is missed, and why",
    "",
    missedList(results.figures) || "Every target is met.",
    "",
    "## Query time as the data grows",
    "",
    "Each named query of `pipeline/db/sql/` as the loaders run it, replayed alone in a fresh DuckDB (2 threads, as the loaders open it) over the store of each size; the median where several loaders run it." +
      (results.tenM
        ? " At 10 M the store is written straight to Parquet by DuckDB (`bench/steps/write-store.ts`), not through exports and the ingest, and only the queries over the survey store are replayed."
        : ""),
    "",
    growthMarkdown(results),
    "",
    tenMPipelineMarkdown(results),
    "",
    ...results.sizes.flatMap((s) => [
      `## ${s.label}: ${s.respondents.toLocaleString("en-US")} respondents, ${s.units.toLocaleString("en-US")} units`,
      "",
      s.refresh.notes.length ? s.refresh.notes.map((n) => `- ${n}`).join("\n") + "\n" : "",
      s.ingest.profile
        ? `Ingest profile of one ${PART_ROWS.toLocaleString("en-US")}-row part (share of the main thread's CPU time; tsx start-up included):\n\n${s.ingest.profile.own
            .slice(0, 10)
            .map((h) => `- ${h.name}: ${fmt.pct(h.totalShare)} with callees, ${fmt.pct(h.selfShare)} itself`)
            .join("\n")}\n\nHottest functions by self time: ${s.ingest.profile.self
            .slice(0, 8)
            .map((h) => `${h.name} ${fmt.pct(h.selfShare)}`)
            .join(", ")}.\n`
        : "",
      loadersMarkdown(s),
      "",
      repeatsMarkdown(s),
      "",
      pagesMarkdown(s),
      ""
    ])
  ].join("\n");
  writeFileSync(join(outDir, "latest.md"), md.replace(/\n{3,}/g, "\n\n"));
}

// ---------------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (values.render) {
    // Writes latest.md again from latest.json (after a change to how results are shown), measuring nothing.
    const results = JSON.parse(readFileSync(join(outDir, "latest.json"), "utf8")) as Results;
    writeResults(results);
    console.log(textTable(results.figures));
    return;
  }
  mkdirSync(work, { recursive: true });
  const conn = await openDuckDB();
  const duckdb = (await queryRows<{ v: string }>(conn, "SELECT version() AS v"))[0].v;
  const results: Results = {
    date: new Date().toISOString(),
    machine: {
      cores: cpus().length,
      cpu: cpus()[0]?.model ?? "?",
      memoryGB: Math.round(totalmem() / 1024 ** 3),
      node: process.version,
      duckdb,
      platform: `${process.platform} ${process.arch}`
    },
    seed,
    command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(),
    sizes: [],
    growth: [],
    figures: []
  };
  if (values.merge && existsSync(join(outDir, "latest.json"))) {
    // Keeps the sizes of the last run that this run does not measure again (e.g. after a run stopped at 1 M).
    const previous = JSON.parse(readFileSync(join(outDir, "latest.json"), "utf8")) as Results;
    results.sizes = previous.sizes.filter((s) => !sizes.includes(s.respondents));
    const pipelineFigure = (f: Figure) => f.figure.startsWith("whole pipeline: ");
    if (!with10m) {
      results.tenM = previous.tenM;
      results.figures.push(...previous.figures.filter((f) => f.size === "10M" && !pipelineFigure(f)));
    }
    if (!with10mPipeline) {
      results.tenMPipeline = previous.tenMPipeline;
      results.figures.push(...previous.figures.filter((f) => f.size === "10M" && pipelineFigure(f)));
    }
    results.command = `${previous.command} + ${results.command}`;
    results.date = `${previous.date} / ${results.date}`;
  }
  for (const n of sizes) {
    try {
      const measured = await benchSize(n);
      results.sizes = [...results.sizes.filter((s) => s.respondents !== n), measured].sort(
        (a, b) => a.respondents - b.respondents
      );
    } catch (e) {
      // a bug or a full disk in one size must not lose the sizes measured before it
      log(`${sizeLabel(n)}: aborted: ${(e as Error).stack ?? e}`);
      results.sizes.push({
        label: sizeLabel(n),
        respondents: n,
        units: unitsFor(n),
        loadBefore: loadavg(),
        generation: { reused: false, seconds: 0, formats: {} },
        ingest: {},
        duckdb: {},
        refresh: { dropped: [], notes: [] },
        loaders: [],
        figures: [failed(sizeLabel(n), "bench of this size", String((e as Error).message ?? e))]
      });
    }
    writeResults(results);
  }
  if (with10m) {
    await benchTenM(results);
    writeResults(results);
  }
  if (with10mPipeline) {
    await benchTenMPipeline(results);
    writeResults(results);
  }
  writeResults(results);
  console.log(textTable(results.figures));
  console.log(`\n${join(outDir, "latest.md")}`);
}

await main();
