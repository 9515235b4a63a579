// Issue 11, as a data steward meets it: the same 30 cadres exported again by 问卷星 in another mode, re-saved by
// Excel (GBK, times without seconds), pasted twice into a table without 序号; a 序号 the store cannot hold next to a
// good file; the same file ingested again; a store reached through a symlink while another ingest runs; what the
// store keeps (no IP address anywhere but originals/, owner-only permissions); the kind of every quarantined error.
import { execFile, spawn } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync
} from "node:fs";
import { join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { loadCodebook, loadRoster } from "../../pipeline/codebook/load.ts";
import { openDuckDB, queryRows } from "../../pipeline/io/duckdb.ts";
import { ROW_ERROR_KINDS } from "../../pipeline/ingest/parse-row.ts";
import { runIngest, type FileReport } from "../../pipeline/store/ingest-batch.ts";
import { openReportStore } from "../../pipeline/db/report-store.ts";
import { qualityReport, SURVEY_REASON_KINDS } from "../../pipeline/marts/quality.ts";
import {
  acquireLock,
  LockHeldError,
  processIdentity,
  readOwner,
  storeLockPath,
  withLock,
  type LockOwner
} from "../../pipeline/io/lock.ts";
import { attachStore, beginIngest, endIngest, readManifest, sweepStore } from "../../pipeline/store/store.ts";
import { MINI, tempDir } from "../helpers/mini-exports.ts";
import { ASSESSMENT_TABLES, CODEBOOK_TABLES } from "../../pipeline/store/reference.ts";
import {
  cadres,
  NUMBER_HEADER,
  numberRow,
  TEXT_HEADER,
  textRow,
  writeExcelResavedCsv,
  writeWjxCsv,
  writeWjxXlsx
} from "./steward-exports.ts";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const codebook = loadCodebook(MINI.codebook);
const roster = loadRoster(MINI.roster);
/** Spawning tsx and DuckDB on a busy 2-core machine can take many seconds: never a reason to fail. */
const SPAWN_TIMEOUT = 120_000;
/** In-process ingests of a few small files, generous for a loaded machine. */
const INGEST_TIMEOUT = 60_000;

async function ingest(files: string[], store: string, wave?: number) {
  const conn = await openDuckDB();
  return (await runIngest(conn, { files, codebook, roster, store, wave })).files;
}

async function respondents(store: string) {
  const conn = await openDuckDB();
  await attachStore(conn, store);
  return queryRows<{ serial: number | null; file_sha: string; m1: number | null }>(
    conn,
    `SELECT r.serial, r.file_sha, a.value AS m1 FROM respondents r LEFT JOIN answers a ON a.respondent_id = r.respondent_id AND a.question = 'M1' ORDER BY r.serial`
  );
}

function ingestCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(
    "npx",
    ["tsx", "pipeline/cli/ingest.ts", "--json", "--codebook", MINI.codebook, "--roster", MINI.roster, ...args],
    { cwd: ROOT, maxBuffer: 16 << 20 }
  ).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => e
  );
}

const expectRowsAddUp = (files: FileReport[]) => {
  for (const f of files) expect(f.rows, f.file).toBe(f.accepted + f.quarantined);
};

