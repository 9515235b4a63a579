// The downloads bar (src/components/figure.ts), the charts' aria labels and the in-page contents in a real chromium
// against the built dist/: a chart's CSV, SVG and PNG and a table's CSV are clicked and the downloaded files read
// (BOM, header, rows equal to the published data files' figures at the page's precision; the SVG parses and holds
// the chart's text; the PNG is a PNG at twice the chart's size); every chart on the leaders' pages is labelled for
// screen readers; the 本页目录 links reach the page's headings, on a phone too. No console error on the way.
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Download, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { leaderPages } from "../../pipeline/site/print.ts";
import { csvNumber } from "../../src/components/figure.ts";
import { expandSection, type Cube, type SectionMeta } from "../../src/components/sectionData.ts";
import { openSession, type Session } from "./browser.ts";
import { serveStatic, type StaticServer } from "./server.ts";

const dist = inject("distDir");

/** The built file behind FileAttachment(name) on a page (e.g. "causes"), read from its registerFile call. */
async function attachment<T>(page: string, name: string): Promise<T> {
  const html = await readFile(`${dist}/${page}.html`, "utf8");
  const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const m = html.match(
    new RegExp(`registerFile\\("(?:\\./|\\.\\./)*${escaped}", \\{[^}]*"path":"((?:\\./|\\.\\./)*_file/[^"]+)"`)
  );
  if (!m) throw new Error(`no registerFile for ${name} in ${page}.html`);
  return JSON.parse(await readFile(`${dirname(`${dist}/${page}.html`)}/${m[1]}`, "utf8")) as T;
}

