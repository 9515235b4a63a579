// The inbox's checksums remembered between ingests (pipeline/store/file-checksums.ts): reused only while the file
// system says the file is unchanged, hashed again on any change to its bytes, whatever was done to hide it.
import { createHash } from "node:crypto";
import {
  appendFileSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadCodebook, loadRoster } from "../../pipeline/codebook/load.ts";
import { openDuckDB } from "../../pipeline/io/duckdb.ts";
import { FileChecksums, fileChecksumsPath } from "../../pipeline/store/file-checksums.ts";
import { runIngest } from "../../pipeline/store/ingest-batch.ts";
import { MINI } from "../helpers/mini-exports.ts";
import { cadres, TEXT_HEADER, textRow, writeWjxCsv } from "../ingest/steward-exports.ts";

/** In-process ingests of a few small files, generous for a loaded machine. */
const INGEST_TIMEOUT = 60_000;

let dir: string;
let memo: string;
let reads: string[];
const sha = (text: string) => createHash("sha256").update(text).digest("hex");
const countingHash = (file: string) => {
  reads.push(file);
  return createHash("sha256").update(readFileSync(file)).digest("hex");
};
/** A run: the memo as the last one saved it; files written by the test are remembered (settle 0, after pause()). */
const run = (settleMs = 0) => new FileChecksums(memo, { hash: countingHash, settleMs });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "yipanqi-checksums-"));
  memo = fileChecksumsPath(join(dir, "store"));
  reads = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A few milliseconds, so that a file just written has a ctime before the hashing's clock (coarse file times lag). */
const pause = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);

/** A whole second, which utimes sets exactly (a Date or a number of seconds cannot carry nanoseconds). */
const EXPORTED_AT = new Date("2025-03-01T10:00:00Z");

function firstRun(file: string, text: string): void {
  writeFileSync(file, text);
  utimesSync(file, EXPORTED_AT, EXPORTED_AT);
  pause();
  const first = run();
  expect(first.sha256(file)).toBe(sha(text));
  first.save();
  reads = [];
}

describe("FileChecksums", () => {
  it("reuses a checksum while the file is unchanged, without reading it", () => {
    const file = join(dir, "a.csv");
    firstRun(file, "序号,提交答卷时间\n1,2025/3/1 10:00:00\n");
    const second = run();
    expect(second.sha256(file)).toBe(sha("序号,提交答卷时间\n1,2025/3/1 10:00:00\n"));
    expect(reads).toEqual([]);
    expect(second.hashed).toBe(0);
    // kept like the rest of the store: owner only
    expect(statSync(memo).mode & 0o777).toBe(0o600);
    expect(statSync(join(memo, "..")).mode & 0o777).toBe(0o700);
  });

  it("hashes again a file rewritten in place to the same size with its modification time set back", () => {
    const file = join(dir, "a.csv");
    firstRun(file, "1,2,3\n");
    writeFileSync(file, "1,2,4\n");
    utimesSync(file, EXPORTED_AT, EXPORTED_AT); // what a copy "keeping times" does; the ctime moves all the same
    expect(statSync(file, { bigint: true }).mtimeNs).toBe(BigInt(EXPORTED_AT.getTime()) * 1_000_000n);
    expect(run().sha256(file)).toBe(sha("1,2,4\n"));
    expect(reads).toHaveLength(1);
  });

  it("hashes again a file replaced by another of the same size and times (another inode)", () => {
    const file = join(dir, "a.csv");
    firstRun(file, "1,2,3\n");
    const other = join(dir, "b.tmp");
    writeFileSync(other, "9,9,9\n");
    utimesSync(other, EXPORTED_AT, EXPORTED_AT);
    renameSync(other, file);
    expect(run().sha256(file)).toBe(sha("9,9,9\n"));
    expect(reads).toHaveLength(1);
  });

  it("hashes again a file that grew, and a file another path names", () => {
    const file = join(dir, "a.csv");
    firstRun(file, "1,2,3\n");
    appendFileSync(file, "4,5,6\n");
    const again = run();
    expect(again.sha256(file)).toBe(sha("1,2,3\n4,5,6\n"));
    const copy = join(dir, "copy.csv");
    writeFileSync(copy, "1,2,3\n4,5,6\n");
    expect(again.sha256(copy)).toBe(sha("1,2,3\n4,5,6\n"));
    expect(reads).toHaveLength(2);
  });

  it("does not remember a file changed just before it was hashed (its next change could leave its times as they are)", () => {
    const file = join(dir, "a.csv");
    writeFileSync(file, "1,2,3\n");
    const first = run(60_000); // the file changed less than a minute ago
    first.sha256(file);
    first.save();
    run(60_000).sha256(file);
    expect(reads).toHaveLength(2);
  });

  it("keeps only the files of the last run, and hashes everything again when the memo is damaged", () => {
    const a = join(dir, "a.csv");
    const b = join(dir, "b.csv");
    writeFileSync(b, "b\n");
    firstRun(a, "a\n");
    const second = run();
    second.sha256(b); // a not asked for this time
    second.save();
    reads = [];
    const third = run();
    third.sha256(a);
    third.sha256(b);
    expect(reads).toEqual([a]);
    for (const damaged of [
      "{",
      JSON.stringify({ format: 1, files: [{ path: a }] }),
      JSON.stringify({ format: 2, files: [] })
    ]) {
      writeFileSync(memo, damaged);
      reads = [];
      expect(run().sha256(b)).toBe(sha("b\n"));
      expect(reads).toEqual([b]);
    }
  });

  it("fails as reading would when the file is gone", () => {
    const file = join(dir, "a.csv");
    firstRun(file, "1\n");
    rmSync(file);
    expect(() => run().sha256(file)).toThrow(/ENOENT/);
  });
});

describe("runIngest with the checksums remembered", () => {
  it(
    "reads none of the exports it already holds, and takes one changed in place as new",
    async () => {
      const codebook = loadCodebook(MINI.codebook);
      const roster = loadRoster(MINI.roster);
      const store = join(dir, "store");
      const a = writeWjxCsv(dir, "2019年问卷_第1批.csv", TEXT_HEADER, cadres(12).map(textRow));
      const b = writeWjxCsv(dir, "2019年问卷_第2批.csv", TEXT_HEADER, cadres(24).slice(12).map(textRow));
      utimesSync(a, EXPORTED_AT, EXPORTED_AT);
      pause();
      const ingest = async () => {
        const checksums = run();
        const { files } = await runIngest(await openDuckDB(), { files: [a, b], codebook, roster, store, checksums });
        return { files: files.map((f) => [f.status, f.accepted]), hashed: checksums.hashed };
      };
      expect(await ingest()).toEqual({
        files: [
          ["new", 12],
          ["new", 12]
        ],
        hashed: 2
      });
      reads = [];
      expect(await ingest()).toEqual({
        files: [
          ["already_ingested", 0],
          ["already_ingested", 0]
        ],
        hashed: 0
      });
      expect(reads).toEqual([]);
      // one answer changed in place (a digit for a digit: the same size) and the file's time set back
      const text = readFileSync(a, "utf8");
      const changed = text.replace(/,5,/, ",4,");
      expect(changed).not.toBe(text);
      writeFileSync(a, changed);
      utimesSync(a, EXPORTED_AT, EXPORTED_AT);
      const third = await ingest();
      expect(third.hashed).toBe(1);
      expect(third.files[0][0]).toBe("new");
      expect(third.files[1]).toEqual(["already_ingested", 0]);
    },
    INGEST_TIMEOUT
  );
});
