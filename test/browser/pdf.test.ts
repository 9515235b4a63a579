// npm run pdf's printing (pipeline/site/print.ts) on the built dist/: the causes page comes out as an A4 PDF with its
// charts drawn (the page rendered without errors), and the printed layout has no sidebar and no chart wider than
// the sheet. Then the real `npm run pdf` over every leader's page, its PDFs read back as text with poppler's
// pdftotext (installed with chromium by .ci/install-browser): on every sheet the running head (site and page title),
// the data date in Beijing time and 第 N 页 / 共 M 页; each page's heading; the response count of the built data on
// the overview; no screen-only instruction; and on paper no chart text under 8 pt.
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, inject, it } from "vitest";
import { loadCodebook } from "../../pipeline/codebook/load.ts";
import { A4_CONTENT_WIDTH_PX, countPdfPages, leaderPages, printPages } from "../../pipeline/site/print.ts";
import { waitForRender } from "../../pipeline/site/chromium.ts";
import { tempDir } from "../helpers/mini-exports.ts";
import { openSession } from "./browser.ts";
import { serveStatic } from "./server.ts";

const dist = inject("distDir");
const dataDir = inject("dataDir");
const root = fileURLToPath(new URL("../..", import.meta.url));
const SITE_TITLE = "一盘棋 · 党建与业务融合调查分析";

/** A moment in Beijing time (UTC+8, no daylight saving) as the running foot writes it: 2026年12月5日 22:20. */
function beijing(iso: string): string {
  const t = new Date(Date.parse(iso) + 8 * 3600_000);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${t.getUTCFullYear()}年${t.getUTCMonth() + 1}月${t.getUTCDate()}日 ${two(t.getUTCHours())}:${two(t.getUTCMinutes())}（北京时间）`;
}

/** The sheets of a PDF as text (pdftotext separates them with form feeds), spaces removed. */
function sheetsOf(file: string): string[] {
  const run = spawnSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" });
  if (run.error || run.status !== 0)
    throw new Error(
      `pdftotext failed (${run.error?.message ?? run.stderr}): install poppler-utils (bash .ci/install-browser)`
    );
  const sheets = run.stdout.split("\f").map((t) => t.replace(/\s+/g, ""));
  return sheets.at(-1) === "" ? sheets.slice(0, -1) : sheets;
}

/** The text of the first <h1> of a built page, when Framework rendered it statically. */
function staticHeading(path: string): string | null {
  const file = join(dist, path === "/" ? "index.html" : `${path.replace(/\/$/, "/index")}.html`);
  const m = readFileSync(file, "utf8").match(/<h1[^>]*>(?:<a[^>]*>)?([^<]+)</);
  return m ? m[1].trim() : null;
}

/** The built file behind FileAttachment(name) on the home page. */
function homeAttachment<T>(name: string): T {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const m = html.match(
    new RegExp(`registerFile\\("${name.replace(/[.]/g, "\\.")}", \\{[^}]*"path":"\\./(_file/[^"]+)"`)
  );
  if (!m) throw new Error(`no registerFile for ${name} in index.html`);
  return JSON.parse(readFileSync(join(dist, m[1]), "utf8")) as T;
}

