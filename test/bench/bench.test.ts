// The bench's pieces at a tiny size (npm run bench itself is never part of npm test): the streaming generator writes
// exports the ingest reads, with exactly the rows and flaws it says; the measurement helpers measure; the SQL capture
// and replay reproduce a real loader's queries; the 10 M store writer writes a store the marts open.
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import iconv from "iconv-lite";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCodebook, loadIndicators, loadRoster } from "../../pipeline/codebook/load.ts";
import { openDuckDB, queryRows } from "../../pipeline/io/duckdb.ts";
import { parseCsvText } from "../../pipeline/io/csv.ts";
import { runIngest, type IngestReport } from "../../pipeline/store/ingest-batch.ts";
import { openReportStore } from "../../pipeline/db/report-store.ts";
import { runNamedQuery, SHARED_VIEWS } from "../../pipeline/db/named-sql.ts";
import { surveyColumns } from "../../pipeline/sample/columns.ts";
import {
  FLAW_LABEL,
  EXPORTS_DIR,
  NEW_WAVE_DIR,
  benchRoster,
  generateBenchData,
  parseSize,
  sizeLabel,
  unitsFor,
  type GenerateSpec,
  type GeneratedData
} from "../../bench/lib/generate.ts";
import { jsonResult, runMeasured, treeRssKb } from "../../bench/lib/measure.ts";
import { summarizeProfile } from "../../bench/lib/profile.ts";
import { namedSqlFiles, namedSqlOf, readCapture, replayCapture } from "../../bench/lib/replay.ts";
import { figure, judge, markdownTable } from "../../bench/lib/results.ts";
import { failedLoaderOf, loaderFor, parseBuildLines } from "../../bench/lib/site.ts";
import { tempDir } from "../helpers/mini-exports.ts";
import { GROUP_SIZE_ROW } from "../../pipeline/db/rows.ts";

const ROOT = join(import.meta.dirname, "../..");
const TSX = join(ROOT, "node_modules/.bin/tsx");
const codebookFile = join(ROOT, "data/codebook.json");
const indicatorsFile = join(ROOT, "data/indicators.json");
const codebook = loadCodebook(codebookFile);
const input = { codebook, codebookFile, indicatorsFile, indicators: loadIndicators(indicatorsFile).indicators };
const spec: GenerateSpec = {
  respondents: 200,
  units: 10,
  seed: 7,
  waves: [2019, 2020, 2021],
  newWave: 2022,
  partRows: 40,
  flawEvery: 25,
  formats: ["csv-utf8bom", "csv-gbk", "xlsx"]
};

let dir: string;
let data: GeneratedData;
let report: IngestReport;
const store = () => join(dir, "store");

beforeAll(async () => {
  dir = tempDir("yipanqi-bench-");
  data = generateBenchData(join(dir, "data"), spec, input).data;
  const utf8 = data.files.filter((f) => f.format === "csv-utf8bom").map((f) => join(dir, "data", f.path));
  report = await runIngest(await openDuckDB(), {
    files: utf8,
    codebook,
    roster: loadRoster(join(dir, "data", "roster.csv")),
    store: store()
  });
}, 120_000); // generous: a busy 2-core machine may take many times longer than an idle one

