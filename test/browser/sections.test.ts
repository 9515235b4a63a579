// The section pages in a real chromium against the built dist/: 原因剖析 (/causes and one page per cause), 工作成效
// (/achievements), 存在问题 (/problems) and 对策建议 (/measures). Each renders without console or page errors,
// requests nothing from another origin, and shows the numbers of the data files its loaders wrote (read here from
// the page's registerFile entries and decoded as the page decodes them).
import { mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CORRELATION_CAVEAT } from "../../pipeline/stats/drivers.ts";
import { changeView } from "../../src/components/changeBadge.ts";
import { formatIndex } from "../../src/components/format.ts";
import { formatR } from "../../src/components/drivers.ts";
import { quote } from "../../src/components/sectionFinding.ts";
import {
  expandCube,
  expandSection,
  type Cube,
  type ItemRow,
  type ScoreRow,
  type SectionMeta
} from "../../src/components/sectionData.ts";
import {
  SectionItemsFileSchema,
  SectionMetaSchema,
  SectionScoresFileSchema
} from "../../pipeline/contracts/sections.ts";
import { openSession, type Session } from "./browser.ts";
import { serveStatic, type StaticServer } from "./server.ts";

const dist = inject("distDir");
const root = fileURLToPath(new URL("../..", import.meta.url));

/** The built file behind FileAttachment(name) on a page (e.g. "causes/cognition"), read from its registerFile call. */
async function attachment<T>(page: string, name: string): Promise<T> {
  const html = await readFile(`${dist}/${page}.html`, "utf8");
  const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const m = html.match(
    new RegExp(
      `registerFile\\("(?:\\./|\\.\\./)*data/${escaped}", \\{[^}]*"path":"((?:\\./|\\.\\./)*_file/data/[^"]+)"`
    )
  );
  if (!m) throw new Error(`no registerFile for data/${name} in ${page}.html`);
  return JSON.parse(await readFile(`${dirname(`${dist}/${page}.html`)}/${m[1]}`, "utf8")) as T;
}

async function sectionData(page: string, section: string) {
  const meta = await attachment<SectionMeta & Record<string, unknown>>(page, `sections/${section}-meta.json`);
  const { scores, items } = expandSection(
    meta,
    await attachment<Cube>(page, `sections/${section}-scores.json`),
    await attachment<Cube>(page, `sections/${section}-items.json`)
  );
  return { meta, scores, items };
}

const latest = (meta: { waves: number[] }) => Math.max(...meta.waves);
const forAll = (rows: ScoreRow[], wave: number, level: string, code: string) =>
  rows.find((d) => d.wave === wave && d.grouping === "all" && d.level === level && d.code === code)!;
/** What a card must say about the change (src/components/changeBadge.ts, the one rule for every card). */
function changeWords(row: ScoreRow): string {
  return changeView({
    change: row.indexChange,
    significant: row.changeSignificant,
    suppressed: row.suppressed,
    previousWave: row.previousWave
  }).words;
}

let server: StaticServer;
let session: Session;

beforeAll(async () => {
  server = await serveStatic(dist);
  session = await openSession(server.origin);
});

afterAll(async () => {
  await session?.close();
  await server?.close();
});

async function open(path: string, ready: string): Promise<void> {
  session.consoleErrors.length = 0;
  session.pageErrors.length = 0;
  await session.page.goto(`${server.origin}${path}`, { waitUntil: "load" });
  await session.page.waitForFunction((selector) => !!document.querySelector(selector), ready, { timeout: 30_000 });
  await session.page.waitForLoadState("networkidle");
}

function expectClean(): void {
  expect(session.pageErrors).toEqual([]);
  expect(session.consoleErrors).toEqual([]);
  expect(session.outsideRequests).toEqual([]);
}

async function screenshot(name: string): Promise<void> {
  await mkdir(`${root}test-results`, { recursive: true });
  await session.page.screenshot({ path: `${root}test-results/${name}.png`, fullPage: true });
}

