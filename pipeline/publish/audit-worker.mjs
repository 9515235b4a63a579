// The audit's worker thread where the project runs through tsx (tests, `tsx pipeline/cli/*.ts`): a worker does not
// inherit the loader that runs the project's TypeScript, so this loads audit-worker.ts through tsx's API. A run from
// pipeline/cli/run.mjs starts the bundle of audit-worker.ts instead.
import { tsImport } from "tsx/esm/api";

await tsImport("./audit-worker.ts", import.meta.url);
