// One refresh at a time: a lock file created exclusively (a hard link, which fails if the name exists) holding the
// owner's pid and start time.
// A lock whose process is gone (killed, crashed, machine rebooted) is stale and taken over, so a SIGKILL never
// blocks the next scheduled refresh. A pid alone does not say the process is gone: pids are reused (after a reboot
// the low ones at once, and the counter wraps at /proc/sys/kernel/pid_max), so the lock also records which boot and
// which start time the pid had; another process now under that pid does not hold the lock.
import { linkSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { z } from "zod";

export class LockHeldError extends Error {
  constructor(
    readonly path: string,
    readonly owner: LockOwner
  ) {
    super(`另一个刷新正在运行（进程 ${owner.pid}，开始于 ${owner.startedAt}）；锁文件 ${path}`);
    this.name = "LockHeldError";
  }
}

/** Who wrote a lock file. `boot` and `startTicks` are missing where /proc is not (not Linux), and in older locks. */
const LockOwnerSchema = z.object({
  pid: z.number().int(),
  startedAt: z.string(),
  boot: z.string().optional(),
  startTicks: z.number().int().optional()
});
export type LockOwner = z.infer<typeof LockOwnerSchema>;

/**
 * Which process a pid names now: the boot (its random id) and the process's start time in clock ticks since that
 * boot. The pair never names two processes. Null where /proc does not say (not Linux) or the process is gone.
 */
export function processIdentity(pid: number): { boot: string; startTicks: number } | null {
  try {
    const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // After the command name in parentheses (which may hold spaces): field 3, the state, onwards; 22 is starttime.
    const startTicks = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[22 - 3]);
    return Number.isSafeInteger(startTicks) ? { boot, startTicks } : null;
  } catch {
    return null;
  }
}

/** This process, as a lock file (or a staging folder) records its owner. */
export function thisProcess(): LockOwner {
  return { pid: process.pid, startedAt: new Date().toISOString(), ...processIdentity(process.pid) };
}

/** The owner a lock file records, or null for a file that is missing, cut short by a crash or not a lock's. */
export function readOwner(path: string): LockOwner | null {
  try {
    return LockOwnerSchema.parse(JSON.parse(readFileSync(path, "utf8")));
  } catch {
    return null;
  }
}

/** Whether the process that wrote a lock still runs: its pid is alive and, where the lock says, is that process. */
export function ownerRunning(owner: LockOwner): boolean {
  if (!(owner.pid > 0) || !processAlive(owner.pid)) return false;
  if (owner.boot === undefined || owner.startTicks === undefined) return true; // an older lock: the pid is all it says
  const now = processIdentity(owner.pid);
  return now === null || (now.boot === owner.boot && now.startTicks === owner.startTicks);
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

/** Takes the lock or throws LockHeldError; returns a release function and whether a stale lock was taken over. */
export function acquireLock(lockPath: string): { release: () => void; tookOverFrom: number | null } {
  let tookOverFrom: number | null = null;
  mkdirSync(dirname(lockPath), { recursive: true });
  const path = join(realPath(dirname(lockPath)), basename(lockPath)); // one lock file however its folder is reached
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // Written whole beside the lock, then linked to its name (which fails if it exists): a lock file is never seen
      // empty or half written, as one created with O_EXCL is until written, which a second taker would judge stale.
      const whole = `${path}.${process.pid}`;
      writeFileSync(whole, JSON.stringify(thisProcess()));
      try {
        linkSync(whole, path);
      } finally {
        rmSync(whole, { force: true });
      }
      return { release: () => rmSync(path, { force: true }), tookOverFrom };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const owner = readOwner(path) ?? { pid: -1, startedAt: "?" }; // a lock file cut short by a crash
      if (ownerRunning(owner)) throw new LockHeldError(path, owner);
      rmSync(path, { force: true });
      tookOverFrom = owner.pid;
    }
  }
  throw new Error(`无法获得锁 ${path}`);
}

/**
 * Runs `fn` holding the lock at `path`, waiting (polling) while another live process holds it. Used around every
 * build of this tree: Framework keeps one loader cache under src/.observablehq, so builds must take turns.
 */
export async function withLock<T>(path: string, fn: () => Promise<T>, timeoutMs = 30 * 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
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