/** Card texts by label: {value, change} of every .index-card whose h2 is the label. */
async function card(label: string) {
  const { page } = session;
  const locator = page.locator(".index-card", { has: page.locator("h2", { hasText: label }) });
  await expect.poll(() => locator.count()).toBe(1);
  return {
    locator,
    value: await locator.locator(".index-card__value").textContent(),
    change: await locator.locator(".index-card__change").textContent(),
    // The change badge's classes (colour); every card has one.
    delta: (await locator.locator(".change-badge").count())
      ? await locator.locator(".change-badge").getAttribute("class")
      : null
  };
}

describe("/causes", () => {
  let meta: SectionMeta & Record<string, unknown>;
  let scores: ScoreRow[];
  let items: ItemRow[];

  beforeAll(async () => {
    ({ meta, scores, items } = await sectionData("causes", "causes"));
    await open("/causes", ".score-bars");
    await session.page.waitForFunction(
      () => document.querySelectorAll("figure.likert-bars, svg.likert-bars").length >= 3,
      null,
      { timeout: 30_000 }
    );
  });

  it("is built from files that follow their contracts (pipeline/contracts/sections.ts)", async () => {
    expect(SectionMetaSchema.safeParse(meta).error).toBeUndefined();
    expect(
      SectionScoresFileSchema.safeParse(await attachment("causes", "sections/causes-scores.json")).error
    ).toBeUndefined();
    expect(
      SectionItemsFileSchema.safeParse(await attachment("causes", "sections/causes-items.json")).error
    ).toBeUndefined();
    expect(scores.length).toBeGreaterThan(0);
    expect(items.length).toBeGreaterThan(0);
  });

  it("loads without console errors, page errors, or requests to another origin", async () => {
    expectClean();
    expect(await session.page.getAttribute("html", "lang")).toBe("zh-CN");
  });

  it("shows the three causes with the indexes of the latest wave for everyone, and the change in words", async () => {
    const wave = latest(meta);
    expect(meta.dimensions).toHaveLength(3);
    for (const dim of meta.dimensions) {
      const c = await card(dim.name);
      expect(await c.locator.isVisible()).toBe(true);
      const row = forAll(scores, wave, "dimension", dim.code);
      expect(row, `score row for ${dim.code}`).toBeDefined();
      expect(c.value).toBe(formatIndex(row.index));
      expect(c.change).toContain(changeWords(row));
    }
  });

  it("draws one Likert bar (or suppression note) per item, in one chart per cause", async () => {
    const wave = latest(meta);
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
    await page.getByRole("combobox", { name: "调查轮次" }).selectOption({ label: `${latest(meta)}年` });
    await expect.poll(() => page.locator(".index-card--suppressed").count()).toBe(0);
  });

  it("takes a screenshot (test-results/causes.png)", async () => {
    await screenshot("causes");
    expect(session.outsideRequests).toEqual([]);
  });
});

