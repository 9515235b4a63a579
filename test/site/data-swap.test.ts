// The data swap (pipeline/site/data-swap.ts) on a build made here by hand, laid out as Framework lays one out: what it
// replaces, what it shares with the previous build, and every case in which it must refuse (the refresh then runs
// Framework). That its result is byte for byte Framework's own is checked on real builds in test/refresh/refresh.test.ts.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  recordablePageSources,
  swapDataFiles,
  SwapRefused,
  type PageSources
} from "../../pipeline/site/data-swap.ts";
import { escapeText } from "../../pipeline/site/provenance.ts";
import { tempDir } from "../helpers/mini-exports.ts";

// Framework's own HTML rewriter (html.js · rewriteHtml) serializes through jsdom; jsdom ships no types.
const { JSDOM } = createRequire(import.meta.url)("jsdom") as {
  JSDOM: new (html: string) => { window: { document: Document } };
};

const BEFORE: PageSources = {
  digest: "a".repeat(64),
  printDate: '--print-data-date: "数据更新于 2026年1月1日 08:00（北京时间）"',
  footer: '<div class="provenance">数据更新于 2026年1月1日 08:00（北京时间） · 来自 1 个导出文件</div>',
  header: ""
};
const NOW: PageSources = {
  ...BEFORE,
  printDate: '--print-data-date: "数据更新于 2026年2月1日 09:30（北京时间）"',
  footer: '<div class="provenance">数据更新于 2026年2月1日 09:30（北京时间） · 来自 2 个导出文件</div>'
};
const OLD_OVERVIEW = "_file/data/overview.0123abcd.json";
const sha8 = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 8);
// Unchanged bytes: the same name in both builds.
const OLD_TRENDS = `_file/data/trends.${sha8('{"trend":1}')}.json`;

const register = (name: string, path: string, lastModified: number, size: number) =>
  `\nregisterFile(${JSON.stringify(name)}, ${JSON.stringify({ name, mimeType: "application/json", path, lastModified, size })});`;

/** A page as Framework renders one: the head's style, the registered files, the footer. */
function page(prefix: string, sources: PageSources, extra = "", registered = "") {
  return (
    `<!DOCTYPE html>\n<head><style>:root { --print-site-title: "一盘棋"; ${sources.printDate}; }</style></head>\n` +
    `<script type="module">` +
    register(`${prefix}data/overview.json`, `${prefix}${OLD_OVERVIEW}`, 1700000000000, 11) +
    register(`${prefix}data/trends.json`, `${prefix}${OLD_TRENDS}`, 1700000000001, 12) +
    registered +
    `\n</script>${sources.header}${extra}\n<footer><div>${sources.footer}</div></footer>\n`
  );
}

function write(file: string, text: string) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** A published build of two pages, two unit pages, their data files and a manifest; and the pass's new data files. */
function fixture(
  options: { pageExtra?: string; header?: string; registered?: string; extraFile?: boolean; module?: string } = {}
) {
  const dir = tempDir("yipanqi-swap-");
  const previous = join(dir, "builds", "old");
  const sources = { ...BEFORE, header: options.header ?? "" };
  write(join(previous, "index.html"), page("./", sources, options.pageExtra, options.registered));
  write(join(previous, "causes", "capacity.html"), page("../", sources));
  write(join(previous, "units", "index.html"), page("../", sources));
  for (const unit of ["U001", "U002"]) {
    write(join(previous, "units", `${unit}.html`), page("../", sources, "<p>单位模板</p>"));
    write(join(previous, "_file", "data", "units", `${unit}.json`), `{"unit":"${unit}"}`);
  }
  write(join(previous, OLD_OVERVIEW), '{"old":1}');
  write(join(previous, OLD_TRENDS), '{"trend":1}');
  write(join(previous, "_file", "logo.76543210.png"), "png");
  write(join(previous, "_observablehq", "client.11111111.js"), "client");
  write(join(previous, "_import", "components", "chart.22222222.js"), options.module ?? "export const chart = 1;");
  write(join(previous, "manifest.json"), "{}");
  const cache = join(dir, "cache");
  write(join(cache, "data", "overview.json"), '{"new":2}');
  write(join(cache, "data", "trends.json"), '{"trend":1}'); // the same bytes as before: the same name
  const when = new Date(1800000000123.7);
  utimesSync(join(cache, "data", "overview.json"), when, when);
  write(join(cache, "data", "extra.json"), "{}");
  const targets = ["data/overview.json", "data/trends.json", ...(options.extraFile ? ["data/extra.json"] : [])];
  const files = targets.map((target) => ({
    target,
    absolute: join(cache, target)
  }));
  return { dir, previous, build: join(dir, "builds", "new"), files, cache };
}

