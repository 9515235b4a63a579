// The worker thread of audit-beside-build.ts. JavaScript, because a worker does not inherit the loader that runs the
// project's TypeScript (the tsx CLI's): it loads the audit through tsx's API, reads the files it is given, says which
// they were, audits them and posts the findings (auditGiven).
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

// Framework's build comes first (at 1 M, the build to the site published 8.7-9.0 s with this, 9.2-9.3 s without).
// On Linux a thread's nice value is its own, so only this thread yields; it cannot raise it back, which is why the
// main thread waits for it a bounded time only (audit-beside-build.ts · WORKER_WAIT_MS).
try {
  setPriority(10);
} catch {
  /* not allowed here: the audit runs at the usual priority */
}
const { auditGiven } = await tsImport("./audit-beside-build.ts", import.meta.url);
auditGiven(workerData.files, workerData.ctx, (message) => parentPort.postMessage(message));
