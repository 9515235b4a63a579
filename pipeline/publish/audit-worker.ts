// The worker thread of audit-beside-build.ts: reads each batch of files it is sent as it comes (AuditAsGiven), and at
// the end says which files it read and posts the findings over them. Started from the bundle pipeline/cli/run.mjs
// makes of it, or, where the project runs through tsx (tests, tsx pipeline/cli/*.ts), from audit-worker.mjs, which
// loads it through tsx's API.
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { AuditAsGiven, type AuditRequest } from "./audit-beside-build.ts";

// The pass and Framework's build come first (at 1 M, the build to the site published 8.7-9.0 s with this, 9.2-9.3 s
// without). On Linux a thread's nice value is its own, so only this thread yields; it cannot raise it back, which is
// why the main thread waits for it a bounded time only (audit-beside-build.ts · WORKER_WAIT_MS).
try {
  setPriority(10);
} catch {
  /* not allowed here: the audit runs at the usual priority */
}
const port = parentPort;
if (!port) throw new Error("audit-worker.ts runs as a worker thread (audit-beside-build.ts · openAuditBeside)");
const audit = new AuditAsGiven();
// Messages sent while this module loaded wait in the port until this listener takes them, in order.
port.on("message", function take(request: AuditRequest) {
  if ("add" in request) return audit.add(request.add);
  audit.end(workerData.ctx, (message) => port.postMessage(message));
  port.off("message", take); // nothing more will come: the thread may end
});
