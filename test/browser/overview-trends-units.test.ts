// The overview (/), trends (/trends), the unit list (/units/) and two unit pages (a large unit and one too small to
// show) in a real chromium against the built dist/: no console or page error, nothing requested from another origin,
// the figures on screen are the loaders' numbers (read from the built files the pages register, and a unit's from the
// data file the build writes for it), suppressed units show the note and no number, and every roster unit has its
// page: a link to the one unit template, which fetches its own unit's file and nothing about the other units.
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { changeView } from "../../src/components/changeBadge.ts";
import { formatIndex, formatNumber, formatPercent } from "../../src/components/format.ts";
import {
  overviewFinding,
  overviewHeadline,
  responseFinding,
  type OverviewData
} from "../../src/components/overviewFinding.ts";
import { endLabelText } from "../../src/components/trendBand.ts";
import { trendsFinding, type TrendsFindingData } from "../../src/components/trendsFinding.ts";
import { openSession, type Session } from "./browser.ts";
import { serveStatic, type StaticServer } from "./server.ts";

const dist = inject("distDir");
const dataDir = inject("dataDir");
const root = fileURLToPath(new URL("../..", import.meta.url));

/** The built file behind FileAttachment(name) on a page, from the page's registerFile call. */
async function attachment<T>(page: string, name: string): Promise<{ value: T; size: number }> {
  const html = await readFile(`${dist}/${page}`, "utf8");
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = html.match(new RegExp(`registerFile\\("${escaped}", \\{[^}]*"path":"((?:\\.\\./|\\./)_file/[^"]+)"`));
  if (!m) throw new Error(`no registerFile for ${name} in ${page}`);
  const file = `${dist}/${page.includes("/") ? page.slice(0, page.lastIndexOf("/") + 1) : ""}${m[1]}`;
  const text = await readFile(file, "utf8");
  return { value: JSON.parse(text) as T, size: Buffer.byteLength(text) };
}

/** A unit's data file as the build writes it beside the unit template (pipeline/site/unit-reports.ts). */
async function unitFile<T>(code: string): Promise<{ value: T; size: number; gzip: number }> {
  const bytes = await readFile(`${dist}/_file/data/units/${code}.json`);
  return {
    value: JSON.parse(bytes.toString("utf8")) as T,
    size: bytes.length,
    gzip: gzipSync(bytes, { level: 6 }).length
  };
}

interface Point {
  wave: number;
  n: number | null;
  index: number | null;
  low: number | null;
  high: number | null;
  change: number | null;
  significant: boolean | null;
  suppressed: boolean;
  category?: number | null;
  all?: number | null;
}
interface Series {
  section: string;
  level: "section" | "dimension" | "subdimension";
  code: string;
  name: string;
  dimension: string | null;
  group: string;
  points: Point[];
}
interface Trends {
  waves: number[];
  changeTest: string;
  sections: (TrendsFindingData["sections"][number] & {
    dimensions: { code: string; name: string; subdimensions: unknown[] }[];
  })[];
  series: Series[];
  groups: string[];
}
type Overview = OverviewData & {
  waves: number[];
  trend: { code: string; name: string; points: Point[] }[];
};
interface Directory {
  waves: number[];
  minGroupSize: number;
  focus: { code: string; name: string; direction: "higher_is_better" | "higher_is_worse" };
  categories: {
    name: string;
    units: {
      code: string;
      name: string;
      category: string;
      responses: { wave: number; n: number | null; rate: number | null; suppressed: boolean }[];
      latest: {
        wave: number;
        index: number | null;
        change: number | null;
        significant: boolean | null;
        previousWave: number | null;
        suppressed: boolean;
      };
    }[];
  }[];
}
interface UnitPage {
  unit: { code: string; name: string; category: string };
  waves: number[];
  responses: { wave: number; n: number | null; rate: number | null; suppressed: boolean }[];
  scales: { level: string; code: string; name: string; section: string; points: Point[] }[];
  assessment: { year: number; partyBuilding: number | null; business: number | null }[];
}

let server: StaticServer;
let session: Session;
let ov: Overview;
let trends: Trends;
let dir: Directory;
let large: UnitPage;
let small: UnitPage;