for (const { path, section, title } of [
  { path: "/achievements", section: "achievements", title: "工作成效" },
  { path: "/problems", section: "problems", title: "存在问题" }
]) {
  describe(path, () => {
    let meta: SectionMeta & Record<string, unknown>;
    let scores: ScoreRow[];
    let items: ItemRow[];

    beforeAll(async () => {
      ({ meta, scores, items } = await sectionData(section, section));
      await open(path, ".score-bars");
      await session.page.waitForFunction(
        (n) => document.querySelectorAll("figure.likert-bars, svg.likert-bars").length >= n,
        meta.dimensions.length,
        { timeout: 30_000 }
      );
    });

    it("loads without console errors, page errors, or requests to another origin", async () => {
      expectClean();
      expect(await session.page.locator("h1").first().textContent()).toBe(title);
      expect(SectionMetaSchema.safeParse(meta).error).toBeUndefined();
      expect(
        SectionScoresFileSchema.safeParse(await attachment(section, `sections/${section}-scores.json`)).error
      ).toBeUndefined();
      expect(items.length).toBeGreaterThan(0);
    });

    it("shows each dimension's index of the latest wave, its change in words, coloured by the section's direction", async () => {
      const wave = latest(meta);
      const higherIsBetter = meta.section.direction === "higher_is_better";
      for (const dim of meta.dimensions) {
        const row = forAll(scores, wave, "dimension", dim.code);
        const c = await card(dim.name);
        expect(c.value, dim.code).toBe(formatIndex(row.index));
        expect(c.change).toContain(changeWords(row));
        if (row.changeSignificant) {
          const better = row.indexChange! > 0 === higherIsBetter;
          expect(c.delta, dim.code).toContain(better ? "green" : "red");
        } else if (row.changeSignificant === false) {
          expect(c.delta).toContain("muted");
          expect(c.change, dim.code).not.toMatch(/[▲▼]|上升|下降/);
        }
      }
    });

    it("says which way the index reads", async () => {
      const text = await session.page.locator("#observablehq-main").textContent();
      if (meta.section.direction === "higher_is_worse") {
        expect(text).toContain("指数越高，问题越突出");
        expect(await session.page.locator(".index-card").first().textContent()).toContain("认为存在该问题的比例");
        // Beside every figure, not only at the top of the page: each card with a number says it under the number.
        const cards = session.page.locator(".index-card:not(.index-card--suppressed)");
        expect(await cards.count()).toBeGreaterThan(0);
        for (const card of await cards.all())
          expect(await card.locator(".index-card__direction").textContent()).toBe("指数越高，问题越突出");
      } else expect(text).toContain("得分越高，成效越明显");
    });

    it("draws every sub-dimension with its interval and one Likert chart per dimension", async () => {
      const wave = latest(meta);
      const subs = scores.filter((d) => d.wave === wave && d.grouping === "all" && d.level === "subdimension");
      expect(await session.page.locator(".score-bars g.score-bars-bar rect").count()).toBe(
        subs.filter((d) => !d.suppressed).length
      );
      const expected = items.filter((d) => d.wave === wave && d.grouping === "all");
      const rowsPerChart = await session.page.$$eval("figure.likert-bars, svg.likert-bars", (charts) =>
        charts.map(
          (chart) =>
            new Set([...chart.querySelectorAll("g.likert-segments rect")].map((r) => r.getAttribute("y"))).size +
            chart.querySelectorAll("g.likert-suppressed text").length
        )
      );
      expect(rowsPerChart).toEqual(
        meta.dimensions.map((dim) => expected.filter((d) => d.dimension === dim.code).length)
      );
    });

    it("follows the wave and group inputs", async () => {
      const { page } = session;
      const wave = meta.waves[0];
      const grouping = meta.groupings.find((g) => g.key === "role")!;
      const row = (code: string, group: string) =>
        scores.find(
          (d) =>
            d.wave === wave && d.grouping === "role" && d.group === group && d.level === "dimension" && d.code === code
        )!;
      const group = grouping.groups.find((g) => !row(meta.dimensions[0].code, g)?.suppressed)!;
      await page.getByRole("combobox", { name: "调查轮次" }).selectOption({ label: `${wave}年` });
      await page.getByRole("radio", { name: grouping.name, exact: true }).check();
      await page.getByRole("combobox", { name: "具体群体" }).selectOption({ label: group });
      for (const dim of meta.dimensions)
        await expect.poll(async () => (await card(dim.name)).value).toBe(formatIndex(row(dim.code, group).index));
      // The first wave has nothing to compare with.
      expect((await card(meta.dimensions[0].name)).change).toContain("暂无上一轮可比数据");
      expect(await page.locator(".finding").textContent()).toContain(`“${group}”群体`);
      expectClean();
      await page.getByRole("radio", { name: meta.groupings[0].name, exact: true }).check();
      await page.getByRole("combobox", { name: "调查轮次" }).selectOption({ label: `${latest(meta)}年` });
      await expect
        .poll(async () => (await card(meta.dimensions[0].name)).value)
        .toBe(formatIndex(forAll(scores, latest(meta), "dimension", meta.dimensions[0].code).index));
    });

    it(`takes a screenshot (test-results/${section}.png)`, async () => {
      await screenshot(section);
      expect(session.outsideRequests).toEqual([]);
    });
  });
}

