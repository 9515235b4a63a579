// The refresh lock on Linux: a lock is held only by the very process that wrote it, not by whatever process has its
// pid now (pids are reused: after a reboot at once, otherwise when the counter wraps).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireLock, LockHeldError, processIdentity, withLock, type LockOwner } from "../../pipeline/io/lock.ts";
import { tempDir } from "../helpers/mini-exports.ts";

const ROOT = resolve(import.meta.dirname, "../..");
/** Six processes starting node with tsx at once: generous for a loaded 2-core machine. */
const SPAWN_TIMEOUT = 180_000;

/** Field 22 of /proc/<pid>/stat as awk splits it: right for a command name without spaces. */
const startTicksByAwk = (pid: number) =>
  Number(spawnSync("awk", ["{print $22}", `/proc/${pid}/stat`], { encoding: "utf8" }).stdout.trim());

const exited = (child: ChildProcess) => new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));

describe.runIf(process.platform === "linux")("the refresh lock: who holds it", () => {
  const dir = tempDir("yipanqi-lock-");
  const lockPath = join(dir, ".refresh.lock");
  const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  // Another live process, standing in for "the process that has the dead owner's pid now".
  let other: ChildProcess;
  beforeAll(() => {
    other = spawn("sleep", ["600"], { stdio: "ignore" });
  });
  afterAll(() => {
    other.kill("SIGKILL");
  });

  const writeLock = (owner: LockOwner) => writeFileSync(lockPath, JSON.stringify(owner));
  const takeOver = () => {
    const lock = acquireLock(lockPath);
    const written = JSON.parse(readFileSync(lockPath, "utf8"));
    lock.release();
    return { tookOverFrom: lock.tookOverFrom, written };
  };

  it("reads a process's start time as the kernel counts it, even when its name holds ') ' and spaces", async () => {
    expect(processIdentity(other.pid!)).toEqual({ boot, startTicks: startTicksByAwk(other.pid!) });
    const oddName = join(dir, "sleep) R 1 2 (x");
    copyFileSync("/bin/sleep", oddName);
    spawnSync("chmod", ["+x", oddName]);
    const odd = spawn(oddName, ["600"], { stdio: "ignore" });
    try {
      await new Promise((r) => odd.once("spawn", r));
      const stat = readFileSync(`/proc/${odd.pid}/stat`, "utf8");
      expect(stat).toContain("(sleep) R 1 2 (x)"); // the kernel's name is the file's (15 characters at most)
      const fieldsAfterName = stat.split("(sleep) R 1 2 (x) ")[1].split(" "); // field 3 onwards
      expect(processIdentity(odd.pid!)?.startTicks).toBe(Number(fieldsAfterName[22 - 3]));
      expect(processIdentity(odd.pid!)?.startTicks).toBeGreaterThanOrEqual(processIdentity(other.pid!)!.startTicks);
    } finally {
      odd.kill("SIGKILL");
    }
    await exited(odd);
    expect(processIdentity(odd.pid!)).toBeNull(); // gone (reaped by us)
  });

  it("records the writer's boot and start time, and refuses a second taker while the writer runs", () => {
    const held = acquireLock(lockPath);
    try {
      const written = JSON.parse(readFileSync(lockPath, "utf8"));
      expect(written).toMatchObject({ pid: process.pid, ...processIdentity(process.pid) });
      expect(written.boot).toBe(boot);
      expect(() => acquireLock(lockPath)).toThrow(LockHeldError);
    } finally {
      held.release();
    }
  });

  it("is held by a live process that is the one that wrote it", () => {
    writeLock({ pid: other.pid!, startedAt: "2026-12-07T08:00:00Z", ...processIdentity(other.pid!) });
    expect(() => acquireLock(lockPath)).toThrow(LockHeldError);
  });

  it("is taken over when the pid names a process started at another time (the writer is gone, its pid reused)", () => {
    const now = processIdentity(other.pid!)!;
    writeLock({ pid: other.pid!, startedAt: "2026-12-07T08:00:00Z", boot, startTicks: now.startTicks - 1 });
    const { tookOverFrom, written } = takeOver();
    expect(tookOverFrom).toBe(other.pid);
    expect(written.pid).toBe(process.pid);
  });

  it("is taken over when it was written before the machine rebooted, whatever runs under its pid now", () => {
    const now = processIdentity(other.pid!)!;
    writeLock({
      pid: other.pid!,
      startedAt: "2026-12-01T08:00:00Z",
      boot: "before-the-reboot",
      startTicks: now.startTicks
    });
    expect(takeOver().tookOverFrom).toBe(other.pid);
  });

  it("trusts the pid of a lock written before locks named their process (a live pid holds it)", () => {
    writeLock({ pid: other.pid!, startedAt: "2026-12-07T08:00:00Z" });
    expect(() => acquireLock(lockPath)).toThrow(LockHeldError);
    writeLock({ pid: 2 ** 22 + 1, startedAt: "2026-12-07T08:00:00Z" }); // above any pid_max: no such process
    expect(takeOver().tookOverFrom).toBe(2 ** 22 + 1);
  });

  it("waits for a lock file that has no owner yet (being written), and takes it over once it is old (cut short)", () => {
    for (const text of ['{"pid": 12', "null", '{"pid": "1"}', "[]"]) {
      writeFileSync(lockPath, text);
      expect(() => acquireLock(lockPath), text).toThrow(/正在取得锁/);
      const aMinuteAgo = new Date(Date.now() - 60_000);
      utimesSync(lockPath, aMinuteAgo, aMinuteAgo);
      expect(takeOver().tookOverFrom, text).toBe(-1);
    }
  });

  it("never takes over a lock written on another machine, whose processes this one cannot see", () => {
    writeLock({
      pid: 2 ** 22 + 1,
      startedAt: "2026-12-07T08:00:00Z",
      host: `not-${hostname()}`,
      boot: "x",
      startTicks: 1
    });
    expect(() => acquireLock(lockPath)).toThrow(/另一台机器 not-.* 上的进程 4194305 .*请删除锁文件/);
    rmSync(lockPath);
  });

  it("leaves nothing but the lock beside it, and releases only its own lock", () => {
    const held = acquireLock(lockPath);
    expect(readdirSync(dir).filter((f) => f.startsWith(".refresh.lock"))).toEqual([".refresh.lock"]);
    expect(JSON.parse(readFileSync(lockPath, "utf8")).host).toBe(hostname());
    // Judged stale and taken over by another process meanwhile (say, a clock or /proc gone wrong): not ours to remove.
    const theirs = JSON.stringify({ pid: other.pid!, startedAt: "2026-12-07T08:00:00Z" });
    writeFileSync(lockPath, theirs);
    held.release();
    expect(readFileSync(lockPath, "utf8")).toBe(theirs);
    rmSync(lockPath);
    // Removed by hand meanwhile: releasing it says nothing (it runs in the refresh's finally blocks).
    const removed = acquireLock(lockPath);
    rmSync(lockPath);
    expect(() => removed.release()).not.toThrow();
  });

  it("removes a takeover guard left by a taker that died holding it, but waits for a live one's", () => {
    const guard = `${lockPath}.takeover`;
    const stale = { pid: 2 ** 22 + 1, startedAt: "2026-12-07T08:00:00Z", host: hostname() };
    // A live taker's guard (this test's other process), just made: the lock is being taken over by it.
    writeLock(stale);
    writeFileSync(
      guard,
      JSON.stringify({
        pid: other.pid!,
        startedAt: "2026-12-07T08:00:00Z",
        host: hostname(),
        ...processIdentity(other.pid!)
      })
    );
    expect(() => acquireLock(lockPath)).toThrow(/其他进程正在接管锁文件.*\.takeover 长时间存在，请删除它/);
    // Old, but its owner runs here: a taker paused (SIGSTOP, a suspended VM) may still be about to remove the lock.
    const aMinuteAgo = new Date(Date.now() - 60_000);
    utimesSync(guard, aMinuteAgo, aMinuteAgo);
    expect(() => acquireLock(lockPath)).toThrow(/其他进程正在接管锁文件/);
    expect(existsSync(guard)).toBe(true);
    // The same guard, but older than any takeover lasts (a taker on another machine that died holding it).
    writeFileSync(
      guard,
      JSON.stringify({ pid: other.pid!, startedAt: "2026-12-07T08:00:00Z", host: `not-${hostname()}` })
    );
    utimesSync(guard, aMinuteAgo, aMinuteAgo);
    expect(takeOver().tookOverFrom).toBe(2 ** 22 + 1);
    expect(existsSync(guard)).toBe(false);
  });

  it("says once that it waits, and gives up at its deadline (withLock)", async () => {
    const held = acquireLock(lockPath);
    try {
      const waits: string[] = [];
      await expect(
        withLock(
          lockPath,
          async () => "got it",
          700,
          (e) => waits.push(e.message)
        )
      ).rejects.toBeInstanceOf(LockHeldError);
      expect(waits).toHaveLength(1);
      expect(waits[0]).toMatch(/另一个刷新正在运行（进程 \d+/);
    } finally {
      held.release();
    }
    // Any other lock (the store's, the build's) does not claim a refresh.
    const storeLock = join(dir, "store.lock");
    const store = acquireLock(storeLock);
    try {
      expect(() => acquireLock(storeLock)).toThrow(/另一个导入、刷新或构建正在运行（进程 \d+/);
    } finally {
      store.release();
    }
  });

  it(
    "is held by one process at a time when several take it at once, and take over the stale locks they leave",
    async () => {
      const log = join(dir, "holders.log");
      writeFileSync(log, "");
      writeLock({ pid: 2 ** 22 + 1, startedAt: "2026-12-07T08:00:00Z", host: hostname() }); // its owner gone
      const contenders = Array.from({ length: 6 }, () =>
        spawn(process.execPath, ["--import", "tsx", "test/helpers/lock-contender.ts", lockPath, log, "60"], {
          cwd: ROOT,
          stdio: ["ignore", "ignore", "pipe"]
        })
      );
      const codes = await Promise.all(
        contenders.map(
          (c) =>
            new Promise<[number | null, string]>((done) => {
              let err = "";
              c.stderr!.on("data", (d) => (err += d));
              c.on("close", (code) => done([code, err]));
            })
        )
      );
      expect(codes).toEqual(contenders.map(() => [0, ""]));
      const lines = readFileSync(log, "utf8").trim().split("\n");
      expect(lines).toHaveLength(6 * 60 * 2);
      // Every taking is followed by the same process's release, before anyone else takes it.
      for (let i = 0; i < lines.length; i += 2)
        expect([lines[i], lines[i + 1]]).toEqual([lines[i], `-${lines[i].slice(1)}`]);
      // The last round of each leaves a stale lock (odd rounds): nothing else is left beside it.
      expect(readdirSync(dir).filter((f) => f.startsWith(".refresh.lock"))).toEqual([".refresh.lock"]);
      expect(takeOver().tookOverFrom).toBe(2 ** 22 + 1);
    },
    SPAWN_TIMEOUT
  );
});