beforeAll(async () => {
  ov = (await attachment<Overview>("index.html", "./data/overview.json")).value;
  trends = (await attachment<Trends>("trends.html", "./data/trends.json")).value;
  dir = (await attachment<Directory>("units/index.html", "../data/units-index.json")).value;
  const units = dir.categories.flatMap((c) => c.units);
  const latest = dir.waves[dir.waves.length - 1];
  // The large unit: most respondents in the latest wave; the small one: hidden in every wave.
  const largeCode = [...units].sort(
    (a, b) =>
      (b.responses.find((r) => r.wave === latest)!.n ?? 0) - (a.responses.find((r) => r.wave === latest)!.n ?? 0)
  )[0].code;
  const smallCode = units.find((u) => u.responses.every((r) => r.suppressed))!.code;
  large = (await unitFile<UnitPage>(largeCode)).value;
  small = (await unitFile<UnitPage>(smallCode)).value;
  server = await serveStatic(dist);
  session = await openSession(server.origin);
});

afterAll(async () => {
  await session?.close();
  await server?.close();
});

async function open(path: string, ready: string) {
  await session.page.goto(`${server.origin}${path}`, { waitUntil: "load" });
  await session.page.waitForSelector(ready, { timeout: 30_000 });
  await session.page.waitForLoadState("networkidle");
}

function clean() {
  expect(session.pageErrors).toEqual([]);
  expect(session.consoleErrors).toEqual([]);
  expect(session.outsideRequests).toEqual([]);
}

async function screenshot(name: string) {
  await mkdir(`${root}test-results`, { recursive: true });
  await session.page.screenshot({ path: `${root}test-results/${name}.png`, fullPage: true });
}

/** Values of the dots of the index-th chart matching `selector`, read back through the chart's own scale. */
function dotValues(chart: string, dots: string, axis: "x" | "y") {
  return session.page.$$eval(
    chart,
    (charts, [dots, axis]) =>
      charts.map((c) => {
        const scale = (c as unknown as { scale(n: string): { invert(v: number): number } }).scale(axis);
        return [...c.querySelectorAll(dots)].map((d) =>
          scale.invert(Number(d.getAttribute(axis === "x" ? "cx" : "cy")))
        );
      }),
    [dots, axis] as const
  );
}

/** The all-respondents series of a dimension in trends.json. */
const visibleSeries = (code: string) =>
  trends.series.find((s) => s.level === "dimension" && s.code === code && s.group === "全体")!;

