// npm run dev  → node pipeline/cli/run.mjs site preview (prepare the store, then Framework's preview server)
// npm run build → node pipeline/cli/run.mjs site build  (prepare the store, build beside dist/, audit, then swap it in)
// After `observable build`, every roster unit gets its page and data file from the one unit template Framework built
// (pipeline/site/unit-reports.ts), so that the audit reads them with the rest.
// A build is published into dist/ only when the disclosure audit (pipeline/publish/gate.ts) finds nothing; otherwise
// dist/ stays as it was and the command exits 7 naming what could identify respondents.
// Telemetry is always off: many users are on isolated networks, and the site must not call home.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { BUILD_LOCK, PROJECT_ROOT } from "../io/config.ts";
import { projectAuditContext, refusal } from "../publish/gate.ts";
import { auditPublished, auditSummary, startAuditBeside, type RunningAudit } from "../publish/audit-beside-build.ts";
import { withLock } from "../io/lock.ts";
import { withSharedDuckdbMemory } from "../io/duckdb.ts";
import { LoaderCache } from "../refresh/loader-cache.ts";
import { DataFileFailure, filesOfPass, writeDataFiles } from "../refresh/data-pass.ts";
import { writeUnitReports } from "../site/unit-reports.ts";
import { writeProvenanceManifest } from "../site/provenance.ts";
import { prepareStore } from "../site/prepare.ts";
import { BUILD_EXIT } from "../io/exit-codes.ts";

const [command = "build", ...rest] = process.argv.slice(2);
if (command !== "build" && command !== "preview") {
  console.error("用法：npm run build|dev [-- observable 参数…]（node pipeline/cli/run.mjs site build|preview）");
  process.exit(BUILD_EXIT.config);
}

const prepared = await prepareStore();
if (prepared !== BUILD_EXIT.ok) process.exit(prepared);

// Framework reuses any cached loader output whatever changed in the data or the modules a loader imports, so the
// cache is keyed on content (pipeline/refresh/loader-cache.ts): outputs whose key no longer holds are deleted, then
// every data file whose key does not hold is computed here, in this process, from one opened store, and written into
// Framework's cache (data-pass.ts), so Framework starts no loader process for them (the units archive excepted).
// Builds take turns (Framework's loader cache is per tree); the preview server only holds the lock while it starts.
const dist = process.env.YIPANQI_DIST ?? join(PROJECT_ROOT, "dist");
// The build goes beside dist/ first; dist/ is replaced only by an audited build.
const staging = join(dirname(dist), `.${basename(dist)}.building-${process.pid}`);
let child: ChildProcess | undefined;
/** Every unit's data file, made by the one pass for the build to write beside the unit template. */
let unitReports: [string, string][] | undefined;
/** The audit of what the build will publish, run beside Framework's build (audit-beside-build.ts). */
const auditContext = command === "build" ? projectAuditContext() : undefined;
let beside: RunningAudit | undefined;
const code = await withLock(BUILD_LOCK, async () => {
  const cache = new LoaderCache(PROJECT_ROOT);
  cache.invalidate();
  try {
    const pass = await writeDataFiles(cache, { unitReports: command === "build" });
    unitReports = pass.unitReports;
    if (auditContext) beside = startAuditBeside(filesOfPass(cache, pass), auditContext);
    console.error(
      `数据文件：一次计算 ${pass.made.length} 个，输入未变沿用 ${pass.reused.length} 个，用时 ${(pass.ms / 1000).toFixed(1)} 秒` +
        (unitReports
          ? `（其中各单位的数据文件 ${unitReports.length} 个，${(pass.unitReportsMs / 1000).toFixed(1)} 秒）`
          : "")
    );
  } catch (e) {
    console.error(e instanceof DataFileFailure ? e.message : `数据文件生成失败：${(e as Error).message}`);
    return BUILD_EXIT.dataFileFailed;
  }
  rmSync(staging, { recursive: true, force: true });
  child = spawn(join(PROJECT_ROOT, "node_modules/.bin/observable"), [command, ...rest], {
    cwd: PROJECT_ROOT,
    stdio: "inherit",
    env: {
      ...(command === "preview" ? withSharedDuckdbMemory(process.env) : process.env),
      OBSERVABLE_TELEMETRY_DISABLE: "true",
      ...(command === "build" ? { YIPANQI_DIST: staging } : {})
    }
  });
  if (command === "preview") return 0;
  return new Promise<number>((resolve) => child!.on("exit", (c, signal) => resolve(c ?? (signal ? 1 : 0))));
});
child?.on("exit", (c, signal) => process.exit(c ?? (signal ? 1 : 0)));
// The preview server never started: a data file failed (the message is out).
if (command === "preview" && code !== 0) process.exit(code);
if (command === "build") {
  if (code !== 0) rmSync(staging, { recursive: true, force: true });
  process.exit(code === 0 ? await withUnitReports() : code);
}

/** Writes the unit reports into the staged build, then audits and publishes it. Returns the exit code. */
async function withUnitReports(): Promise<number> {
  const start = performance.now();
  try {
    const written = await writeUnitReports(staging, unitReports);
    console.error(
      `单位页面：${written.units} 个单位的页面和数据文件已写入（${((performance.now() - start) / 1000).toFixed(1)} 秒）`
    );
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    console.error(`构建失败：无法写入各单位的页面：${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  return publishAudited();
}

/**
 * Audits the staged build (taking the verdict of the audit beside the build when it read exactly the files the build
 * publishes); swaps it in as dist/ when nothing is found. Returns the exit code.
 */
async function publishAudited(): Promise<number> {
  const audit = await auditPublished(staging, auditContext!, beside);
  const { findings } = audit;
  console.error(auditSummary(audit));
  if (findings.length) {
    rmSync(staging, { recursive: true, force: true });
    console.error(refusal(findings));
    return BUILD_EXIT.auditRefused;
  }
  writeProvenanceManifest(staging);
  if (existsSync(dist)) rmSync(dist, { recursive: true, force: true });
  renameSync(staging, dist);
  console.error(`匿名保护检查通过；站点已写入 ${dist}`);
  return BUILD_EXIT.ok;
}
