// The inbox's checksums remembered between ingests (pipeline/store/file-checksums.ts): reused only while the file
// system says the file is unchanged, hashed again on any change to its bytes, whatever was done to hide it.
import { createHash } from "node:crypto";
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  statSync,
  utimesSync,
  writeFileSync
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadCodebook, loadRoster } from "../../pipeline/codebook/load.ts";
import { openDuckDB } from "../../pipeline/io/duckdb.ts";
import {
  FileChecksums,
  fileChecksumsPath,
  onTrustedFileSystem,
  trustedFileSystemType
} from "../../pipeline/store/file-checksums.ts";
import { sha256OfOpenFile } from "../../pipeline/io/trace.ts";
import { runIngest } from "../../pipeline/store/ingest-batch.ts";
import { readManifest } from "../../pipeline/store/store.ts";
import { MINI } from "../helpers/mini-exports.ts";
import { cadres, TEXT_HEADER, textRow, writeWjxCsv } from "../ingest/steward-exports.ts";

/** In-process ingests of a few small files, generous for a loaded machine. */
const INGEST_TIMEOUT = 60_000;

let dir: string;
let memo: string;
let reads: string[];
const sha = (text: string) => createHash("sha256").update(text).digest("hex");
/** Hashes an open file as the default does, noting which (Linux names an open descriptor's file in /proc). */
const countingHash = (fd: number) => {
  reads.push(readlinkSync(`/proc/self/fd/${fd}`));
  return sha256OfOpenFile(fd);
};
/** A run: the memo as the last one saved it; files written by the test are remembered (settle 0, after pause()). */
const run = (settleMs = 0, trusted = true) =>
  new FileChecksums(memo, { hash: countingHash, settleMs, trusted: () => trusted });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "yipanqi-checksums-"));
  memo = fileChecksumsPath(join(dir, "store"));
  reads = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A few milliseconds, longer than a tick of the kernel's coarse clock (10 ms at HZ=100), which stamps files: a file
 * just written then has a ctime before the hashing's clock, and a change after the pause another ctime.
 */
const pause = (ms = 25) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

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

// The cases below rely on the temporary folder's file system keeping a true ctime, as the code relies on the inbox's
// (they inject `trusted` so as to run on any of those): on another (sshfs, NFS…) they cannot hold and are skipped.
const TMP_TRUSTED = onTrustedFileSystem(tmpdir());