describe("the same cadres are never counted twice (items 1, 2)", () => {
  const people = cadres(30);

  it(
    "a copy re-saved by Excel (GBK, CRLF, no seconds) and a 按序号 .xlsx of the same answers are quarantined as duplicates naming the first file",
    async () => {
      const dir = tempDir();
      const store = join(dir, "store");
      const first = writeWjxCsv(dir, "2019年问卷_按文本.csv", TEXT_HEADER, people.map(textRow));
      const [a] = await ingest([first], store);
      expect(a).toMatchObject({ status: "new", rows: 30, accepted: 30, quarantined: 0 });

      const resaved = writeExcelResavedCsv(dir, "2019年问卷_按文本_另存.csv", TEXT_HEADER, people.map(textRow));
      const resavedText = iconv.decode(readFileSync(resaved), "gbk");
      expect(resavedText).toMatch(/\r\n1,2019\/10\/12 8:\d\d,/); // as Excel writes it: GBK, CRLF, no seconds
      expect(resavedText).not.toMatch(/ \d+:\d\d:\d\d,/);
      const byNumber = writeWjxXlsx(dir, "2019年问卷_按序号.xlsx", NUMBER_HEADER, people.map(numberRow));
      const files = await ingest([resaved, byNumber], store);
      expectRowsAddUp(files);
      for (const f of files) {
        expect(f, f.file).toMatchObject({ status: "new", rows: 30, accepted: 0, quarantined: 30 });
        expect(f.errors).toHaveLength(30);
        for (const e of f.errors) {
          expect(e.kind).toBe("duplicate");
          expect(e.column).toBe("序号");
          expect(e.reason).toMatch(/^与已导入的 2019年问卷_按文本\.csv 中同一序号、同一提交时间的答卷重复/);
        }
      }
      expect(files[0].encoding).toBe("gb18030");
      const stored = await respondents(store);
      expect(stored).toHaveLength(30);
      expect(new Set(stored.map((r) => r.serial)).size).toBe(30);
    },
    INGEST_TIMEOUT
  );

  it(
    "two cadres who gave identical answers are two respondents; the re-saved copy ingested first catches the original",
    async () => {
      const dir = tempDir();
      const store = join(dir, "store");
      const [five, six] = [people[4], people[5]];
      expect(textRow(five).slice(6)).toEqual(textRow(six).slice(6)); // same answers, other serial and minute
      const resaved = writeExcelResavedCsv(dir, "2019年问卷_另存.csv", TEXT_HEADER, people.map(textRow));
      const original = writeWjxCsv(dir, "2019年问卷_原始.csv", TEXT_HEADER, people.map(textRow));
      const [r, o] = await ingest([resaved, original], store);
      expect(r).toMatchObject({ accepted: 30, quarantined: 0 });
      expect(o).toMatchObject({ accepted: 0, quarantined: 30 });
      expect(o.errors.every((e) => e.kind === "duplicate" && e.reason.includes("2019年问卷_另存.csv"))).toBe(true);
      expect((await respondents(store)).filter((x) => x.serial === 5 || x.serial === 6)).toHaveLength(2);
    },
    INGEST_TIMEOUT
  );

  it(
    "rows pasted twice into a table without 序号 are duplicates of the earlier row at the same minute; the re-saved table adds nobody",
    async () => {
      const dir = tempDir();
      const store = join(dir, "store");
      const header = TEXT_HEADER.slice(1);
      const rows = [...people, people[2], people[6], people[11]].map((c) => textRow(c).slice(1));
      const table = writeWjxCsv(dir, "2019年汇总表.csv", header, rows);
      const [t] = await ingest([table], store);
      expectRowsAddUp([t]);
      expect(t).toMatchObject({ rows: 33, accepted: 30, quarantined: 3 });
      expect(t.errors.map((e) => [e.row, e.column, e.kind])).toEqual([
        [32, "提交答卷时间", "duplicate"],
        [33, "提交答卷时间", "duplicate"],
        [34, "提交答卷时间", "duplicate"]
      ]);
      expect(t.errors.map((e) => e.reason)).toEqual(
        [4, 8, 13].map((row) => expect.stringMatching(new RegExp(`^与本文件第 ${row} 行的答卷相同.*文件没有序号`)))
      );
      const resaved = writeExcelResavedCsv(dir, "2019年汇总表_另存.csv", header, rows, 0);
      const [again] = await ingest([resaved], store);
      expect(again).toMatchObject({ rows: 33, accepted: 0, quarantined: 33 });
      expect(
        again.errors.filter((e) =>
          /^与已导入的 2019年汇总表\.csv 中同一提交时间（精确到分钟）、同样答案的答卷重复/.test(e.reason)
        )
      ).toHaveLength(33);
      expect(await respondents(store)).toHaveLength(30);
    },
    INGEST_TIMEOUT
  );

  it(
    "without 序号 and 提交答卷时间 identical rows cannot be told apart: accepted, with a warning naming them",
    async () => {
      const dir = tempDir();
      const header = TEXT_HEADER.slice(6);
      const rows = [...people.slice(0, 10), people[2]].map((c) => textRow(c).slice(6));
      const [t] = await ingest([writeWjxCsv(dir, "2019年手工汇总.csv", header, rows)], join(dir, "store"));
      expect(t).toMatchObject({ rows: 11, accepted: 11, quarantined: 0 });
      // serial 6 answered as serial 5 (row 7 as row 6), and row 12 is row 4 pasted again
      expect(
        t.warnings.some((w) => /2 行与其他答卷的答案完全相同：第 7 行同第 6 行、第 12 行同第 4 行.*无法区分/.test(w))
      ).toBe(true);
    },
    INGEST_TIMEOUT
  );

  it(
    "a store written before the fingerprint column still opens, still catches an exact re-export, and says what it cannot catch",
    async () => {
      const dir = tempDir();
      const store = join(dir, "store");
      await ingest([writeWjxCsv(dir, "2019年问卷_按文本.csv", TEXT_HEADER, people.map(textRow))], store);
      // The store as the ingest wrote it before this change: respondents parts without the fingerprint column.
      const conn = await openDuckDB();
      for (const f of readManifest(store).files) {
        const part = join(store, f.respondents!);
        await conn.run(
          `COPY (SELECT * EXCLUDE (fingerprint) FROM read_parquet('${part}')) TO '${part}.old' (FORMAT parquet)`
        );
        cpSync(`${part}.old`, part);
        rmSync(`${part}.old`);
      }
      expect((await respondents(store)).length).toBe(30);
      const [x] = await ingest(
        [writeWjxXlsx(dir, "2019年问卷_按序号.xlsx", NUMBER_HEADER, people.map(numberRow))],
        store
      );
      expect(x).toMatchObject({ accepted: 0, quarantined: 30 });
      expect(
        x.warnings.some((w) => /1 个文件（2019年问卷_按文本\.csv）是在答卷指纹引入之前导入的.*重新导入/.test(w))
      ).toBe(true);
    },
    INGEST_TIMEOUT
  );
});

