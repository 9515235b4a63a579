// Ingest end to end on real files: every container and export mode, every bad-row kind, the store's contents,
// re-ingest, refusal of unreadable files, and the CLI's JSON and exit status.
import { execFile } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCodebook, loadRoster } from "../../pipeline/codebook/load.ts";
import { openDuckDB, queryRows } from "../../pipeline/io/duckdb.ts";
import { runIngest } from "../../pipeline/store/ingest-batch.ts";
import { attachStore, readManifest } from "../../pipeline/store/store.ts";
import {
  MINI,
  NUMBER_HEADER,
  TEXT_HEADER,
  numberModeRows,
  tempDir,
  textModeRows,
  writeExport,
  type Container
} from "../helpers/mini-exports.ts";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const codebook = loadCodebook(MINI.codebook);
const roster = loadRoster(MINI.roster);
/** Tests that spawn the CLI (tsx start-up, DuckDB) on a busy 2-core machine: generous, never a reason to fail. */
const SPAWN_TIMEOUT = 120_000;
/** In-process ingests of several files: generous for a loaded machine. */
const INGEST_TIMEOUT = 60_000;

async function ingest(files: string[], store: string, wave?: number) {
  const conn = await openDuckDB();
  const report = await runIngest(conn, { files, codebook, roster, store, wave });
  return { conn, report };
}

/** Answers of the store as comparable tuples: serial, question, option, value. */
async function storedAnswers(store: string) {
  const conn = await openDuckDB();
  await attachStore(conn, store);
  return queryRows<{
    serial: number;
    question: string;
    option: number | null;
    value: number | null;
    label: string | null;
  }>(
    conn,
    `SELECT r.serial, a.question, a.option, a.value, a.label FROM answers a JOIN respondents r USING (respondent_id)
     ORDER BY r.serial, a.question, a.option NULLS FIRST`
  );
}

const containers: Container[] = ["csv-utf8", "csv-utf8-bom", "csv-gbk", "xlsx", "xls"];

describe.each(containers)("a text-mode export as %s", (container) => {
  const expected = textModeRows();
  let report: Awaited<ReturnType<typeof ingest>>["report"];
  let store: string;
  beforeAll(async () => {
    const dir = tempDir();
    store = join(dir, "store");
    const file = writeExport(dir, "2019年问卷_按文本", TEXT_HEADER, expected.rows, container);
    ({ report } = await ingest([file], store));
  }, INGEST_TIMEOUT);

  it("reads every row into accepted or quarantined, blaming the right row and column", () => {
    const [f] = report.files;
    expect(f.status).toBe("new");
    expect(f.kind).toBe("wjx-text");
    expect(f.wave).toBe(2019);
    expect(f.rows).toBe(expected.rows.length);
    expect(f.accepted + f.quarantined).toBe(f.rows);
    expect(f.accepted).toBe(expected.accepted.length);
    const byRow = new Map(f.errors.map((e) => [e.row, e]));
    for (const bad of expected.bad) {
      expect(byRow.get(bad.row), `row ${bad.row}`).toMatchObject({ column: bad.column });
      expect(byRow.get(bad.row)!.reason).toMatch(bad.reason);
    }
    expect(new Set(f.errors.map((e) => e.row)).size).toBe(expected.bad.length);
  });

  it("detects the encoding", () => {
    const encoding = report.files[0].encoding;
    if (container === "csv-gbk") expect(encoding).toBe("gb18030");
    if (container === "csv-utf8-bom") expect(encoding).toBe("utf-8-bom");
    if (container === "csv-utf8") expect(encoding).toBe("utf-8");
  });

  it("stores exactly the accepted rows with decoded answers", async () => {
    const rows = await storedAnswers(store);
    expect([...new Set(rows.map((r) => r.serial))]).toEqual([1, 2, 3, 4]);
    const get = (serial: number, question: string) =>
      rows.filter((r) => r.serial === serial && r.question === question);
    expect(get(1, "M1")[0].value).toBe(4); // 同意
    expect(get(1, "M2")[0].value).toBe(2); // 不同意, raw (reverse keying happens in the marts)
    expect(get(3, "M2")).toEqual([]); // (跳过) is missing, not zero
    expect(get(1, "unit")[0].label).toBe("U001");
    expect(get(2, "role")[0]).toMatchObject({ option: 2, label: "专职党务干部" });
    expect(get(1, "carriers").map((r) => r.option)).toEqual([1, 3]);
    expect(get(3, "trainings")[0].value).toBe(0);
  });

  it("keeps the original file with its checksum and a quarantine file listing every rejected row", () => {
    const manifest = readManifest(store);
    const [entry] = manifest.files;
    expect(existsSync(join(store, entry.original))).toBe(true);
    expect(entry.original).toContain(entry.sha256);
    const quarantine = readFileSync(join(store, entry.quarantine!), "utf8");
    expect(quarantine.split("\n")[0]).toBe("\uFEFFfile,row,column,kind,reason,cells");
    for (const bad of expected.bad) expect(quarantine).toMatch(new RegExp(`,${bad.row},`));
  });
});

