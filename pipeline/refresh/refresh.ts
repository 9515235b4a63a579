// npm run refresh: ingest what is new in the inbox, compute exactly the data files whose inputs changed (in this
// process, from one opened store: data-pass.ts), build into a new folder, and publish it in one atomic step. Safe to
// run unattended: a lock stops two at once, a failure at any point leaves the published site and the store as they
// were, and a refresh with nothing new does nothing.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { DataFileError, loadCodebook, loadRoster } from "../codebook/load.ts";
import { BUILD_LOCK, paths, PROJECT_ROOT } from "../io/config.ts";
import { closeDuckDB, openDuckDB } from "../io/duckdb.ts";
import { expandInputs, runIngest, type FileReport } from "../store/ingest-batch.ts";
import { projectAuditContext, refusal } from "../publish/gate.ts";
import type { AuditContext, Finding } from "../publish/audit.ts";
import { auditPublished, auditSummary, openAuditBeside, type RunningAudit } from "../publish/audit-beside-build.ts";
import { writeProvenanceManifest } from "../site/provenance.ts";
import { writeUnitReports } from "../site/unit-reports.ts";
import { pruneQueryCache, queryCacheStats } from "../db/query-cache.ts";
import { readManifest } from "../store/store.ts";
import { ARCHIVE, LoaderCache, readTraces } from "./loader-cache.ts";
import { DataFileFailure, writeDataFiles, type DataPass } from "./data-pass.ts";
import { acquireLock, LockHeldError, storeLockPath, withLock } from "../io/lock.ts";
import { currentBuild, newBuildDir, publish, siteLayout, type SiteLayout } from "./site-link.ts";
import {
  pageSourcesNow,
  projectSourceFiles,
  recordablePageSources,
  recordedPageSources,
  swapDataFiles,
  SwapRefused,
  type PageSources
} from "../site/data-swap.ts";
import { sha256Of } from "../io/trace.ts";

import { REFRESH_EXIT } from "../io/exit-codes.ts";

export { REFRESH_EXIT };

export interface RefreshOptions {
  inbox: string;
  siteRoot: string;
  logFile: string;
  /** Build even when nothing changed, and always with Framework (no data swap: data-swap.ts). */
  force?: boolean;
  /** Where each line of the log goes besides the log file. */
  echo?: (line: string) => void;
}

export interface RefreshResult {
  code: number;
  ingested: FileReport[];
  rerunLoaders: string[];
  reusedLoaders: string[];
  published: string | null;
  nothingNew: boolean;
}

/** Everything a build reads, hashed: data files, store manifest, pages, components, loaders, config and lockfile. */
export function siteFingerprint(): string {
  const p = paths();
  const hash = createHash("sha256");
  const add = (file: string) => existsSync(file) && hash.update(relative(PROJECT_ROOT, file)).update(sha256Of(file));
  for (const file of [p.codebook, p.roster, p.indicators, p.assessmentScores, join(p.store, "manifest.json")])
    add(file);
  for (const file of projectSourceFiles()) add(file);
  return hash.digest("hex");
}

function explain(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e.code === "ENOSPC") return `磁盘已满（${e.path ?? ""}）：请清理空间后重试`;
  if (e.code === "EACCES" || e.code === "EPERM" || e.code === "EROFS")
    return `没有写入权限（${e.path ?? ""}）：请检查目录权限`;
  if (e.code === "ENOTDIR") return `路径不是目录（${e.path ?? ""}）`;
  return e.message ?? String(error);
}

export async function refresh(options: RefreshOptions): Promise<RefreshResult> {
  const result: RefreshResult = {
    code: REFRESH_EXIT.ok,
    ingested: [],
    rerunLoaders: [],
    reusedLoaders: [],
    published: null,
    nothingNew: false
  };
  const log = (line: string) => {
    const stamped = `${new Date().toISOString()} ${line}`;
    try {
      mkdirSync(join(options.logFile, ".."), { recursive: true });
      appendFileSync(options.logFile, stamped + "\n");
    } catch {
      // the log is best effort; the echo still reaches the person or the journal
    }
    options.echo?.(stamped);
  };
  const p = paths();
  let lock;
  try {
    mkdirSync(p.dataDir, { recursive: true });
    lock = acquireLock(join(p.dataDir, ".refresh.lock"));
  } catch (e) {
    if (e instanceof LockHeldError) {
      log(`未刷新：${e.message}`);
      return { ...result, code: REFRESH_EXIT.locked };
    }
    log(`未刷新：无法建立锁文件：${explain(e)}`);
    return { ...result, code: REFRESH_EXIT.publishFailed };
  }
  if (lock.tookOverFrom !== null)
    log(
      lock.tookOverFrom > 0
        ? `上次刷新（进程 ${lock.tookOverFrom}）未正常结束，已接管其锁`
        : "上次刷新未正常结束（锁文件不完整），已接管其锁"
    );
  try {
    return await refreshLocked(options, result, log);
  } catch (e) {
    // The store's or the build's lock still held at withLock's deadline: what was ingested stays committed; nothing
    // is published, and the next refresh publishes it.
    if (!(e instanceof LockHeldError)) throw e;
    log(`未发布：等待锁超时：${e.message}；已发布的站点保持不变`);
    return { ...result, code: REFRESH_EXIT.locked };
  } finally {
    lock.release();
  }
}

