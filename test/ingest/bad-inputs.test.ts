// The bad-input corpus (test/fixtures/bad-inputs/cases.ts): every hostile or broken export is ingested into a copy of
// a store that already holds a good ingest, and must end as the table says, with nothing lost and nothing corrupted:
// - the ingest does not throw; rows = accepted + quarantined; the counts and reasons are the expected ones;
// - every rejected row is in the report and in the quarantine CSV with file, row, column and reason;
// - a refused file gets one message naming it and saying why, and changes nothing in the store;
// - after every case the manifest is valid, lists exactly the parts on disk, the store holds exactly the accepted rows,
//   and the earlier good ingest is unchanged, answer for answer;
// - no CSV the workspace wrote has a cell a spreadsheet would run as a formula.
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { promisify } from "node:util";
import { inflateRawSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCodebook, loadRoster } from "../../pipeline/codebook/load.ts";
import { openDuckDB, queryRows } from "../../pipeline/io/duckdb.ts";
import { parseCsvText } from "../../pipeline/io/csv.ts";
import { MAX_FILE_BYTES, readTable, UnreadableFileError } from "../../pipeline/ingest/read-table.ts";
import { runIngest, type FileReport } from "../../pipeline/store/ingest-batch.ts";
import { attachStore, ManifestSchema, readManifest, sweepStore } from "../../pipeline/store/store.ts";
import { BASELINE, CASES, type BadInputCase, type Codebook } from "../fixtures/bad-inputs/cases.ts";
import { lyingZip, writeHugeCsv, zipBomb } from "../fixtures/bad-inputs/hostile.ts";
import { fixtures, submittedAt } from "../fixtures/bad-inputs/make-fixtures.ts";
import { MINI, tempDir } from "../helpers/mini-exports.ts";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const CORPUS = join(ROOT, "test/fixtures/bad-inputs");
const CODEBOOK_FILES: Record<Codebook, { codebook: string; roster: string }> = {
  mini: MINI,
  project: { codebook: join(ROOT, "data/codebook.json"), roster: join(ROOT, "data/roster.csv") }
};
const LOADED = Object.fromEntries(
  Object.entries(CODEBOOK_FILES).map(([k, f]) => [
    k,
    { codebook: loadCodebook(f.codebook), roster: loadRoster(f.roster) }
  ])
) as Record<Codebook, { codebook: ReturnType<typeof loadCodebook>; roster: ReturnType<typeof loadRoster> }>;

const HUGE_BYTES = 200 * 1024 * 1024;
let tmp: string;
const bases = {} as Record<Codebook, { store: string; manifest: string; sha: string; fingerprint: Fingerprint }>;

type Fingerprint = { respondents: number; answers: number; digest: string };

/** The respondents and answers of one ingested file, reduced to counts and a digest of every value. */
async function fingerprint(store: string, sha: string): Promise<Fingerprint> {
  const conn = await openDuckDB();
  await attachStore(conn, store);
  const [row] = await queryRows<Fingerprint>(
    conn,
    `SELECT count(DISTINCT r.respondent_id) AS respondents, count(*) AS answers,
       md5(string_agg(concat_ws('|', r.respondent_id, r.source_row, r.serial, r.submitted_at, r.unit, a.question, a.option, a.value, a.label, a.text), '\n'
         ORDER BY r.respondent_id, a.question, a.option NULLS FIRST)) AS digest
     FROM respondents r JOIN answers a USING (respondent_id) WHERE r.file_sha = $sha`,
    { sha }
  );
  return row;
}

/** Where a case's file is: committed in the corpus folder, or generated into the temporary folder. */
function locationOf(c: BadInputCase): string {
  return c.generated ? join(tmp, "generated", c.file) : join(CORPUS, c.file);
}

/** The case's file, written now by hostile.ts if it is a generated one. */
function pathOf(c: BadInputCase): string {
  const path = locationOf(c);
  if (!c.generated) return path;
  mkdirSync(join(tmp, "generated"), { recursive: true });
  if (c.generated === "huge" && !existsSync(path)) writeHugeCsv(path, HUGE_BYTES); // kept for the measured test below
  if (c.generated === "zip-bomb") writeFileSync(path, zipBomb());
  if (c.generated === "lying-zip") writeFileSync(path, lyingZip());
  if (c.generated === "directory") mkdirSync(path, { recursive: true });
  return path; // "missing": never written
}

async function ingest(files: string[], codebook: Codebook, store: string, wave?: number) {
  const conn = await openDuckDB();
  return runIngest(conn, { files, ...LOADED[codebook], store, wave });
}

