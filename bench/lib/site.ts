// The refresh, the data loaders and the published pages, measured on the bench's data.
// The refresh runs in a private copy of the project tree (bench/.work/tree: src/, pipeline/ and the config, with
// node_modules linked), because Framework keeps one loader cache per tree and the refresh takes the tree's build lock:
// in the working tree a bench at 1 M would hold the lock for minutes and empty the cache under the developers' builds,
// and their builds would empty it under the incremental refresh. The copy runs exactly the same code.
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync } from "node:fs";
import { join, relative } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, waitForRender } from "../../pipeline/site/chromium.ts";
import { serveStatic } from "../../pipeline/site/serve.ts";
import { measureTransfers, type PageTransfer } from "../../pipeline/site/transfer.ts";
import { runMeasured, type Measured } from "./measure.ts";

export const PROJECT_ROOT = join(import.meta.dirname, "../..");

/** Copies what a build reads into `tree`, keeping Framework's bundle caches (_node, _npm) warm but no loader output. */
export function prepareTree(tree: string, root = PROJECT_ROOT): void {
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(tree, { recursive: true });
  const skip = /[/\\]\.observablehq[/\\](cache[/\\](data|yipanqi-loader-keys\.json)|build\.lock)/;
  cpSync(join(root, "src"), join(tree, "src"), { recursive: true, filter: (src) => !skip.test(src) });
  cpSync(join(root, "pipeline"), join(tree, "pipeline"), { recursive: true });
  for (const file of ["observablehq.config.ts", "package.json", "package-lock.json", "tsconfig.json"])
    cpSync(join(root, file), join(tree, file));
  symlinkSync(join(root, "node_modules"), join(tree, "node_modules"));
}