for (const cause of ["cognition", "capacity", "mechanisms"]) {
  describe(`/causes/${cause}`, () => {
    let meta: SectionMeta & Record<string, unknown>;
    let scores: ScoreRow[];
    let drivers: {
      caveat: string;
      predictors: { dimensions: { code: string; name: string }[] };
      outcomes: { dimensions: { code: string; name: string }[] };
      correlations: Cube;
      regressions: {
        wave: number;
        outcome: string;
        n: number | null;
        rSquared: number | null;
        coefficients: { predictor: string; beta: number; p: number }[] | null;
        suppressed: boolean;
      }[];
    };

    beforeAll(async () => {
      ({ meta, scores } = await sectionData(`causes/${cause}`, "causes"));
      drivers = await attachment(`causes/${cause}`, "drivers/causes-problems.json");
      await open(`/causes/${cause}`, ".correlation-dots");
      await session.page.waitForFunction(
        () => document.querySelectorAll(".group-dots").length >= 3 && document.querySelector(".regression-table"),
        null,
        { timeout: 30_000 }
      );
    });

    it("loads without console errors, page errors, or requests to another origin", () => {
      expectClean();
    });

    it("is about its cause: title, finding and one card per sub-dimension with the latest wave's index", async () => {
      const dim = meta.dimensions.find((d) => d.code === cause)!;
      const wave = latest(meta);
      expect(await session.page.locator("h1").first().textContent()).toBe(dim.name);
      // The page's title (tab, bookmark, printed header) names the cause too, not a title shared by all three.
      expect(await session.page.title()).toMatch(new RegExp(`^${dim.name} · 原因剖析 \\| `));
      expect(await session.page.locator(".finding").first().textContent()).toContain(
        `指数为 ${formatIndex(forAll(scores, wave, "dimension", cause).index)}`
      );
      for (const s of dim.subdimensions) {
        const row = forAll(scores, wave, "subdimension", s.code);
        const c = await card(s.name);
        expect(c.value, s.code).toBe(formatIndex(row.index));
        // Named for what it measures; the report's name for the fault is beside it.
        if (s.reportName)
          expect(await c.locator.locator(".index-card__subtitle").textContent()).toBe(
            `对应报告所说的“${s.reportName}”`
          );
        expect(c.change).toContain(changeWords(row));
      }
    });

    it("compares the groups of 身份, 党务工作年限 and 单位类别 side by side", async () => {
      const wave = latest(meta);
      for (const key of ["role", "tenure", "unit_category"]) {
        const grouping = meta.groupings.find((g) => g.key === key)!;
        const rows = grouping.groups.map((g) =>
          scores.find(
            (d) => d.wave === wave && d.grouping === key && d.group === g && d.level === "dimension" && d.code === cause
          )
        );
        const chart = session.page.locator(`.breakdown-card[data-grouping="${key}"]`);
        expect(await chart.locator("h2").textContent()).toBe(`按${grouping.name}`);
        expect(await chart.locator("g.group-dots-dot circle").count()).toBe(
          rows.filter((r) => r && !r.suppressed).length
        );
        const labels = await chart.locator("svg text").allTextContents();
        for (const r of rows)
          if (r && !r.suppressed) expect(labels, `${key} ${r.group}`).toContain(formatIndex(r.index));
      }
      const box = await session.page.locator(".breakdown-card").first().boundingBox();
      const next = await session.page.locator(".breakdown-card").nth(1).boundingBox();
      expect(Math.abs(box!.y - next!.y)).toBeLessThan(2); // side by side on a desktop screen
    });

    it("shows the correlations with the problems and the regression, with the caveat beside them", async () => {
      const { page } = session;
      const wave = latest(meta);
      const dim = meta.dimensions.find((d) => d.code === cause)!;
      const predictors = [cause, ...dim.subdimensions.map((s) => s.code)];
      const cells = expandCube<{
        wave: number;
        predictor: string;
        outcome: string;
        r: number | null;
        suppressed: boolean;
      }>(drivers.correlations).filter((c) => c.wave === wave && predictors.includes(c.predictor));
      expect(await page.locator(".correlation-dots g.correlation-dots-dot circle").count()).toBe(
        cells.filter((c) => !c.suppressed).length
      );
      expect(drivers.caveat).toBe(CORRELATION_CAVEAT);
      expect(await page.locator(".caution").textContent()).toContain(CORRELATION_CAVEAT);
      expect(await page.locator(".card", { has: page.locator(".regression-table") }).textContent()).toContain(
        CORRELATION_CAVEAT
      );
      for (const model of drivers.regressions.filter((m) => m.wave === wave)) {
        const row = page.locator(`.regression-table tr[data-outcome="${model.outcome}"]`);
        if (model.suppressed) {
          expect(await row.textContent()).toContain("样本量不足");
          continue;
        }
        const k = model.coefficients!.find((c) => c.predictor === cause)!;
        expect(await row.locator(`td[data-predictor="${cause}"]`).textContent()).toBe(formatR(k.beta));
        expect(await row.locator("td").last().textContent()).toBe(String(model.n));
      }
      const strongest = cells
        .filter((c) => c.predictor === cause && !c.suppressed)
        .sort((a, b) => Math.abs(b.r!) - Math.abs(a.r!))[0];
      const finding = await page.locator(".finding").nth(1).textContent();
      expect(finding).toContain(`相关系数 ${formatR(strongest.r)}`);
      // The p values and intervals are for /methods and the analysts' pages, not the leaders' finding.
      expect(finding).not.toMatch(/p [<=]|置信区间/);
    });

    it("names the report's measures for this cause", async () => {
      const text = await session.page.locator("#observablehq-main").textContent();
      const subs = meta.dimensions.find((d) => d.code === cause)!.subdimensions.map((s) => s.code);
      const measures = (meta.measures ?? []).filter((m) =>
        m.parts.some((p) => p.addresses.some((a) => subs.includes(a)))
      );
      expect(measures.length).toBeGreaterThan(0);
      for (const m of measures) expect(text).toContain(`“${m.name}”`);
    });

    if (cause === "cognition")
      it("takes a screenshot (test-results/causes-cognition.png)", async () => {
        await screenshot("causes-cognition");
        expect(session.outsideRequests).toEqual([]);
      });
  });
}