/** A spreadsheet runs a cell as a formula when it starts with = + - @ (or their full-width forms), after blanks. */
function isFormulaLike(cell: string): boolean {
  return /^[\s\u3000]*[=+\-@＝＋－＠]/u.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell);
}

function listCsvFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listCsvFiles(join(dir, e.name)) : e.name.endsWith(".csv") ? [join(dir, e.name)] : []
  );
}

beforeAll(async () => {
  tmp = tempDir("yipanqi-bad-inputs-");
  for (const codebook of ["mini", "project"] as const) {
    const store = join(tmp, `base-${codebook}`);
    const report = await ingest([join(CORPUS, BASELINE[codebook].file)], codebook, store);
    expect(report.files[0]).toMatchObject({ status: "new", accepted: BASELINE[codebook].accepted, quarantined: 0 });
    const sha = report.files[0].sha256!;
    bases[codebook] = {
      store,
      sha,
      manifest: readFileSync(join(store, "manifest.json"), "utf8"),
      fingerprint: await fingerprint(store, sha)
    };
  }
}, 60_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("the corpus", () => {
  it("has at least 40 cases, each file committed or generated, the folder under 2 MB and exactly what make-fixtures.ts writes", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    const expected = fixtures();
    for (const c of CASES.filter((c) => !c.generated)) expect(expected[c.file], c.file).toBeDefined();
    const committed = readdirSync(CORPUS).filter((f) => !f.endsWith(".ts"));
    expect(committed.sort()).toEqual(Object.keys(expected).sort());
    let total = 0;
    for (const name of committed) {
      const bytes = readFileSync(join(CORPUS, name));
      total += bytes.length;
      expect(
        bytes.equals(expected[name]),
        `${name} differs from make-fixtures.ts: run npx tsx test/fixtures/bad-inputs/make-fixtures.ts`
      ).toBe(true);
    }
    expect(total).toBeLessThan(2 * 1024 * 1024);
  });
});