describe("/ (概览)", () => {
  beforeAll(async () => open("/", ".overview-sections .index-card"));

  it("loads in Chinese without errors or outside requests, under the 示例数据 banner and with a favicon", async () => {
    clean();
    expect(await session.page.getAttribute("html", "lang")).toBe("zh-CN");
    // The build is of the seeded sample (global-setup.ts): the banner is on top, above the page's title.
    const banner = session.page.locator("#observablehq-header .sample-banner");
    expect(await banner.textContent()).toContain("示例数据");
    const [b, h1] = [await banner.boundingBox(), await session.page.locator("h1").first().boundingBox()];
    expect(b!.y + b!.height).toBeLessThanOrEqual(h1!.y);
    // Times in Beijing time; the favicon is our own file.
    expect(await session.page.locator("#observablehq-footer .provenance").textContent()).toMatch(
      /数据更新于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（北京时间）/
    );
    const icon = await session.page.locator('link[rel="icon"]').evaluate((l) => (l as HTMLLinkElement).href);
    expect(new URL(icon).origin).toBe(server.origin);
    const response = await session.page.request.get(icon);
    expect([response.status(), response.headers()["content-type"]]).toEqual([200, expect.stringContaining("svg")]);
  });

  it("leads with one sentence, then the findings; the response comes with its table", async () => {
    expect(await session.page.locator(".overview-headline").textContent()).toBe(overviewHeadline(ov));
    const weakest = [...ov.dimensions].sort((a, b) => a.index! - b.index!)[0];
    expect(overviewHeadline(ov)).toContain(`${weakest.name}最薄弱（指数 ${formatIndex(weakest.index)}）`);
    expect(overviewHeadline(ov)).toContain(`“${ov.weakest[0].name}”`);
    expect(overviewHeadline(ov)).not.toMatch(/p\s*[<=]|显著|Welch|置信|FPC/);
    const paragraphs = await session.page.$$eval(".overview-finding p", (ps) => ps.map((p) => p.textContent));
    expect(paragraphs).toEqual(overviewFinding(ov).map((p) => p.text));
    expect(await session.page.locator(".overview-response-finding").textContent()).toBe(responseFinding(ov));
    expect(responseFinding(ov)).toContain(`回收问卷${ov.response.all.n}份`);
  });

  it("charts the three causes of the codebook over every wave, named at the line ends with trends.json's values", async () => {
    const codebook = JSON.parse(readFileSync(`${dataDir}/codebook.json`, "utf8")) as {
      sections: { code: string; dimensions: { code: string; name: string }[] }[];
    };
    const causes = codebook.sections.find((x) => x.code === "causes")!.dimensions;
    const chart = ".overview-trend .trend-band";
    expect(await session.page.locator(chart).count()).toBe(1);
    expect(await session.page.locator(`${chart} g.trend-band-line path`).count()).toBe(causes.length);
    // Each line named at its end with its latest published value, as trends.json publishes it.
    const published = causes.map((d) => visibleSeries(d.code));
    const labels = await session.page.$$eval(`${chart} g.trend-band-end-label text`, (ts) =>
      ts.map((t) => t.textContent)
    );
    expect(labels).toEqual(
      causes.map((d, i) => {
        const last = published[i].points.filter((p) => !p.suppressed).at(-1)!;
        return endLabelText(d.name, last.index);
      })
    );
    // Every dot at trends.json's value, every wave of the survey on the chart.
    const [dots] = await dotValues(chart, "g.trend-band-dot circle", "y");
    const values = published.flatMap((s) => s.points.filter((p) => !p.suppressed).map((p) => p.index!));
    expect(dots).toHaveLength(values.length);
    dots.forEach((v, i) => expect(v).toBeCloseTo(values[i], 6));
    expect(ov.trend.map((d) => d.points.map((p) => p.wave))).toEqual(causes.map(() => trends.waves));
    // No change marks on it: the cards below give the section page's verdicts.
    expect(await session.page.locator(`${chart} g.trend-band-significant text`).count()).toBe(0);
  });

  it("fits the sentence and the chart in the first screen at 1440×900, the sentence at 390×844", async () => {
    const { page } = session;
    const bottom = (selector: string) =>
      page.locator(selector).evaluate((e) => e.getBoundingClientRect().bottom + window.scrollY);
    await page.setViewportSize({ width: 1440, height: 900 });
    await open("/", ".overview-trend .trend-band");
    expect(await bottom(".overview-trend")).toBeLessThanOrEqual(900);
    await page.setViewportSize({ width: 390, height: 844 });
    await open("/", ".overview-trend .trend-band");
    expect(await bottom(".overview-headline")).toBeLessThanOrEqual(844);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot("overview-phone");
    clean();
    await page.setViewportSize({ width: 1280, height: 900 });
    await open("/", ".overview-sections .index-card");
  });

  it("cites the source report", async () => {
    const cite = await session.page.locator(".source-report cite").textContent();
    expect(cite).toContain("石家庄市直机关工委课题组");
    expect(cite).toContain("《机关党建研究》2019年第9期");
  });

  it("shows a card per section and per cause with the loader's index", async () => {
    const sections = await session.page.$$eval(".overview-sections .index-card", (cards) =>
      cards.map((c) => [c.querySelector("h2")!.textContent, c.querySelector(".index-card__value")!.textContent])
    );
    expect(sections).toEqual(ov.sections.map((s) => [s.name, formatIndex(s.index)]));
    const causes = await session.page.$$eval(".overview-causes .index-card", (cards) =>
      cards.map((c) => [
        c.querySelector("h2")!.textContent,
        c.querySelector(".index-card__value")!.textContent,
        c.textContent
      ])
    );
    expect(causes.map(([name, value]) => [name, value])).toEqual(
      ov.dimensions.map((d) => [d.name, formatIndex(d.index)])
    );
    // The change line follows the test's verdict (src/components/changeBadge.ts): 基本持平 unless significant.
    causes.forEach(([, , text], i) => {
      const d = ov.dimensions[i];
      const words = changeView({
        change: d.suppressed ? null : d.indexChange,
        significant: d.changeSignificant,
        higherIsBetter: d.direction !== "higher_is_worse",
        previousWave: d.previousWave
      }).words;
      expect(text).toContain(words);
      if (!d.changeSignificant) expect(text).not.toMatch(/[▲▼]|上升|下降/);
    });
    const colours = await session.page.$$eval(".overview-sections .index-card .change-badge", (bs) =>
      bs.map((b) => [b.classList.contains("green") || b.classList.contains("red"), b.textContent])
    );
    colours.forEach(([coloured], i) =>
      expect(coloured, ov.sections[i].code).toBe(ov.sections[i].changeSignificant === true)
    );
  });

  it("lists the weakest sub-dimensions and the lagging units, linked to their pages", async () => {
    const weakest = await session.page.$$eval(".overview-weakest tbody tr", (rows) =>
      rows.map((r) => [r.getAttribute("data-code"), r.querySelector("td.num")!.textContent])
    );
    expect(weakest).toEqual(ov.weakest.map((w) => [w.code, formatIndex(w.index)]));
    const lagging = await session.page.$$eval(".overview-lagging tbody tr", (rows) =>
      rows.map((r) => [
        r.getAttribute("data-code"),
        (r.querySelector("a") as HTMLAnchorElement).href,
        r.querySelectorAll("td.num")[1].textContent
      ])
    );
    expect(lagging.map(([code, href]) => [code, href])).toEqual(
      ov.lagging.map((u) => [u.code, `${server.origin}/units/${u.code}`])
    );
    lagging.forEach(([, , text], i) => expect(text).toContain(formatIndex(ov.lagging[i].index)));
    const total = await session.page.$eval('.overview-response tr[data-code="全体"]', (r) => r.textContent);
    expect(total).toContain(formatPercent(ov.response.all.rate, 1));
  });

  // The headline and the causes chart come first on paper too, then the cards, tables and notes: three sheets at most.
  it("prints on at most three A4 pages", async () => {
    await screenshot("overview");
    await session.page.emulateMedia({ media: "print" });
    const pdf = await session.page.pdf({ format: "A4", printBackground: false });
    await session.page.emulateMedia({ media: "screen" });
    const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(3);
  });
});

