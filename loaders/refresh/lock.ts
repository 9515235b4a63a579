// One refresh at a time: a lock file created exclusively (O_EXCL) holding the owner's pid and start time.
// A lock whose process is gone (killed, crashed, machine rebooted) is stale and taken over, so a SIGKILL never
// blocks the next scheduled refresh.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";

export class LockHeldError extends Error {
  constructor(readonly path: string, readonly owner: { pid: number; startedAt: string }) {
    super(`另一个刷新正在运行（进程 ${owner.pid}，开始于 ${owner.startedAt}）；锁文件 ${path}`);
    this.name = "LockHeldError";
  }
}

function alive(pid: number): boolean {
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

/** Takes the lock or throws LockHeldError; returns a release function and whether a stale lock was taken over. */
export function acquireLock(path: string): { release: () => void; tookOverFrom: number | null } {
  let tookOverFrom: number | null = null;
  mkdirSync(dirname(path), { recursive: true });
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
      if (owner.pid > 0 && alive(owner.pid)) throw new LockHeldError(path, owner);
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

/** Held by every writer of a store (ingest, refresh): committing and sweeping leftovers must never overlap. */
export function storeLockPath(store: string): string {
  return `${store.replace(/\/+$/, "")}.lock`;
}
