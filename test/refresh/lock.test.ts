// The refresh lock on Linux: a lock is held only by the very process that wrote it, not by whatever process has its
// pid now (pids are reused: after a reboot at once, otherwise when the counter wraps).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireLock, LockHeldError, processIdentity, type LockOwner } from "../../pipeline/io/lock.ts";
import { tempDir } from "../helpers/mini-exports.ts";

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

  it("takes over a lock file that is cut short or not a lock's", () => {
    for (const text of ['{"pid": 12', "null", '{"pid": "1"}', "[]"]) {
      writeFileSync(lockPath, text);
      expect(takeOver().tookOverFrom, text).toBe(-1);
    }
  });
});
