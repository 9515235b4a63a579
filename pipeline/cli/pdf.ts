// npm run pdf -- [--no-build] [--out DIR] [--page PATH]…
// Builds the site (as npm run build does; --no-build reuses the dist/ there is), serves it on 127.0.0.1 and prints the
// leaders' pages with chromium to A4 PDFs, one file per page: DIR/01-概览.pdf, 02-工作成效.pdf … (default DIR:
// dist-pdf/). Exit status: 0 all printed cleanly; 1 a page failed or showed an error (the others are written);
// 2 usage error; 3 the build failed or there is no built site.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { PROJECT_ROOT } from "../io/config.ts";
import { leaderPages, printPages, type PrintedPage } from "../site/print.ts";

const USAGE = `用法：npm run pdf -- [--no-build] [--out 目录] [--page 路径]…
  --no-build  不重新构建，直接打印现有的站点（${process.env.YIPANQI_DIST ?? "dist"}/）
  --out       PDF 输出目录（默认 dist-pdf/；每个页面一个 A4 PDF 文件）
  --page      只打印指定页面（可重复，例如 --page /causes）；默认打印领导阅读的各页：
              ${leaderPages().join(" ")}`;

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

function parseArgs(argv: string[]) {
  let build = true;
  let out = join(PROJECT_ROOT, "dist-pdf");
  const pages: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (name: string) => {
      const eq = a.indexOf("=");
      if (eq >= 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) fail(`参数 ${name} 缺少取值\n${USAGE}`);
      return v;
    };
    if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (a === "--no-build") build = false;
    else if (a === "--out" || a.startsWith("--out=")) out = resolve(value("--out"));
    else if (a === "--page" || a.startsWith("--page=")) {
      const p = value("--page");
      pages.push(p.startsWith("/") ? p : `/${p}`);
    } else fail(`未知参数“${a}”\n${USAGE}`);
  }
  return { build, out, pages: pages.length ? pages : leaderPages() };
}

const args = parseArgs(process.argv.slice(2));
const dist = resolve(PROJECT_ROOT, process.env.YIPANQI_DIST ?? "dist");

if (args.build) {
  console.error("正在构建站点（npm run build）……");
  const built = spawnSync(process.execPath, [join(PROJECT_ROOT, "pipeline/cli/run.mjs"), "site", "build"], {
    cwd: PROJECT_ROOT,
    stdio: ["ignore", "inherit", "inherit"],
    env: process.env
  });
  if (built.status !== 0) fail(`站点构建失败（退出码 ${built.status ?? built.signal}），未生成 PDF。`, 3);
}
if (!existsSync(join(dist, "index.html")))
  fail(`${dist} 中没有构建好的站点：请去掉 --no-build，或先运行 npm run build。`, 3);

const show = (p: string) => relative(process.cwd(), p) || ".";
const line = (p: PrintedPage) =>
  p.file ? `${p.problems.length ? "!" : "✓"} ${p.path} → ${show(p.file)}（${p.sheets} 页）` : `✗ ${p.path}：未能打印`;

const printed = await printPages(dist, args.pages, args.out, {
  onPage: (p) => {
    console.error(line(p));
    for (const problem of p.problems) console.error(`    ${problem}`);
  }
});

const ok = printed.filter((p) => p.file);
const sheets = ok.reduce((s, p) => s + p.sheets, 0);
const mb = (ok.reduce((s, p) => s + p.bytes, 0) / 1e6).toFixed(1);
const troubled = printed.filter((p) => p.problems.length);
console.log(
  `已将 ${ok.length} 个页面打印为 A4 PDF（每页一个文件，共 ${sheets} 页，${mb} MB），保存在 ${show(args.out)}/` +
    (troubled.length ? `；其中 ${troubled.length} 个页面有问题，见上方说明。` : "。")
);
process.exit(troubled.length ? 1 : 0);