const REFERENCE_TABLES = [...CODEBOOK_TABLES, ...ASSESSMENT_TABLES];

describe("npm run ingest on a steward's batch", () => {
  it(
    "a 序号 over 2^31 is quarantined at its row, and the good file of the same call is ingested (exit 1, JSON on stdout)",
    async () => {
      const dir = tempDir();
      const people = cadres(10);
      const rows = people.map(textRow);
      rows[3][0] = 3000000000; // a staff number typed over the serial
      const bad = writeWjxCsv(dir, "2019年问卷_一部分.csv", TEXT_HEADER, rows);
      const good = writeWjxCsv(dir, "2019年问卷_另一部分.csv", TEXT_HEADER, cadres(20).slice(10).map(textRow));
      const result = await ingestCli(["--store", join(dir, "store"), bad, good]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(1);
      const { files } = JSON.parse(result.stdout) as { files: FileReport[] };
      expect(files.map((f) => [f.status, f.rows, f.accepted, f.quarantined])).toEqual([
        ["new", 10, 9, 1],
        ["new", 10, 10, 0]
      ]);
      expect(files[0].errors).toEqual([
        {
          row: 5,
          column: "序号",
          kind: "invalid_serial",
          reason: expect.stringMatching(/^序号 3000000000 超出范围 0–2147483647/)
        }
      ]);
      expect(await respondents(join(dir, "store"))).toHaveLength(19);
    },
    SPAWN_TIMEOUT
  );

  it(
    "the same file again (with quarantined rows) adds nothing and exits 0, with zero counts and no errors",
    async () => {
      const dir = tempDir();
      const rows = cadres(12).map(textRow);
      rows[2][6] = "市教育局（已撤并）";
      rows[8][8] = "很同意";
      const file = writeWjxCsv(dir, "2019年问卷.csv", TEXT_HEADER, rows);
      const first = await ingestCli(["--store", join(dir, "store"), file]);
      expect(first.code).toBe(1);
      expect(JSON.parse(first.stdout).files[0]).toMatchObject({ rows: 12, accepted: 10, quarantined: 2 });
      const again = await ingestCli(["--store", join(dir, "store"), file]);
      expect(again.code).toBe(0);
      const [f] = JSON.parse(again.stdout).files as FileReport[];
      expect(f).toMatchObject({ status: "already_ingested", rows: 0, accepted: 0, quarantined: 0, errors: [] });
      expect(f.warnings[0]).toMatch(/内容相同.*接受 10 行，隔离 2 行/);
    },
    SPAWN_TIMEOUT
  );
});

describe("one lock per store, whatever the path (item 8)", () => {
  it("gives a store reached through a symlink or a relative path the lock of its real path", () => {
    const dir = tempDir();
    const real = join(dir, "real-store");
    mkdirSync(real);
    symlinkSync(real, join(dir, "link"));
    expect(storeLockPath(join(dir, "link"))).toBe(storeLockPath(real));
    expect(storeLockPath(`${join(dir, "link")}/`)).toBe(storeLockPath(real));
    expect(storeLockPath(relative(process.cwd(), real))).toBe(storeLockPath(real));
    expect(storeLockPath(join(dir, "not-yet", "..", "real-store"))).toBe(storeLockPath(real));
  });

  it(
    "makes an ingest through the symlink wait for the one holding the real path, and never sweeps a running ingest's staging",
    async () => {
      const dir = tempDir();
      const real = join(dir, "store");
      const link = join(dir, "store-link");
      const file = writeWjxCsv(dir, "2019年问卷.csv", TEXT_HEADER, cadres(5).map(textRow));
      await ingest([file], real);
      symlinkSync(real, link);
      const held = acquireLock(storeLockPath(real));
      try {
        await expect(withLock(storeLockPath(link), async () => "got it", 600)).rejects.toBeInstanceOf(LockHeldError);
      } finally {
        held.release();
      }
      // Another ingest, still running (a live process), has its parts in its staging folder.
      const other = spawn("sleep", ["300"], { stdio: "ignore" });
      try {
        const staging = join(real, `.staging-${other.pid}-1700000000000`);
        mkdirSync(join(staging, "respondents", "wave=2019"), { recursive: true });
        writeFileSync(join(staging, "respondents", "wave=2019", "abc.parquet"), "part");
        const later = writeWjxCsv(dir, "2019年问卷_补充.csv", TEXT_HEADER, cadres(8).slice(5).map(textRow));
        const [f] = await withLock(storeLockPath(link), () => ingest([later], link));
        expect(f).toMatchObject({ status: "new", accepted: 3 });
        expect(existsSync(join(staging, "respondents", "wave=2019", "abc.parquet"))).toBe(true);
        other.kill("SIGKILL");
        await new Promise((r) => other.once("exit", r));
        expect(sweepStore(real)).toEqual([relative(real, staging)]); // its owner gone, it is a crash's leftover
      } finally {
        other.kill("SIGKILL");
      }
    },
    INGEST_TIMEOUT
  );

  it.runIf(process.platform === "linux")(
    "sweeps a crashed ingest's staging folder whose pid names another process now, and commits no owner record",
    async () => {
      const dir = tempDir();
      const store = join(dir, "store");
      await ingest([writeWjxCsv(dir, "2019年问卷.csv", TEXT_HEADER, cadres(5).map(textRow))], store);
      expect(readdirSync(store).filter((e) => e.startsWith(".staging-") || e === "owner.json")).toEqual([]);
      // A live process with the pid that a crashed ingest had, but started after it (pids are reused).
      const other = spawn("sleep", ["300"], { stdio: "ignore" });
      try {
        await new Promise((r) => other.once("spawn", r));
        const now = processIdentity(other.pid!)!;
        const staging = (name: string, owner: LockOwner) => {
          mkdirSync(join(store, name, "respondents", "wave=2019"), { recursive: true });
          writeFileSync(join(store, name, "respondents", "wave=2019", "abc.parquet"), "part");
          writeFileSync(join(store, name, "owner.json"), JSON.stringify(owner));
          return name;
        };
        const startedAt = "2026-12-07T08:00:00Z";
        const crashed = staging(`.staging-${other.pid}-1700000000000`, {
          pid: other.pid!,
          startedAt,
          ...now,
          startTicks: now.startTicks - 1
        });
        const beforeReboot = staging(`.staging-${other.pid}-1700000000001`, {
          pid: other.pid!,
          startedAt,
          ...now,
          boot: "an earlier boot"
        });
        const running = staging(`.staging-${other.pid}-1700000000002`, { pid: other.pid!, startedAt, ...now });
        expect(sweepStore(store).sort()).toEqual([crashed, beforeReboot]);
        expect(existsSync(join(store, running, "respondents", "wave=2019", "abc.parquet"))).toBe(true);
        // What an ingest records of itself is what the sweep reads.
        const mine = beginIngest(store);
        expect(readOwner(join(mine.dir, "owner.json"))).toMatchObject({
          pid: process.pid,
          ...processIdentity(process.pid)
        });
        expect(sweepStore(store)).toEqual([]);
        endIngest(mine);
      } finally {
        other.kill("SIGKILL");
      }
    },
    INGEST_TIMEOUT
  );
});

/** Every file under dir (recursively), except those under a folder named `except`. */
function filesUnder(dir: string, except?: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === except ? [] : filesUnder(join(dir, e.name), except)) : [join(dir, e.name)]
  );
}