async function refreshLocked(
  options: RefreshOptions,
  result: RefreshResult,
  log: (line: string) => void
): Promise<RefreshResult> {
  const p = paths();
  // A fresh clone: no export in the inbox and nothing in the store. A refresh publishes, so it never writes and
  // publishes the seeded sample (npm run dev/build do, to try the workspace): it says in one line what to put where.
  const inboxFiles = existsSync(options.inbox) ? expandInputs([options.inbox]) : [];
  if (inboxFiles.length === 0 && readManifest(p.store).files.every((f) => f.accepted === 0)) {
    log(
      `未刷新：收件箱 ${options.inbox} 中没有问卷导出文件，数据仓库也是空的：请把问卷星导出的 .xls/.xlsx/.csv 文件放进 ${options.inbox}/ 后再运行` +
        "（只想先看示例报告，请运行 npm run dev）"
    );
    return { ...result, code: REFRESH_EXIT.config };
  }
  log(`阶段：导入 · 收件箱 ${options.inbox}`);
  if (!existsSync(options.inbox))
    log(`收件箱 ${options.inbox} 不存在：没有新文件可导入（数据仓库中已有的答卷照常构建）`);
  let codebook, roster;
  try {
    codebook = loadCodebook(p.codebook);
    roster = existsSync(p.roster) ? loadRoster(p.roster) : [];
  } catch (e) {
    if (!(e instanceof DataFileError)) throw e;
    log(`未刷新：码本或名册有误：${e.message}`);
    return { ...result, code: REFRESH_EXIT.config };
  }
  try {
    const conn = await openDuckDB();
    try {
      const report = await withLock(
        storeLockPath(p.store),
        () => runIngest(conn, { files: inboxFiles, codebook, roster, store: p.store }),
        undefined,
        waitingFor(log)
      );
      result.ingested = report.files.filter((f) => f.status !== "already_ingested");
    } finally {
      closeDuckDB(conn); // its buffers would otherwise stay beside the pass's own DuckDB until the process ends
    }
  } catch (e) {
    if (e instanceof LockHeldError) throw e; // the store's lock still held at the deadline: said by refresh()
    log(`未刷新：写入数据仓库失败，仓库保持原样：${explain(e)}`);
    return { ...result, code: REFRESH_EXIT.storeFailed };
  }
  for (const f of result.ingested) {
    if (f.status === "refused") log(`文件未导入：${f.file}：${f.errors[0]?.reason}`);
    else log(`已导入 ${f.file}：${f.wave} 年度，读取 ${f.rows} 行，接受 ${f.accepted} 行，隔离 ${f.quarantined} 行`);
  }
  const rejects = result.ingested.some((f) => f.status === "refused" || f.quarantined > 0);
  if (!result.ingested.length) log("收件箱中没有新文件");

  if (readManifest(p.store).files.every((f) => f.accepted === 0)) {
    log(`未构建：数据仓库中还没有任何答卷（收件箱 ${options.inbox} 中没有可导入的问卷导出文件）`);
    return { ...result, code: REFRESH_EXIT.config };
  }
  const layout = siteLayout(options.siteRoot);
  const fingerprint = siteFingerprint();
  const published = currentBuild(layout);
  const publishedFingerprint = (() => {
    try {
      return JSON.parse(readFileSync(join(published!, "manifest.json"), "utf8")).build?.fingerprint as string;
    } catch {
      return null;
    }
  })();
  if (!options.force && published && publishedFingerprint === fingerprint) {
    log(`没有新内容：数据、码本和页面都未变化，未重新构建；发布的站点仍是 ${relative(options.siteRoot, published)}`);
    return {
      ...result,
      nothingNew: true,
      published,
      code: rejects ? REFRESH_EXIT.publishedWithRejects : REFRESH_EXIT.ok
    };
  }

  // Builds of this tree take turns: Framework's loader cache is shared (a test run or `npm run build` may be going).
  return withLock(
    BUILD_LOCK,
    () => buildAndPublish(options, result, log, { fingerprint, rejects, layout }),
    undefined,
    waitingFor(log)
  );
}