describe.skipIf(!TMP_TRUSTED)("FileChecksums", () => {
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

  it("does not remember a file changed just before it was hashed, even with an old modification time", () => {
    // as a copy keeping times leaves it (cp -p, unzip): only the ctime says the file just changed, and a next change
    // within the same tick of the file system's clock could leave its times as they are
    const file = join(dir, "a.csv");
    writeFileSync(file, "1,2,3\n");
    utimesSync(file, EXPORTED_AT, EXPORTED_AT);
    const first = run(60_000); // the file changed less than a minute ago
    first.sha256(file);
    first.save();
    run(60_000).sha256(file);
    expect(reads).toHaveLength(2);
  });

  it("neither remembers nor reuses a checksum on a file system whose stat is not trusted", () => {
    const file = join(dir, "a.csv");
    writeFileSync(file, "1,2,3\n");
    pause();
    const untrusted = run(0, false);
    untrusted.sha256(file);
    expect(untrusted.hashed).toBe(1);
    untrusted.save();
    expect(existsSync(memo)).toBe(false); // nothing to keep
    const trusted = run();
    trusted.sha256(file);
    trusted.save(); // remembered where trusted…
    const again = run(0, false);
    again.sha256(file); // …but not taken where not
    expect(again.hashed).toBe(1);
    expect(reads).toHaveLength(3);
    expect(trustedFileSystemType(0xef53)).toBe(true); // ext2/3/4
    expect(trustedFileSystemType(0x01021994)).toBe(true); // tmpfs
    for (const type of [0x6969, 0x65735546, 0xff534d42, 0xfe534d42, 0x4d44, 0x2011bab0, 0x01021997])
      expect(trustedFileSystemType(type), type.toString(16)).toBe(false); // nfs, fuse, cifs, smb2, vfat, exfat, 9p
    expect(onTrustedFileSystem("/proc/self/status")).toBe(false);
    expect(onTrustedFileSystem(join(dir, "missing.csv"))).toBe(false);
  });

  it("does not remember a file whose path was switched to another while it was hashed", () => {
    // the path a symbolic link, switched from one settled file to another while the first is hashed: what is
    // remembered must be the stat of the file hashed, which the path no longer names
    const file = join(dir, "a.csv");
    const first = join(dir, "first.csv");
    const second = join(dir, "second.csv");
    writeFileSync(first, "1,2,3\n");
    writeFileSync(second, "9,9,9\n");
    symlinkSync(first, file);
    pause();
    const switching = new FileChecksums(memo, {
      settleMs: 0,
      trusted: () => true,
      hash: (fd) => {
        const sha256 = countingHash(fd);
        const next = join(dir, "next.lnk");
        symlinkSync(second, next);
        renameSync(next, file); // the path now names the second file; both files settled long before
        return sha256;
      }
    });
    expect(switching.sha256(file)).toBe(sha("1,2,3\n"));
    switching.save();
    reads = [];
    expect(run().sha256(file)).toBe(sha("9,9,9\n"));
    expect(reads).toEqual([second]);
  });

  it("does not remember a file that changed while it was hashed", () => {
    const file = join(dir, "a.csv");
    writeFileSync(file, "1,2,3\n");
    utimesSync(file, EXPORTED_AT, EXPORTED_AT);
    // Settled before the hashing starts (a change within one tick of the file system's coarse clock leaves its times
    // as they were, so only a margin tells a change during the hashing: here 200 ms, in use SETTLE_MS)
    pause(300);
    const changing = new FileChecksums(memo, {
      settleMs: 200,
      trusted: () => true,
      hash: (fd) => {
        const sha256 = countingHash(fd);
        writeFileSync(file, "1,2,4\n"); // in place, the same size: the descriptor's file changed after its bytes were read
        utimesSync(file, EXPORTED_AT, EXPORTED_AT);
        pause(300); // a long hash: the change must be measured from the start of the hashing, not its end
        return sha256;
      }
    });
    expect(changing.sha256(file)).toBe(sha("1,2,3\n"));
    changing.save();
    reads = [];
    expect(run(200).sha256(file)).toBe(sha("1,2,4\n"));
    expect(reads).toEqual([file]);
  });

  it("does not remember a file that changed while it was hashed when the clock stepped back meanwhile", () => {
    // the clock read 10 s ahead when the hashing starts (then stepped back, as NTP or a resumed machine may): the
    // change during the hashing looks settled by the clock, and only the two stats of the descriptor tell
    const file = join(dir, "a.csv");
    writeFileSync(file, "1,2,3\n");
    utimesSync(file, EXPORTED_AT, EXPORTED_AT);
    pause();
    const stepping = new FileChecksums(memo, {
      settleMs: 5_000,
      trusted: () => true,
      now: () => Date.now() + 10_000,
      hash: (fd) => {
        const sha256 = countingHash(fd);
        writeFileSync(file, "1,2,4\n");
        utimesSync(file, EXPORTED_AT, EXPORTED_AT);
        return sha256;
      }
    });
    stepping.sha256(file);
    stepping.save();
    reads = [];
    expect(run().sha256(file)).toBe(sha("1,2,4\n"));
    expect(reads).toEqual([file]);
  });

  it("keeps the files of earlier runs while they exist, forgets on request, and ignores a damaged memo", () => {
    const a = join(dir, "a.csv");
    const b = join(dir, "b.csv");
    const c = join(dir, "c.csv");
    writeFileSync(b, "b\n");
    writeFileSync(c, "c\n");
    firstRun(a, "a\n");
    const second = run();
    second.sha256(b); // a not asked for this time: still remembered
    second.sha256(c);
    second.forget(c); // as the ingest does when the bytes it read had another checksum
    second.save();
    reads = [];
    const third = run();
    third.sha256(a);
    third.sha256(b);
    third.sha256(c);
    expect(reads).toEqual([c]);
    third.save();
    const fourth = run();
    fourth.sha256(b);
    rmSync(a); // remembered, not asked for, and gone: not kept
    fourth.save();
    expect(
      (JSON.parse(readFileSync(memo, "utf8")) as { files: { path: string }[] }).files.map((f) => f.path).sort()
    ).toEqual([b, c]);
    for (const damaged of [
      "{",
      JSON.stringify({ format: 1, files: [{ path: b }] }),
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

/** runIngest of `files` into the test's store, with the checksums of run(): the statuses and accepted rows. */
async function ingestWith(files: string[], checksums = run()) {
  const codebook = loadCodebook(MINI.codebook);
  const roster = loadRoster(MINI.roster);
  const store = join(dir, "store");
  const report = await runIngest(await openDuckDB(), { files, codebook, roster, store, checksums });
  return { files: report.files.map((f) => [f.status, f.accepted]), hashed: checksums.hashed };
}

/** The memo made to give a checksum nobody holds for each file it remembers, their stat unchanged. */
function falsifyMemo(): void {
  const saved = JSON.parse(readFileSync(memo, "utf8")) as { format: number; files: { sha256: string }[] };
  expect(saved.files.length).toBeGreaterThan(0);
  for (const f of saved.files) f.sha256 = "0".repeat(64);
  writeFileSync(memo, JSON.stringify(saved));
}

describe.skipIf(!TMP_TRUSTED)("runIngest with the checksums remembered", () => {
  it(
    "reads none of the exports it already holds, and takes one changed in place as new",
    async () => {
      const a = writeWjxCsv(dir, "2019年问卷_第1批.csv", TEXT_HEADER, cadres(12).map(textRow));
      const b = writeWjxCsv(dir, "2019年问卷_第2批.csv", TEXT_HEADER, cadres(24).slice(12).map(textRow));
      utimesSync(a, EXPORTED_AT, EXPORTED_AT);
      pause();
      const ingest = () => ingestWith([a, b]);
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
  it(
    "decides by the bytes it reads when a remembered checksum is wrong, and forgets it",
    async () => {
      const store = join(dir, "store");
      const a = writeWjxCsv(dir, "2019年问卷_第1批.csv", TEXT_HEADER, cadres(12).map(textRow));
      pause();
      const ingest = async () => (await ingestWith([a])).files;
      expect(await ingest()).toEqual([["new", 12]]);
      falsifyMemo();
      reads = [];
      expect(await ingest()).toEqual([["already_ingested", 0]]); // not ingested twice
      expect(readManifest(store).files).toHaveLength(1);
      expect(reads).toEqual([]); // the memo's checksum was used, then the file read to be ingested: its own decided
      reads = [];
      expect(await ingest()).toEqual([["already_ingested", 0]]);
      expect(reads).toEqual([a]); // forgotten: hashed again
    },
    INGEST_TIMEOUT
  );
  it(
    "does not stage twice in one batch an export whose copy came first, when its remembered checksum is wrong",
    async () => {
      const store = join(dir, "store");
      const copy = writeWjxCsv(dir, "2019年问卷_副本.csv", TEXT_HEADER, cadres(12).map(textRow));
      const original = join(dir, "2019年问卷.csv");
      writeFileSync(original, readFileSync(copy));
      pause();
      const first = run();
      first.sha256(original);
      first.save();
      falsifyMemo(); // a checksum nobody holds for the original
      expect((await ingestWith([copy, original])).files).toEqual([
        ["new", 12],
        ["already_ingested", 0]
      ]);
      expect(readManifest(store).files).toHaveLength(1);
    },
    INGEST_TIMEOUT
  );
});
