// The assessment page (考核) and the data-quality page (数据质量) in a real chromium against the built dist/: they render
// without errors, request nothing from another origin, show the numbers of their data files, and the what-if sliders
// move the ranking exactly as the weighting formula (src/components/weighting.ts, tested against the SQL) says.
import type { QualityReport } from "../../pipeline/contracts/quality.ts";
import { mkdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { formatIndex, formatNumber } from "../../src/components/format.ts";
import { rankUnits, type IndicatorScores, type WeightedIndicator } from "../../src/components/weighting.ts";
import { openSession, type Session } from "./browser.ts";
import { serveStatic, type StaticServer } from "./server.ts";

const dist = inject("distDir");
const root = fileURLToPath(new URL("../..", import.meta.url));

/** The built file behind FileAttachment(name) on a page, read from the page's registerFile call. */
async function attachment<T>(page: string, name: string): Promise<T> {
  const html = await readFile(`${dist}/${page}.html`, "utf8");
  const m = html.match(
    new RegExp(`registerFile\\("\\./data/${name.replace(/[.-]/g, "\\$&")}", \\{[^}]*"path":"\\./(_file/data/[^"]+)"`)
  );
  if (!m) throw new Error(`no registerFile for data/${name} in ${page}.html`);
  return JSON.parse(await readFile(`${dist}/${m[1]}`, "utf8")) as T;
}

interface Assessment {
  years: number[];
  indicators: (WeightedIndicator & { name: string })[];
  units: { code: string; name: string }[];
  scores: IndicatorScores[];
  totals: { year: number; unit: string; twoSkins: string | null }[];
  twoSkins: { tolerance: number; correlations: { year: number; r: number | null }[] };
  medians: { year: number; partyBuilding: number; business: number; units: number }[];
}
interface Survey {
  correlations: { wave: number; units: number; r: number | null }[];
}
type Quality = QualityReport;

let server: StaticServer;

beforeAll(async () => {
  server = await serveStatic(dist);
});

afterAll(async () => {
  await server?.close();
});

/** The texts of a chart's text mark, top to bottom as drawn. */
async function textsTopDown(session: Session, selector: string): Promise<string[]> {
  return session.page.$$eval(selector, (nodes) =>
    nodes
      .map((n) => ({ top: n.getBoundingClientRect().top, text: n.textContent ?? "" }))
      .sort((a, b) => a.top - b.top)
      .map((t) => t.text)
  );
}

describe("/assessment", () => {
  let session: Session;
  let data: Assessment;
  let survey: Survey;

  beforeAll(async () => {
    data = await attachment<Assessment>("assessment", "assessment.json");
    survey = await attachment<Survey>("assessment", "assessment-survey.json");
    session = await openSession(server.origin);
    await session.page.goto(`${server.origin}/assessment`, { waitUntil: "load" });
    await session.page.waitForFunction(
      () =>
        document.querySelector(".quadrant") &&
        document.querySelector(".rank-slope") &&
        document.querySelector(".share-trend"),
      null,
      {
        timeout: 30_000
      }
    );
  });

  afterAll(async () => {
    await session?.close();
  });

  it("loads without console errors, page errors, or requests to another origin", async () => {
    await session.page.waitForLoadState("networkidle");
    expect(session.pageErrors).toEqual([]);
    expect(session.consoleErrors).toEqual([]);
    expect(session.outsideRequests).toEqual([]);
  });

  it("shows the latest year's medians in the cards and one dot per assessed unit", async () => {
    const { page } = session;
    const year = Math.max(...data.years);
    const m = data.medians.find((x) => x.year === year)!;
    const value = (label: string) =>
      page
        .locator(".index-card", { has: page.locator("h2", { hasText: label }) })
        .locator(".index-card__value")
        .textContent();
    expect(await value("党建考核得分")).toBe(formatIndex(m.partyBuilding));
    expect(await value("业务考核得分")).toBe(formatIndex(m.business));
    const dots = await page.locator("svg.quadrant").first().locator("g.quadrant-dot circle").count();
    expect(dots).toBe(m.units);
    const pbOnly = data.totals.filter((t) => t.year === year && t.twoSkins === "party_building_ahead").length;
    expect(await page.locator(".card h2", { hasText: "党建强、业务弱（" }).textContent()).toContain(`${pbOnly} 个`);
    // the page states the band and shows the correlation
    const finding = await page.locator(".card.finding").first().textContent();
    expect(finding).toContain(`两项排名相差超过 ${data.twoSkins.tolerance} 个百分位`);
    const r = data.twoSkins.correlations.find((c) => c.year === year)?.r ?? null;
    if (r !== null) expect(finding).toContain(`相关系数为 ${formatNumber(r, 2).replace("-", "−")}（误差范围`);
    expect(await page.locator("svg.quadrant g.quadrant-diagonal").count()).toBeGreaterThan(0);
  });

  it("ranks the units as the weighting formula does, and moving a weight slider moves the ranking", async () => {
    const { page } = session;
    const year = Math.max(...data.years);
    const name = new Map(data.units.map((u) => [u.code, u.name]));
    const expected = (weights: Record<string, number>) =>
      rankUnits(data.scores, data.indicators, { year, weights }).map((r) => `${r.rank}. ${name.get(r.unit)}`);
    const shown = async () =>
      (await textsTopDown(session, "svg.rank-slope g.rank-slope-after text")).map((t) => t.replace(/ [▲▼]\d+$/, ""));
    const current = expected({});
    // Names may be cut to fit the column; compare the start of each label.
    const same = (got: string[], want: string[]) =>
      got.length === want.length && got.every((g, i) => want[i].startsWith(g.replace(/…$/, "")));
    // At the defined weights nothing moves: a sentence, not a chart of flat lines.
    expect(await page.locator(".what-if-finding").textContent()).toContain("各单位排名没有变化");
    expect(await page.locator(".rank-slope--unchanged").textContent()).toContain("各单位排名没有变化");
    expect(await page.locator("svg.rank-slope").count()).toBe(0);
    // 列出全部单位 names every unit in rank order.
    await page.getByRole("checkbox", { name: "列出全部单位" }).check();
    await expect.poll(async () => same(await shown(), current), { timeout: 10_000 }).toBe(true);

    // Put no weight on the first process indicator (records of organisational life, in the sample).
    const ledgers = data.indicators.find((i) => i.domain === "party_building" && i.kind === "process")!;
    const slider = page
      .locator(".weight-sliders form")
      .filter({ hasText: ledgers.name })
      .locator('input[type="range"]');
    await slider.fill("0");
    const moved = expected({ [ledgers.code]: 0 });
    expect(moved).not.toEqual(current);
    await expect.poll(async () => same(await shown(), moved), { timeout: 10_000 }).toBe(true);
    expect(await page.locator(".what-if-finding").textContent()).toMatch(/有 \d+ 个排名发生变化/);
    expect(session.pageErrors).toEqual([]);
    expect(session.consoleErrors).toEqual([]);

    // 恢复起点权重 puts the defined weights back, and the ranking with them.
    await page.getByRole("button", { name: "恢复起点权重" }).click();
    await expect.poll(async () => same(await shown(), current), { timeout: 10_000 }).toBe(true);

    // A preset starts from its own weights: the ranking is the formula's at the weights the sliders show.
    await page.getByRole("radio", { name: "过程与结果各占一半" }).check();
    const sliderWeights = async () =>
      Object.fromEntries(
        await Promise.all(
          data.indicators
            .filter((i) => i.domain === "party_building")
            .map(
              async (i) =>
                [
                  i.code,
                  Number(
                    await page
                      .locator(".weight-sliders form")
                      .filter({ hasText: i.name })
                      .locator('input[type="range"]')
                      .inputValue()
                  )
                ] as const
            )
        )
      );
    await expect.poll(async () => (await sliderWeights())[ledgers.code], { timeout: 10_000 }).not.toBe(ledgers.weight);
    const preset = await sliderWeights();
    await expect.poll(async () => same(await shown(), expected(preset)), { timeout: 10_000 }).toBe(true);
    expect(await page.locator(".what-if-finding").textContent()).toContain("过程类指标占党建考核权重的 50%");
    await page.getByRole("radio", { name: "现行权重" }).check();
    await expect.poll(async () => same(await shown(), current), { timeout: 10_000 }).toBe(true);
    await page.getByRole("checkbox", { name: "列出全部单位" }).uncheck();
  });

  it("names only the units that move most (and a picked unit), in text of at least 11 px", async () => {
    const { page } = session;
    const year = Math.max(...data.years);
    const name = new Map(data.units.map((u) => [u.code, u.name]));
    const ledgers = data.indicators.find((i) => i.domain === "party_building" && i.kind === "process")!;
    await page
      .locator(".weight-sliders form")
      .filter({ hasText: ledgers.name })
      .locator('input[type="range"]')
      .fill("0");
    await page.waitForSelector("svg.rank-slope", { timeout: 10_000 });
    const before = new Map(rankUnits(data.scores, data.indicators, { year, weights: {} }).map((r) => [r.unit, r.rank]));
    const after = rankUnits(data.scores, data.indicators, { year, weights: { [ledgers.code]: 0 } });
    const moves = after
      .map((r) => ({ unit: r.unit, rank: r.rank, moved: Math.abs(r.rank - before.get(r.unit)!) }))
      .filter((m) => m.moved > 0);
    // The chart redraws after the slider and after the test before unticked 列出全部单位: until then the old chart (every
    // unit named) is still there, so wait for the redrawn one rather than read the first svg.rank-slope found.
    const labelsNow = () => textsTopDown(session, "svg.rank-slope g.rank-slope-after text");
    await expect.poll(async () => (await labelsNow()).length, { timeout: 20_000 }).toBe(Math.min(10, moves.length));
    const labels = await labelsNow();
    // Each named unit is at its new rank, and moved at least as much as any unit left unnamed.
    const named = labels.map((t) => {
      const m = t.match(/^(\d+)\. (.+?)(?: [▲▼](\d+))?$/)!;
      return { rank: Number(m[1]), name: m[2].replace(/…$/, ""), moved: Number(m[3] ?? 0) };
    });
    for (const l of named) {
      const unit = moves.find((m) => m.rank === l.rank && name.get(m.unit)!.startsWith(l.name));
      expect(unit, `${l.rank}. ${l.name}`).toBeDefined();
      expect(unit!.moved).toBe(l.moved);
    }
    const smallestNamed = Math.min(...named.map((l) => l.moved));
    expect(moves.filter((m) => m.moved > smallestNamed).length).toBeLessThanOrEqual(named.length);
    const fontSizes = await page.$$eval("svg.rank-slope g.rank-slope-after text", (ts) =>
      ts.map((t) => parseFloat(getComputedStyle(t).fontSize))
    );
    fontSizes.forEach((f) => expect(f).toBeGreaterThanOrEqual(11));
    // A picked unit is named too, moved or not.
    const still = after.find((r) => before.get(r.unit) === r.rank)!;
    await page.getByRole("combobox", { name: "突出显示单位" }).selectOption({ label: name.get(still.unit)! });
    await expect
      .poll(async () => (await textsTopDown(session, "svg.rank-slope g.rank-slope-after text")).length)
      .toBe(labels.length + 1);
    const picked = (await textsTopDown(session, "svg.rank-slope g.rank-slope-after text")).filter((t) =>
      `${still.rank}. ${name.get(still.unit)}`.startsWith(t.replace(/…$/, ""))
    );
    expect(picked).toHaveLength(1);
    await page.getByRole("button", { name: "恢复起点权重" }).click();
    await page.getByRole("combobox", { name: "突出显示单位" }).selectOption({ index: 0 });
    expect(session.consoleErrors).toEqual([]);
  });

  it("logs no error while the window is resized from 1440 to 390 px and back", async () => {
    const wide = await openSession(server.origin, { width: 1440, height: 900 });
    try {
      await wide.page.goto(`${server.origin}/assessment`, { waitUntil: "load" });
      await wide.page.waitForSelector(".indicator-weights", { timeout: 30_000 });
      await wide.page.waitForLoadState("networkidle");
      for (const width of [1200, 1000, 800, 640, 500, 390, 640, 1000, 1440]) {
        await wide.page.setViewportSize({ width, height: 900 });
        await wide.page.waitForTimeout(300);
      }
      await wide.page.setViewportSize({ width: 390, height: 844 });
      await wide.page.waitForTimeout(500);
      expect(await wide.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await wide.page.setViewportSize({ width: 1440, height: 900 });
      await wide.page.waitForTimeout(500);
      expect(wide.pageErrors).toEqual([]);
      expect(wide.consoleErrors).toEqual([]);
    } finally {
      await wide.close();
    }
  });

  it("prints the correlation of the survey's 考核机制 index with the assessment that the loader computed", async () => {
    const wave = Math.max(...survey.correlations.map((c) => c.wave));
    const c = survey.correlations.find((x) => x.wave === wave)!;
    if (c.r === null) return;
    expect(await session.page.locator(".card h3", { hasText: "个单位 · 相关系数" }).textContent()).toContain(
      `相关系数 ${formatNumber(c.r, 2).replace("-", "−")}（误差范围`
    );
  });

  it("takes a screenshot (test-results/assessment.png)", async () => {
    await mkdir(`${root}test-results`, { recursive: true });
    await session.page.screenshot({ path: `${root}test-results/assessment.png`, fullPage: true });
    expect(session.outsideRequests).toEqual([]);
  });
});

describe("/quality", () => {
  let session: Session;
  let data: Quality;

  beforeAll(async () => {
    data = await attachment<Quality>("quality", "quality.json");
    session = await openSession(server.origin);
    await session.page.goto(`${server.origin}/quality`, { waitUntil: "load" });
    await session.page.waitForFunction(
      () => document.querySelector("table.quality-files") && document.querySelector(".missing-heatmap"),
      null,
      { timeout: 30_000 }
    );
  });

  afterAll(async () => {
    await session?.close();
  });

  it("loads without console errors, page errors, or requests to another origin", async () => {
    await session.page.waitForLoadState("networkidle");
    expect(session.pageErrors).toEqual([]);
    expect(session.consoleErrors).toEqual([]);
    expect(session.outsideRequests).toEqual([]);
  });

  const rows = (s: Session, table: string) =>
    s.page.$$eval(`table.${table} tbody tr`, (trs) =>
      trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? ""))
    );

  it("lists every ingested file with its counts and checksum", async () => {
    const shown = await rows(session, "quality-files");
    expect(shown.map((r) => r[0])).toEqual(data.files.map((f) => f.name));
    for (const [i, f] of data.files.entries()) {
      expect(shown[i].slice(4, 7)).toEqual([f.rows, f.accepted, f.quarantined].map(String));
      expect(shown[i][9]).toBe(`${f.sha256.slice(0, 12)}…`);
    }
  });

  it("lists every quarantined row by file, row, column and kind of problem (never the cell), and the rejected assessment rows", async () => {
    const label = new Map(data.quarantineKinds.map((k) => [k.kind, k.label]));
    const shown = await rows(session, "quality-quarantine");
    expect(shown.map((r) => [r[0], Number(r[1]), r[2], r[3]])).toEqual(
      data.quarantine.map((q) => [q.file, q.row, q.column, label.get(q.kind)])
    );
    expect(shown.length).toBeGreaterThan(0);
    const assessmentLabel = new Map((data.assessment?.kinds ?? []).map((k) => [k.kind, k.label]));
    const assessment = await rows(session, "quality-assessment");
    expect(assessment.map((r) => [Number(r[0]), r[1], r[2]])).toEqual(
      (data.assessment?.errors ?? []).map((e) => [e.row, e.column, assessmentLabel.get(e.kind)])
    );
    expect(assessment.length).toBeGreaterThan(0);
    // No cell a respondent typed, quoted in a reason, reaches the page.
    expect(await session.page.locator("main").textContent()).not.toMatch(/单位“|答案“|选项“/);
  });

  it("counts speeders and straight-liners per wave as the loader did", async () => {
    const shown = await rows(session, "quality-flags");
    expect(shown.map((r) => [r[1], r[2].split("（")[0], r[3].split("（")[0]])).toEqual(
      data.flags.map((f) => [f.respondents, f.speeders, f.straightliners].map(String))
    );
  });

  it("takes a screenshot (test-results/quality.png)", async () => {
    await mkdir(`${root}test-results`, { recursive: true });
    await session.page.screenshot({ path: `${root}test-results/quality.png`, fullPage: true });
    expect(session.outsideRequests).toEqual([]);
  });
});
