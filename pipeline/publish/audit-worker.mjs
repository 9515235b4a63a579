// The worker thread of audit-beside-build.ts. JavaScript, because a worker does not inherit the loader that runs the
// project's TypeScript (the tsx CLI's): it loads the audit through tsx's API, reads each batch of files it is sent as
// it comes (AuditAsGiven), and at the end says which files it read and posts the findings over them.
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

// The pass and Framework's build come first (at 1 M, the build to the site published 8.7-9.0 s with this, 9.2-9.3 s
// without). On Linux a thread's nice value is its own, so only this thread yields; it cannot raise it back, which is
// why the main thread waits for it a bounded time only (audit-beside-build.ts · WORKER_WAIT_MS).
try {
  setPriority(10);
} catch {
  /* not allowed here: the audit runs at the usual priority */
}
const { AuditAsGiven } = await tsImport("./audit-beside-build.ts", import.meta.url);
const audit = new AuditAsGiven();
// Messages sent while the modules above loaded wait in the port until this listener takes them, in order.
parentPort.on("message", function take(request) {
  if ("add" in request) return audit.add(request.add);
  audit.end(workerData.ctx, (message) => parentPort.postMessage(message));
  parentPort.off("message", take); // nothing more will come: the thread may end
});
