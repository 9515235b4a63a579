// Site configuration for Observable Framework 1.13.4 (see its docs/config.md).
// Offline rule: the built site must request nothing from another origin. Therefore
// - globalStylesheets lists only our own stylesheet (the default loads Source Serif 4 from Google Fonts).
//   It is also the `style`; Framework links it once. Being global, it stays on a page whose front matter
//   picks another theme or style, so the Chinese fonts and the print rules hold everywhere;
// - the default footer (a link to observablehq.com) is replaced by a Chinese one;
// - search stays off (it would work offline, but MiniSearch's tokenizer splits on spaces and punctuation,
//   so it cannot find words inside Chinese sentences);
// - pages import Plot/Inputs by bare specifier from node_modules, never the implicit `npm:` globals.
// Framework 1.13.4 has no `lang` option and renders `<html>` without one; the inline script in `head`
// sets lang="zh-CN" (screen readers, hyphenation, CJK glyph selection) without loading anything.
import { mkdirSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadCodebook } from "./pipeline/codebook/load.ts";
import { paths } from "./pipeline/io/config.ts";
import { dataRefreshedAt, provenanceFooter, sampleBanner } from "./pipeline/site/provenance.ts";
import { ensurePlotBundle } from "./pipeline/site/plot-bundle.ts";
import { navTitles, normalizePath, runningHeadStyle } from "./pipeline/site/running-head.ts";
import { UNIT_TEMPLATE_PATH } from "./pipeline/site/unit-reports.ts";

// Telemetry off even when someone runs `npx observable build|preview` without the npm scripts (which set
// OBSERVABLE_TELEMETRY_DISABLE themselves): Framework reads the config before it records its first event.
process.env.OBSERVABLE_TELEMETRY_DISABLE ??= "true";

// Framework bundles its own client with lazy `import("npm:…")` references to the libraries it offers as
// implicit globals (Plot, d3, htl, React, echarts, leaflet, lodash …). It never downloads them unless a page
// uses them, but it asks registry.npmjs.org for each one's latest version, unless a directory
// src/.observablehq/cache/_npm/<name>@<version>/ already exists. On a build machine without any network a
// cold build therefore fails ("bundle /_observablehq/client.js → npm:react-dom@latest → fetch failed").
// Our pages never use those globals (test/site/pages-offline.test.ts), so any version will do: seed the
// (empty) version directories that a networked build would have created. Existing versions are left alone.
const CLIENT_NPM_VERSIONS: Record<string, string> = {
  "@observablehq/plot": "0.6.17",
  "@observablehq/sample-datasets": "1.0.1",
  "apache-arrow": "21.2.0",
  arquero: "8.0.3",
  d3: "7.9.2",
  "d3-dsv": "3.0.2",
  echarts: "6.1.0",
  htl: "1.0.0",
  leaflet: "1.9.4",
  lodash: "4.18.1",
  "mapbox-gl": "3.32.0",
  "parquet-wasm": "0.8.0",
  react: "19.3.1",
  "react-dom": "19.3.1",
  "topojson-client": "3.1.0"
};

function seedNpmVersionCache(cacheDir: string, versions: Record<string, string>): void {
  for (const [name, version] of Object.entries(versions)) {
    const slash = name.lastIndexOf("/");
    const parent = cacheDir + (slash >= 0 ? name.slice(0, slash) : "");
    const base = name.slice(slash + 1);
    let known: string[] = [];
    try {
      known = readdirSync(parent).filter((entry) => entry.startsWith(`${base}@`));
    } catch {
      // no cache yet
    }
    if (known.length === 0) mkdirSync(`${cacheDir}${name}@${version}`, { recursive: true });
  }
}

seedNpmVersionCache(fileURLToPath(new URL("./src/.observablehq/cache/_npm/", import.meta.url)), CLIENT_NPM_VERSIONS);

// Plot as one module with the d3 code it uses, instead of Plot plus all thirty d3 modules (about 50 kB less after gzip
// on every chart page): Framework reuses the cache entry written here (pipeline/site/plot-bundle.ts).
await ensurePlotBundle(fileURLToPath(new URL("./src/.observablehq/cache/_node/", import.meta.url)));

