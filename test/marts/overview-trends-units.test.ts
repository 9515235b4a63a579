// The overview, trends and unit marts on the seeded sample, checked against numbers computed here independently from
// the generator's truth (plain loops over respondents, no SQL): a unit's scale means and n, the suppression of small
// units, the change tests (Welch, no finite population correction) and their verdicts (Benjamini–Hochberg within each
// page's family), the overview's rankings, the trend series.
import { beforeAll, describe, expect, it } from "vitest";
import { indexCodebook } from "../../pipeline/codebook/load.ts";
import { scaleInfos } from "../../pipeline/codebook/scales.ts";
import { assessmentTotals, type AssessmentTotalRow } from "../../pipeline/marts/assessment.ts";
import { toJson } from "../../pipeline/publish/json.ts";
import { overview, type Overview } from "../../pipeline/marts/overview.ts";
import { responseRates } from "../../pipeline/marts/response-rates.ts";
import { scaleScores, scaleScoreTests } from "../../pipeline/marts/section.ts";
import { trends } from "../../pipeline/marts/trends.ts";
import {
  unitDirectory,
  unitPages,
  unitScaleScores,
  type UnitPage,
  type UnitScoreWithChange
} from "../../pipeline/marts/units.ts";
import { unitScaleSums, unitVerdicts } from "../../pipeline/marts/unit-verdicts.ts";
import type { SampleRespondent } from "../../pipeline/sample/types.ts";
import { welchTest } from "../../pipeline/stats/change.ts";
import { pAdjust } from "../../pipeline/stats/multiplicity.ts";
import { inputs } from "../sample/helpers.ts";
import { truthScale } from "../helpers/truth-scores.ts";
import { sampleStore, type SampleStore } from "./sample-store.ts";

const { codebook, roster } = inputs();
const index = indexCodebook(codebook);
const MIN = codebook.minGroupSize;
const totalHeadcount = roster.reduce((s, u) => s + u.headcount, 0);

let s: SampleStore;
let units: UnitScoreWithChange[];
let pages: UnitPage[];
let ov: Overview;
let totals: AssessmentTotalRow[];

beforeAll(async () => {
  s = await sampleStore();
  units = await unitScaleScores(s.store, "causes");
  pages = await unitPages(s.store, "causes");
  ov = await overview(s.store, "causes");
  totals = await assessmentTotals(s.store);
}, 120_000);

// ---- the truth, computed by hand ----------------------------------------------------------------------------------

type Level = "section" | "dimension" | "subdimension";
const itemsOf = (level: Level, code: string) =>
  index.likert.filter((q) => {
    const sd = index.subdimension.get(q.subdimension)!;
    return level === "section" ? sd.section === code : level === "dimension" ? sd.dimension === code : sd.code === code;
  });

/** n, mean (of all answers), its SD for change tests and 0–100 index of a scale over the wave's respondents who count. */
function expected(year: number, level: Level, code: string, keep: (r: SampleRespondent) => boolean = () => true) {
  const wave = s.truth.waves.find((w) => w.year === year)!;
  const members = wave.respondents.filter((r) => !r.flags.speeder && keep(r));
  const t = truthScale(index, members, itemsOf(level, code));
  // The group's one published count: its respondents who count (not speeders), with a score or not.
  return { n: t.n, counted: members.length, mean: t.mean, sd: t.sd, index: ((t.mean - 1) / 4) * 100 };
}

/** The respondents who count (not speeders) of a unit in a wave. */
const countedOf = (year: number, unit: string) =>
  s.truth.waves.find((w) => w.year === year)!.respondents.filter((r) => !r.flags.speeder && r.unit === unit).length;

/** A published figure: within half a step of its last decimal of x. */
const near = (got: number | null | undefined, x: number, digits = 1) =>
  expect(Math.abs(got! - x)).toBeLessThanOrEqual(0.5 * 10 ** -digits + 1e-9);

const unitRow = (wave: number, unit: string, level: string, code: string) =>
  units.find((r) => r.wave === wave && r.unit === unit && r.level === level && r.code === code);