describe("/measures", () => {
  type Priority = {
    wave: number;
    grouping: string;
    group: string;
    code: string;
    need: number | null;
    rank: number | null;
    applies: boolean;
  };
  let data: {
    waves: number[];
    groupings: { key: string; groups: string[] }[];
    measures: { code: string; name: string; parts: { code: string; name: string }[] }[];
    subdimensions: Record<string, { name: string; section: string }>;
    priorities: Cube;
    parts: Cube;
    evidence: Cube;
  };
  let priorities: Priority[];
  let parts: Priority[];

  beforeAll(async () => {
    data = await attachment("measures", "measures.json");
    priorities = expandCube<Priority>(data.priorities);
    parts = expandCube<Priority>(data.parts);
    await open("/measures", ".measure-card");
    await session.page.waitForFunction(() => document.querySelector(".need-bars"), null, { timeout: 30_000 });
  });

  const ranked = (rows: Priority[], wave: number, grouping: string, group: string) =>
    rows
      .filter((p) => p.wave === wave && p.grouping === grouping && p.group === group)
      .sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99));

  it("loads without console errors, page errors, or requests to another origin", () => {
    expectClean();
  });

  it("lists the measures in the report's order, each with its need, its priority and its parts", async () => {
    const { page } = session;
    const wave = Math.max(...data.waves);
    const want = ranked(priorities, wave, "all", "全体");
    expect(
      await page.locator(".measure-card").evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.measure))
    ).toEqual(data.measures.map((m) => m.code));
    for (const m of want) {
      const cardLocator = page.locator(`.measure-card[data-measure="${m.code}"]`);
      const need = await cardLocator.locator(".measure-card__need").textContent();
      expect(need).toContain(formatIndex(m.need));
      // 建议优先采取 tells the first measure apart; no other measure carries it.
      if (m.rank === 1) expect(need).toContain("建议优先采取");
      else expect(need).not.toContain("建议优先采取");
      const def = data.measures.find((d) => d.code === m.code)!;
      expect(
        await cardLocator.locator("li.measure-part").evaluateAll((li) => li.map((l) => (l as HTMLElement).dataset.part))
      ).toEqual(def.parts.map((p) => p.code));
      for (const p of ranked(parts, wave, "all", "全体").filter((x) => def.parts.some((d) => d.code === x.code)))
        expect(await cardLocator.locator(`li[data-part="${p.code}"] .measure-part__badge`).textContent()).toBe(
          `${p.applies ? "需加强" : "可巩固"} · 差距 ${formatIndex(p.need)}`
        );
    }
    expect(await page.locator(".need-bars g.need-bars-bar rect").count()).toBe(
      ranked(parts, wave, "all", "全体").filter((p) => p.need != null).length
    );
  });

  it("names the weakest cause and the most severe problem with their indexes", async () => {
    const wave = Math.max(...data.waves);
    const evidence = expandCube<{
      wave: number;
      grouping: string;
      code: string;
      index: number;
      rankInSection: number | null;
    }>(data.evidence).filter((e) => e.wave === wave && e.grouping === "all");
    const finding = await session.page.locator(".finding").textContent();
    for (const section of ["causes", "problems"]) {
      const top = evidence.find((e) => data.subdimensions[e.code].section === section && e.rankInSection === 1)!;
      expect(finding).toContain(quote(data.subdimensions[top.code].name));
      expect(finding).toContain(`指数${formatIndex(top.index)}`);
    }
    const first = ranked(parts, wave, "all", "全体")[0];
    expect(finding).toContain(
      `“${data.measures.flatMap((m) => m.parts).find((p) => p.code === first.code)!.name}”（差距${formatIndex(first.need)}）`
    );
  });

  it("re-ranks for a unit category", async () => {
    const { page } = session;
    const wave = Math.max(...data.waves);
    const categories = data.groupings.find((g) => g.key === "unit_category")!.groups;
    const category = categories.find((c) => ranked(priorities, wave, "unit_category", c)[0]?.need != null)!;
    await page.getByRole("combobox", { name: "单位类别" }).selectOption({ label: category });
    const want = ranked(priorities, wave, "unit_category", category);
    await expect
      .poll(() => page.locator(`.measure-card[data-measure="${want[0].code}"] .measure-card__need`).textContent())
      .toContain(`需求指数 ${formatIndex(want[0].need)}`);
    expect(await page.locator(`.measure-card[data-measure="${want[0].code}"] h2`).textContent()).toContain(
      "优先顺序第一"
    );
    expect(await page.locator(".finding").textContent()).toContain(`“${category}”类单位`);
    expectClean();
    await page.getByRole("combobox", { name: "单位类别" }).selectOption({ index: 0 });
  });

  it("takes a screenshot (test-results/measures.png)", async () => {
    await screenshot("measures");
    expect(session.outsideRequests).toEqual([]);
  });
});
