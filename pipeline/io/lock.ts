// One refresh at a time: a lock file created exclusively (a hard link, which fails if the name exists) holding the
// owner's host, pid and start time.
// A lock whose process is gone (killed, crashed, machine rebooted) is stale and taken over, so a SIGKILL never
// blocks the next scheduled refresh. A pid alone does not say the process is gone: pids are reused (after a reboot
// the low ones at once, and the counter wraps at /proc/sys/kernel/pid_max), so the lock also records which boot and
// which start time the pid had; another process now under that pid does not hold the lock. A lock written on another
// machine (a store on a shared disk) is never taken over: this machine cannot see that machine's processes.
import { randomUUID } from "node:crypto";
import {
  linkSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
  type BigIntStats
} from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { z } from "zod";

export class LockHeldError extends Error {
  constructor(
    readonly path: string,
    readonly owner: LockOwner,
    readonly state: "running" | "elsewhere" | "being written" | "being taken over" = "running"
  ) {
    super(
      state === "elsewhere"
        ? `锁由另一台机器 ${owner.host} 上的进程 ${owner.pid} 持有（开始于 ${owner.startedAt}），本机无法判断它是否仍在运行；` +
            `若确认它已结束，请删除锁文件 ${path}`
        : state === "being written"
          ? `另一个进程正在取得锁（锁文件 ${path} 刚刚创建）`
          : state === "being taken over"
            ? `其他进程正在接管锁文件 ${path}；若 ${path}.takeover 长时间存在，请删除它`
            : `${basename(path) === ".refresh.lock" ? "另一个刷新" : "另一个导入、刷新或构建"}正在运行（进程 ${owner.pid}，` +
              `开始于 ${owner.startedAt}）；锁文件 ${path}`
    );
    this.name = "LockHeldError";
  }
}

/**
 * Who wrote a lock file. `host`, `boot` and `startTicks` are missing in locks written before they were recorded;
 * `boot` and `startTicks` also where /proc is not (not Linux).
 */
const LockOwnerSchema = z.object({
  pid: z.number().int(),
  startedAt: z.string(),
  host: z.string().optional(),
  boot: z.string().optional(),
  startTicks: z.number().int().optional()
});
export type LockOwner = z.infer<typeof LockOwnerSchema>;

/**
 * Which process a pid names now: the boot (its random id) and the process's start time in clock ticks since that
 * boot. With the pid, the pair names one process of one machine. Null where /proc does not say (not Linux) or the
 * process is gone.
 */
export function processIdentity(pid: number): { boot: string; startTicks: number } | null {
  try {
    const boot = bootId();
    if (boot === null) return null;
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // After the command name in parentheses (which may hold spaces): field 3, the state, onwards; 22 is starttime.
    const startTicks = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[22 - 3]);
    return Number.isSafeInteger(startTicks) ? { boot, startTicks } : null;
  } catch {
    return null;
  }
}

/** The random id of this boot of the machine, or null where /proc does not say (not Linux). */
function bootId(): string | null {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    return null;
  }
}

/** This process, as a lock file (or a staging folder) records its owner. */
export function thisProcess(): LockOwner {
  return { pid: process.pid, startedAt: new Date().toISOString(), host: hostname(), ...processIdentity(process.pid) };
}

/** The owner a lock file records, or null for a file that is missing, half written or not a lock's. */
export function readOwner(path: string): LockOwner | null {
  try {
    return LockOwnerSchema.parse(JSON.parse(readFileSync(path, "utf8")));
  } catch {
    return null;
  }
}

/**
 * Whether the process that wrote a lock still runs ("running"), is gone ("gone": the lock is stale), or ran on another
 * machine, whose processes this one cannot see ("elsewhere": never taken over).
 */
