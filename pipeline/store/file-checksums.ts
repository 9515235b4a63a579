// The checksums of the inbox's files, remembered between ingests by what the file system says of each file, so that a
// refresh does not read again every export it already holds (at 1 M, 750 MB each refresh; at 10 M, 6.5 GB and 20 s).
// A checksum is reused only while the file's device, inode, size, modification time and status-change time (ctime)
// are all as they were when its bytes were hashed. No program can change a file's bytes without changing its ctime
// (writing sets it, and so does setting the modification time back; a file replaced by a rename has another inode),
// so a file whose five are unchanged has the bytes that were hashed. Two limits make that hold:
// - a file is remembered only when its stat is the same before and after hashing (it did not change meanwhile), and
//   when its ctime and modification time are older than the hashing by SETTLE_MS: a change within the same tick of
//   the file system's clock (coarse on some; on FAT the modification time has 2 s and the "ctime" is the creation)
//   would not move its times, so a file changed just before it was hashed is hashed again next time (git's "racily
//   clean" entries, handled the same way);
// - the memo is a cache: kept in the store's .cache folder (0700), read through its schema, and any doubt (a missing,
//   unreadable or malformed file, another format) means hashing everything again.
import { existsSync, readFileSync, statSync, type BigIntStats } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import { sha256File } from "../ingest/ingest-file.ts";
import { writeFileAtomic } from "./store.ts";

const FORMAT = 1;
/** How long before its hashing a file must have last changed for its checksum to be remembered. */
export const SETTLE_MS = 5_000;

const EntrySchema = z.object({
  path: z.string(),
  dev: z.string(),
  ino: z.string(),
  size: z.string(),
  mtimeNs: z.string(),
  ctimeNs: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/)
});
type Entry = z.infer<typeof EntrySchema>;
const MemoSchema = z.object({ format: z.literal(FORMAT), files: z.array(EntrySchema) });

export function fileChecksumsPath(storeDir: string): string {
  return join(storeDir, ".cache", "file-checksums.json");
}

/** What must be unchanged for a checksum to hold (bigint stat: nanosecond times; as strings, for JSON). */
function identity(path: string, s: BigIntStats): Omit<Entry, "sha256"> {
  return {
    path,
    dev: String(s.dev),
    ino: String(s.ino),
    size: String(s.size),
    mtimeNs: String(s.mtimeNs),
    ctimeNs: String(s.ctimeNs)
  };
}

const sameIdentity = (a: Omit<Entry, "sha256">, b: Omit<Entry, "sha256">) =>
  a.path === b.path &&
  a.dev === b.dev &&
  a.ino === b.ino &&
  a.size === b.size &&
  a.mtimeNs === b.mtimeNs &&
  a.ctimeNs === b.ctimeNs;

export interface FileChecksumOptions {
  /** Hashes a file (default sha256File): replaced in tests, to count what is read. */
  hash?: (file: string) => string;
  /** SETTLE_MS unless given (tests, whose files were all just written). */
  settleMs?: number;
}

/** The sha256 of files, remembered by their stat between runs (see the top of this file). */
export class FileChecksums {
  private readonly remembered = new Map<string, Entry>();
  private readonly seen = new Map<string, Entry>();
  private readonly hash: (file: string) => string;
  private readonly settleNs: bigint;
  /** How many files were hashed (the rest were remembered). */
  hashed = 0;

  constructor(
    private readonly memoFile: string | null,
    options: FileChecksumOptions = {}
  ) {
    this.hash = options.hash ?? sha256File;
    this.settleNs = BigInt(options.settleMs ?? SETTLE_MS) * 1_000_000n;
    for (const entry of memoFile ? readMemo(memoFile) : []) this.remembered.set(entry.path, entry);
  }

  /** The file's sha256: remembered when its stat says it is unchanged, hashed otherwise. Throws what stat or read do. */
  sha256(file: string): string {
    const path = resolve(file);
    const before = identity(path, statSync(path, { bigint: true }));
    const known = this.remembered.get(path);
    if (known && sameIdentity(known, before)) {
      this.seen.set(path, known);
      return known.sha256;
    }
    const startedNs = BigInt(Date.now()) * 1_000_000n; // the file system's times are the real-time clock's
    const sha256 = this.hash(path);
    this.hashed++;
    const after = identity(path, statSync(path, { bigint: true }));
    const lastChangeNs = BigInt(after.ctimeNs) > BigInt(after.mtimeNs) ? BigInt(after.ctimeNs) : BigInt(after.mtimeNs);
    if (sameIdentity(before, after) && lastChangeNs < startedNs - this.settleNs)
      this.seen.set(path, { ...after, sha256 });
    return sha256;
  }

  /** Keeps, for the next run, the checksums of the files asked for in this one. A store that cannot be written keeps none. */
  save(): void {
    if (!this.memoFile || (this.seen.size === 0 && this.remembered.size === 0)) return; // nothing to keep or forget
    try {
      writeFileAtomic(this.memoFile, JSON.stringify({ format: FORMAT, files: [...this.seen.values()] }));
    } catch {
      /* read-only store or full disk: the next run hashes again */
    }
  }
}

function readMemo(file: string): Entry[] {
  if (!existsSync(file)) return [];
  try {
    const parsed = MemoSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    return parsed.success ? parsed.data.files : [];
  } catch {
    return [];
  }
}
