// The lock on a file system without hard links (FAT, exFAT, some network and object-storage mounts), where link(2)
// fails with EPERM: the lock is then created with O_EXCL and written, and still excludes a second taker.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { acquireLock, LockHeldError } from "../../pipeline/io/lock.ts";
import { tempDir } from "../helpers/mini-exports.ts";

vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const linkSync = () => {
    throw Object.assign(new Error("EPERM: operation not permitted, link"), { code: "EPERM" });
  };
  return { ...fs, default: { ...fs, linkSync }, linkSync };
});

describe("the lock where the file system has no hard links", () => {
  it("is taken, excludes a second taker, leaves nothing beside it and is released", () => {
    const dir = tempDir("yipanqi-lock-nolink-");
    const lockPath = join(dir, ".refresh.lock");
    const held = acquireLock(lockPath);
    expect(JSON.parse(readFileSync(lockPath, "utf8")).pid).toBe(process.pid);
    expect(() => acquireLock(lockPath)).toThrow(LockHeldError);
    expect(readdirSync(dir)).toEqual([".refresh.lock"]);
    held.release();
    expect(readdirSync(dir)).toEqual([]);
  });
});