describe.each(["xlsx", "xls", "csv-utf8"] as Container[])("a number-mode export as %s", (container) => {
  it(
    "expands 第N题(option) columns and agrees with the text-mode export",
    async () => {
      const dir = tempDir();
      const expected = numberModeRows();
      const numberFile = writeExport(dir, "2019年问卷_按序号", NUMBER_HEADER, expected.rows, container);
      const textFile = writeExport(dir, "2019年问卷_按文本", TEXT_HEADER, textModeRows().rows, "xlsx");
      const { report } = await ingest([numberFile], join(dir, "number"));
      const [f] = report.files;
      expect(f.kind).toBe("wjx-number");
      expect(f.accepted).toBe(expected.accepted.length);
      expect(f.errors.map((e) => [e.row, e.column])).toEqual(expected.bad.map((b) => [b.row, b.column]));
      f.errors.forEach((e, i) => expect(e.reason).toMatch(expected.bad[i].reason));
      await ingest([textFile], join(dir, "text"));
      const strip = (rows: Awaited<ReturnType<typeof storedAnswers>>) =>
        rows.map(({ serial, question, option, value }) => ({ serial, question, option, value }));
      expect(strip(await storedAnswers(join(dir, "number")))).toEqual(strip(await storedAnswers(join(dir, "text"))));
    },
    INGEST_TIMEOUT
  );
});

describe("the real 问卷星 exports in ../shared/external", () => {
  const external = resolve(ROOT, "../shared/external");
  const wjxCodebook = loadCodebook(join(ROOT, "test/fixtures/wjx/codebook.json"));
  it(
    "ingest completely, by text and by number, and agree answer for answer",
    async () => {
      const dir = tempDir();
      const results = [];
      for (const [name, file] of [
        ["text", "wjx-export-by-text.xls"],
        ["number", "wjx-export-by-number.xls"]
      ]) {
        const conn = await openDuckDB();
        const report = await runIngest(conn, {
          files: [join(external, file)],
          codebook: wjxCodebook,
          roster: [],
          store: join(dir, name),
          wave: 2016
        });
        expect(report.files[0]).toMatchObject({
          rows: 800,
          accepted: 800,
          quarantined: 0,
          kind: `wjx-${name}`,
          format: "xls"
        });
        results.push(
          (await storedAnswers(join(dir, name))).map(({ serial, question, option, value }) => ({
            serial,
            question,
            option,
            value
          }))
        );
      }
      expect(results[0].length).toBeGreaterThan(8 * 800);
      expect(results[0]).toEqual(results[1]);
      // Spot checks against the files as Excel shows them: respondent 1 has 1部, 3000-3499元 (option 7), 男.
      const first = results[0].filter((r) => r.serial === 1);
      expect(first.find((r) => r.question === "price")?.option).toBe(7);
      expect(first.filter((r) => r.question === "hobbies").map((r) => r.option)).toEqual([1, 3, 12]); // 运动┋影视┋购物
    },
    INGEST_TIMEOUT
  );
});