/** A wait for a lock, said in the refresh's log (and so in data/refresh.log, with its time), not on stderr. */
const waitingFor = (log: (line: string) => void) => (held: LockHeldError) => log(`等待锁：${held.message}`);

interface BuildContext {
  fingerprint: string;
  rejects: boolean;
  layout: ReturnType<typeof siteLayout>;
}

/**
 * The one pass, the build, the audit and the publish. The disclosure audit starts first, in a worker that reads each
 * file the build will publish as the pass makes it (audit-beside-build.ts); it is stopped on every way out.
 */
async function buildAndPublish(
  options: RefreshOptions,
  result: RefreshResult,
  log: (line: string) => void,
  context: BuildContext
): Promise<RefreshResult> {
  const auditContext = projectAuditContext();
  const beside = openAuditBeside(auditContext);
  try {
    return await passBuildAndPublish(options, result, log, { ...context, auditContext, beside });
  } finally {
    await beside.stop();
  }
}

async function passBuildAndPublish(
  options: RefreshOptions,
  result: RefreshResult,
  log: (line: string) => void,
  {
    fingerprint,
    rejects,
    layout,
    auditContext,
    beside
  }: BuildContext & { auditContext: AuditContext; beside: RunningAudit }
): Promise<RefreshResult> {
  log("阶段：数据加载器 · 检查缓存");
  const cache = new LoaderCache(PROJECT_ROOT);
  const { rerun, kept } = cache.invalidate();
  log(
    `加载器缓存：${kept.length} 个输入未变，沿用；${rerun.length} 个需重新运行${rerun.length ? `：${rerun.join("、")}` : ""}`
  );
  // Every data file of the build from one opened store, in this process, before Framework (data-pass.ts).
  log("阶段：数据文件 · 一次打开数据仓库，计算全部数据文件");
  // The query results the pass reads or writes are touched from here on: those older belong to earlier data.
  const passStart = new Date();
  let pass: DataPass;
  try {
    pass = await writeDataFiles(cache, { unitReports: true, onFiles: beside.add });
  } catch (e) {
    const what = e instanceof DataFileFailure ? e.message : `数据文件生成失败：${explain(e)}`;
    log(`未发布：${what}；已发布的站点保持不变`);
    return { ...result, code: REFRESH_EXIT.buildFailed };
  }
  log(
    `数据文件：一次计算 ${pass.made.length} 个${pass.made.length ? `（${pass.made.join("、")}）` : ""}，` +
      `输入未变沿用 ${pass.reused.length} 个，用时 ${(pass.ms / 1000).toFixed(1)} 秒（打开数据仓库 ${(pass.openMs / 1000).toFixed(1)} 秒；` +
      `各单位的数据文件 ${pass.unitReports?.length ?? 0} 个，${(pass.unitReportsMs / 1000).toFixed(1)} 秒）`
  );
  // Where the pass's time went, for whoever must make it shorter (the bench reads this line at 10 M).
  const slowest = pass.files
    .filter((f) => f.made)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 3);
  if (slowest.length)
    log(`最费时的数据文件：${slowest.map((f) => `${f.target} ${(f.ms / 1000).toFixed(1)} 秒`).join("、")}`);
  // What the query cache saved: after one new wave, only that wave's results should be computed.
  log(
    `查询缓存：沿用 ${queryCacheStats.hits} 个结果、计算 ${queryCacheStats.misses} 个` +
      `（按年度物化的视图：沿用 ${queryCacheStats.viewHits} 个、计算 ${queryCacheStats.viewMisses} 个）`
  );

  // What the pages are made from besides the data: recorded with the build, for the next refresh to swap into.
  let pages: PageSources;
  try {
    pages = pageSourcesNow();
  } catch (e) {
    log(`未发布：无法读取页面和代码：${explain(e)}；已发布的站点保持不变`);
    return { ...result, code: REFRESH_EXIT.buildFailed };
  }
  let buildDir: string;
  try {
    buildDir = newBuildDir(layout);
    mkdirSync(buildDir, { recursive: true });
  } catch (e) {
    log(`未发布：无法创建构建目录：${explain(e)}；已发布的站点保持不变`);
    return { ...result, code: REFRESH_EXIT.publishFailed };
  }
  const traceDir = mkdtempSync(join(tmpdir(), "yipanqi-trace-"));
  log(`阶段：构建 · ${relative(options.siteRoot, buildDir)}`);
  // The worker has been told of every file the build will publish (it may still be reading the last): it now puts
  // them together while the pages are built.
  beside.end();
  let build: Awaited<ReturnType<typeof runBuild>>;
  let findings: Finding[];
  try {
    build = await swapOrBuild(buildDir, traceDir, { options, layout, cache, pass, pages }, log);
    if (build.code !== 0) {
      rmSync(buildDir, { recursive: true, force: true });
      rmSync(traceDir, { recursive: true, force: true });
      const cause = /ENOSPC|no space left/i.test(build.tail)
        ? "磁盘已满，请清理空间后重试"
        : /EACCES|EROFS|EPERM|permission denied/i.test(build.tail)
          ? "没有写入权限，请检查站点目录权限"
          : `退出码 ${build.code}`;
      log(`未发布：构建失败（${cause}）；已发布的站点保持不变。构建输出末尾：\n${build.tail}`);
      return { ...result, code: REFRESH_EXIT.buildFailed };
    }
    // Every roster unit's page and data file from the one unit template Framework built, before the audit reads them.
    try {
      const start = performance.now();
      const written = await writeUnitReports(buildDir, pass.unitReports);
      log(
        `单位页面：${written.units} 个单位的页面和数据文件已写入（${((performance.now() - start) / 1000).toFixed(1)} 秒）`
      );
    } catch (e) {
      rmSync(buildDir, { recursive: true, force: true });
      rmSync(traceDir, { recursive: true, force: true });
      log(`未发布：构建失败（无法写入各单位的页面：${explain(e)}）；已发布的站点保持不变`);
      return { ...result, code: REFRESH_EXIT.buildFailed };
    }
    const auditStart = performance.now();
    const audit = await auditPublished(buildDir, auditContext, beside);
    findings = audit.findings;
    const auditWait = ((performance.now() - auditStart) / 1000).toFixed(1);
    log(`${auditSummary(audit)}（构建后用时 ${auditWait} 秒）`);
  } finally {
    await beside.stop(); // at once, so that a failed build does not wait for it
  }
  if (findings.length) {
    rmSync(buildDir, { recursive: true, force: true });
    rmSync(traceDir, { recursive: true, force: true });
    log(`未发布：${refusal(findings)}\n已发布的站点保持不变`);
    return { ...result, code: REFRESH_EXIT.auditRefused };
  }
  log("匿名保护检查通过");
  // What was computed: the one pass's files and the loaders Framework ran; Framework reports the pass's files fresh.
  const made = pass.made.map((t) => `/${t}`);
  const ran = [...new Set([...made, ...build.ran])];
  const reused = build.reused.filter((t) => !made.includes(t));
  result.rerunLoaders = ran;
  result.reusedLoaders = reused;
  log(
    `数据加载器：重新运行 ${ran.length} 个${ran.length ? `（${ran.join("、")}）` : ""}，沿用缓存 ${reused.length} 个` +
      `（其中 ${made.length} 个由一次计算写出，${build.ran.length} 个由 Framework 作为加载器进程运行）`
  );
  cache.record(readTraces(traceDir, join(PROJECT_ROOT, "src")));
  rmSync(traceDir, { recursive: true, force: true });

  try {
    writeProvenanceManifest(buildDir, {
      build: {
        fingerprint,
        builtAt: new Date().toISOString(),
        rerunLoaders: ran,
        reusedLoaders: reused,
        pages: build.pages,
        madeBy: build.swappedFrom ? `the pages of ${build.swappedFrom}, its data files swapped` : "framework"
      }
    });
    log("阶段：发布");
    publish(layout, buildDir);
  } catch (e) {
    log(`未发布：${explain(e)}；已发布的站点保持不变`);
    return { ...result, code: REFRESH_EXIT.publishFailed };
  }
  result.published = buildDir;
  // Query results this refresh did not use belong to earlier states of the data (the pass touched those it read).
  // From the pass's start, not the build's: the pass runs before Framework, and pruning from the build's start threw
  // away every result it had just used, so a refresh after one new wave computed every wave again.
  if (ran.length) {
    const pruned = pruneQueryCache(paths().store, passStart);
    if (pruned) log(`查询缓存：清除 ${pruned} 个本次构建未用到的旧结果`);
  }
  log(`已发布 ${relative(options.siteRoot, buildDir)}（${layout.current} 指向它；上一版保留为 ${layout.previous}）`);
  return { ...result, code: rejects ? REFRESH_EXIT.publishedWithRejects : REFRESH_EXIT.ok };
}