describe("the bench's generator", () => {
  it("writes every wave in parts of partRows rows, the respondents adding up to the size", () => {
    for (const format of spec.formats) {
      const files = data.files.filter((f) => f.format === format);
      expect(
        files.reduce((s, f) => s + f.rows, 0),
        format
      ).toBe(200);
      expect(files.every((f) => f.rows <= spec.partRows)).toBe(true);
      expect([...new Set(files.map((f) => f.year))]).toEqual([2019, 2020, 2021]);
    }
    // 200 over 3 waves: 66, 66 and the remainder 68, each in parts of at most 40 rows
    expect(data.files.filter((f) => f.format === "csv-utf8bom").map((f) => f.rows)).toEqual([40, 26, 40, 26, 40, 28]);
    expect(data.newWaveFiles.map((f) => [f.year, f.rows, f.format])).toEqual([
      [2022, 40, "csv-utf8bom"],
      [2022, 26, "csv-utf8bom"]
    ]);
    expect(readdirSync(join(dir, "data", NEW_WAVE_DIR))).toHaveLength(2);
  });

  it("prints the 问卷星 text-mode header of pipeline/sample, and the same cells in UTF-8 and GBK", () => {
    const part = data.files.find((f) => f.format === "csv-utf8bom" && f.year === 2020 && f.part === 2)!;
    const bytes = readFileSync(join(dir, "data", part.path));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsvText(bytes.subarray(3).toString("utf8"));
    expect(rows[0]).toEqual(surveyColumns(codebook, "text", new Set()).map((c) => c.header));
    // 序号 runs on across the parts of a wave
    expect(rows[1][0]).toBe("41");
    expect(rows.filter((r) => r.length > 1)).toHaveLength(27);
    const gbk = data.files.find((f) => f.format === "csv-gbk" && f.year === 2020 && f.part === 2)!;
    expect(iconv.decode(readFileSync(join(dir, "data", gbk.path)), "gbk")).toBe(bytes.subarray(3).toString("utf8"));
  });

  it("quarantines exactly the rows it flawed and accepts every other row", () => {
    const flawed = data.files.filter((f) => f.format === "csv-utf8bom").reduce((s, f) => s + f.flawed, 0);
    // 序号 25, 50 of waves of 66, 66 and 68 rows
    expect(flawed).toBe(6);
    expect(report.files.every((f) => f.status === "new")).toBe(true);
    expect(report.files.reduce((s, f) => s + f.quarantined, 0)).toBe(flawed);
    expect(report.files.reduce((s, f) => s + f.accepted, 0)).toBe(200 - flawed);
    const reasons = report.files.flatMap((f) => f.errors.map((e) => e.reason));
    expect(reasons.every((r) => r.includes(FLAW_LABEL))).toBe(true);
    // and the new wave's 66 rows hold two flawed ones (序号 25 and 50)
    expect(data.respondentsByWave).toEqual({ 2019: 64, 2020: 64, 2021: 66, 2022: 64 });
  });

  it("writes a roster the project reads, scaled to the size, and reuses data of the same spec", () => {
    const roster = loadRoster(join(dir, "data", "roster.csv"));
    expect(roster).toHaveLength(10);
    expect(new Set(roster.map((u) => u.name)).size).toBe(10);
    expect(benchRoster(5000, 142_857).every((u) => u.headcount >= 3)).toBe(true);
    expect(new Set(benchRoster(5000, 142_857).map((u) => u.name)).size).toBe(5000);
    expect([unitsFor(10_000), unitsFor(100_000), unitsFor(1_000_000), unitsFor(10_000_000)]).toEqual([
      100, 707, 5000, 5000
    ]);
    expect([parseSize("10k"), parseSize("1m"), parseSize("200")]).toEqual([10_000, 1_000_000, 200]);
    expect([sizeLabel(10_000), sizeLabel(1_000_000), sizeLabel(200)]).toEqual(["10k", "1M", "200"]);
    const again = generateBenchData(join(dir, "data"), spec, input);
    expect(again.reused).toBe(true);
    // same seed, same bytes
    const other = generateBenchData(join(dir, "data2"), spec, input).data;
    const first = data.files[0].path;
    expect(readFileSync(join(dir, "data2", first)).equals(readFileSync(join(dir, "data", first)))).toBe(true);
    expect(other.files.map((f) => f.bytes)).toEqual(data.files.map((f) => f.bytes));
    expect(readdirSync(join(dir, "data", EXPORTS_DIR))).toHaveLength(data.files.length);
  });
});