describe("what the store keeps", () => {
  it(
    "writes no IP address anywhere but originals/ (quarantine, manifest, Parquet), even from a row shifted by a column",
    async () => {
      const dir = tempDir();
      const store = join(dir, "store");
      const people = cadres(12);
      const rows = people.map(textRow);
      rows[2][6] = "市教育局（已撤并）"; // quarantined: unknown unit
      rows[6][9] = "很同意"; // quarantined: the IPv6 respondent
      rows[9] = [...rows[9].slice(0, 5), ...rows[9].slice(4)]; // 来源详情 typed twice: the IP lands in 您所在的单位
      rows.push(["", "", "", "", "", "10.1.2.3", "", "", "", "", "", "", ""]); // a stray IP on a line of its own
      const [f] = await ingest([writeWjxCsv(dir, "2019年问卷.csv", TEXT_HEADER, rows)], store);
      expect(f).toMatchObject({ rows: 13, accepted: 9, quarantined: 4 });
      expect(f.errors.find((e) => e.row === 11)?.reason).toContain("[IP]");
      const ips = [...people.map((c) => c.ip), "10.1.2.3"];
      // The export itself is kept byte for byte in originals/ (documented personal data).
      expect(
        filesUnder(join(store, "originals")).some((p) => readFileSync(p).includes(Buffer.from(people[0].ip)))
      ).toBe(true);
      const written = filesUnder(store, "originals");
      expect(written.some((p) => p.includes("quarantine"))).toBe(true);
      for (const path of written) {
        const bytes = readFileSync(path);
        for (const ip of ips)
          expect(bytes.includes(Buffer.from(ip)), `${relative(store, path)} holds ${ip}`).toBe(false);
      }
      // Parquet is compressed: look at every value of every part, as text.
      const conn = await openDuckDB();
      for (const path of written.filter((p) => p.endsWith(".parquet"))) {
        const [row] = await queryRows<{ all: string }>(
          conn,
          `SELECT string_agg(t::VARCHAR, '|') AS "all" FROM read_parquet('${path}') t`
        );
        for (const ip of ips) expect(row.all ?? "", `${relative(store, path)} holds ${ip}`).not.toContain(ip);
      }
      // And 来源详情 is no more kept than 来自IP: the quarantined cells have both emptied.
      const quarantine = readFileSync(join(store, readManifest(store).files[0].quarantine!), "utf8");
      expect(quarantine).not.toContain("直接访问");
    },
    INGEST_TIMEOUT
  );

  it(
    "creates its folders 0700 and its files 0600, the atomic manifest included, and closes an older store's folder",
    async () => {
      const dir = tempDir();
      const store = join(dir, "data", "store");
      const rows = cadres(6).map(textRow);
      rows[1][6] = "某局";
      await ingest(
        [
          writeWjxCsv(dir, "2019年问卷.csv", TEXT_HEADER, rows),
          writeWjxXlsx(dir, "2020年问卷.xlsx", TEXT_HEADER, cadres(3, 2020).map(textRow))
        ],
        store
      );
      const mode = (p: string) => statSync(p).mode & 0o777;
      expect(mode(store)).toBe(0o700);
      const dirs: string[] = [];
      const walk = (d: string) => {
        for (const e of readdirSync(d, { withFileTypes: true }))
          if (e.isDirectory()) {
            dirs.push(join(d, e.name));
            walk(join(d, e.name));
          }
      };
      walk(store);
      expect(dirs.map((d) => relative(store, d)).sort()).toEqual(
        [
          "answers",
          "answers/wave=2019",
          "answers/wave=2020",
          "originals",
          "quarantine",
          "respondents",
          "respondents/wave=2019",
          "respondents/wave=2020",
          "reference",
          ...REFERENCE_TABLES.map((t) => `reference/${t}`)
        ].sort()
      );
      for (const d of dirs) expect(mode(d), relative(store, d)).toBe(0o700);
      const files = filesUnder(store);
      // manifest, views.sql, 2 originals, 2 × (respondents, answers), 1 quarantine, the reference tables
      expect(files.length).toBe(8 + 1 + REFERENCE_TABLES.length);
      for (const f of files) expect(mode(f), relative(store, f)).toBe(0o600);
      expect(mode(join(dir, "data"))).not.toBe(0o700); // the parent is not the store's to close
    },
    INGEST_TIMEOUT
  );
});

