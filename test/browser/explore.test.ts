// The explore page (探索) in a real chromium against the built dist/: DuckDB-wasm starts offline from the site's own
// files, the published Arrow tables are queryable, the default query's table and chart show the numbers of the
// Arrow file (decoded here with apache-arrow and filtered with plain code), and a bad query shows its error.
import { mkdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { arrowRows } from "../helpers/dist-scan.ts";
import { openSession, type Session } from "./browser.ts";
import { serveStatic, type StaticServer } from "./server.ts";

const dist = inject("distDir");
const root = fileURLToPath(new URL("../..", import.meta.url));

type Row = Record<string, unknown>;
interface Catalog {
  minGroupSize: number;
  waves: number[];
  tables: { name: string; rows: number; columns: { name: string; type: string; description: string }[] }[];
}

/** The built file behind FileAttachment(name) on the page, from its registerFile call. */
function builtPath(html: string, name: string): string {
  const escaped = `./data/${name}`.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const m = html.match(new RegExp(`registerFile\\("${escaped}", \\{[^}]*"path":"\\./(_file/data/[^"]+)"`));
  if (!m) throw new Error(`no registerFile for data/${name} in explore.html`);
  return `${dist}/${m[1]}`;
}

let server: StaticServer;
let session: Session;
let catalog: Catalog;
const tables: Record<string, Row[]> = {};

/** The result table's cells, row by row, as the page shows them. */
async function resultCells(): Promise<string[][]> {
  return session.page.$$eval(".explore-result table tbody tr", (trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].slice(1).map((td) => td.textContent?.trim() ?? ""))
  );
}

/**
 * Runs a query and waits for its result. The page draws every result anew, but two runs can print the same summary
 * (共 7 行，2 列，用时 7 毫秒 for the waves and then for the years): waiting for the text to change then waited forever.
 * So the paragraphs already there are marked, and the wait is for one that is not.
 */
async function runQuery(sql: string): Promise<void> {
  const { page } = session;
  await page.evaluate(() => {
    for (const p of document.querySelectorAll(".explore-result p")) p.setAttribute("data-stale", "");
  });
  await page.locator("textarea").fill(sql);
  await page.getByRole("button", { name: "运行查询" }).click();
  await page.waitForSelector(".explore-result p:not([data-stale])", { timeout: 20_000 });
}

beforeAll(async () => {
  const html = await readFile(`${dist}/explore.html`, "utf8");
  catalog = JSON.parse(await readFile(builtPath(html, "explore/tables.json"), "utf8"));
  for (const [name, file] of [
    ["scale_scores", "scale-scores"],
    ["item_distributions", "item-distributions"],
    ["response_rates", "response-rates"],
    ["assessment_totals", "assessment-totals"]
  ])
    tables[name] = arrowRows(await readFile(builtPath(html, `explore/${file}.arrow`)));
  server = await serveStatic(dist);
  session = await openSession(server.origin);
  await session.page.goto(`${server.origin}/explore`, { waitUntil: "load" });
  await session.page.waitForSelector(".result-chart", { timeout: 90_000 });
}, 180_000);

afterAll(async () => {
  await session?.close();
  await server?.close();
});

