// The worker thread of audit-beside-build.ts. JavaScript, because a worker does not inherit the loader that runs the
// project's TypeScript (the tsx CLI's): it loads the audit through tsx's API, reads the files it is given, says which
// they were, audits them and posts the findings (auditGiven).
import { parentPort, workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

const { auditGiven } = await tsImport("./audit-beside-build.ts", import.meta.url);
auditGiven(workerData.files, workerData.ctx, (message) => parentPort.postMessage(message));