describe("the store across ingests", { timeout: INGEST_TIMEOUT }, () => {
  it("adds nothing when the same file comes again, even under another name", async () => {
    const dir = tempDir();
    const store = join(dir, "store");
    const file = writeExport(dir, "2019年问卷", TEXT_HEADER, textModeRows().rows, "xlsx");
    await ingest([file], store);
    const before = readFileSync(join(store, "manifest.json"), "utf8");
    const copy = join(dir, "2019年问卷-副本.xlsx");
    writeFileSync(copy, readFileSync(file));
    const { report } = await ingest([file, copy], store);
    expect(report.files.map((f) => f.status)).toEqual(["already_ingested", "already_ingested"]);
    expect(readFileSync(join(store, "manifest.json"), "utf8")).toBe(before);
    expect((await storedAnswers(store)).filter((r) => r.question === "M1")).toHaveLength(4);
  });

  it("quarantines respondents already ingested from another export of the same wave", async () => {
    const dir = tempDir();
    const store = join(dir, "store");
    await ingest([writeExport(dir, "2019年问卷_按文本", TEXT_HEADER, textModeRows().rows, "xlsx")], store);
    const { report } = await ingest(
      [writeExport(dir, "2019年问卷_按序号", NUMBER_HEADER, numberModeRows().rows, "xlsx")],
      store
    );
    expect(report.files[0].accepted).toBe(0);
    expect(report.files[0].errors.filter((e) => /已导入/.test(e.reason)).map((e) => e.row)).toEqual([2, 3, 4, 5]);
  });

  it("refuses an unreadable file whole, names it and says why, and still ingests the others", async () => {
    const dir = tempDir();
    const broken = join(dir, "2019年问卷.xlsx");
    writeFileSync(broken, Buffer.concat([Buffer.from("PK\u0003\u0004"), Buffer.alloc(64, 7)]));
    const empty = join(dir, "2019年空文件.csv");
    writeFileSync(empty, "");
    const good = writeExport(dir, "2019年问卷_好", TEXT_HEADER, textModeRows().rows, "csv-utf8");
    const { report } = await ingest([broken, empty, good], join(dir, "store"));
    expect(report.files[0]).toMatchObject({ status: "refused", rows: 0 });
    expect(report.files[0].errors[0].reason).toMatch(/2019年问卷\.xlsx.*(损坏|无法解析)/);
    expect(report.files[1].errors[0].reason).toMatch(/文件为空/);
    expect(report.files[2]).toMatchObject({ status: "new", accepted: 4 });
  });

  it("refuses a file none of whose columns belong to the codebook", async () => {
    const dir = tempDir();
    const other = join(dir, "2019名单.csv");
    writeFileSync(other, "姓名,电话\n张三,123\n");
    const { report } = await ingest([other], join(dir, "store"));
    expect(report.files[0].status).toBe("refused");
    expect(report.files[0].errors[0].reason).toMatch(/码本/);
  });
});

describe("npm run ingest", () => {
  it(
    "prints only the JSON report with --json, row by row, and exits 1 when rows were quarantined",
    async () => {
      const dir = tempDir();
      const file = writeExport(dir, "2019年问卷", TEXT_HEADER, textModeRows().rows, "csv-gbk");
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
          join(dir, "store"),
          file
        ],
        { cwd: ROOT }
      ).then(
        () => ({ code: 0, stdout: "" }),
        (e: { code: number; stdout: string }) => e
      );
      expect(result.code).toBe(1);
      const parsed = JSON.parse(result.stdout);
      expect(Object.keys(parsed)).toEqual(["files"]);
      const [f] = parsed.files;
      expect(f).toMatchObject({ file, kind: "wjx-text", wave: 2019, rows: 14, accepted: 4, quarantined: 10 });
      expect(f.errors[0]).toEqual({
        row: 6,
        column: "1、您所在的单位",
        kind: "unknown_unit",
        reason: "单位“市教育局（已撤并）”不在名册中"
      });
      expect(f.errors.map((e: { kind: string }) => e.kind)).toEqual([
        "unknown_unit",
        "invalid_likert",
        "missing_required",
        "duplicate",
        "not_number",
        "empty_row",
        "invalid_time",
        "unknown_option",
        "column_shift",
        "out_of_range"
      ]);
    },
    SPAWN_TIMEOUT
  );

  it(
    "exits 0 when every row is accepted and 2 on a broken codebook, writing nothing",
    async () => {
      const dir = tempDir();
      const expected = textModeRows();
      const good = writeExport(dir, "2019年问卷", TEXT_HEADER, expected.rows.slice(0, 4), "xlsx");
      await expect(
        run(
          "npx",
          [
            "tsx",
            "pipeline/cli/ingest.ts",
            "--codebook",
            MINI.codebook,
            "--roster",
            MINI.roster,
            "--store",
            join(dir, "store"),
            good
          ],
          { cwd: ROOT }
        )
      ).resolves.toBeTruthy();
      const badCodebook = join(dir, "codebook.json");
      const cb = JSON.parse(readFileSync(MINI.codebook, "utf8"));
      cb.questions[2].scale = "agree7";
      writeFileSync(badCodebook, JSON.stringify(cb));
      const failed = await run(
        "npx",
        [
          "tsx",
          "pipeline/cli/ingest.ts",
          "--codebook",
          badCodebook,
          "--roster",
          MINI.roster,
          "--store",
          join(dir, "other"),
          good
        ],
        { cwd: ROOT }
      ).catch((e) => e);
      expect(failed.code).toBe(2);
      expect(failed.stderr).toContain("questions[2].scale: unknown scale agree7");
      expect(existsSync(join(dir, "other", "manifest.json"))).toBe(false);
    },
    SPAWN_TIMEOUT
  );
});
