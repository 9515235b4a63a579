// The checksums of the inbox's files, remembered between ingests by what the file system says of each file, so that a
// refresh does not read again every export it already holds (at 1 M, 750 MB each refresh; at 10 M, 6.5 GB).
// A checksum is reused only while the file's device, inode, size, modification time and status-change time (ctime)
// are all as they were when its bytes were hashed. On the local file systems trusted here (ext2/3/4, xfs, btrfs,
// tmpfs, zfs, overlay) every write, truncation, hole punched or clone moves a file's ctime, and so does setting its
// modification time back; a file replaced by a rename has another inode. Elsewhere nothing is remembered and every
// file is hashed every time: network file systems may answer a stat from a cache, sshfs and other FUSE file systems
// report the modification time as the ctime, FAT has no ctime. What no stat can show (the second review): bytes
// changed through a shared memory map of the file after its first change there, which does not move its times again
// (no export is edited so, but a steward who edits one in place is told to delete the memo: docs/stewards.md); a
// crash on a file system mounted lazytime, which can lose a change's times but not its bytes; an overlay whose lower
// layer is a network file system. And:
// - the file is hashed through one open descriptor and remembered with that descriptor's stat, only when it is the
//   same before and after hashing (whatever the clock does): were the path switched to another file meanwhile, the
//   path's stat would not match it at the next run;
// - a file is remembered only when its ctime and modification time are older than the start of its hashing by
//   SETTLE_MS: not one changed just before (a change within the same tick of the file system's coarse clock would not
//   move its times), which is hashed again next time (like git's "racily clean" entries, against this machine's
//   clock);
// - the ingest forgets a file whose bytes, read to be ingested, turn out to have another checksum (ingest-batch.ts);
// - the memo is a cache: kept in the store's .cache folder (0700), read through its schema, and any doubt (a missing,
//   unreadable or malformed file, another format) means hashing everything again. Deleting it is always safe.
import { closeSync, existsSync, fstatSync, openSync, readFileSync, statfsSync, statSync } from "node:fs";
import type { BigIntStats } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import { sha256OfOpenFile } from "../io/trace.ts";
import { writeFileAtomic } from "./store.ts";

const FORMAT = 1;
/** How long before its hashing a file must have last changed for its checksum to be remembered. */
export const SETTLE_MS = 5_000;

/**
 * statfs(2) magic numbers of the file systems whose ctime moves with every change to a file (see the top of this file):
 * ext2/3/4, xfs, btrfs, tmpfs, zfs, overlay.
 */
const TRUSTED_FILE_SYSTEMS = new Set([0xef53, 0x58465342, 0x9123683e, 0x01021994, 0x2fc12fc1, 0x794c7630]);

/** Whether a file system, by its statfs(2) type, is one whose stat says when a file changed. */
export function trustedFileSystemType(type: number): boolean {
  return TRUSTED_FILE_SYSTEMS.has(type);
}

/** Whether the file system holding `file` is one whose stat says when a file changed. */
export function onTrustedFileSystem(file: string): boolean {
  try {
    return trustedFileSystemType(Number(statfsSync(file).type));
  } catch {
    return false;
  }
}

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
type Identity = Omit<Entry, "sha256">;
const MemoSchema = z.object({ format: z.literal(FORMAT), files: z.array(EntrySchema) });

export function fileChecksumsPath(storeDir: string): string {
  return join(storeDir, ".cache", "file-checksums.json");
}

/** What must be unchanged for a checksum to hold (bigint stat: nanosecond times; as strings, for JSON). */
function identity(path: string, s: BigIntStats): Identity {
  return {
    path,
    dev: String(s.dev),
    ino: String(s.ino),
    size: String(s.size),
    mtimeNs: String(s.mtimeNs),
    ctimeNs: String(s.ctimeNs)
  };
}

const sameIdentity = (a: Identity, b: Identity) =>
  a.path === b.path &&
  a.dev === b.dev &&
  a.ino === b.ino &&
  a.size === b.size &&
  a.mtimeNs === b.mtimeNs &&
  a.ctimeNs === b.ctimeNs;

export interface FileChecksumOptions {
  /** Hashes an open file (default sha256OfOpenFile): replaced in tests, to count what is read. */
  hash?: (fd: number) => string;
  /** SETTLE_MS unless given (tests, whose files were all just written). */
  settleMs?: number;
  /** Whether a file's stat can be trusted (default onTrustedFileSystem). */
  trusted?: (file: string) => boolean;
  /** The real-time clock, in ms (default Date.now): tests make it step. */
  now?: () => number;
}

/** The sha256 of files, remembered by their stat between runs (see the top of this file). */
export class FileChecksums {
  private readonly remembered = new Map<string, Entry>();
  private readonly seen = new Map<string, Entry>();
  private readonly hash: (fd: number) => string;
  private readonly trusted: (file: string) => boolean;
  private readonly settleNs: bigint;
  private readonly now: () => number;
  /** How many files were hashed (the rest were remembered). */
  hashed = 0;
  /** How many checksums the memo held when read. */
  private readonly loaded: number;

  constructor(
    private readonly memoFile: string | null,
    options: FileChecksumOptions = {}
  ) {
    this.hash = options.hash ?? sha256OfOpenFile;
    this.trusted = options.trusted ?? onTrustedFileSystem;
    this.settleNs = BigInt(options.settleMs ?? SETTLE_MS) * 1_000_000n;
    this.now = options.now ?? Date.now;
    for (const entry of memoFile ? readMemo(memoFile) : []) this.remembered.set(entry.path, entry);
    this.loaded = this.remembered.size;
  }

  /** The file's sha256: remembered when its stat says it is unchanged, hashed otherwise. Throws what stat or read do. */
  sha256(file: string): string {
    const path = resolve(file);
    const known = this.remembered.get(path);
    if (known && sameIdentity(known, identity(path, statSync(file, { bigint: true }))) && this.trusted(file)) {
      this.seen.set(path, known);
      return known.sha256;
    }
    this.remembered.delete(path); // whatever it said no longer holds
    const fd = openSync(file, "r");
    try {
      const before = identity(path, fstatSync(fd, { bigint: true }));
      const startedNs = BigInt(this.now()) * 1_000_000n; // the file system's times are the real-time clock's
      const sha256 = this.hash(fd);
      this.hashed++;
      const stat = fstatSync(fd, { bigint: true });
      const after = identity(path, stat);
      const lastChangeNs = stat.ctimeNs > stat.mtimeNs ? stat.ctimeNs : stat.mtimeNs;
      if (sameIdentity(before, after) && lastChangeNs < startedNs - this.settleNs && this.trusted(file))
        this.seen.set(path, { ...after, sha256 });
      else this.seen.delete(path);
      return sha256;
    } finally {
      closeSync(fd);
    }
  }

  /** Not to be remembered: its bytes, read again, had another checksum than this memo gave or computed. */
  forget(file: string): void {
    const path = resolve(file);
    this.seen.delete(path);
    this.remembered.delete(path);
  }

  /**
   * Keeps, for the next run, the checksums of the files asked for in this one, and those remembered before whose
   * files still exist (an ingest of one file does not make the next refresh read the whole inbox again). A store that
   * cannot be written keeps none.
   */
  save(): void {
    if (!this.memoFile) return;
    const kept = new Map(this.seen);
    for (const [path, entry] of this.remembered) if (!kept.has(path) && existsSync(path)) kept.set(path, entry);
    if (kept.size === 0 && this.loaded === 0) return; // nothing to keep or to forget
    try {
      writeFileAtomic(this.memoFile, JSON.stringify({ format: FORMAT, files: [...kept.values()] }));
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