describe.each(CASES.map((c, i) => ({ ...c, i })))("$file: $what", (c) => {
  let report: FileReport;
  let store: string;
  let manifestBefore: string;
  let beforeShas: string[] = [];
  let thrown: unknown;

  beforeAll(async () => {
    store = join(tmp, `case-${c.i}`);
    cpSync(bases[c.codebook].store, store, { recursive: true });
    if (c.before) {
      const first = await ingest(
        c.before.map((f) => join(CORPUS, f)),
        c.codebook,
        store
      );
      expect(first.files.every((f) => f.status === "new")).toBe(true);
      beforeShas = first.files.map((f) => f.sha256!);
    }
    manifestBefore = readFileSync(join(store, "manifest.json"), "utf8");
    const path = pathOf(c);
    try {
      const batch = await ingest([...(c.batchWith ?? []).map((f) => join(CORPUS, f)), path], c.codebook, store, c.wave);
      report = batch.files.at(-1)!;
      beforeShas.push(...batch.files.slice(0, -1).map((f) => f.sha256!));
    } catch (e) {
      thrown = e;
    }
  }, 120_000);

  it("does not crash, and ends as the table says", () => {
    expect(thrown).toBeUndefined();
    expect(report.status).toBe(c.status);
    expect(report.rows).toBe(report.accepted + report.quarantined);
    expect({ accepted: report.accepted, quarantined: report.quarantined }).toEqual({
      accepted: c.accepted,
      quarantined: c.quarantined
    });
    for (const reason of c.reasons)
      expect(
        report.errors.some((e) => reason.test(e.reason)),
        `no reason matches ${reason}: ${JSON.stringify(report.errors.map((e) => e.reason))}`
      ).toBe(true);
    for (const warning of c.warnings ?? [])
      expect(
        report.warnings.some((w) => warning.test(w)),
        `no warning matches ${warning}: ${JSON.stringify(report.warnings)}`
      ).toBe(true);
    for (const warning of c.absentWarnings ?? [])
      expect(
        report.warnings.filter((w) => warning.test(w)),
        `a warning matches ${warning}`
      ).toEqual([]);
    if (c.expectWave !== undefined) expect(report.wave).toBe(c.expectWave);
  });

  if (c.status === "refused")
    it("is refused whole with one plain-Chinese message naming the file, and the store is untouched", () => {
      expect(report.errors).toHaveLength(1);
      const [error] = report.errors;
      expect(error).toMatchObject({ row: null, column: null });
      expect(error.reason.startsWith(`${locationOf(c)}: `)).toBe(true);
      expect(error.reason).toMatch(/[\u4e00-\u9fff]{4}/);
      expect(report).toMatchObject({ rows: 0, accepted: 0, quarantined: 0, sha256: null });
      expect(readFileSync(join(store, "manifest.json"), "utf8")).toBe(manifestBefore);
    });

  if (c.status === "already_ingested")
    it("adds nothing to the store", () => {
      expect(report.errors).toEqual([]);
      expect(readFileSync(join(store, "manifest.json"), "utf8")).toBe(manifestBefore);
    });

  if (c.status === "new")
    it("reports every rejected row, and the quarantine file lists each with file, row, column and reason", () => {
      for (const e of report.errors) {
        expect(typeof e.row).toBe("number");
        expect(e.column).toBeTruthy();
        expect(e.reason).toBeTruthy();
      }
      const rejected = new Set(report.errors.map((e) => e.row));
      expect(rejected.size).toBe(report.quarantined);
      const entry = readManifest(store).files.find((f) => f.sha256 === report.sha256)!;
      expect(entry).toMatchObject({
        name: basename(c.file),
        rows: report.rows,
        accepted: report.accepted,
        quarantined: report.quarantined,
        wave: report.wave
      });
      if (report.quarantined === 0) {
        expect(entry.quarantine).toBeNull();
        return;
      }
      const text = readFileSync(join(store, entry.quarantine!), "utf8");
      expect(text.startsWith("\uFEFF")).toBe(true);
      const [header, ...lines] = parseCsvText(text.slice(1), ",");
      expect(header).toEqual(["file", "row", "column", "kind", "reason", "cells"]);
      expect(lines).toHaveLength(report.errors.length);
      // The file column may carry the ' that keeps a formula-like name inert; the name is intact after it.
      for (const [file, row, column, kind, reason, cells] of lines) {
        expect(file.replace(/^'/, "")).toBe(basename(c.file));
        expect(rejected.has(Number(row))).toBe(true);
        expect(column).toBeTruthy();
        expect(kind).toMatch(/^[a-z_]+$/);
        expect(reason).toBeTruthy();
        expect(Array.isArray(JSON.parse(cells))).toBe(true);
      }
      expect(lines.map((l) => l[3])).toEqual(report.errors.map((e) => e.kind));
      expect(new Set(lines.map((l) => Number(l[1])))).toEqual(rejected);
    });

  it("leaves the store valid: manifest, parts on disk, exactly the accepted rows, the earlier ingest intact", async () => {
    const raw = readFileSync(join(store, "manifest.json"), "utf8");
    const manifest = ManifestSchema.parse(JSON.parse(raw));
    const base = ManifestSchema.parse(JSON.parse(bases[c.codebook].manifest)).files[0];
    expect(manifest.files[0]).toEqual(base);
    expect(sweepStore(store)).toEqual([]); // nothing on disk that the manifest does not list, no staging left
    for (const f of manifest.files)
      for (const part of [f.original, f.respondents, f.answers, f.quarantine])
        if (part) expect(existsSync(join(store, part))).toBe(true);

    const conn = await openDuckDB();
    await attachStore(conn, store);
    const counts = new Map(
      (
        await queryRows<{ sha: string; n: number }>(
          conn,
          `SELECT file_sha AS sha, count(*) AS n FROM respondents GROUP BY 1`
        )
      ).map((r) => [r.sha, r.n])
    );
    for (const f of manifest.files) expect(counts.get(f.sha256) ?? 0, f.name).toBe(f.accepted);
    const expectedShas = [bases[c.codebook].sha, ...beforeShas, ...(c.status === "new" ? [report.sha256!] : [])];
    expect(manifest.files.map((f) => f.sha256)).toEqual(expectedShas);
    expect([...counts.keys()].every((sha) => expectedShas.includes(sha))).toBe(true);
    if (c.status === "new") {
      const rows = await queryRows<{ row: number }>(
        conn,
        `SELECT source_row AS row FROM respondents WHERE file_sha = $sha`,
        { sha: report.sha256! }
      );
      expect(rows).toHaveLength(report.accepted);
      const rejected = new Set(report.errors.map((e) => e.row));
      expect(rows.filter((r) => rejected.has(r.row))).toEqual([]);
    }
    expect(await fingerprint(store, bases[c.codebook].sha)).toEqual(bases[c.codebook].fingerprint);
  }, 30_000); // several DuckDB queries: generous for a loaded machine

  it("writes no CSV cell a spreadsheet would run as a formula", () => {
    for (const file of listCsvFiles(join(store, "quarantine")))
      for (const row of parseCsvText(readFileSync(file, "utf8").replace(/^\uFEFF/, ""), ","))
        for (const cell of row) expect(isFormulaLike(cell), `${basename(file)}: ${cell.slice(0, 60)}`).toBe(false);
  });
});

/** Ingests one committed corpus file into a fresh copy of the base store; returns the store and the report. */
async function ingestFresh(file: string, codebook: Codebook = "mini") {
  const store = join(tmp, `fresh-${Math.random().toString(36).slice(2)}`);
  cpSync(bases[codebook].store, store, { recursive: true });
  const report = await ingest([join(CORPUS, file)], codebook, store);
  const conn = await openDuckDB();
  await attachStore(conn, store);
  const sha = report.files[0].sha256!;
  const answers = await queryRows<{
    serial: number;
    submitted_at: string;
    unit: string;
    question: string;
    option: number | null;
    value: number | null;
    text: string | null;
  }>(
    conn,
    `SELECT r.serial, r.submitted_at, r.unit, a.question, a.option, a.value, a.text FROM respondents r JOIN answers a USING (respondent_id)
     WHERE r.file_sha = $sha ORDER BY r.serial, a.question, a.option NULLS FIRST`,
    { sha }
  );
  const get = (serial: number, question: string) =>
    answers.filter((a) => a.serial === serial && a.question === question);
  return { store, report: report.files[0], answers, get };
}

// Each test ingests one to five corpus files in-process: generous for a loaded machine.
describe("what the corpus stores, value for value", { timeout: 60_000 }, () => {
  it("reads the same timestamps from Excel serials of the 1900 and the 1904 date system, in .xlsx and .xls", async () => {
    const expected = [1, 2, 3].map((s) => submittedAt(s).iso);
    for (const file of [
      "2019年问卷_日期序列号1900.xlsx",
      "2019年问卷_日期序列号1904.xlsx",
      "2019年问卷_日期序列号1904.xls"
    ]) {
      const { answers } = await ingestFresh(file);
      expect([...new Set(answers.map((a) => a.submitted_at))], file).toEqual(expected);
    }
  });

  it("stores a formula's saved value, never its formula, and keeps typed text that looks like a formula as text", async () => {
    const { get } = await ingestFresh("2019年问卷_公式单元格.xlsx");
    expect(get(1, "trainings")[0].value).toBe(2); // =1+1, saved value 2
    expect(get(1, "suggestions")[0].text).toBe("点我"); // =HYPERLINK("http://x","点我")
    expect(get(2, "suggestions")[0].text).toBe("=cmd|' /C calc'!A0"); // what the respondent typed: data, kept as is
    expect(get(3, "unit")).toEqual([]); // the row with =HYPERLINK(…) typed as a unit was quarantined
  });

  it("stores open text with markup and control characters exactly, as text", async () => {
    const { get, report } = await ingestFresh("2019年问卷_脚本和控制字符.csv");
    expect(report.accepted).toBe(5);
    expect(get(1, "suggestions")[0].text).toBe("<script>alert(1)</script>");
    expect(get(2, "suggestions")[0].text).toBe("a\u0000b\u0007c\u001b[31m红\u001b[0m");
    expect(get(3, "suggestions")[0].text).toBe('第一行\r\n第二行，"引号"');
    expect(get(4, "suggestions")[0].text).toBe("=1+1");
    expect(get(5, "suggestions")[0].text).toBe("@SUM(1+1)*cmd|' /C calc'!A0");
  });

  it("decodes each line of a mixed-encoding file in its own encoding", async () => {
    for (const file of ["2019年问卷_GBK夹UTF8行.csv", "2019年问卷_UTF8夹GBK行.csv"]) {
      const { get } = await ingestFresh(file);
      for (const serial of [1, 2, 3, 4]) {
        expect(get(serial, "suggestions")[0].text, file).toBe(`建议${serial}`);
        expect(get(serial, "unit")[0], file).toBeDefined();
      }
      expect(get(3, "role")[0].option).toBe(1); // 党支部书记, option text in the odd line
    }
  });

  it("reads an unclosed quote as a character and loses no row", async () => {
    const { get } = await ingestFresh("2019年问卷_引号未闭合.csv");
    expect(get(2, "suggestions")[0].text).toBe('"建议2没有闭合');
    expect(get(4, "suggestions")[0].text).toBe("建议4");
  });

  it("reads the same answers from an .xls that is HTML or text as from the CSV", async () => {
    const csv = await ingestFresh("2019年问卷_分号分隔.csv");
    const strip = (a: typeof csv.answers) =>
      a.map(({ serial, submitted_at, question, option, value, text }) => ({
        serial,
        submitted_at,
        question,
        option,
        value,
        text
      }));
    for (const file of [
      "2019年问卷_网页版.xls",
      "2019年问卷_文本版.xls",
      "2019年问卷_UTF16LE无BOM.txt",
      "2019年问卷_旧Mac换行.csv"
    ])
      expect(strip((await ingestFresh(file)).answers), file).toEqual(strip(csv.answers));
    expect(csv.get(1, "carriers").map((a) => a.option)).toEqual([2]); // 微党课
  });

  it("quarantines only the rows whose two answers to a duplicated question differ", async () => {
    const { report } = await ingestFresh("2019年问卷_重复题目列.csv");
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([[5, "3、本单位党建考核指标结合了本行业业务特点"]]);
  });

  it("stores the GBK text of a 按序号 export as written, even on lines that happen to be valid UTF-8", async () => {
    const { get, report } = await ingestFresh("2019年问卷_按序号_GBK无IP.csv");
    expect(report.encoding).toBe("gb18030");
    expect(get(1, "suggestions")[0].text).toBe("同时要学习");
    expect(get(2, "suggestions")[0].text).toBe("建议加强培训");
    expect(get(3, "suggestions")[0].text).toBe("同时要学习，也要实践");
    expect(get(4, "suggestions")).toEqual([]);
  });

  it("matches header cells with a line break and stores their answers", async () => {
    for (const file of ["2019年问卷_表头单元格内换行.xlsx", "2019年问卷_表头单元格内换行.csv"]) {
      const { get } = await ingestFresh(file);
      for (const serial of [1, 2, 3]) {
        expect(get(serial, "M1")[0]?.value, file).toBe((serial % 5) + 1);
        expect(get(serial, "carriers").length, file).toBeGreaterThan(0);
      }
    }
  });

  it("folds invisible characters in units, options and headers", async () => {
    const { get, answers } = await ingestFresh("2019年问卷_不可见字符.csv");
    expect([...new Map(answers.map((a) => [a.serial, a.unit]))]).toEqual([
      [1, "U001"],
      [2, "U003"],
      [3, "U003"]
    ]);
    expect(get(1, "role")[0].option).toBe(1);
    expect(get(2, "M1")[0].value).toBe(4);
    expect(get(2, "carriers").map((a) => a.option)).toEqual([1, 2]);
    expect(get(3, "M2")[0].value).toBe(1); // 4、…台帐\u200b，… matched
  });

  it("reads the answers of a workbook whose first sheet is 填表说明 from the sheet that holds them", async () => {
    const { get, report } = await ingestFresh("2019年问卷_首页是填表说明.xlsx");
    expect(report.accepted).toBe(3);
    expect(get(2, "role")[0].option).toBe(3);
  });

  it("keeps reasons short however long the cell", async () => {
    const { report } = await ingestFresh("2019年问卷_超长单元格.csv");
    for (const e of report.errors) expect(e.reason.length).toBeLessThan(200);
  });
});

describe("hostile files, measured", () => {
  it("refuses the zip bomb from its central directory in milliseconds, without inflating it", () => {
    const path = join(tmp, "2019年问卷_炸弹.xlsx");
    const bomb = zipBomb();
    writeFileSync(path, bomb);
    expect(bomb.length).toBeLessThan(5 * 1024 * 1024);
    // It is a real bomb: its worksheet inflates past 8 MiB from its first 8 KB.
    const start = bomb.indexOf("xl/worksheets/sheet1.xml") + "xl/worksheets/sheet1.xml".length;
    expect(() => inflateRawSync(bomb.subarray(start, start + 100_000), { maxOutputLength: 8 << 20 })).toThrow();
    const rss = process.memoryUsage().rss;
    const t = process.cpuUsage(); // CPU time, not wall-clock: the same on a busy machine
    expect(() => readTable(path)).toThrow(UnreadableFileError);
    const used = process.cpuUsage(t);
    expect((used.user + used.system) / 1000).toBeLessThan(1000);
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 1024 * 1024);
  });

  it("refuses a 200 MB export before reading it, with a clear message, in bounded memory (peak RSS measured)", async () => {
    const huge = CASES.find((c) => c.generated === "huge")!;
    const path = pathOf(huge);
    const dir = join(tmp, "huge");
    try {
      expect(statSync(path).size).toBeGreaterThan(HUGE_BYTES - 4096);
      expect(statSync(path).size).toBeLessThanOrEqual(HUGE_BYTES);
      const files = CODEBOOK_FILES.project;
      const { stdout } = await run(
        "npx",
        [
          "tsx",
          "test/ingest/measure-ingest.ts",
          "--codebook",
          files.codebook,
          "--roster",
          files.roster,
          "--store",
          join(dir, "store"),
          path
        ],
        {
          cwd: ROOT,
          maxBuffer: 1 << 20
        }
      );
      const result = JSON.parse(stdout) as {
        files: FileReport[];
        ms: number;
        cpuMs: number;
        startRssMB: number;
        peakRssMB: number;
      };
      expect(result.files[0]).toMatchObject({ status: "refused", rows: 0 });
      expect(result.files[0].errors[0].reason).toMatch(
        /2019年完整问卷_200MB\.csv: 文件过大（200 MB，上限 24 MB），未读取.*分批导出/
      );
      console.log(
        `200 MB export: refused in ${result.ms} ms (${result.cpuMs} ms CPU), peak RSS ${result.peakRssMB} MB (process start ${result.startRssMB} MB)`
      );
      expect(result.peakRssMB).toBeLessThan(400);
      expect(result.cpuMs).toBeLessThan(10_000); // CPU time of the ingest, not wall-clock: the same on a busy machine
    } finally {
      rmSync(path, { force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("a file just under the size limit", () => {
  // Heavy (about 10 s and 1 GB): run with YIPANQI_HEAVY=1 to measure what the limit costs.
  it.runIf(process.env.YIPANQI_HEAVY)(
    "is ingested whole, and its peak RSS is printed",
    async () => {
      const dir = join(tmp, "at-limit");
      mkdirSync(dir, { recursive: true });
      const path = join(dir, "2019年完整问卷_上限以内.csv");
      writeHugeCsv(path, MAX_FILE_BYTES);
      const files = CODEBOOK_FILES.project;
      const { stdout } = await run(
        "npx",
        [
          "tsx",
          "test/ingest/measure-ingest.ts",
          "--codebook",
          files.codebook,
          "--roster",
          files.roster,
          "--store",
          join(dir, "store"),
          path
        ],
        {
          cwd: ROOT,
          maxBuffer: 64 << 20
        }
      );
      const result = JSON.parse(stdout) as { files: FileReport[]; ms: number; peakRssMB: number };
      expect(result.files[0]).toMatchObject({ status: "new", quarantined: 0 });
      console.log(
        `${(statSync(path).size / 1048576).toFixed(1)} MB export, ${result.files[0].accepted} respondents: ingested in ${result.ms} ms, peak RSS ${result.peakRssMB} MB`
      );
      expect(result.peakRssMB).toBeLessThan(1536);
      rmSync(dir, { recursive: true, force: true });
    },
    300_000
  );
});

describe("npm run ingest on the whole corpus at once", () => {
  it("reports every file once, refuses the unreadable ones, ingests the rest, and exits 3", async () => {
    const files = readdirSync(CORPUS)
      .filter((f) => !f.endsWith(".ts") && !f.includes("完整问卷"))
      .sort()
      .map((f) => join(CORPUS, f));
    const store = join(tmp, "cli-store");
    const result = await run(
      "npx",
      [
        "tsx",
        "pipeline/cli/ingest.ts",
        "--json",
        "--codebook",
        MINI.codebook,
        "--roster",
        MINI.roster,
        "--store",
        store,
        ...files
      ],
      {
        cwd: ROOT,
        maxBuffer: 16 << 20
      }
    ).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => e
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(3);
    const { files: reports } = JSON.parse(result.stdout) as { files: FileReport[] };
    expect(reports.map((r) => r.file)).toEqual(files);
    for (const r of reports) expect(r.rows).toBe(r.accepted + r.quarantined);
    const manifest = readManifest(store);
    const fresh = reports.filter((r) => r.status === "new");
    expect(manifest.files.map((f) => f.sha256).sort()).toEqual(fresh.map((r) => r.sha256).sort());
    const refusedNames = reports.filter((r) => r.status === "refused").map((r) => basename(r.file));
    for (const c of CASES.filter(
      (c) => c.status === "refused" && !c.generated && c.codebook === "mini" && c.wave === undefined
    ))
      expect(refusedNames).toContain(c.file);
  }, 120_000);
});
