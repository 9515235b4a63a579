// The causes page (原因剖析) in a real chromium against the built dist/: it renders without errors, requests
// nothing from another origin, and shows the numbers of its data files.
import { mkdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { formatIndex } from "../../src/components/format.ts";
import { checkCausesContract } from "../site/contract.ts";
import { openSession, type Session } from "./browser.ts";
import { serveStatic, type StaticServer } from "./server.ts";

const dist = inject("distDir");
const root = fileURLToPath(new URL("../..", import.meta.url));

interface Meta {
  waves: number[];
  minGroupSize: number;
  dimensions: { code: string; name: string; subdimensions: { code: string; name: string }[] }[];
  groupings: { key: string; name: string; groups: string[] }[];
}
interface Score { wave: number; grouping: string; group: string; level: string; code: string; index: number | null; suppressed: boolean }
interface Item { wave: number; grouping: string; group: string; code: string; dimension: string; suppressed: boolean }

/** The built file behind FileAttachment(name) on a page, read from the page's registerFile call. */
async function attachment<T>(html: string, name: string): Promise<T> {
  const m = html.match(new RegExp(`registerFile\\("\\./data/${name.replace(".", "\\.")}", \\{[^}]*"path":"\\./(_file/data/[^"]+)"`));
  if (!m) throw new Error(`no registerFile for data/${name} in causes.html`);
  return JSON.parse(await readFile(`${dist}/${m[1]}`, "utf8")) as T;
}

let server: StaticServer;
let session: Session;
let meta: Meta;
let scores: Score[];
let items: Item[];

beforeAll(async () => {
  const html = await readFile(`${dist}/causes.html`, "utf8");
  meta = await attachment<Meta>(html, "causes-meta.json");
  scores = await attachment<Score[]>(html, "causes-scores.json");
  items = await attachment<Item[]>(html, "causes-items.json");
  server = await serveStatic(dist);
  session = await openSession(server.origin);
  await session.page.goto(`${server.origin}/causes`, { waitUntil: "load" });
  await session.page.waitForFunction(
    () => document.querySelectorAll("figure.likert-bars, svg.likert-bars").length >= 3 && document.querySelector(".score-bars"),
    null,
    { timeout: 30_000 }
  );
});

afterAll(async () => {
  await session?.close();
  await server?.close();
});

describe("/causes", () => {
  it("is built from data that follows the contract (test/site/contract.ts)", () => {
    expect(checkCausesContract(meta as never, scores as never, items as never)).toEqual([]);
  });

  it("loads without console errors, page errors, or requests to another origin", async () => {
    await session.page.waitForLoadState("networkidle");
    expect(session.pageErrors).toEqual([]);
    expect(session.consoleErrors).toEqual([]);
    expect(session.outsideRequests).toEqual([]);
    expect(await session.page.getAttribute("html", "lang")).toBe("zh-CN");
  });

  it("shows the three causes with the indexes of the latest wave for everyone", async () => {
    const { page } = session;
    const wave = Math.max(...meta.waves);
    expect(meta.dimensions).toHaveLength(3);
    for (const dim of meta.dimensions) {
      const card = page.locator(".index-card", { has: page.locator("h2", { hasText: dim.name }) });
      await expect.poll(() => card.count()).toBe(1);
      expect(await card.isVisible()).toBe(true);
      const row = scores.find((d) => d.wave === wave && d.grouping === "all" && d.level === "dimension" && d.code === dim.code);
      expect(row, `score row for ${dim.code}`).toBeDefined();
      expect(await card.locator(".index-card__value").textContent()).toBe(formatIndex(row!.index));
    }
  });

  it("draws one Likert bar (or suppression note) per item, in one chart per cause", async () => {
    const wave = Math.max(...meta.waves);
    const expected = items.filter((d) => d.wave === wave && d.grouping === "all");
    const rowsPerChart = await session.page.$$eval("figure.likert-bars, svg.likert-bars", (charts) =>
      charts.map((chart) => {
        const ys = new Set([...chart.querySelectorAll("g.likert-segments rect")].map((r) => r.getAttribute("y")));
        return ys.size + chart.querySelectorAll("g.likert-suppressed text").length;
      })
    );
    expect(rowsPerChart).toEqual(meta.dimensions.map((dim) => expected.filter((d) => d.dimension === dim.code).length));
    expect(rowsPerChart.reduce((a, b) => a + b, 0)).toBe(expected.length);
  });

  it("hides a group below the minimum size", async () => {
    const { page } = session;
    const hidden = scores.find((d) => d.suppressed && d.level === "dimension" && d.grouping !== "all");
    if (!hidden) return; // nothing suppressed in this data
    const grouping = meta.groupings.find((g) => g.key === hidden.grouping)!;
    await page.getByRole("combobox", { name: "调查轮次" }).selectOption({ label: `${hidden.wave}年` });
    await page.getByRole("radio", { name: grouping.name, exact: true }).check();
    const groupSelect = page.getByRole("combobox", { name: "具体群体" });
    await groupSelect.waitFor();
    await groupSelect.selectOption({ label: `${hidden.group}（样本不足）` });
    await expect.poll(() => page.locator(".index-card--suppressed").count()).toBe(3);
    expect(await page.locator(".finding").textContent()).toContain(`少于${meta.minGroupSize}人`);
    expect(session.pageErrors).toEqual([]);
    expect(session.consoleErrors).toEqual([]);
    // Back to the default view for the screenshot.
    await page.getByRole("radio", { name: meta.groupings[0].name, exact: true }).check();
    await page.getByRole("combobox", { name: "调查轮次" }).selectOption({ label: `${Math.max(...meta.waves)}年` });
    await expect.poll(() => page.locator(".index-card--suppressed").count()).toBe(0);
  });

  it("takes a screenshot (test-results/causes.png)", async () => {
    await mkdir(`${root}test-results`, { recursive: true });
    await session.page.screenshot({ path: `${root}test-results/causes.png`, fullPage: true });
    expect(session.outsideRequests).toEqual([]);
  });
});