/** The cause dimensions of the codebook (section `causes`), for the navigation and the per-cause pages. */
function causeDimensions(): { code: string; name: string }[] {
  const section = loadCodebook(paths().codebook).sections.find((s) => s.code === "causes");
  return section ? section.dimensions.map((d) => ({ code: d.code, name: d.name })) : [];
}

const pages = [
  { name: "概览", path: "/" },
  { name: "工作成效", path: "/achievements" },
  { name: "存在问题", path: "/problems" },
  {
    name: "原因剖析",
    open: true,
    pages: [
      { name: "三个方面总览", path: "/causes" },
      ...causeDimensions().map((d) => ({ name: d.name, path: `/causes/${d.code}` }))
    ]
  },
  { name: "对策建议", path: "/measures" },
  { name: "趋势", path: "/trends" },
  { name: "各单位", path: "/units/" },
  { name: "考核", path: "/assessment" },
  // How each figure is computed and tested, and what the survey can and cannot say, in plain Chinese.
  { name: "方法说明", path: "/methods" },
  { name: "数据质量", path: "/quality" },
  { name: "探索（分析人员）", path: "/explore" }
];

const SITE_TITLE = "一盘棋 · 党建与业务融合调查分析";

// The running head and foot of printed pages (src/style.css @page): each page's title from the navigation, and the date
// of the data in Beijing time. The unit report is built once for all units, so its head says 各单位 and the page puts
// the unit's name in at run time (src/units/[unit].md).
const printTitles = navTitles(pages, { [UNIT_TEMPLATE_PATH]: "各单位" });
const dataDate = dataRefreshedAt();

export default {
  title: SITE_TITLE,
  // The sidebar's link to the home page; the full title above is too long for the sidebar's first line.
  home: "一盘棋",
  root: "src",
  // Tests and the refresh build elsewhere (YIPANQI_DIST) so that a published dist/ is never half-written.
  output: process.env.YIPANQI_DIST ?? "dist",
  style: "style.css",
  globalStylesheets: ["/style.css"],
  head: ({ title, path }: { title: string | null; path: string }) =>
    `<script>document.documentElement.lang = "zh-CN";</script><link rel="icon" href="favicon.svg" type="image/svg+xml">\n` +
    runningHeadStyle({
      siteTitle: SITE_TITLE,
      pageTitle: printTitles.get(normalizePath(path)) ?? title ?? "",
      refreshedAt: dataDate
    }),
  // The 示例数据 banner on every page while the report shows the seeded sample; nothing for a steward's own data
  // (pipeline/site/provenance.ts decides from the store and the sample generator's record).
  header: sampleBanner(),
  // Framework links the home page at the top of the sidebar anyway (with the title); 概览 is listed too so
  // that the navigation reads as a table of contents. The pager skips the duplicate.
  pages,

  // One page per cause (src/causes/[cause].md), from the codebook. The unit report (src/units/[unit].md) is built once,
  // as a template that reads its unit from its address: pipeline/site/unit-reports.ts gives it every roster unit's
  // address and data file after the build (docs/scale.md, "The unit report at province scale").
  dynamicPaths: [...causeDimensions().map((d) => `/causes/${d.code}`), UNIT_TEMPLATE_PATH],
  toc: { show: true, label: "本页目录" },
  pager: true,
  search: false,
  // When the data was refreshed, from which files and which codebook version (pipeline/site/provenance.ts).
  footer: provenanceFooter(),
  // DuckDB-wasm stays off these pages (no `sql` front matter, no DuckDBClient). Framework nevertheless
  // configures the json and parquet extensions for self-hosting by default (downloaded from
  // extensions.duckdb.org as soon as any page used DuckDB); null removes them.
  duckdb: { extensions: { json: null, parquet: null } },
  // TypeScript loaders run in one node process with tsx's loader hook, instead of the `tsx` command (which starts a
  // second node to run the first): about 90 ms less per loader, and tsx need not be on PATH (it is resolved from
  // node_modules). Measured on this machine: `tsx x.ts` 0.27 s, `node --import tsx x.ts` 0.18 s.
  interpreters: { ".ts": ["node", "--import", "tsx"] }
};