export function ownerState(owner: LockOwner): "running" | "gone" | "elsewhere" {
  if (owner.host !== undefined && owner.host !== hostname()) return "elsewhere";
  // Written before this machine last booted: gone, whatever has its pid now (even a process /proc hides from us).
  if (owner.boot !== undefined && bootId() !== null && owner.boot !== bootId()) return "gone";
  if (!(owner.pid > 0) || !processAlive(owner.pid)) return "gone";
  if (owner.boot === undefined || owner.startTicks === undefined) return "running"; // an older lock: the pid is all
  const now = processIdentity(owner.pid);
  // Null: the process ended since processAlive, or /proc hides it (mounted with hidepid, another user's process).
  if (now === null) return processAlive(owner.pid) ? "running" : "gone";
  return now.boot === owner.boot && now.startTicks === owner.startTicks ? "running" : "gone";
}

/** Whether a lock's owner may still hold it: running here, or on another machine. */
export function ownerRunning(owner: LockOwner): boolean {
  return ownerState(owner) !== "gone";
}

/** Whether a process is running (not gone, not a zombie). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  // A killed process whose parent is gone stays a zombie until init reaps it (some container inits never do):
  // it still answers kill(0) but holds nothing. On Linux its state in /proc says so.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true; // no /proc (not Linux): trust kill(0)
  }
}

/**
 * A path with every symbolic link and `.`/`..` resolved, as far as it exists (a missing tail is kept as written):
 * the same folder reached as ./store, as /srv/data/store or through a symlink has one real path, hence one lock.
 */
export function realPath(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : join(realPath(parent), basename(absolute));
  }
}

/** Error codes of a file system without hard links (FAT, exFAT, some network and object-storage mounts). */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"]);

/**
 * Creates `path` holding `text` unless it exists; false if it does. Written whole under a name of its own, then linked
 * to `path`: a lock is never seen empty or half written (as one created with O_EXCL is until written, which another
 * taker would judge stale). Where the file system has no hard links, created with O_EXCL and written.
 */
function createExclusively(path: string, text: string): boolean {
  const whole = `${path}.${randomUUID()}.tmp`;
  try {
    writeFileSync(whole, text, { flag: "wx" });
    linkSync(whole, path);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    if (code === "EEXIST") return false;
    if (!NO_HARD_LINKS.has(code)) throw e;
    try {
      writeFileSync(path, text, { flag: "wx" });
      return true;
    } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw e2;
    }
  } finally {
    rmSync(whole, { force: true });
  }
}

function statOrNull(path: string): BigIntStats | null {
  try {
    return statSync(path, { bigint: true });
  } catch {
    return null;
  }
}

/**
 * A file as it was seen: its stat and its text. The stat alone cannot tell a lock from the one that replaced it: the
 * file system may give the new file the freed inode at once, and before Linux 6.13 the times tick every 1–10 ms.
 * The text can: every lock names its own process and start time.
 */
interface Seen {
  stat: BigIntStats;
  text: string;
}

/** A file's stat and text, or null if it is gone. */
function see(path: string): Seen | null {
  const stat = statOrNull(path);
  if (stat === null) return null;
  try {
    return { stat, text: readFileSync(path, "utf8") };
  } catch {
    return null;
  }
}

const sameFile = (a: Seen, b: Seen) =>
  a.stat.dev === b.stat.dev &&
  a.stat.ino === b.stat.ino &&
  a.stat.mtimeNs === b.stat.mtimeNs &&
  a.stat.ctimeNs === b.stat.ctimeNs &&
  a.text === b.text;

/** The owner a seen lock file records, or null when its text is not a lock's (half written, or cut short). */
function ownerOf(seen: Seen): LockOwner | null {
  try {
    return LockOwnerSchema.parse(JSON.parse(seen.text));
  } catch {
    return null;
  }
}

/** A lock file with no owner to read is being written (where there are no hard links) for this long at most. */
const BEING_WRITTEN_MS = 10_000;
/**
 * A takeover guard is held for microseconds: one this old, whose owner cannot be judged here, was left by a taker
 * that died holding it.
 */
const GUARD_ABANDONED_MS = 10_000;
const UNKNOWN_OWNER: LockOwner = { pid: -1, startedAt: "?" };

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Removes `path` if it is still the file `seen`: never one that replaced it meanwhile. */
function removeIfSame(path: string, seen: Seen): boolean {
  const now = see(path);
  if (now === null || !sameFile(now, seen)) return false;
  rmSync(path, { force: true });
  return true;
}