describe("the measurement helpers", () => {
  it("measure a child's wall time, peak memory and result line, and its failure", async () => {
    const m = await runMeasured(process.execPath, [
      "-e",
      "const b = Buffer.alloc(80e6, 1); setTimeout(() => console.log(JSON.stringify({ n: b.length })), 300)"
    ]);
    expect(m.code).toBe(0);
    expect(jsonResult<{ n: number }>(m)).toEqual({ n: 80e6 });
    expect(m.wallMs).toBeGreaterThan(250);
    expect(m.maxRssKb).toBeGreaterThan(80_000);
    expect(m.treePeakRssKb).toBeGreaterThanOrEqual(m.maxRssKb!);
    const bad = await runMeasured(process.execPath, ["-e", "process.exit(3)"]);
    expect(bad.code).toBe(3);
    const slow = await runMeasured(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { timeoutMs: 300 });
    expect(slow.timedOut).toBe(true);
    expect(treeRssKb(process.pid)).toBeGreaterThan(10_000);
  }, 120_000); // spawns three node processes

  it("judge a value against its target, and say by how much", () => {
    const max = { kind: "max", limit: 60_000, label: "< 60 s", format: (x: number) => `${x / 1000} s` } as const;
    expect(judge(45_000, max)).toEqual({ status: "met", by: "25% under (15 s to spare)" });
    expect(judge(150_000, max)).toEqual({ status: "missed", by: "2.50× the limit (90 s over)" });
    const ratio = {
      kind: "max",
      limit: 1.5,
      label: "≤ 1.5×",
      format: (x: number) => `${x}×`,
      absolute: false
    } as const;
    expect(judge(3.75, ratio)).toEqual({ status: "missed", by: "2.50× the limit" });
    expect(judge(66_000, max)).toEqual({ status: "missed", by: "10% over (6 s)" });
    const min = { kind: "min", limit: 0.5, label: "≥ 50%", format: (x: number) => `${x * 100}%` } as const;
    expect(judge(0.05, min).status).toBe("missed");
    expect(judge(0.05, min).by).toMatch(/^10\.0× short/);
    expect(judge(0.6, min)).toEqual({ status: "met", by: "20% above" });
    const table = markdownTable([figure("1M", "full refresh", 150_000, "ms", (x) => `${x / 1000} s`, max)]);
    expect(table).toContain("| 1M | full refresh | 150 s | < 60 s | **missed** | 2.50× the limit (90 s over) |");
  });

  it("map a data file to the loader and params Framework runs, and read Framework's build lines", () => {
    expect(loaderFor(ROOT, "/data/sections/causes-scores.json")).toEqual({
      script: "src/data/sections/[section]-scores.json.ts",
      params: ["--section=causes"],
      target: "/data/sections/causes-scores.json"
    });
    expect(loaderFor(ROOT, "/data/drivers/causes-problems.json")?.params).toEqual([
      "--predictors=causes",
      "--outcomes=problems"
    ]);
    expect(loaderFor(ROOT, "/data/units.tar")?.script).toBe("src/data/units.tar.ts");
    expect(loaderFor(ROOT, "/data/no-such-file.json")).toBeNull();
    const { loaders, pages } = parseBuildLines([
      "  │ load /causes in 134ms",
      "  │ load /units/B00001 in 282ms",
      "  │ copy src/data/sections/causes-meta.json → load /data/sections/causes-meta.json → [missing] success 7.34 kB in 1361ms",
      "  │ copy src/data/units/B00001.json → load /data/units/B00001.json → [missing] load /data/units.tar → [missing] success 1.12 MB in 5721ms",
      "  │ copy src/data/units/B00002.json → load /data/units/B00002.json → [missing] load /data/units.tar → [fresh] success 1.12 MB in 0ms",
      "  │ copy src/data/trends.json → load /data/trends.json → [fresh] success 59.7 kB in 2ms"
    ]);
    expect(pages).toEqual({ count: 2, ms: 416 });
    // a loader that ran out of memory: its heap dump comes between Framework's "load" and its "error"
    expect(
      failedLoaderOf([
        "  │ copy src/data/trends.json → load /data/trends.json → [missing] success 59.7 kB in 2ms",
        "  │ copy src/data/drivers/causes-problems.json → load /data/drivers/causes-problems.json → [missing] ",
        "  │ FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
        "  │ error in 121265ms: loader exited with code 134"
      ])
    ).toEqual({
      target: "/data/drivers/causes-problems.json",
      after: "121265ms",
      reason: "loader exited with code 134"
    });
    expect(
      failedLoaderOf(["  │ copy src/data/trends.json → load /data/trends.json → [missing] success 59.7 kB in 2ms"])
    ).toBeNull();
    expect(loaders).toEqual([
      { target: "/data/sections/causes-meta.json", status: "missing", ms: 1361, bytes: 7340 },
      { target: "/data/units.tar", status: "missing", ms: 5721, bytes: 0 },
      { target: "/data/trends.json", status: "fresh", ms: 2, bytes: 59700 }
    ]);
  });

  it("summarize a CPU profile by self and total time", () => {
    const file = join(dir, "x.cpuprofile");
    const frame = (functionName: string, url = "") => ({
      functionName,
      url,
      lineNumber: 0,
      columnNumber: 0,
      scriptId: "0"
    });
    writeFileSync(
      file,
      JSON.stringify({
        nodes: [
          { id: 1, callFrame: frame("(root)"), children: [2] },
          { id: 2, callFrame: frame("ingestFile", `file://${ROOT}/pipeline/ingest/ingest-file.ts`), children: [3] },
          { id: 3, callFrame: frame("decode", `file://${ROOT}/pipeline/ingest/parse-row.ts`) }
        ],
        samples: [2, 3, 3, 3],
        timeDeltas: [1000, 1000, 1000, 1000]
      })
    );
    const s = summarizeProfile(file, ROOT);
    expect(s.totalMs).toBe(4);
    expect(s.self[0]).toMatchObject({ name: "decode (pipeline/ingest/parse-row.ts)", selfShare: 0.75 });
    expect(s.own.map((h) => [h.name.split(" ")[0], h.totalShare])).toEqual([
      ["ingestFile", 1],
      ["decode", 0.75]
    ]);
  });
});