/**
 * The verdicts a family of a unit's change tests should get, from the truth: each test's Welch p recomputed from the
 * respondents (the waves the mart compares), adjusted together by Benjamini–Hochberg; true where adjusted p ≤ 0.05.
 */
function unitFamilyVerdicts(
  unit: string,
  family: { wave: number; previousWave: number; level: Level; code: string }[]
) {
  const inUnit = (r: SampleRespondent) => r.unit === unit;
  const ps = family.map(
    (t) => welchTest(expected(t.previousWave, t.level, t.code, inUnit), expected(t.wave, t.level, t.code, inUnit)).p
  );
  return pAdjust(ps, "BH").map((q) => q! <= 0.05);
}

// ---- unit marts ---------------------------------------------------------------------------------------------------

describe("unit scale scores", () => {
  it("give every shown unit's 2019 mechanisms count and index as the truth has them", () => {
    let checked = 0;
    for (const u of roster) {
      const row = unitRow(2019, u.code, "dimension", "mechanisms");
      if (!row || row.suppressed) continue;
      const want = expected(2019, "dimension", "mechanisms", (r) => r.unit === u.code);
      expect(row.n, u.code).toBe(want.counted);
      near(row.index, want.index);
      expect(row.indexLow!).toBeLessThan(row.index!);
      expect(row.indexHigh!).toBeGreaterThan(row.index!);
      checked++;
    }
    expect(checked).toBeGreaterThan(40);
    // U001 (市委办公室) answered in 2019 with enough cadres.
    expect(unitRow(2019, "U001", "dimension", "mechanisms")!.suppressed).toBe(false);
  });

  it("have a row for every roster unit in every wave, hidden with no numbers below the minimum", () => {
    let small = 0;
    const rowsOf = new Map<string, UnitScoreWithChange[]>();
    for (const r of units) rowsOf.set(`${r.wave}|${r.unit}`, [...(rowsOf.get(`${r.wave}|${r.unit}`) ?? []), r]);
    const scales = rowsOf.get(`2019|U001`)!.length;
    for (const wave of s.truth.waves)
      for (const u of roster) {
        const rows = rowsOf.get(`${wave.year}|${u.code}`) ?? [];
        expect(rows.length, `${wave.year} ${u.code}`).toBe(scales);
        if (countedOf(wave.year, u.code) >= MIN) continue;
        small++;
        for (const r of rows) {
          expect(r.suppressed).toBe(true);
          expect([r.n, r.index, r.indexLow, r.indexHigh, r.indexChange, r.changeP]).toEqual(Array(6).fill(null));
        }
      }
    expect(small).toBeGreaterThanOrEqual(6);
    // 市委政策研究室 has 4 cadres on the roster: never enough.
    expect(units.filter((r) => r.unit === "U008").every((r) => r.suppressed)).toBe(true);
    for (const r of units) if (!r.suppressed) expect(r.n).toBeGreaterThanOrEqual(MIN);
  });

  it("leave the hidden units of a shown category holding nobody, or at least k people in at least two units", async () => {
    const rates = await responseRates(s.store);
    let pools = 0;
    for (const c of rates.filter((r) => r.level === "unit_category" && !r.suppressed)) {
      const hidden = rates.filter(
        (r) => r.level === "unit" && r.wave === c.wave && r.category === c.code && r.suppressed
      );
      const people = hidden.map((h) => countedOf(c.wave, h.code));
      const total = people.reduce((a, b) => a + b, 0);
      if (total === 0) continue;
      pools++;
      expect(total, `${c.wave} ${c.code}`).toBeGreaterThanOrEqual(MIN);
      expect(people.filter((x) => x > 0).length, `${c.wave} ${c.code}`).toBeGreaterThanOrEqual(2);
    }
    expect(pools).toBeGreaterThan(5);
  });

  it("hide exactly the unit-waves the response rates hide: one pattern for every table", async () => {
    const rates = await responseRates(s.store);
    for (const r of rates.filter((x) => x.level === "unit"))
      for (const row of units.filter((x) => x.wave === r.wave && x.unit === r.code)) {
        expect(row.suppressed, `${r.wave} ${r.code}`).toBe(r.suppressed);
        if (!row.suppressed) expect(row.n).toBe(r.n);
      }
  });

  it("test a unit's change with Welch's t, without the unit's headcount as finite population", () => {
    let checked = 0;
    for (const u of roster) {
      const row = unitRow(2025, u.code, "section", "causes");
      const before = unitRow(2024, u.code, "section", "causes");
      if (!row || !before || row.suppressed || before.suppressed) continue;
      const a = expected(2024, "section", "causes", (r) => r.unit === u.code);
      const b = expected(2025, "section", "causes", (r) => r.unit === u.code);
      const want = welchTest(a, b);
      expect(row.previousWave).toBe(2024);
      near(row.changeP, want.p, 3);
      near(row.indexChange, ((b.mean - a.mean) / 4) * 100);
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
  });

  it("score the scales a unit's page shows, every section and the focus section's dimensions, and no other", () => {
    const { codebook } = s.store.index;
    const focus = codebook.sections.find((x) => x.code === "causes")!;
    const want = [
      ...codebook.sections.map((x) => `section|${x.code}`),
      ...focus.dimensions.map((d) => `dimension|${d.code}`)
    ].sort();
    expect([...new Set(units.map((r) => `${r.level}|${r.code}`))].sort()).toEqual(want);
    // The sample codebook has dimensions in the other sections too: they are not tested per unit.
    expect(codebook.sections.flatMap((x) => x.dimensions).length).toBeGreaterThan(focus.dimensions.length);
  });

  it("read from the store only the sums of those scales, and refuse a scale the query does not compute", async () => {
    const { codebook } = s.store.index;
    const focus = codebook.sections.find((x) => x.code === "causes")!;
    const sums = await unitScaleSums(s.store, focus.code);
    const want = [
      ...codebook.sections.map((x) => `section|${x.code}`),
      ...focus.dimensions.map((d) => `dimension|${d.code}`)
    ].sort();
    expect([...new Set(sums.map((r) => `${r.level}|${r.code}`))].sort()).toEqual(want);
    // A dimension of another section would otherwise read as "no unit has a score" on it.
    const other = scaleInfos(s.store.index).get(`dimension|${codebook.sections[0].dimensions[0].code}`)!;
    expect(other.section).not.toBe(focus.code);
    await expect(unitScaleSums(s.store, focus.code, [other])).rejects.toThrow(/has no rows for dimension/);
    await expect(unitVerdicts(s.store, focus.code, 2025, other)).rejects.toThrow(/has no rows for dimension/);
    // Nor a sub-dimension, of the focus section or not.
    const sub = scaleInfos(s.store.index).get(`subdimension|${focus.dimensions[0].subdimensions[0].code}`)!;
    expect(sub.section).toBe(focus.code);
    await expect(unitScaleSums(s.store, focus.code, [sub])).rejects.toThrow(/has no rows for subdimension/);
  });

  it("decide the verdicts each unit's page prints", () => {
    let compared = 0;
    for (const page of pages)
      for (const scale of page.scales)
        for (const point of scale.points) {
          const row = unitRow(point.wave, page.unit.code, scale.level, scale.code)!;
          expect(row.suppressed).toBe(point.suppressed);
          if (point.suppressed) continue;
          expect([row.index, row.indexChange, row.changeSignificant]).toEqual([
            point.index,
            point.change,
            point.significant
          ]);
          compared++;
        }
    expect(compared).toBeGreaterThan(500);
  });

  it("call a unit's change significant by Benjamini–Hochberg over all the unit's change tests", () => {
    let families = 0;
    for (const u of roster) {
      const tested = units.filter((r) => r.unit === u.code && r.changeP !== null);
      if (tested.length === 0 || families === 6) continue;
      const want = unitFamilyVerdicts(
        u.code,
        tested.map((r) => ({ wave: r.wave, previousWave: r.previousWave!, level: r.level, code: r.code }))
      );
      expect(tested.map((r) => r.changeSignificant)).toEqual(want);
      for (const r of units.filter((x) => x.unit === u.code && x.changeP === null))
        expect(r.changeSignificant).toBeNull();
      families++;
    }
    expect(families).toBeGreaterThan(3);
  });
});

describe("unit pages", () => {
  it("exist for every roster unit, with one point per wave and scale", () => {
    expect(pages.map((p) => p.unit.code)).toEqual(roster.map((u) => u.code));
    const waves = s.truth.waves.map((w) => w.year);
    for (const p of pages) {
      expect(p.waves).toEqual(waves);
      expect(p.scales.map((x) => x.code)).toEqual([
        ...codebook.sections.map((x) => x.code),
        "cognition",
        "capacity",
        "mechanisms"
      ]);
      for (const scale of p.scales) expect(scale.points.map((x) => x.wave)).toEqual(waves);
      expect(p.responses.map((r) => r.wave)).toEqual(waves);
    }
  });

  it("show a large unit's numbers, its category's and everyone's, as the truth has them", async () => {
    const page = pages.find((p) => p.unit.code === "U001")!;
    const mech = page.scales.find((x) => x.code === "mechanisms")!.points.find((x) => x.wave === 2019)!;
    const want = expected(2019, "dimension", "mechanisms", (r) => r.unit === "U001");
    expect(mech.suppressed).toBe(false);
    near(mech.index, want.index);
    near(mech.category, expected(2019, "dimension", "mechanisms", (r) => r.category === "党政机关").index);
    near(mech.all, expected(2019, "dimension", "mechanisms").index);
    const response = page.responses.find((r) => r.wave === 2019)!;
    expect(response.n).toBe(countedOf(2019, "U001"));
    near(response.rate, response.n! / 16, 3);
  });

  it("call a change significant by Benjamini–Hochberg over every change the unit's page shows", () => {
    let families = 0;
    for (const page of pages) {
      if (families === 6) break;
      const tested = page.scales.flatMap((scale) =>
        scale.points.flatMap((point) => {
          const row = unitRow(point.wave, page.unit.code, scale.level, scale.code)!;
          return point.change === null || row.previousWave === null
            ? []
            : [
                {
                  point,
                  wave: point.wave,
                  previousWave: row.previousWave,
                  level: scale.level as Level,
                  code: scale.code
                }
              ];
        })
      );
      if (tested.length === 0) continue;
      expect(tested.map((t) => t.point.significant)).toEqual(unitFamilyVerdicts(page.unit.code, tested));
      families++;
    }
    expect(families).toBeGreaterThan(3);
  });

  it("show a small unit's survey figures as suppressed and nothing else of it", () => {
    const page = pages.find((p) => p.unit.code === "U008")!;
    for (const r of page.responses) expect([r.n, r.rate, r.suppressed]).toEqual([null, null, true]);
    for (const scale of page.scales)
      for (const p of scale.points) {
        expect([p.index, p.low, p.high, p.change, p.significant, p.suppressed]).toEqual([
          null,
          null,
          null,
          null,
          null,
          true
        ]);
        expect(p.all).not.toBeNull(); // everyone's figure is still there for comparison
      }
  });

  it("carry the unit's assessment totals and its category's mean", () => {
    const page = pages.find((p) => p.unit.code === "U008")!;
    const own = totals.filter((t) => t.unit === "U008");
    expect(page.assessment.map((a) => a.year)).toEqual(own.map((t) => t.year));
    for (const a of page.assessment) {
      const t = own.find((x) => x.year === a.year)!;
      expect(a.partyBuilding).toBeCloseTo(t.partyBuilding!, 10);
      expect(a.business).toBeCloseTo(t.business!, 10);
      const cat = totals.filter((x) => x.year === a.year && x.category === "党政机关" && x.partyBuilding !== null);
      expect(a.categoryPartyBuilding).toBeCloseTo(cat.reduce((sum, x) => sum + x.partyBuilding!, 0) / cat.length, 10);
    }
    expect(page.assessment.length).toBeGreaterThan(0);
  });

  it("stay small and hold no respondent-level field", () => {
    for (const p of pages) {
      const json = toJson(p);
      expect(json.length, p.unit.code).toBeLessThan(12_000);
      expect(json).not.toMatch(/respondent|submitted|"ip"|serial|duration/i);
    }
  });
});

describe("the unit directory", () => {
  it("lists every roster unit by category with its published response counts", async () => {
    const dir = await unitDirectory(s.store, "causes");
    const listed = dir.categories.flatMap((c) => c.units);
    expect(listed.map((u) => u.code).sort()).toEqual(roster.map((u) => u.code).sort());
    for (const wave of s.truth.waves)
      for (const u of listed) {
        const r = u.responses.find((x) => x.wave === wave.year)!;
        const count = countedOf(wave.year, u.code);
        if (count < MIN) expect(r.suppressed, `${wave.year} ${u.code}`).toBe(true);
        if (r.suppressed) expect([r.n, r.rate]).toEqual([null, null]);
        else expect(r.n).toBe(count);
      }
    expect(dir.all.responses.find((r) => r.wave === 2019)!.n).toBe(
      s.truth.waves[0].respondents.filter((r) => !r.flags.speeder).length
    );
    // Each category's hidden units, pooled, as the response rates pool them.
    for (const c of dir.categories) for (const o of c.others) expect(o.n).toBeGreaterThanOrEqual(MIN);
  });

  it("gives each unit's latest 原因剖析 index, change and verdict exactly as its page does, and nothing when hidden", async () => {
    const dir = await unitDirectory(s.store, "causes");
    expect(dir.focus.code).toBe("causes");
    const latest = dir.waves[dir.waves.length - 1];
    let shown = 0;
    for (const u of dir.categories.flatMap((c) => c.units)) {
      const page = pages.find((p) => p.unit.code === u.code)!;
      const point = page.scales
        .find((x) => x.level === "section" && x.code === "causes")!
        .points.find((p) => p.wave === latest)!;
      expect(u.latest.wave).toBe(latest);
      if (point.suppressed) {
        expect(u.latest).toEqual({
          wave: latest,
          index: null,
          change: null,
          significant: null,
          previousWave: null,
          suppressed: true
        });
        expect(u.responses.find((r) => r.wave === latest)!.suppressed).toBe(true);
        continue;
      }
      shown++;
      expect([u.latest.index, u.latest.change, u.latest.significant]).toEqual([
        point.index,
        point.change,
        point.significant
      ]);
      // The change is measured from the unit's previous published wave, as its page says.
      const before = page.scales
        .find((x) => x.level === "section" && x.code === "causes")!
        .points.filter((p) => p.wave < latest && !p.suppressed);
      expect(u.latest.previousWave).toBe(before.length ? before[before.length - 1].wave : null);
      // The index is the unit's own, from the truth.
      const want = expected(latest, "section", "causes", (r) => r.unit === u.code);
      near(u.latest.index, want.index);
    }
    expect(shown).toBeGreaterThan(20);
  });
});

// ---- overview -----------------------------------------------------------------------------------------------------

describe("the overview", () => {
  const latest = 2025;

  it("reports the latest wave's response against the roster", () => {
    const wave = s.truth.waves.find((w) => w.year === latest)!;
    expect(ov.wave).toBe(latest);
    expect(ov.previousWave).toBe(2024);
    const counted = wave.respondents.filter((r) => !r.flags.speeder);
    expect(ov.response.all.n).toBe(counted.length);
    near(ov.response.all.rate, counted.length / totalHeadcount, 3);
    const category = ov.response.categories.find((c) => c.name === "事业单位")!;
    const members = roster.filter((u) => u.category === "事业单位");
    expect(category.n).toBe(counted.filter((r) => r.category === "事业单位").length);
    expect(category.headcount).toBe(members.reduce((a, u) => a + u.headcount, 0));
  });

  it("gives each section's and each cause's index with its change test", () => {
    for (const section of codebook.sections) {
      const got = ov.sections.find((x) => x.code === section.code)!;
      const want = expected(latest, "section", section.code);
      expect(got.n).toBe(want.counted);
      near(got.index, want.index);
      expect(got.indexLow!).toBeLessThan(got.index!);
      expect(got.direction).toBe(section.direction);
      const a = expected(2024, "section", section.code);
      const test = welchTest(a, want);
      near(got.changeP, test.p, 3);
      near(got.indexChange, ((want.mean - a.mean) / 4) * 100);
    }
  });

  it("says of each change what the section page says of the same figure (the section page's family decides)", async () => {
    const compared = [
      ...ov.sections.map((d) => ({ d, section: d.code, level: "section" })),
      ...ov.dimensions.map((d) => ({ d, section: "causes", level: "dimension" })),
      ...ov.weakest.map((d) => ({ d, section: "causes", level: "subdimension" }))
    ];
    for (const { d, section, level } of compared) {
      const row = (await scaleScores(s.store, section)).find(
        (r) => r.wave === latest && r.grouping === "all" && r.level === level && r.code === d.code
      )!;
      expect([d.changeP, d.changeSignificant], `${level} ${d.code}`).toEqual([row.changeP, row.changeSignificant]);
    }
    expect(ov.dimensions.map((d) => d.code)).toEqual(["cognition", "capacity", "mechanisms"]);
    for (const d of ov.dimensions) near(d.index, expected(latest, "dimension", d.code).index);
    expect(ov.dimensions.find((d) => d.code === "mechanisms")!.summary).toBe("制度机制不健全");
  });

  it("names the three weakest sub-dimensions of the causes and the measures the codebook maps to them", () => {
    const subs = codebook.sections
      .find((x) => x.code === "causes")!
      .dimensions.flatMap((d) => d.subdimensions.map((sd) => sd.code));
    const want = subs
      .map((code) => ({ code, index: expected(latest, "subdimension", code).index }))
      .sort((a, b) => a.index - b.index)
      .slice(0, 3);
    expect(ov.weakest.map((w) => w.code)).toEqual(want.map((w) => w.code));
    ov.weakest.forEach((w, i) => near(w.index, want[i].index));
    expect(ov.weakest[0].code).toBe("mech_assessment");
    expect(ov.weakest[0].measures).toEqual([{ code: "strengthener", name: "强化剂", part: "强化责任机制" }]);
  });

  it("names as lagging only the units below the rest of their category after BH, none for a lowest rank", () => {
    const published = roster.filter((u) => {
      const r = unitRow(latest, u.code, "section", "causes");
      return r && !r.suppressed;
    });
    expect(ov.rankedUnits).toBe(published.length);
    // Each shown unit against every other respondent of its category (hidden units too), by hand from the truth.
    const tests = published.flatMap((u) => {
      const unit = expected(latest, "section", "causes", (r) => r.unit === u.code);
      const rest = expected(latest, "section", "causes", (r) => r.category === u.category && r.unit !== u.code);
      if (rest.n < 2) return [];
      const t = welchTest(rest, unit);
      return [{ code: u.code, unit, difference: t.difference, p: t.p }];
    });
    const adjusted = pAdjust(
      tests.map((t) => t.p),
      "BH"
    );
    const worse = tests
      .map((t, i) => ({ ...t, adjustedP: adjusted[i]! }))
      .filter((t) => t.adjustedP <= 0.05 && t.difference < 0)
      .sort((a, b) => a.unit.index - b.unit.index);
    expect(ov.unitComparison).toMatchObject({
      comparedWith: "unit_category",
      fdr: 0.05,
      compared: tests.length,
      worse: worse.length,
      better: tests.filter((t, i) => adjusted[i]! <= 0.05 && t.difference > 0).length
    });
    // Fewer than the raw p values would name: the adjustment matters on this sample.
    expect(tests.filter((t) => t.p <= 0.05 && t.difference < 0).length).toBeGreaterThanOrEqual(worse.length);
    expect(ov.lagging.map((u) => u.code)).toEqual(worse.slice(0, 5).map((u) => u.code));
    ov.lagging.forEach((u, i) => {
      expect(u.n).toBe(worse[i].unit.counted);
      near(u.index, worse[i].unit.index);
      near(u.adjustedP, worse[i].adjustedP, 3);
      const dims = ["cognition", "capacity", "mechanisms"]
        .map((code) => ({ code, index: expected(latest, "dimension", code, (r) => r.unit === u.code).index }))
        .sort((a, b) => a.index - b.index);
      expect(u.weakest!.code).toBe(dims[0].code);
    });
  });

  it("charts the causes over every wave with exactly the figures trends.json publishes", async () => {
    const t = await trends(s.store, "all");
    const causes = codebook.sections.find((x) => x.code === "causes")!;
    expect(ov.trend.map((d) => [d.code, d.name])).toEqual(causes.dimensions.map((d) => [d.code, d.name]));
    expect(ov.trend[0].points.map((p) => p.wave)).toEqual(t.waves);
    for (const d of ov.trend) {
      const series = t.series.find((x) => x.level === "dimension" && x.code === d.code)!;
      expect(d.points).toEqual(
        series.points.map((p) => ({
          wave: p.wave,
          n: p.n,
          index: p.index,
          low: p.low,
          high: p.high,
          suppressed: p.suppressed
        }))
      );
      for (const p of d.points) near(p.index, expected(p.wave, "dimension", d.code).index);
    }
  });

  it("stays small", () => {
    expect(toJson(ov).length).toBeLessThan(10_000);
  });
});

// ---- trends -------------------------------------------------------------------------------------------------------

describe("the trends", () => {
  it("cover every section, dimension and sub-dimension for everyone, with the section marts' numbers", async () => {
    const t = await trends(s.store, "all");
    const expectedCodes = codebook.sections.flatMap((x) => [
      x.code,
      ...x.dimensions.flatMap((d) => [d.code, ...d.subdimensions.map((sd) => sd.code)])
    ]);
    expect(t.series.map((x) => x.code)).toEqual(expectedCodes);
    expect(t.groups).toEqual(["全体"]);
    const causes = await scaleScores(s.store, "causes");
    for (const series of t.series.filter((x) => x.section === "causes"))
      for (const p of series.points) {
        const r = causes.find(
          (x) => x.wave === p.wave && x.grouping === "all" && x.level === series.level && x.code === series.code
        )!;
        expect([p.index, p.low, p.high, p.change, p.p]).toEqual([
          r.index,
          r.indexLow,
          r.indexHigh,
          r.indexChange,
          r.changeP
        ]);
      }
    // The verdicts: Benjamini–Hochberg over this page's family, every change of every section's series for all
    // respondents, from the tests' unrounded p.
    const family = new Map<string, number | null>();
    for (const section of codebook.sections)
      for (const { row, p } of await scaleScoreTests(s.store, section.code))
        if (row.grouping === "all") family.set(`${row.wave}|${row.level}|${row.code}`, p);
    const keys = [...family.keys()];
    const q = pAdjust([...family.values()], "BH");
    const adjusted = new Map(keys.map((k, i) => [k, q[i]]));
    let significant = 0;
    for (const series of t.series)
      for (const p of series.points) {
        const q = adjusted.get(`${p.wave}|${series.level}|${series.code}`);
        expect(p.significant).toBe(q === null || q === undefined ? null : q <= 0.05);
        if (p.significant) significant++;
      }
    expect(significant).toBeGreaterThan(0);
    const mech = t.series.find((x) => x.code === "mech_assessment")!;
    for (const p of mech.points) near(p.index, expected(p.wave, "subdimension", "mech_assessment").index);
  });

  it("break down by unit category, without the category's headcount as finite population", async () => {
    const t = await trends(s.store, "unit_category");
    expect(t.groups).toEqual([...new Set(roster.map((u) => u.category))]);
    const series = t.series.find((x) => x.group === "事业单位" && x.code === "mechanisms")!;
    const N = roster.filter((u) => u.category === "事业单位").reduce((a, u) => a + u.headcount, 0);
    const inCategory = (r: SampleRespondent) => r.category === "事业单位";
    const p = series.points.find((x) => x.wave === 2025)!;
    const [a, b] = [
      expected(2024, "dimension", "mechanisms", inCategory),
      expected(2025, "dimension", "mechanisms", inCategory)
    ];
    expect(p.n).toBe(b.counted);
    near(p.index, b.index);
    const test = welchTest(a, b);
    near(p.p, test.p, 3);
    // The correction would have given another p: the test is not the design-based one.
    expect(Math.abs(welchTest({ ...a, populationSize: N }, { ...b, populationSize: N }).p - test.p)).toBeGreaterThan(0);
    if (p.significant) expect(p.p!).toBeLessThan(0.05);
    for (const x of t.series.flatMap((y) => y.points))
      if (x.suppressed) expect([x.n, x.index, x.low, x.high]).toEqual([null, null, null, null]);
  });
});