describe("the kind of every quarantined error", () => {
  it("has a Chinese label on the data-quality page for every kind the ingest writes", () => {
    const labels = new Map(SURVEY_REASON_KINDS.map((k) => [k.kind, k.label]));
    for (const kind of ROW_ERROR_KINDS) expect(labels.get(kind), kind).toMatch(/[\u4e00-\u9fff]/);
  });

  it(
    "reaches the quality report from the kind column, and from the reason for a quarantine file written before it",
    async () => {
      const dir = tempDir();
      const store = join(dir, "store");
      const rows = cadres(8).map(textRow);
      rows[1][6] = "某局";
      rows[2][1] = "2019/2/30 9:00";
      rows[3][6] = "某委";
      await ingest([writeWjxCsv(dir, "2019年问卷_新.csv", TEXT_HEADER, rows)], store);
      const older = cadres(20).slice(10).map(textRow);
      older[0][6] = "某办";
      await ingest([writeWjxCsv(dir, "2019年问卷_旧.csv", TEXT_HEADER, older)], store);
      // The second file's quarantine as it was written before the kind column.
      const old = readManifest(store).files[1].quarantine!;
      const text = readFileSync(join(store, old), "utf8").split("\n");
      const stripKind = (line: string) => line.replace(/^((?:[^,]*,){3})[^,]*,/, "$1");
      expect(text[0]).toBe("\uFEFFfile,row,column,kind,reason,cells");
      writeFileSync(join(store, old), text.map((l) => (l ? stripKind(l) : l)).join("\n"));
      expect(readFileSync(join(store, old), "utf8").startsWith("\uFEFFfile,row,column,reason,cells")).toBe(true);
      const report = await qualityReport(
        await openReportStore({ codebook: MINI.codebook, roster: MINI.roster, store, scores: join(dir, "none.csv") })
      );
      expect(report.quarantine.map((q) => [q.file, q.row, q.kind])).toEqual([
        ["2019年问卷_新.csv", 3, "unknown_unit"],
        ["2019年问卷_新.csv", 4, "invalid_time"],
        ["2019年问卷_新.csv", 5, "unknown_unit"],
        ["2019年问卷_旧.csv", 2, "unknown_unit"]
      ]);
      expect(report.quarantineKinds.map((k) => [k.kind, k.rows])).toEqual([
        ["unknown_unit", 3],
        ["invalid_time", 1]
      ]);
    },
    INGEST_TIMEOUT
  );
});