describe("SQL capture and replay", () => {
  it("replays a real loader's named SQL over the store, with the rows the loader read", async () => {
    const data = join(dir, "data");
    const capture = join(dir, "response-rates.jsonl");
    // as the bench captures: the query cache off, so the capture holds every query the loader would run
    const env = {
      ...process.env,
      YIPANQI_DATA: data,
      YIPANQI_STORE: store(),
      YIPANQI_BENCH_CAPTURE: capture,
      YIPANQI_QUERY_CACHE: "off"
    };
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "--import", join(ROOT, "bench/lib/capture-sql.ts"), "src/data/response-rates.json.ts"],
      { cwd: ROOT, env, encoding: "utf8" }
    );
    expect(run.status, run.stderr).toBe(0);
    const published = JSON.parse(run.stdout);
    expect(published).toBeTruthy();
    const captured = readCapture(capture);
    const named = namedSqlFiles();
    expect(captured.flatMap((c) => (c.kind === "sql" ? [namedSqlOf(c.sql, named)] : [])).filter(Boolean)).toEqual([
      ...SHARED_VIEWS,
      "group_sizes_by_wave"
    ]);
    expect(captured.filter((c) => c.kind === "append").map((c) => (c.kind === "append" ? c.table : ""))).toEqual([
      "cb_likert",
      "cb_attributes",
      "cb_roster",
      "cb_quality",
      "cb_questions"
    ]);
    const replay = await replayCapture(captured, store());
    const sizes = replay.statements.find((s) => s.name === "group_sizes_by_wave")!;
    // the replay returns what the loader's own query returned over the same store, counted independently here
    const opened = await openReportStore({
      codebook: join(data, "codebook.json"),
      roster: join(data, "roster.csv"),
      store: store()
    });
    const groups = await queryRows<{ n: number }>(
      opened.conn,
      "SELECT count(DISTINCT wave)::INTEGER AS n FROM respondents"
    );
    expect(sizes.rows).toBeGreaterThanOrEqual(groups[0].n * 10);
    expect(sizes.rows).toBe((await runNamedQuery(opened.conn, "group_sizes_by_wave", GROUP_SIZE_ROW)).length);
    expect(replay.namedMs).toBeGreaterThan(0);
  }, 120_000); // spawns a loader under tsx

  it("writes a store straight to Parquet that the marts open, respondents split evenly over the waves", async () => {
    const roster = join(dir, "data", "roster.csv");
    const target = join(dir, "direct-store");
    const run = spawnSync(
      TSX,
      [
        "bench/steps/write-store.ts",
        "--store",
        target,
        "--codebook",
        codebookFile,
        "--roster",
        roster,
        "--respondents",
        "7000"
      ],
      { cwd: ROOT, encoding: "utf8" }
    );
    expect(run.status, run.stderr).toBe(0);
    cpSync(join(dir, "data", "codebook.json"), join(dir, "codebook-copy.json"));
    const opened = await openReportStore({ codebook: join(dir, "codebook-copy.json"), roster, store: target });
    const perWave = await queryRows<{ wave: number; n: number }>(
      opened.conn,
      "SELECT wave, count(*)::INTEGER AS n FROM respondents GROUP BY wave ORDER BY wave"
    );
    expect(perWave).toEqual([2019, 2020, 2021, 2022, 2023, 2024, 2025].map((wave) => ({ wave, n: 1000 })));
    const likert = await queryRows<{ lo: number; hi: number; items: number }>(
      opened.conn,
      "SELECT min(raw) AS lo, max(raw) AS hi, count(DISTINCT question)::INTEGER AS items FROM keyed_likert_answers"
    );
    expect(likert).toEqual([{ lo: 1, hi: 5, items: 45 }]);
  }, 120_000); // spawns tsx writing a 7,000-respondent store
});