describe("printing to PDF", () => {
  it("lists the leaders' pages in report order, one per cause", () => {
    const pages = leaderPages();
    expect(pages.slice(0, 4)).toEqual(["/", "/achievements", "/problems", "/causes"]);
    expect(pages.filter((p) => p.startsWith("/causes/"))).toHaveLength(3);
    expect(pages.slice(-3)).toEqual(["/measures", "/trends", "/methods"]);
  });

  it("prints /causes to an A4 PDF without errors", async () => {
    const out = tempDir("yipanqi-pdf-");
    const [printed] = await printPages(dist, ["/causes"], out);
    expect(printed.problems).toEqual([]);
    expect(printed.file).toBe(join(out, "01-原因剖析.pdf"));
    const pdf = readFileSync(printed.file!);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(printed.sheets).toBe(countPdfPages(pdf));
    expect(printed.sheets).toBeGreaterThanOrEqual(2);
    // A4 portrait in points: 595.28 × 841.89 (chromium writes the MediaBox of every sheet).
    const boxes = [...pdf.toString("latin1").matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [
      Number(m[1]),
      Number(m[2])
    ]);
    expect(boxes.length).toBeGreaterThanOrEqual(printed.sheets);
    for (const [w, h] of boxes) {
      expect(w).toBeCloseTo(595.28, 0);
      expect(h).toBeCloseTo(841.89, 0);
    }
  });

  it("lays the page out for print: no sidebar, no input form, every chart within the sheet's width", async () => {
    const server = await serveStatic(dist);
    const session = await openSession(server.origin, { width: A4_CONTENT_WIDTH_PX, height: 1100 });
    try {
      await session.page.emulateMedia({ media: "print" });
      await session.page.goto(`${server.origin}/causes`, { waitUntil: "networkidle" });
      await session.page.waitForFunction(
        () => document.querySelectorAll("observablehq-loading").length === 0 && document.querySelector(".score-bars")
      );
      const layout = await session.page.evaluate(() => ({
        sidebar: getComputedStyle(document.querySelector("#observablehq-sidebar")!).display,
        forms: [...document.querySelectorAll("form")].filter(
          (f) => getComputedStyle(f).display !== "none" && f.getBoundingClientRect().height > 0
        ).length,
        widest: Math.max(...[...document.querySelectorAll("svg")].map((s) => s.getBoundingClientRect().right)),
        page: document.documentElement.clientWidth
      }));
      expect(layout.sidebar).toBe("none");
      expect(layout.forms).toBe(0);
      expect(layout.widest).toBeLessThanOrEqual(layout.page + 1);
      expect(session.pageErrors).toEqual([]);
    } finally {
      await session.close();
      await server.close();
    }
  });

  it("prints every leader's page with npm run pdf: running head and foot on every sheet, the headings and figures, no screen-only instruction", () => {
    const out = tempDir("yipanqi-pdf-all-");
    const run = spawnSync(
      join(root, "node_modules/.bin/tsx"),
      [join(root, "pipeline/cli/pdf.ts"), "--no-build", "--out", out],
      {
        cwd: root,
        env: { ...process.env, YIPANQI_DIST: dist, YIPANQI_DATA: dataDir },
        encoding: "utf8",
        timeout: 15 * 60_000
      }
    );
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const files = readdirSync(out)
      .filter((f) => f.endsWith(".pdf"))
      .sort();
    const pages = leaderPages();
    expect(files).toHaveLength(pages.length);

    const refreshedAt = (JSON.parse(readFileSync(join(dist, "manifest.json"), "utf8")) as { refreshedAt: string })
      .refreshedAt;
    const dataDate = `数据更新于${beijing(refreshedAt)}`.replace(/\s+/g, "");
    const causes = loadCodebook(join(dataDir, "codebook.json")).sections.find((s) => s.code === "causes")!.dimensions;
    const overview = homeAttachment<{ response: { all: { n: number } } }>("./data/overview.json");
    const screenOnly = ["见左侧目录", "本页目录", "上一页", "下一页", "点击", "拖动"];

    let total = 0;
    for (const [i, path] of pages.entries()) {
      const sheets = sheetsOf(join(out, files[i]));
      total += sheets.length;
      const where = `${path} (${files[i]})`;
      // A sane length: one sheet at least, and no page of the report runs to more than ten.
      expect(sheets.length, where).toBeGreaterThanOrEqual(1);
      expect(sheets.length, where).toBeLessThanOrEqual(10);
      for (const [k, sheet] of sheets.entries()) {
        expect(sheet, `${where} sheet ${k + 1}`).toContain(SITE_TITLE.replace(/\s+/g, ""));
        expect(sheet, `${where} sheet ${k + 1}`).toContain(`第${k + 1}页/共${sheets.length}页`);
        expect(sheet, `${where} sheet ${k + 1}`).toContain(dataDate);
      }
      const text = sheets.join("");
      const cause = causes.find((d) => path === `/causes/${d.code}`);
      const heading = cause ? cause.name : path === "/" ? null : staticHeading(path);
      if (heading) expect(text, where).toContain(heading.replace(/\s+/g, ""));
      for (const words of screenOnly) expect(text, where).not.toContain(words);
    }
    expect(total).toBeLessThanOrEqual(60);
    // The overview states the number of valid answers of the latest wave, as published in its data file.
    const home = sheetsOf(join(out, files[0])).join("");
    expect(home).toContain(SITE_TITLE.replace(/\s+/g, ""));
    expect(home).toContain(String(overview.response.all.n));
  }, 1_200_000);

  it("prints a unit's page with its name in the running head of every sheet (set at run time: one template)", async () => {
    const code = readFileSync(join(dataDir, "roster.csv"), "utf8").trim().split(/\r?\n/)[1].split(",")[0];
    const unit = JSON.parse(readFileSync(join(dist, "_file", "data", "units", `${code}.json`), "utf8")) as {
      unit: { name: string };
    };
    const out = tempDir("yipanqi-pdf-unit-");
    const [printed] = await printPages(dist, [`/units/${code}`], out);
    expect(printed.problems).toEqual([]);
    const sheets = sheetsOf(printed.file!);
    expect(sheets.length).toBeGreaterThanOrEqual(1);
    for (const [k, sheet] of sheets.entries())
      expect(sheet, `sheet ${k + 1}`).toContain(`各单位·${unit.unit.name}`.replace(/\s+/g, ""));
  });

  it("prints chart text at 8 pt or more: every SVG text of a leader's page at least 11 px at the sheet's width", async () => {
    const server = await serveStatic(dist);
    const session = await openSession(server.origin, { width: A4_CONTENT_WIDTH_PX, height: 1100 });
    try {
      await session.page.emulateMedia({ media: "print" });
      const small: string[] = [];
      for (const path of leaderPages()) {
        await session.page.goto(`${server.origin}${path}`, { waitUntil: "load" });
        await waitForRender(session.page, 120_000);
        const found = await session.page.evaluate(() =>
          [...document.querySelectorAll("svg text")]
            .filter((t) => t.textContent?.trim() && t.getBoundingClientRect().width > 0)
            .map((t) => ({ text: t.textContent!.trim(), size: parseFloat(getComputedStyle(t).fontSize) }))
            .filter((t) => t.size < 11 - 0.01)
            .slice(0, 5)
            .map((t) => `${t.text} (${t.size} px)`)
        );
        small.push(...found.map((f) => `${path}: ${f}`));
      }
      expect(small).toEqual([]);
      expect(session.pageErrors).toEqual([]);
    } finally {
      await session.close();
      await server.close();
    }
  });
});
