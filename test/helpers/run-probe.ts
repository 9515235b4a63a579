// Run as a command by test/refresh/run-bundled.test.ts, through pipeline/cli/run.mjs and through tsx: prints what the
// command sees (its arguments, its own address, the project root, the audit worker's script) and what a real audit
// worker started from it finds in one file without a contract; exits 7.
import { PROJECT_ROOT } from "../../pipeline/io/config.ts";
import { startAuditBeside, workerScript } from "../../pipeline/publish/audit-beside-build.ts";

const audit = startAuditBeside(
  { onDisk: [], inMemory: [{ path: "extra.json", text: "[1]" }] },
  { minGroupSize: 5, units: [], attributes: new Map() }
);
const findings = await audit.findings;
await audit.stop();
console.log(
  JSON.stringify({
    argv: process.argv.slice(1),
    metaUrl: import.meta.url,
    root: PROJECT_ROOT,
    worker: workerScript().href,
    findings: findings?.map((f) => [f.rule, f.file])
  })
);
process.exitCode = 7;
