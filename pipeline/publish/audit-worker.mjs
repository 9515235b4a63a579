// The worker thread of audit-beside-build.ts. JavaScript, because a worker does not inherit the loader that runs the
// project's TypeScript (the tsx CLI's): it loads the audit through tsx's API, audits the files it is given and posts
// its verdict ({ digest, findings }) back.
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

// Framework's build comes first: on Linux a thread's nice value is its own, so only this thread yields.
try {
  setPriority(10);
} catch {
  /* not allowed here: the audit runs at the usual priority */
}
const { auditGiven } = await tsImport("./audit-beside-build.ts", import.meta.url);
parentPort.postMessage(auditGiven(workerData.files, workerData.ctx));