interface Built {
  code: number;
  ran: string[];
  reused: string[];
  tail: string;
  /** The published build whose pages a data swap took (data-swap.ts), when Framework did not run. */
  swappedFrom?: string;
  /** What to record of the pages' sources (null: the next refresh cannot swap into this build). */
  pages?: PageSources | null;
}

/**
 * The pages of the new build: the published build's with the new data files swapped in, when its pages and code are
 * those of this tree and only the data changed (data-swap.ts; not with --force); Framework's build otherwise, or when
 * the swap is refused.
 */
async function swapOrBuild(
  buildDir: string,
  traceDir: string,
  {
    options,
    layout,
    cache,
    pass,
    pages
  }: { options: RefreshOptions; layout: SiteLayout; cache: LoaderCache; pass: DataPass; pages: PageSources },
  log: (line: string) => void
): Promise<Built> {
  const published = currentBuild(layout);
  const before = published ? recordedPageSources(published) : null;
  if (published && before && !options.force) {
    const start = performance.now();
    try {
      const swapped = swapDataFiles(
        published,
        buildDir,
        before,
        pages,
        pass.files.map((f) => ({ target: f.target, absolute: join(cache.cacheRoot, f.target) }))
      );
      log(
        `页面和代码未变，只换入新的数据文件：沿用 ${relative(options.siteRoot, published)} 的 ${swapped.pages} 个页面，` +
          `换入 ${swapped.files} 个数据文件，未运行 Framework（${((performance.now() - start) / 1000).toFixed(1)} 秒）`
      );
      // what Framework would have reported fresh: the files the pass kept
      const reused = pass.reused.map((t) => `/${t}`);
      return { code: 0, ran: [], reused, tail: "", swappedFrom: relative(options.siteRoot, published), pages };
    } catch (e) {
      log(`由 Framework 构建页面：${e instanceof SwapRefused ? e.message : `换入数据文件失败：${explain(e)}`}`);
      rmSync(buildDir, { recursive: true, force: true });
      mkdirSync(buildDir, { recursive: true });
    }
  }
  const built = await runBuild(buildDir, traceDir, log, options.echo);
  if (built.code !== 0) return built;
  const recorded = recordablePageSources(buildDir, pages);
  if (!recorded)
    log("页面中的页脚、横幅或打印日期与配置给出的文字不同（Framework 改写了它们）：下次刷新仍由 Framework 构建");
  return { ...built, pages: recorded };
}