describe("swapDataFiles", () => {
  it("registers the new data files as Framework names them, replaces the data's strings, keeps everything else", () => {
    const f = fixture();
    const result = swapDataFiles(f.previous, f.build, BEFORE, NOW, f.files);
    const overview = `_file/data/overview.${sha8('{"new":2}')}.json`;
    expect(readFileSync(join(f.build, overview), "utf8")).toBe('{"new":2}');
    expect(existsSync(join(f.build, OLD_OVERVIEW))).toBe(false);
    expect(readFileSync(join(f.build, OLD_TRENDS), "utf8")).toBe('{"trend":1}');
    const index = readFileSync(join(f.build, "index.html"), "utf8");
    // the path, Framework's lastModified (the floor of the cache file's mtime) and size; key order as Framework's
    const overviewTime = Math.floor(statSync(join(f.cache, "data", "overview.json")).mtimeMs);
    expect(overviewTime).toBeGreaterThan(1799999999000); // the time set below, not the previous build's
    expect(index).toContain(register("./data/overview.json", `./${overview}`, overviewTime, 9));
    const trendsTime = Math.floor(statSync(join(f.cache, "data", "trends.json")).mtimeMs);
    expect(index).toContain(register("./data/trends.json", `./${OLD_TRENDS}`, trendsTime, 11));
    expect(index).toContain(NOW.printDate);
    expect(index).toContain(NOW.footer);
    expect(index).not.toContain(BEFORE.footer);
    const capacity = readFileSync(join(f.build, "causes", "capacity.html"), "utf8");
    expect(capacity).toContain(`"path":"../${overview}"`);
    // the unit pages and their data are left for writeUnitReports, from the template given back
    const template = readFileSync(join(f.build, "units", "_template.html"), "utf8");
    expect(template).toContain("<p>单位模板</p>");
    expect(template).toContain(`"path":"../${overview}"`);
    expect(existsSync(join(f.build, "units", "U001.html"))).toBe(false);
    expect(existsSync(join(f.build, "_file", "data", "units"))).toBe(false);
    expect(existsSync(join(f.build, "units", "index.html"))).toBe(true);
    expect(existsSync(join(f.build, "manifest.json"))).toBe(false);
    // what does not depend on the data is the previous build's own file
    expect(statSync(join(f.build, "_observablehq", "client.11111111.js")).ino).toBe(
      statSync(join(f.previous, "_observablehq", "client.11111111.js")).ino
    );
    expect(result).toEqual({ pages: 4, files: 2 });
  });

  it("replaces the 示例数据 banner when there is one", () => {
    const banner = '<div class="sample-banner">示例数据 1</div>';
    const f = fixture({ header: banner });
    swapDataFiles(f.previous, f.build, { ...BEFORE, header: banner }, { ...NOW, header: banner.replace("1", "2") }, f.files);
    expect(readFileSync(join(f.build, "index.html"), "utf8")).toContain(banner.replace("1", "2"));
  });

  it.each([
    ["the pages or code changed", () => ({ now: { ...NOW, digest: "b".repeat(64) } }), /页面或代码已改变/],
    ["the banner appears", () => ({ now: { ...NOW, header: "<div>示例数据</div>" } }), /示例数据横幅/],
    ["the new footer holds what jsdom rewrites", () => ({ now: { ...NOW, footer: `${NOW.footer}\r` } }), /会改写的字符/],
    ["a page registers a data file the pass did not make", () => ({ files: 1 }), /不是本次计算的数据文件/],
    ["a page lacks the recorded footer", () => ({ before: { ...BEFORE, footer: "<div>另一个页脚</div>" } }), /页脚/],
    ["a page lacks the recorded print date", () => ({ before: { ...BEFORE, printDate: "--print-data-date: \"\"" } }), /打印日期/],
    [
      // its registered time would stay the file's mtime of the last build, which a checkout changes
      "a page registers a file of src/",
      () => ({ registered: register("./logo.png", "./_file/logo.76543210.png", 1600000000000, 3) }),
      /登记的文件 _file\/logo/
    ],
    ["the pass made a data file no page registers (Framework would not publish it)", () => ({ extraFile: true }), /没有页面登记/],
    [
      "one of our modules names an old data file",
      () => ({ module: `export const url = "../_file/data/overview.0123abcd.json";` }),
      /_import\/components\/chart\.22222222\.js 引用了上一版的数据文件/
    ],
    [
      "a page names an old data file outside its registration",
      () => ({ pageExtra: `<link rel="preload" href="./${OLD_OVERVIEW}">` }),
      /登记之外/
    ]
  ])("refuses when %s", (_case, change, message) => {
    const c = change() as {
      now?: PageSources;
      before?: PageSources;
      files?: number;
      pageExtra?: string;
      registered?: string;
      extraFile?: boolean;
      module?: string;
    };
    const f = fixture({ pageExtra: c.pageExtra, registered: c.registered, extraFile: c.extraFile, module: c.module });
    // once: a swap writes into a new folder, which the refresh removes after a refusal
    let error: unknown;
    try {
      swapDataFiles(f.previous, f.build, c.before ?? BEFORE, c.now ?? NOW, f.files.slice(0, c.files ?? 3));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SwapRefused);
    expect((error as Error).message).toMatch(message);
  });
});

describe("the strings a build records", () => {
  it("are recorded only when its pages hold them as they are", () => {
    const f = fixture();
    expect(recordablePageSources(f.previous, BEFORE)).toEqual(BEFORE);
    expect(recordablePageSources(f.previous, { ...BEFORE, footer: BEFORE.footer.replace("1 个", "1&nbsp;个") })).toBe(
      null
    );
  });

  it("escape text as Framework writes it back (jsdom), so that the footer recorded is the footer published", () => {
    const text = `码本 "id" & 版本 <2019.1> 'R&D'\u00a0终`;
    const html = `<div class="provenance">${escapeText(text)}</div>`;
    expect(new JSDOM(`<body>${html}</body>`).window.document.body.innerHTML).toBe(html);
    expect(new JSDOM(`<body>${html}</body>`).window.document.body.textContent).toBe(text);
  });
});