describe("/trends (趋势)", () => {
  beforeAll(async () => open("/trends", ".trend-card svg"));

  const visible = (code: string, group = "全体") => trends.series.find((s) => s.code === code && s.group === group)!;
  const section = () => trends.sections.find((s) => s.code === "causes") ?? trends.sections[0];

  it("loads without errors or outside requests, under the banner, and links to how a change is judged", async () => {
    clean();
    expect(await session.page.locator(".trends-finding").textContent()).toBe(
      trendsFinding(trends, section().code).join("")
    );
    expect(await session.page.locator("#observablehq-header .sample-banner").textContent()).toContain("示例数据");
    expect(await session.page.locator('#observablehq-main a[href="./methods"]').count()).toBeGreaterThan(0);
  });

  it("draws the dimensions in one chart of labelled lines at the loader's values, ▲/▼ on significant changes", async () => {
    const dims = section().dimensions;
    expect(await session.page.locator(".trend-card").count()).toBe(1);
    const chart = ".trend-card .trend-band";
    expect(await session.page.locator(`${chart} g.trend-band-line path`).count()).toBe(dims.length);
    const labels = await session.page.$$eval(`${chart} g.trend-band-end-label text`, (ts) =>
      ts.map((t) => t.textContent)
    );
    expect(labels).toEqual(
      dims.map((d) =>
        endLabelText(
          d.name,
          visible(d.code)
            .points.filter((p) => !p.suppressed)
            .at(-1)!.index
        )
      )
    );
    const [values] = await dotValues(chart, "g.trend-band-dot circle", "y");
    const published = dims.flatMap((d) =>
      visible(d.code)
        .points.filter((p) => !p.suppressed)
        .map((p) => p.index!)
    );
    expect(values).toHaveLength(published.length);
    values.forEach((v, i) => expect(v).toBeCloseTo(published[i], 6));
    expect(await session.page.locator(`${chart} g.trend-band-significant text`).count()).toBe(
      dims.reduce((a, d) => a + visible(d.code).points.filter((p) => p.significant === true).length, 0)
    );
  });

  it("breaks down by unit category in small panels on one axis (a file fetched on request), and by sub-dimension", async () => {
    const { page } = session;
    const byCategory = (await attachment<Trends>("trends.html", "./data/trends-categories.json")).value;
    const fetched: string[] = [];
    page.on("request", (r) => fetched.push(r.url()));
    await page.getByRole("radio", { name: "按单位类别" }).check();
    await expect.poll(() => page.locator(".trend-card").count(), { timeout: 30_000 }).toBe(byCategory.groups.length);
    expect(fetched.some((u) => /_file\/data\/trends-categories\.[0-9a-f]+\.json$/.test(u))).toBe(true);
    const dims = section().dimensions;
    const panels = await page.$$eval(".trend-card", (cards) =>
      cards.map((c) => ({
        group: c.getAttribute("data-panel")!,
        lines: c.querySelectorAll("g.trend-band-line path").length,
        dots: c.querySelectorAll("g.trend-band-dot circle").length,
        ticks: [...c.querySelectorAll('g[aria-label="y-axis tick label"] text')].map((t) => t.textContent).join()
      }))
    );
    expect(panels.map((p) => p.group)).toEqual(byCategory.groups);
    for (const p of panels) {
      const series = byCategory.series.filter(
        (x) => x.section === section().code && x.level === "dimension" && x.group === p.group
      );
      expect(series.map((x) => x.code)).toEqual(dims.map((d) => d.code));
      expect(p.lines).toBe(series.filter((x) => x.points.some((q) => !q.suppressed)).length);
      expect(p.dots).toBe(series.reduce((a, x) => a + x.points.filter((q) => !q.suppressed).length, 0));
    }
    // Small multiples share one axis.
    expect(new Set(panels.map((p) => p.ticks)).size).toBe(1);
    // Sub-dimensions by category: one dimension at a time, chosen in a select.
    await page.getByRole("radio", { name: "具体方面" }).check();
    const choose = page.getByRole("combobox", { name: "维度" });
    await choose.selectOption({ label: dims[dims.length - 1].name });
    await expect
      .poll(() => page.locator(".trend-card").first().locator("g.trend-band-end-label text").allTextContents())
      .toEqual(
        byCategory.series
          .filter(
            (x) =>
              x.level === "subdimension" &&
              x.dimension === dims[dims.length - 1].code &&
              x.group === byCategory.groups[0]
          )
          .filter((x) => x.points.some((q) => !q.suppressed))
          .map((x) => endLabelText(x.name, x.points.filter((q) => !q.suppressed).at(-1)!.index))
      );
    // All respondents by sub-dimension: one panel per dimension.
    await page.getByRole("radio", { name: "全体" }).check();
    await expect.poll(() => page.locator(".trend-card").count()).toBe(dims.length);
    expect(await page.getByRole("combobox", { name: "维度" }).count()).toBe(0);
    await page.getByRole("radio", { name: "各个维度" }).check();
    await expect.poll(() => page.locator(".trend-card").count()).toBe(1);
    clean();
    await screenshot("trends");
  });

  it("does not scroll sideways at 390 px, in one chart or in small panels", async () => {
    const { page } = session;
    await page.setViewportSize({ width: 390, height: 844 });
    await open("/trends", ".trend-card svg");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByRole("radio", { name: "按单位类别" }).check();
    await expect.poll(() => page.locator(".trend-card").count(), { timeout: 30_000 }).toBeGreaterThan(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    clean();
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});

describe("/units/ (各单位)", () => {
  beforeAll(async () => open("/units/", ".unit-list__table tbody tr"));

  const allUnits = () => dir.categories.flatMap((c) => c.units);
  const latestOf = (u: Directory["categories"][number]["units"][number]) =>
    u.responses.find((r) => r.wave === dir.waves[dir.waves.length - 1])!;
  const indexOf = (code: string | null) => allUnits().find((u) => u.code === code)!.latest.index;
  const listed = () =>
    session.page.$$eval(".unit-list__table tbody tr", (trs) =>
      trs.map((tr) => ({
        code: tr.getAttribute("data-unit"),
        href: (tr.querySelector("a") as HTMLAnchorElement | null)?.href ?? null,
        cells: [...tr.querySelectorAll("th, td")].map((td) => td.textContent?.trim() ?? ""),
        coloured: !!tr.querySelector(".change-badge.green, .change-badge.red")
      }))
    );
  const query = () => session.page.evaluate(() => location.search);

  it("lists every roster unit with the index, change and response its page publishes, or 已隐去 without a number", async () => {
    clean();
    const rows = await listed();
    const units = allUnits();
    expect(rows.map((r) => r.code)).toEqual(units.map((u) => u.code));
    const higherIsBetter = dir.focus.direction !== "higher_is_worse";
    for (const [i, u] of units.entries()) {
      const row = rows[i];
      expect(row.href).toBe(`${server.origin}/units/${u.code}`);
      expect(row.cells.slice(0, 2)).toEqual([u.name, u.category]);
      const r = latestOf(u);
      if (r.suppressed) {
        expect(row.cells.slice(2)).toEqual(["已隐去"]);
        continue;
      }
      const verdict = changeView({
        change: u.latest.change,
        significant: u.latest.significant,
        higherIsBetter,
        previousWave: u.latest.previousWave
      });
      expect(row.cells.slice(2)).toEqual([
        formatIndex(u.latest.index),
        `${verdict.arrow ? `${verdict.arrow} ` : ""}${verdict.short}`,
        String(r.n),
        formatPercent(r.rate)
      ]);
      // Colour only for a change the unit page's verdict calls real.
      expect(row.coloured, u.code).toBe(verdict.tone === "better" || verdict.tone === "worse");
    }
    // The figures are the unit pages' own (same value, same precision).
    const mine = units.find((u) => u.code === large.unit.code)!;
    const point = large.scales
      .find((x) => x.level === "section" && x.code === dir.focus.code)!
      .points.find((p) => p.wave === mine.latest.wave)!;
    expect([mine.latest.index, mine.latest.change, mine.latest.significant]).toEqual([
      point.index,
      point.change,
      point.significant
    ]);
    await screenshot("units");
  });

  it("sorts by a column heading, keeps the sort in the URL, and restores it when the link is opened", async () => {
    const { page } = session;
    const indexHeader = page.locator(".unit-list__table thead th[data-key=index] button");
    await indexHeader.click();
    await expect.poll(query).toBe("?sort=index&desc=1");
    const shown = allUnits().filter((u) => !latestOf(u).suppressed && u.latest.index !== null);
    const descending = shown.map((u) => u.latest.index!).sort((a, b) => b - a);
    const codes = (await listed()).map((r) => r.code);
    expect(codes.slice(0, shown.length).map(indexOf)).toEqual(descending);
    // Hidden units after every shown one.
    expect(codes.slice(shown.length).every((c) => latestOf(allUnits().find((u) => u.code === c)!).suppressed)).toBe(
      true
    );
    expect(await page.getAttribute(".unit-list__table thead th[data-key=index]", "aria-sort")).toBe("descending");
    await indexHeader.click();
    await expect.poll(query).toBe("?sort=index");
    const ascending = (await listed()).map((r) => r.code).slice(0, shown.length);
    expect(ascending.map(indexOf)).toEqual([...descending].reverse());
    // A shared link opens on the same view.
    await open("/units/?sort=index&desc=1", ".unit-list__table tbody tr");
    expect((await listed()).map((r) => r.code)).toEqual(codes);
    clean();
  });

  it("filters by part of the name and by category, in the URL too", async () => {
    const { page } = session;
    await open("/units/", ".unit-list__table tbody tr");
    const part = "市委";
    await page.getByRole("searchbox").fill(part);
    await expect.poll(query).toBe(`?q=${encodeURIComponent(part)}`);
    const wanted = allUnits().filter((u) => u.name.includes(part));
    expect(wanted.length).toBeGreaterThan(0);
    expect((await listed()).map((r) => r.code)).toEqual(wanted.map((u) => u.code));
    const category = wanted[0].category;
    await page.getByRole("combobox", { name: "类别" }).selectOption(category);
    await expect.poll(query).toContain(`category=${encodeURIComponent(category)}`);
    const both = wanted.filter((u) => u.category === category).map((u) => u.code);
    expect((await listed()).map((r) => r.code)).toEqual(both);
    await open(`/units/?q=${encodeURIComponent(part)}&category=${encodeURIComponent(category)}`, ".unit-list__table");
    expect(await page.getByRole("searchbox").inputValue()).toBe(part);
    expect((await listed()).map((r) => r.code)).toEqual(both);
    clean();
  });

  it("fits a phone: the page never scrolls sideways, the list scrolls inside its own box", async () => {
    const phone = await openSession(server.origin, { width: 390, height: 844 });
    try {
      await phone.page.goto(`${server.origin}/units/`, { waitUntil: "load" });
      await phone.page.waitForSelector(".unit-list__table tbody tr", { timeout: 30_000 });
      await phone.page.waitForLoadState("networkidle");
      expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(
        await phone.page.$eval(".unit-list__scroll", (el) => el.getBoundingClientRect().right)
      ).toBeLessThanOrEqual(390);
      expect(phone.pageErrors).toEqual([]);
      expect(phone.consoleErrors).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});

describe("unit pages", () => {
  it("exist in dist/ for every roster unit, each with a small data file", async () => {
    const codes = readFileSync(`${dataDir}/roster.csv`, "utf8")
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((l) => l.split(",")[0]);
    expect(codes).toHaveLength(73);
    // One template, built once by Framework: every unit's page is the same file (a hard link, or a copy of it).
    const template = readFileSync(`${dist}/units/${codes[0]}.html`);
    expect(existsSync(`${dist}/units/_template.html`)).toBe(false);
    for (const code of codes) {
      expect(existsSync(`${dist}/units/${code}.html`), code).toBe(true);
      expect(readFileSync(`${dist}/units/${code}.html`).equals(template), code).toBe(true);
      const { value, size, gzip } = await unitFile<UnitPage>(code);
      expect(value.unit.code).toBe(code);
      expect(size).toBeLessThan(12_000);
      expect(gzip).toBeLessThan(50_000);
    }
    expect(statSync(`${dist}/units/${codes[0]}.html`).nlink).toBeGreaterThanOrEqual(2);
    // The page's unit comes from its address: the built page names no unit of the roster.
    const names = readFileSync(`${dataDir}/roster.csv`, "utf8")
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((l) => l.split(",")[1]);
    for (const name of names) expect(template.toString("utf8")).not.toContain(name);
  });

  it("download, of all the data files, only their own unit's: small, whatever the address's form", async () => {
    for (const path of [`/units/${large.unit.code}`, `/units/${large.unit.code}.html`]) {
      const data: { url: string; bytes: number }[] = [];
      const onResponse = async (response: import("playwright-core").Response) => {
        const url = new URL(response.url());
        if (!url.pathname.includes("/_file/")) return;
        const sizes = await response.request().sizes();
        data.push({ url: url.pathname, bytes: sizes.responseBodySize });
      };
      session.page.on("response", onResponse);
      await open(path, ".unit-compare-card .unit-compare");
      session.page.off("response", onResponse);
      clean();
      expect(data.map((d) => d.url)).toEqual([`/_file/data/units/${large.unit.code}.json`]);
      // What crosses the wire (the test server gzips JSON as nginx does): at most 50 kB for one unit.
      expect(data[0].bytes).toBeLessThan(50_000);
      expect(await session.page.locator("h1").first().textContent()).toBe(large.unit.name);
    }
  });

  it("say in Chinese that there is no such unit, with a link to 各单位, for a code without a file", async () => {
    try {
      // The template opened for a code that has no file (?u= names the unit instead of the address).
      await session.page.goto(`${server.origin}/units/${large.unit.code}?u=NOSUCHUNIT`, { waitUntil: "load" });
      await session.page.waitForSelector(".unit-missing", { timeout: 30_000 });
      await session.page.waitForLoadState("networkidle");
      expect(session.pageErrors).toEqual([]);
      const message = (await session.page.locator(".unit-missing").textContent())!;
      expect(message).toContain("未找到该单位");
      expect(message).toContain("NOSUCHUNIT");
      expect(await session.page.locator("h1").first().textContent()).toBe("未找到该单位");
      expect(await session.page.locator("main").innerText()).not.toMatch(/\bnull\b|\bundefined\b/);
      expect(await session.page.locator("#observablehq-main svg").count()).toBe(0);
      const back = session.page.locator(".unit-missing a");
      expect(new URL((await back.getAttribute("href"))!, session.page.url()).pathname).toBe("/units/");
      // The address of a roster unit's page is the unit, the query only when given.
      await session.page.goto(`${server.origin}/units/${large.unit.code}?u=${small.unit.code}`, { waitUntil: "load" });
      await session.page.waitForSelector(".unit-hidden", { timeout: 30_000 });
      expect(await session.page.locator("h1").first().textContent()).toBe(small.unit.name);
      expect(session.pageErrors).toEqual([]);
    } finally {
      // chromium logs the 404 of the missing unit's file as a console error: expected here, not carried over.
      session.consoleErrors.length = 0;
    }
  });

  it("show a large unit's indices, comparisons, trend, response and assessment as in its data file", async () => {
    await open(`/units/${large.unit.code}`, ".unit-compare-card .unit-compare");
    clean();
    const { page } = session;
    const wave = large.waves[large.waves.length - 1];
    expect(await page.locator("h1").first().textContent()).toBe(large.unit.name);
    // The tab (and the printout) is titled with the unit's name, and the sidebar marks 各单位.
    expect((await page.title()).startsWith(`${large.unit.name} |`)).toBe(true);
    expect(await page.locator("#observablehq-sidebar .observablehq-link-active").allTextContents()).toEqual(["各单位"]);
    // The printed running head names the unit too (set at run time: the template's head was built for all units).
    expect(
      await page.evaluate(() =>
        getComputedStyle(document.documentElement).getPropertyValue("--print-page-title").trim()
      )
    ).toBe(`"各单位 · ${large.unit.name}"`);
    const causes = large.scales.filter((s) => s.level === "dimension");
    const cards = await page.$$eval(".unit-causes .index-card .index-card__value", (vs) =>
      vs.map((v) => v.textContent)
    );
    expect(cards).toEqual(causes.map((s) => formatIndex(s.points.find((p) => p.wave === wave)!.index)));
    const compare = await dotValues(".unit-compare-card .unit-compare", "g.unit-compare-dot circle", "x");
    const shown = large.scales.map((s) => s.points.find((p) => p.wave === wave)!).filter((p) => !p.suppressed);
    expect(compare[0]).toHaveLength(shown.length);
    compare[0].forEach((v, i) => expect(v).toBeCloseTo(shown[i].index!, 6));
    const focus = large.scales.find((s) => s.level === "section" && s.code === causes[0].section)!;
    const trend = await dotValues(".unit-trend-card .trend-band", "g.trend-band-dot circle", "y");
    const published = focus.points.filter((p) => !p.suppressed);
    expect(trend[0]).toHaveLength(published.length);
    trend[0].forEach((v, i) => expect(v).toBeCloseTo(published[i].index!, 6));
    const responses = await page.$$eval(".unit-responses tbody tr:first-child td", (tds) =>
      tds.slice(1).map((td) => td.textContent)
    );
    expect(responses).toEqual(large.responses.map((r) => (r.suppressed ? "隐去" : String(r.n))));
    const assessment = await page.$$eval(".unit-assessment tbody tr", (trs) =>
      trs.map((tr) => [...tr.querySelectorAll("td")].slice(1, 3).map((td) => td.textContent))
    );
    expect(assessment).toEqual(
      large.assessment.map((a) => [formatNumber(a.partyBuilding, 1), formatNumber(a.business, 1)])
    );
    expect(assessment.length).toBeGreaterThan(0);
    await screenshot("unit-large");
  });

  it("show a unit hidden in every wave as one message, with its category's figures and no chart", async () => {
    for (const s of small.scales)
      for (const p of s.points) expect([p.index, p.low, p.high, p.change]).toEqual([null, null, null, null]);
    await open(`/units/${small.unit.code}`, ".unit-hidden");
    clean();
    const { page } = session;
    expect((await page.title()).startsWith(`${small.unit.name} |`)).toBe(true);
    const message = (await page.locator(".unit-hidden").textContent())!;
    expect(message).toContain("不予显示");
    expect(message).toContain(`不足 ${dir.minGroupSize} 人`);
    // Nothing stray around it: no cell displaying an empty value ("null", "undefined") on the page.
    expect(await page.locator("main").innerText()).not.toMatch(/\bnull\b|\bundefined\b/);
    expect(message).toContain(small.unit.category);
    // What to look at instead: the category's published indices of the latest wave.
    const wave = small.waves[small.waves.length - 1];
    const categoryCells = await page.$$eval(".unit-hidden__category tbody tr", (trs) =>
      trs.map((tr) => [tr.getAttribute("data-code"), tr.querySelectorAll("td")[1].textContent])
    );
    const at = (s: UnitPage["scales"][number]) => s.points.find((p) => p.wave === wave)!;
    expect(categoryCells).toEqual(
      small.scales.filter((s) => at(s).category != null).map((s) => [s.code, formatIndex(at(s).category)])
    );
    expect(categoryCells.length).toBeGreaterThan(0);
    // One message: no cards, no charts, no wave selector, no table of 隐去.
    expect(await page.locator("#observablehq-main svg").count()).toBe(0);
    expect(await page.locator(".unit-causes, .unit-compare-card, .unit-trend-card, .unit-responses").count()).toBe(0);
    expect(await page.getByRole("combobox", { name: "调查轮次" }).count()).toBe(0);
    await screenshot("unit-small");
  });

  it("hide a unit's figures in the waves it is too small, and show them in the others", async () => {
    const units = dir.categories.flatMap((c) => c.units);
    const mixed = units.find(
      (u) => u.responses.some((r) => r.suppressed) && !u.responses[u.responses.length - 1].suppressed
    );
    if (!mixed) return;
    const hiddenWave = mixed.responses.find((r) => r.suppressed)!.wave;
    await open(`/units/${mixed.code}`, ".unit-compare-card .unit-compare");
    const { page } = session;
    expect(await page.locator(".unit-causes .index-card--suppressed").count()).toBe(0);
    await page.getByRole("combobox", { name: "调查轮次" }).selectOption({ label: `${hiddenWave}年` });
    await expect
      .poll(() => page.locator(".unit-causes .index-card--suppressed").count())
      .toBe(large.scales.filter((s) => s.level === "dimension").length);
    expect(await page.locator(".unit-finding").textContent()).toContain("样本量不足，已隐去");
    expect(await page.locator(".unit-compare-card g.unit-compare-dot circle").count()).toBe(0);
    clean();
  });
});
