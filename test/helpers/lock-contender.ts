// A process that takes a lock `rounds` times, as fast as it can, and logs when it holds it: `+pid` on taking and
// `-pid` before letting go (test/refresh/lock.test.ts runs several at once and checks that no two ever held it).
// Every other round it lets go as a killed process would: it leaves a lock whose owner is gone, which the others must
// take over (the guard and the check that the lock is still the file judged stale are what keep them apart then).
// node --import tsx test/helpers/lock-contender.ts LOCK LOG ROUNDS
import { appendFileSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { acquireLock, LockHeldError } from "../../pipeline/io/lock.ts";

const [lockPath, logPath, rounds] = process.argv.slice(2);
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const GONE = 2 ** 22 + 1; // above any pid_max: no such process
for (let round = 0; round < Number(rounds); round++) {
  for (;;) {
    try {
      const lock = acquireLock(lockPath);
      appendFileSync(logPath, `+${process.pid}\n`);
      pause(1);
      // Still this process's lock? Another taker that removed it would hold one of its own: two holders.
      const holder = JSON.parse(readFileSync(lockPath, "utf8")).pid;
      if (holder !== process.pid) process.stderr.write(`the lock is ${holder}'s while ${process.pid} holds it\n`);
      appendFileSync(logPath, `-${process.pid}\n`);
      if (round % 2 === 0) lock.release();
      else {
        const stale = `${lockPath}.${process.pid}.stale`;
        writeFileSync(stale, JSON.stringify({ pid: GONE, startedAt: new Date().toISOString(), host: hostname() }));
        renameSync(stale, lockPath);
      }
      break;
    } catch (e) {
      if (!(e instanceof LockHeldError)) throw e;
      pause(1);
    }
  }
}