describe("/explore", () => {
  it("starts DuckDB-wasm from the site's own files, without errors or requests to another origin", async () => {
    await session.page.waitForLoadState("networkidle");
    expect(session.pageErrors).toEqual([]);
    expect(session.consoleErrors).toEqual([]);
    expect(session.outsideRequests).toEqual([]);
  });

  it("runs the default query: the causes' sub-dimensions of the latest wave for everyone, weakest first", async () => {
    const wave = Math.max(...catalog.waves);
    const want = tables.scale_scores
      .filter((r) => r.section === "causes" && r.level === "subdimension" && r.breakdown === "all" && r.wave === wave)
      .sort((a, b) => (a.index as number) - (b.index as number));
    expect(want.length).toBeGreaterThan(0);
    const cells = await resultCells();
    expect(cells.map((c) => c[0])).toEqual(want.map((r) => r.name));
    const headers = await session.page.$$eval(".explore-result table thead th", (ths) =>
      ths.slice(1).map((th) => th.textContent?.trim())
    );
    const col = (name: string) => headers.indexOf(name);
    cells.forEach((c, i) => {
      expect(Number(c[col("n")].replace(/,/g, ""))).toBe(want[i].n);
      expect(Number(c[col("index")])).toBe(want[i].index as number);
      expect(Number(c[col("index_low")])).toBe(want[i].index_low as number);
    });
  });

  it("draws the default result with ScoreBars: one bar per sub-dimension ending at its index", async () => {
    const wave = Math.max(...catalog.waves);
    const want = tables.scale_scores
      .filter((r) => r.section === "causes" && r.level === "subdimension" && r.breakdown === "all" && r.wave === wave)
      .sort((a, b) => (a.index as number) - (b.index as number));
    const ends = await session.page.$eval(".result-chart", (chart) => {
      const x = (chart as unknown as { scale(n: string): { invert(v: number): number } }).scale("x");
      return [...chart.querySelectorAll("g.score-bars-bar rect")].map((r) =>
        x.invert(Number(r.getAttribute("x")) + Number(r.getAttribute("width")))
      );
    });
    expect(await session.page.getAttribute(".result-chart", "data-shape")).toBe("scores");
    expect(ends).toHaveLength(want.length);
    ends.forEach((e, i) => expect(e).toBeCloseTo(want[i].index as number, 6));
  });

  it("queries every published table, as many rows as the Arrow files hold", async () => {
    await runQuery(
      "SELECT 'scale_scores' AS name, count(*) AS row_count FROM scale_scores UNION ALL SELECT 'item_distributions', count(*) FROM item_distributions " +
        "UNION ALL SELECT 'response_rates', count(*) FROM response_rates UNION ALL SELECT 'assessment_totals', count(*) FROM assessment_totals ORDER BY name"
    );
    const cells = await resultCells();
    const got = Object.fromEntries(cells.map((c) => [c[0], Number(c[1].replace(/,/g, ""))]));
    expect(got).toEqual(Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, v.length])));
    for (const t of catalog.tables) expect(got[t.name], t.name).toBe(t.rows);
  });

  it("keeps suppressed cells empty in SQL too", async () => {
    await runQuery("SELECT count(*) AS hidden, count(n) AS with_n FROM response_rates WHERE suppressed");
    const [[hidden, withN]] = await resultCells();
    expect(Number(hidden)).toBe(tables.response_rates.filter((r) => r.suppressed).length);
    expect(Number(withN)).toBe(0);
  });

  it("shows an error for a bad query, and the page stays usable", async () => {
    await runQuery("SELECT no_such_column FROM scale_scores");
    expect(await session.page.locator(".explore-error").textContent()).toContain("no_such_column");
    expect(session.pageErrors).toEqual([]);
    // Back to the first example for the screenshot.
    const select = session.page.getByRole("combobox", { name: "示例查询" });
    await select.selectOption({ index: 1 });
    await select.selectOption({ index: 0 });
    await session.page.waitForSelector(".result-chart[data-shape=scores]");
  });

  it("writes waves as 2019年, never 2,019", async () => {
    await runQuery("SELECT wave, count(*) AS row_count FROM scale_scores GROUP BY wave ORDER BY wave");
    const cells = await resultCells();
    expect(cells.map((c) => c[0])).toEqual(catalog.waves.map((w) => `${w}年`));
    expect(cells.map((c) => c[0]).join("")).not.toMatch(/\d,\d/);
  });

  it("keeps the query in the URL and opens a shared link on the same query", async () => {
    const sql = "SELECT year, count(*) AS units FROM assessment_totals GROUP BY year ORDER BY year";
    await runQuery(sql);
    const search = await session.page.evaluate(() => location.search);
    expect(new URLSearchParams(search).get("sql")).toBe(sql);
    const other = await openSession(server.origin);
    try {
      await other.page.goto(`${server.origin}/explore${search}`, { waitUntil: "load" });
      await other.page.waitForSelector(".explore-result table tbody tr", { timeout: 90_000 });
      expect(await other.page.locator("textarea").inputValue()).toBe(sql);
      const years = [...new Set(tables.assessment_totals.map((r) => r.year as number))].sort((a, b) => a - b);
      const firstColumn = await other.page.$$eval(".explore-result table tbody tr", (trs) =>
        trs.map((tr) => tr.querySelectorAll("td")[1]?.textContent?.trim())
      );
      expect(firstColumn).toEqual(years.map((y) => `${y}年`));
      expect(other.consoleErrors).toEqual([]);
      expect(other.pageErrors).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it("downloads the result as CSV in UTF-8 with a BOM, at full precision", async () => {
    const { page } = session;
    const sql =
      "SELECT wave, name, index FROM scale_scores WHERE level = 'dimension' AND breakdown = 'all' ORDER BY wave, code";
    await runQuery(sql);
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: 20_000 }),
      page.getByRole("button", { name: "下载结果（CSV）" }).click()
    ]);
    expect(download.suggestedFilename()).toBe("查询结果.csv");
    const bytes = await readFile((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString("utf8").trimEnd().split("\r\n");
    expect(lines[0]).toBe("wave,name,index");
    const want = tables.scale_scores
      .filter((r) => r.level === "dimension" && r.breakdown === "all")
      .sort((a, b) => (a.wave as number) - (b.wave as number) || String(a.code).localeCompare(String(b.code)));
    expect(lines.slice(1)).toEqual(want.map((r) => [r.wave, r.name, r.index ?? ""].join(",")));
    expect(session.consoleErrors).toEqual([]);
  });

  it("says 正在加载数据… (not a bare ↻) while DuckDB-wasm loads", async () => {
    const slow = await openSession(server.origin);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    try {
      await slow.context.route("**/*.wasm", async (route) => {
        await gate;
        await route.continue();
      });
      await slow.page.goto(`${server.origin}/explore`, { waitUntil: "load" });
      // Once the small files are in (the tables' guide is drawn), only what waits for DuckDB is left loading.
      await slow.page.waitForSelector("details.explore-table", { timeout: 30_000 });
      await slow.page.waitForSelector(".explore-result observablehq-loading", { timeout: 30_000 });
      const shown = await slow.page.$$eval("#observablehq-main observablehq-loading", (els) =>
        els
          .filter((e) => getComputedStyle(e).display !== "none")
          .map((e) => [e.closest(".card")?.className ?? "", getComputedStyle(e, "::before").content])
      );
      expect(shown.length).toBeGreaterThan(0);
      for (const [, content] of shown) expect(content).toBe('"正在加载数据…"');
      // One message per card.
      expect(new Set(shown.map(([card]) => card)).size).toBe(shown.length);
      release();
      await slow.page.waitForSelector(".result-chart", { timeout: 90_000 });
      expect(slow.pageErrors).toEqual([]);
      expect(slow.consoleErrors).toEqual([]);
    } finally {
      release();
      await slow.close();
    }
  });

  it("lists each table with its columns for the analyst", async () => {
    const summaries = await session.page.$$eval("details.explore-table summary", (s) =>
      s.map((e) => e.textContent ?? "")
    );
    expect(summaries.map((s) => s.split(" ")[0])).toEqual(catalog.tables.map((t) => t.name));
    const columns = await session.page.$$eval("details.explore-table tbody tr td:first-child", (tds) =>
      tds.map((td) => td.textContent)
    );
    expect(columns).toEqual(catalog.tables.flatMap((t) => t.columns.map((c) => c.name)));
  });

  it("takes a screenshot (test-results/explore.png)", async () => {
    await mkdir(`${root}test-results`, { recursive: true });
    await session.page.screenshot({ path: `${root}test-results/explore.png`, fullPage: true });
    expect(session.outsideRequests).toEqual([]);
  });
});