/** Runs `observable build` into buildDir, taking turns with any other build of this tree (Framework's cache is shared). */
function runBuild(
  buildDir: string,
  traceDir: string,
  log: (line: string) => void,
  echo?: (line: string) => void
): Promise<Built> {
  return new Promise((resolve) => {
    const child = spawn(join(PROJECT_ROOT, "node_modules/.bin/observable"), ["build"], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        YIPANQI_DIST: buildDir,
        YIPANQI_TRACE_DIR: traceDir,
        OBSERVABLE_TELEMETRY_DISABLE: "true",
        NO_COLOR: "1",
        FORCE_COLOR: "0"
      },
      stdio: ["ignore", "pipe", "pipe"]
    });
    let output = "";
    let pending = "";
    // Framework's own progress goes to the echo (a person watching, the journal), not into the refresh log.
    const onData = (d: Buffer) => {
      output += d;
      pending += d;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) echo?.(`  │ ${line.replace(/\x1b\[[0-9;]*m/g, "")}`);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("close", (code, signal) => {
      // Framework logs "load /data/x.json → [missing] success" for a loader it ran, "[fresh]" for a cached output.
      const plain = output.replace(/\x1b\[[0-9;]*m/g, "");
      const loads = (status: RegExp) =>
        [...plain.matchAll(new RegExp(`load (\\S+) → \\[(?:${status.source})\\]`, "g"))].map((m) => m[1]);
      // Files extracted from an archive are reported with the archive's loader, not as loaders of their own.
      const stems = [
        ...new Set([...plain.matchAll(/load (\S+) →/g)].map((m) => m[1]).filter((f) => ARCHIVE.test(f)))
      ].map((f) => `${f.replace(ARCHIVE, "")}/`);
      const withoutMembers = (list: string[]) => list.filter((f) => !stems.some((s) => f.startsWith(s)));
      const ran = withoutMembers(loads(/missing|stale/));
      const reused = withoutMembers(loads(/fresh/));
      const lines = plain.trim().split("\n");
      const failed = lines.filter((l) => /\berror\b/i.test(l));
      if (failed.length) log(`构建中的错误：${failed.slice(0, 5).join(" | ")}`);
      resolve({
        code: code ?? (signal ? 128 : 1),
        ran: [...new Set(ran)],
        reused: [...new Set(reused)],
        tail: lines.slice(-15).join("\n")
      });
    });
  });
}
