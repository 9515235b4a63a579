// One refresh at a time: a lock file created exclusively (O_EXCL) holding the owner's pid and start time.
// A lock whose process is gone (killed, crashed, machine rebooted) is stale and taken over, so a SIGKILL never
// blocks the next scheduled refresh.
import { closeSync, mkdirSync, openSync, readFileSync, realpathSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

export class LockHeldError extends Error {
  constructor(
    readonly path: string,
    readonly owner: { pid: number; startedAt: string }
  ) {
    super(`另一个刷新正在运行（进程 ${owner.pid}，开始于 ${owner.startedAt}）；锁文件 ${path}`);
    this.name = "LockHeldError";
  }
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
      const fd = openSync(path, "wx");
      writeSync(fd, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));
      closeSync(fd);
      return { release: () => rmSync(path, { force: true }), tookOverFrom };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      let owner: { pid: number; startedAt: string };
      try {
        owner = JSON.parse(readFileSync(path, "utf8"));
      } catch {
        owner = { pid: -1, startedAt: "?" }; // a lock file cut short by a crash
      }
      if (owner.pid > 0 && processAlive(owner.pid)) throw new LockHeldError(path, owner);
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
