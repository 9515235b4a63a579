// A process that takes a lock `rounds` times, as fast as it can, and logs when it holds it: `+pid` on taking and
// `-pid` before releasing (test/refresh/lock.test.ts runs several at once and checks that no two ever held it).
// node --import tsx test/helpers/lock-contender.ts LOCK LOG ROUNDS
import { appendFileSync } from "node:fs";
import { acquireLock, LockHeldError } from "../../pipeline/io/lock.ts";

const [lockPath, logPath, rounds] = process.argv.slice(2);
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
for (let round = 0; round < Number(rounds); round++) {
  for (;;) {
    try {
      const lock = acquireLock(lockPath);
      appendFileSync(logPath, `+${process.pid}\n`);
      pause(2);
      appendFileSync(logPath, `-${process.pid}\n`);
      lock.release();
      break;
    } catch (e) {
      if (!(e instanceof LockHeldError)) throw e;
      pause(1);
    }
  }
}
