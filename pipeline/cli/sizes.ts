// npm run sizes -- [--budget KB] [PATH…]
// Prints, for each page of the built site (dist/, or YIPANQI_DIST), the bytes a browser transfers on first load
// (HTML + JS + CSS + data + wasm, measured in chromium on a local server), as a Markdown table. Without paths: every
// page of the site, with only the first of the unit pages. Exit status 1 when a leader's page (npm run pdf's list)
// transfers more than the budget (default 250 kB) from a compressing server (the gzip column).
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { PROJECT_ROOT } from "../io/config.ts";
import { leaderPages } from "../site/print.ts";
import { measureTransfers, sitePages, transferTable } from "../site/transfer.ts";

const argv = process.argv.slice(2);
let budget = 250;
const paths: string[] = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--budget") budget = Number(argv[++i]);
  else if (argv[i] === "--help" || argv[i] === "-h") {
    console.log("用法：npm run sizes -- [--budget KB] [页面路径…]");
    process.exit(0);
  } else paths.push(argv[i].startsWith("/") ? argv[i] : `/${argv[i]}`);
}
if (!Number.isFinite(budget) || budget <= 0) {
  console.error("--budget 须为正数（单位 kB）");
  process.exit(2);
}

const dist = resolve(PROJECT_ROOT, process.env.YIPANQI_DIST ?? "dist");
if (!existsSync(join(dist, "index.html"))) {
  console.error(`${dist} 中没有构建好的站点：请先运行 npm run build。`);
  process.exit(2);
}

const pages = paths.length ? paths : sitePages(dist);
const rows = await measureTransfers(dist, pages);
console.log(transferTable(rows));
for (const r of rows) for (const p of r.problems) console.error(`! ${r.path}: ${p}`);
const leaders = new Set(leaderPages());
const over = rows.filter((r) => leaders.has(r.path) && r.gzip > budget * 1000);
console.log(
  over.length
    ? `领导阅读的页面中有 ${over.length} 个首次加载（gzip 压缩后）超过 ${budget} kB：${over.map((r) => `${r.path}（${Math.round(r.gzip / 1000)} kB）`).join("、")}。`
    : `领导阅读的页面首次加载（gzip 压缩后）均不超过 ${budget} kB。`
);
process.exit(over.length ? 1 : 0);