/** The environment of a step on the bench's data: YIPANQI_* pointing at it, node_modules/.bin on the PATH (as npm run does). */
export function benchEnv(
  tree: string,
  data: { dataDir: string; store?: string; inbox?: string; site?: string },
  extra: NodeJS.ProcessEnv = {}
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${join(tree, "node_modules/.bin")}:${process.env.PATH ?? ""}`,
    YIPANQI_DATA: data.dataDir,
    OBSERVABLE_TELEMETRY_DISABLE: "true",
    NO_COLOR: "1",
    ...extra
  };
  for (const [key, value] of [
    ["YIPANQI_STORE", data.store],
    ["YIPANQI_INBOX", data.inbox],
    ["YIPANQI_SITE", data.site]
  ] as const)
    if (value) env[key] = value;
    else delete env[key];
  for (const key of ["YIPANQI_CODEBOOK", "YIPANQI_DIST", "YIPANQI_TRACE_DIR", "YIPANQI_REFRESH_LOG"]) delete env[key];
  return env;
}

// ---------------------------------------------------------------------------------------------------------------------
// the refresh

export interface LoaderLine {
  /** the file Framework asked for, e.g. /data/sections/causes-scores.json */
  target: string;
  status: "missing" | "stale" | "fresh";
  ms: number;
  bytes: number;
}

export interface RefreshRun {
  measured: Measured;
  code: number | null;
  /** ms from the start of the process to each phase line of the refresh log */
  /** passMs: the one pass (every data file from one opened store, before Framework), from the refresh's own line */
  phases: { ingestMs: number | null; passMs: number | null; buildMs: number | null; publishMs: number | null };
  /** every data file of the build with the time Framework's loader took (0 when reused or extracted from an archive) */
  loaders: LoaderLine[];
  /** pages Framework rendered and the time they took altogether */
  pages: { count: number; ms: number };
  rerun: number;
  reused: number;
  /** the build's stages by the arrival of Framework's lines: pages parsed, loaders run, pages rendered (ms) */
  stages: { parseMs: number | null; loadersMs: number | null; renderMs: number | null };
  log: string[];
}

/** Wall time of the build's stages, from the arrival times of Framework's lines. */
export function buildStages(lines: readonly { ms: number; line: string }[]): RefreshRun["stages"] {
  const first = (re: RegExp) => lines.find((l) => re.test(l.line))?.ms ?? null;
  const last = (re: RegExp) => [...lines].reverse().find((l) => re.test(l.line))?.ms ?? null;
  const span = (a: number | null, b: number | null) => (a !== null && b !== null ? b - a : null);
  const parseStart = first(/│ load \/(?!data\/)\S* in \d+ms/);
  const parsed = first(/│ built \d+ pages in/);
  const loadersStart = first(/│ copy src\/data\//);
  const loadersEnd = last(/│ .*load \/data\/.*success/);
  return {
    parseMs: span(parseStart, parsed),
    loadersMs: span(loadersStart, loadersEnd),
    renderMs: span(first(/│ render \//), last(/│ render \//))
  };
}

const SIZE_UNITS: Record<string, number> = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9 };

/** Reads Framework's build output (echoed by the refresh) into loader and page timings. */
export function parseBuildLines(lines: readonly string[]): {
  loaders: LoaderLine[];
  pages: { count: number; ms: number };
} {
  const loaders: LoaderLine[] = [];
  let pages = 0;
  let pageMs = 0;
  for (const raw of lines) {
    const line = raw.replace(/\x1b\[[0-9;]*m/g, "");
    const page = /load (\/[^\s]*) in (\d+)ms/.exec(line);
    if (page && !page[1].startsWith("/data/")) {
      pages++;
      pageMs += Number(page[2]);
    }
    // "copy src/data/x.json → load /data/x.json → [missing] (load /data/x.tar → [fresh] )success 4.63 kB in 1313ms"
    const m =
      /load (\/data\/\S+) → \[(missing|stale|fresh)\](?: load (\/data\/\S+) → \[(missing|stale|fresh)\])? success ([\d.]+) (B|kB|MB|GB) in (\d+)ms/.exec(
        line
      );
    if (!m) continue;
    const [, file, status, archive, archiveStatus, size, unit, ms] = m;
    const target = archive ?? file;
    const st = (archive ? archiveStatus : status) as LoaderLine["status"];
    if (archive && loaders.some((l) => l.target === archive)) continue; // one line per archive member: the archive ran once
    loaders.push({ target, status: st, ms: Number(ms), bytes: archive ? 0 : Number(size) * SIZE_UNITS[unit] });
  }
  return { loaders, pages: { count: pages, ms: pageMs } };
}

/**
 * The data loader whose failure stopped a build (Framework stops at the first), with how long it ran and why. The
 * loader's own error output (a heap dump) may come between Framework's "load /data/x → [missing]" and its
 * "error in 121265ms: …", so the last data file Framework started before the error is the one that failed.
 */
export function failedLoaderOf(lines: readonly string[]): { target: string; after: string; reason: string } | null {
  let started: string | null = null;
  for (const raw of lines) {
    const line = raw.replace(/\x1b\[[0-9;]*m/g, "");
    const load = /load (\/data\/\S+) → \[(?:missing|stale)\](?: load (\/data\/\S+) → \[(?:missing|stale)\])?/.exec(
      line
    );
    if (load) started = load[2] ?? load[1];
    const error = /│ .*\berror in (\d+ms): (.*)$/.exec(line);
    if (error && started) return { target: started, after: error[1], reason: error[2].trim() };
    if (/success [\d.]+ (B|kB|MB|GB) in/.test(line)) started = null;
  }
  return null;
}

export async function runRefresh(
  tree: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  echo?: (line: string) => void
): Promise<RefreshRun> {
  // As `npm run refresh` runs it (package.json).
  const measured = await runMeasured(process.execPath, ["pipeline/cli/run.mjs", "refresh"], {
    cwd: tree,
    env,
    timeoutMs,
    onLine: echo
  });
  const stamp = (pattern: RegExp) => measured.lines.find((l) => pattern.test(l.line))?.ms ?? null;
  const started = stamp(/阶段：导入/);
  const loadersStart = stamp(/阶段：数据加载器/);
  const buildStart = stamp(/阶段：构建/);
  const buildEnd = stamp(/数据加载器：重新运行/);
  const published = stamp(/已发布 /);
  const { loaders, pages } = parseBuildLines(measured.lines.map((l) => l.line));
  const passLine = measured.lines.find((l) => /数据文件：一次计算/.test(l.line))?.line ?? "";
  const passSeconds = /用时 ([\d.]+) 秒/.exec(passLine);
  const rerunMatch = /数据加载器：重新运行 (\d+) 个.*沿用缓存 (\d+) 个/.exec(
    measured.lines.find((l) => /数据加载器：重新运行/.test(l.line))?.line ?? ""
  );
  return {
    measured,
    code: measured.code,
    phases: {
      ingestMs: started !== null && loadersStart !== null ? loadersStart - started : null,
      passMs: passSeconds ? Number(passSeconds[1]) * 1000 : null,
      buildMs: buildStart !== null && buildEnd !== null ? buildEnd - buildStart : null,
      publishMs: buildEnd !== null && published !== null ? published - buildEnd : null
    },
    loaders,
    pages,
    rerun: rerunMatch ? Number(rerunMatch[1]) : 0,
    reused: rerunMatch ? Number(rerunMatch[2]) : 0,
    stages: buildStages(measured.lines),
    log: measured.lines.filter((l) => !l.line.startsWith("  │")).map((l) => l.line)
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// the data loaders, as Framework runs them

export interface LoaderRun {
  /** the loader script relative to the tree, e.g. src/data/sections/[section]-scores.json.ts */
  script: string;
  /** --name=value, as Framework passes them */
  params: string[];
  target: string;
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]
  );
}

/** The loader script and params Framework runs for a data file (/data/sections/causes-scores.json), or null. */
export function loaderFor(tree: string, target: string): LoaderRun | null {
  const src = join(tree, "src");
  for (const file of listFiles(join(src, "data"))
    .filter((f) => /\.(ts|js)$/.test(f))
    .sort()) {
    const route = "/" + relative(src, file).replace(/\.(ts|js)$/, "");
    const names: string[] = [];
    const pattern = route
      .split(/(\[[^\]]+\])/)
      .map((part) => {
        const param = /^\[([^\]]+)\]$/.exec(part);
        if (param) {
          names.push(param[1]);
          return "([^/]+?)";
        }
        return part.replace(/[.*+?^${}()|\\]/g, "\\$&");
      })
      .join("");
    const m = new RegExp(`^${pattern}$`).exec(target);
    if (m) return { script: relative(tree, file), params: names.map((n, i) => `--${n}=${m[i + 1]}`), target };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------------
// the published site

export function folderBytes(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() || (e.isSymbolicLink() && lstatSync(p).isFile())) {
        bytes += statSync(p).size;
        files++;
      }
    }
  };
  walk(dir);
  return { bytes, files };
}

export interface PageTiming {
  path: string;
  /** ms from navigation start to the first <svg> inside a <figure> or .card, median of the runs; null: the page has no chart */
  firstChartMs: number | null;
  /** ms from navigation start to the last change of the page's DOM before it settled (every cell rendered), median */
  renderedMs: number | null;
  runs: number;
  problems: string[];
}

const median = (xs: number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Time to the first chart of each page, each run in a fresh browser context (empty cache), against the local static
 * server: a script installed before the page's own records performance.now() (ms since navigation start) when the
 * first <svg> appears inside a <figure> or a .card.
 */
export async function measureFirstChart(
  dist: string,
  pagePaths: string[],
  runs = 3,
  { width = 1280, height = 900 } = {}
): Promise<PageTiming[]> {
  const server = await serveStatic(dist);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const out: PageTiming[] = [];
  try {
    for (const path of pagePaths) {
      const first: number[] = [];
      const rendered: number[] = [];
      const problems: string[] = [];
      for (let i = 0; i < runs; i++) {
        const context = await browser.newContext({
          viewport: { width, height },
          locale: "zh-CN",
          timezoneId: "Asia/Shanghai"
        });
        await context.route("**/*", (route) => {
          const url = route.request().url();
          if (/^(data|blob|about):/.test(url) || new URL(url).origin === server.origin) return route.continue();
          problems.push(`request to another origin: ${url}`);
          return route.abort("blockedbyclient");
        });
        await context.addInitScript(() => {
          const w = window as unknown as { __firstChart: number | null; __lastChange: number };
          w.__firstChart = null;
          w.__lastChange = 0;
          const observer = new MutationObserver(() => {
            w.__lastChange = performance.now();
            if (w.__firstChart === null && document.querySelector("figure svg, .card svg"))
              w.__firstChart = w.__lastChange;
          });
          observer.observe(document, { childList: true, subtree: true });
        });
        const page = await context.newPage();
        page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
        page.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
        try {
          await page.goto(`${server.origin}${path}`, { waitUntil: "commit", timeout: 60_000 });
          for (const e of await waitForRender(page, 60_000)) problems.push(`cell error: ${e}`);
          const times = await page.evaluate(() => {
            const w = window as unknown as { __firstChart: number | null; __lastChange: number };
            return { first: w.__firstChart, last: w.__lastChange };
          });
          if (times.first !== null) first.push(times.first);
          rendered.push(times.last);
        } catch (e) {
          problems.push((e as Error).message.split("\n")[0]);
        }
        await context.close();
      }
      out.push({
        path,
        firstChartMs: median(first),
        renderedMs: median(rendered),
        runs,
        problems: [...new Set(problems)]
      });
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return out;
}

export async function measurePages(
  dist: string,
  pagePaths: string[],
  runs = 3
): Promise<{ transfers: PageTransfer[]; timings: PageTiming[] }> {
  const transfers = await measureTransfers(dist, pagePaths);
  const timings = await measureFirstChart(dist, pagePaths, runs);
  return { transfers, timings };
}