/** Removes `path` if it still holds `text` (what this process wrote). */
function removeIfOurs(path: string, text: string): void {
  let now: string;
  try {
    now = readFileSync(path, "utf8");
  } catch {
    return; // gone already: nothing of ours to remove
  }
  if (now === text) rmSync(path, { force: true });
}

/**
 * Removes the stale lock `stale` (its stat and text when judged), unless it was replaced meanwhile. Takers take turns
 * behind a guard file, and the one in turn removes the lock only if it is still the file judged stale: two takers of
 * one stale lock never both remove it (the second would remove the first's new lock). False if it removed nothing.
 */
function removeStale(path: string, stale: Seen): boolean {
  const guard = `${path}.takeover`;
  const mine = JSON.stringify(thisProcess());
  if (!createExclusively(guard, mine)) {
    // Another taker is at it (for microseconds), or died at it: a guard whose owner is gone is removed, and so is an
    // old one whose owner this machine cannot judge (unreadable, or on another machine), if it is still that file;
    // the caller tries again. An old guard of a live taker here stays: it may be paused (SIGSTOP, a suspended VM).
    const seen = see(guard);
    if (seen) {
      const owner = ownerOf(seen);
      const state = owner ? ownerState(owner) : null;
      const old = Date.now() - Number(seen.stat.mtimeMs) > GUARD_ABANDONED_MS;
      if (state === "gone" || ((state === null || state === "elsewhere") && old)) removeIfSame(guard, seen);
    }
    return false;
  }
  try {
    return removeIfSame(path, stale);
  } finally {
    removeIfOurs(guard, mine);
  }
}

/** Takes the lock or throws LockHeldError; returns a release function and whether a stale lock was taken over. */
export function acquireLock(lockPath: string): { release: () => void; tookOverFrom: number | null } {
  mkdirSync(dirname(lockPath), { recursive: true });
  const path = join(realPath(dirname(lockPath)), basename(lockPath)); // one lock file however its folder is reached
  const text = JSON.stringify(thisProcess());
  let tookOverFrom: number | null = null;
  for (let attempt = 0; attempt < 50; attempt++) {
    // Removed only while it is still this process's lock.
    if (createExclusively(path, text)) return { release: () => removeIfOurs(path, text), tookOverFrom };
    const lock = see(path);
    if (lock === null) continue; // released meanwhile
    const owner = ownerOf(lock);
    if (owner === null) {
      if (Date.now() - Number(lock.stat.mtimeMs) < BEING_WRITTEN_MS)
        throw new LockHeldError(path, UNKNOWN_OWNER, "being written");
      // no owner, and not being written: cut short by a crash (where there are no hard links)
    } else {
      const state = ownerState(owner);
      if (state !== "gone") throw new LockHeldError(path, owner, state);
    }
    if (removeStale(path, lock)) tookOverFrom = owner?.pid ?? -1;
    else sleepSync(20); // another taker's turn
  }
  throw new LockHeldError(path, UNKNOWN_OWNER, "being taken over");
}

/**
 * Runs `fn` holding the lock at `path`, waiting (polling) while another live process holds it, and saying so once
 * (`onWait`; by default on stderr). Used around every build of this tree (Framework keeps one loader cache under
 * src/.observablehq, so builds must take turns) and every writer of a store.
 */
export async function withLock<T>(
  path: string,
  fn: () => Promise<T>,
  timeoutMs = 30 * 60_000,
  onWait: (held: LockHeldError) => void = (held) => process.stderr.write(`${held.message}；等待它结束……\n`)
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    try {
      const { release } = acquireLock(path);
      try {
        return await fn();
      } finally {
        release();
      }
    } catch (e) {
      if (!(e instanceof LockHeldError) || Date.now() > deadline) throw e;
      if (!told) onWait(e); // once: a wait for another machine's lock may be long, and says what to delete
      told = true;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * Held by every writer of a store (ingest, refresh, dev/build): committing and sweeping leftovers must never overlap.
 * Beside the store's real path, so a store reached through a symlink or a relative path has the same lock.
 */
export function storeLockPath(store: string): string {
  return `${realPath(store)}.lock`;
}