/** A CSV as Excel reads it: lines of fields (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') [field, i] = [field + '"', i + 1];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") [row, field] = [[...row, field], ""];
    else if (c === "\r" && text[i + 1] === "\n") {
      rows.push([...row, field]);
      [row, field, i] = [[], "", i + 1];
    } else field += c;
  }
  if (field !== "" || row.length) rows.push([...row, field]);
  return rows;
}

async function bytesOf(download: Download): Promise<Buffer> {
  const path = await download.path();
  return readFile(path);
}

let server: StaticServer;
let session: Session;

beforeAll(async () => {
  server = await serveStatic(dist);
  session = await openSession(server.origin, { width: 1440, height: 900 });
});

afterAll(async () => {
  await session?.close();
  await server?.close();
});

async function open(page: Page, path: string, ready: string) {
  await page.goto(`${server.origin}${path}`, { waitUntil: "load" });
  await page.waitForSelector(ready, { timeout: 60_000 });
  await page.waitForLoadState("networkidle", { timeout: 60_000 });
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
}

async function click(page: Page, selector: string): Promise<Download> {
  const [download] = await Promise.all([
    page.waitForEvent("download", { timeout: 60_000 }),
    page.locator(selector).first().click()
  ]);
  return download;
}

function clean() {
  expect(session.pageErrors).toEqual([]);
  expect(session.consoleErrors).toEqual([]);
  expect(session.outsideRequests).toEqual([]);
}

describe("a chart's downloads (/causes, 九个具体方面)", () => {
  const figure = "figure.chart-figure:has(.score-bars)";
  let meta: SectionMeta & { scale: { min: number; max: number } };
  let expected: { name: string; mean: string; low: string; high: string }[];

  beforeAll(async () => {
    meta = await attachment("causes", "data/sections/causes-meta.json");
    const { scores } = expandSection(
      meta,
      await attachment<Cube>("causes", "data/sections/causes-scores.json"),
      await attachment<Cube>("causes", "data/sections/causes-items.json")
    );
    const wave = Math.max(...meta.waves);
    const { min, max } = meta.scale;
    const onScale = (x: number) => min + (x / 100) * (max - min);
    expected = meta.dimensions
      .flatMap((d) => d.subdimensions)
      .map((s) =>
        scores.find((r) => r.wave === wave && r.grouping === "all" && r.level === "subdimension" && r.code === s.code)!
      )
      .filter((r) => !r.suppressed && r.index != null)
      .map((r) => ({
        name: r.name,
        mean: csvNumber(onScale(r.index!), 2),
        low: csvNumber(onScale(r.indexLow!), 2),
        high: csvNumber(onScale(r.indexHigh!), 2)
      }));
    expect(expected.length).toBeGreaterThan(0);
    await open(session.page, "/causes", `${figure} svg`);
  });

  it("downloads the rows behind the chart as CSV: BOM, Chinese header, the published means at two decimals", async () => {
    const download = await click(session.page, `${figure} button[data-download=csv]`);
    expect(download.suggestedFilename()).toBe("原因剖析-九个具体方面.csv");
    const bytes = await bytesOf(download);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.subarray(3).toString("utf8"));
    expect(rows[0]).toEqual(["所属方面", "项目", "平均得分（1–5分）", "95%置信区间下限", "95%置信区间上限"]);
    for (const e of expected) {
      const row = rows.find((r) => r[1] === e.name);
      expect(row, e.name).toBeDefined();
      expect(row!.slice(2)).toEqual([e.mean, e.low, e.high]);
    }
    clean();
  });

  it("downloads the chart as SVG that parses and holds the chart's text", async () => {
    const download = await click(session.page, `${figure} button[data-download=svg]`);
    expect(download.suggestedFilename()).toBe("原因剖析-九个具体方面.svg");
    const text = (await bytesOf(download)).toString("utf8");
    const parsed = await session.page.evaluate((t) => {
      const doc = new DOMParser().parseFromString(t, "image/svg+xml");
      return {
        error: doc.querySelector("parsererror")?.textContent ?? null,
        root: doc.documentElement.localName,
        text: doc.documentElement.textContent ?? ""
      };
    }, text);
    expect(parsed.error).toBeNull();
    expect(parsed.root).toBe("svg");
    expect(parsed.text).toContain("九个具体方面");
    for (const e of expected) expect(parsed.text).toContain(e.name);
    clean();
  });

  it("downloads the chart as PNG at twice the chart's size", async () => {
    const width = await session.page.locator(`${figure} svg[role=img]`).first().getAttribute("width");
    const download = await click(session.page, `${figure} button[data-download=png]`);
    expect(download.suggestedFilename()).toBe("原因剖析-九个具体方面.png");
    const png = await bytesOf(download);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.length).toBeGreaterThan(1000);
    // IHDR: width and height as big-endian 32-bit integers at bytes 16 and 20.
    expect(png.readUInt32BE(16)).toBe(2 * Number(width));
    clean();
  });
});

describe("a table's download (/, 回收情况)", () => {
  it("downloads the table as shown, numbers without grouping separators", async () => {
    const ov = await attachment<{
      response: { categories: { name: string; headcount: number; n: number | null; suppressed: boolean }[] };
    }>("index", "data/overview.json");
    await open(session.page, "/", ".overview-response table tbody tr");
    const download = await click(session.page, ".overview-response .downloads button[data-download=csv]");
    expect(download.suggestedFilename()).toBe("概览-回收情况.csv");
    const bytes = await bytesOf(download);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.subarray(3).toString("utf8"));
    expect(rows[0].slice(0, 4)).toEqual(["单位类别", "名册人数", "有效答卷", "回收率"]);
    for (const c of ov.response.categories) {
      const row = rows.find((r) => r[0] === c.name);
      expect(row, c.name).toBeDefined();
      expect(row![1]).toBe(String(c.headcount));
      expect(row![2]).toBe(c.suppressed ? "" : String(c.n));
    }
    clean();
  });
});

const PAGES_WITHOUT_CHARTS = new Set(["/", "/methods"]);

describe("aria labels on the leaders' pages", () => {
  for (const path of leaderPages()) {
    it(`${path}: every chart svg has role=img and a description; legend swatches are hidden`, async () => {
      await open(session.page, path, "#observablehq-main h1");
      await session.page.waitForFunction(() => document.querySelectorAll("observablehq-loading").length === 0, null, {
        timeout: 60_000
      });
      const svgs = await session.page.$$eval("#observablehq-main svg", (nodes) =>
        nodes
          .filter((s) => !s.parentElement?.closest("svg"))
          .map((s) => ({
            label: s.getAttribute("aria-label"),
            role: s.getAttribute("role"),
            hidden: s.getAttribute("aria-hidden"),
            html: s.outerHTML.slice(0, 120)
          }))
      );
      const charts = svgs.filter((s) => s.hidden !== "true");
      for (const s of charts) {
        expect(s.label, s.html).toBeTruthy();
        expect(s.role, s.html).toBe("img");
      }
      // Not vacuous: every page with charts has some. /methods has none; the overview's chart of the three causes
      // comes with another part of issue 14 (drop "/" from this set when it is there).
      if (!PAGES_WITHOUT_CHARTS.has(path)) expect(charts.length).toBeGreaterThan(0);
      clean();
    });
  }
});

describe("the in-page contents (本页目录)", () => {
  for (const size of [
    { width: 1440, height: 900 },
    { width: 390, height: 844 }
  ]) {
    it(`/causes at ${size.width}px: opens, lists the page's sections and each link reaches its heading`, async () => {
      const phone = await openSession(server.origin, size);
      try {
        const page = phone.page;
        await open(page, "/causes", "details.page-contents");
        const summary = page.locator("details.page-contents summary");
        expect(await summary.isVisible()).toBe(true);
        await summary.click();
        const links = await page.$$eval("details.page-contents a", (as) =>
          as.map((a) => ({ text: a.textContent, href: a.getAttribute("href") ?? "" }))
        );
        const headings = await page.$$eval("#observablehq-main h2[id]", (hs) =>
          hs.filter((h) => h.previousElementSibling?.tagName !== "H1").map((h) => h.textContent?.trim())
        );
        expect(links.map((l) => l.text)).toEqual(headings);
        expect(links.length).toBeGreaterThan(2);
        for (const link of links) {
          await page.locator(`details.page-contents a[href="${link.href}"]`).click();
          await page.waitForFunction((h) => location.hash === h, link.href, { timeout: 10_000 });
          const top = await page.evaluate((h) => {
            const target = document.getElementById(decodeURIComponent(h.slice(1)));
            return target ? { tag: target.tagName, top: target.getBoundingClientRect().top } : null;
          }, link.href);
          expect(top?.tag, link.href).toBe("H2");
          expect(top!.top).toBeGreaterThanOrEqual(-1);
          expect(top!.top).toBeLessThan(size.height);
          await page.evaluate(() => window.scrollTo(0, 0));
        }
        // Nothing of it on paper.
        await page.emulateMedia({ media: "print" });
        expect(await page.locator("details.page-contents").isVisible()).toBe(false);
        expect(await page.locator(".downloads").first().isVisible()).toBe(false);
        await page.emulateMedia({ media: "screen" });
        expect(phone.pageErrors).toEqual([]);
        expect(phone.consoleErrors).toEqual([]);
        expect(phone.outsideRequests).toEqual([]);
      } finally {
        await phone.close();
      }
    });
  }
});
