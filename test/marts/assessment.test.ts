// The assessment marts on the seeded sample, checked against numbers computed here independently: the totals straight
// from scores.csv and indicators.json (plain loops, no SQL), the medians and percentile ranks by sorting, 两张皮 by the rank band, the survey link from
// the generator's respondents. And the what-if module of the page (src/components/weighting.ts) must give the SQL's
// totals at the defined weights, for every unit and year.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  assessmentReport,
  assessmentSurveyLink,
  type AssessmentReport,
  type AssessmentSurveyLink
} from "../../pipeline/marts/assessment.ts";
import { rankUnits, weightedTotal, weightShare } from "../../src/components/weighting.ts";
import { inputs } from "../sample/helpers.ts";
import { sampleStore, type SampleStore } from "./sample-store.ts";

const {
  codebook,
  roster,
  indicators: { indicators }
} = inputs();
let s: SampleStore;
let report: AssessmentReport;
let link: AssessmentSurveyLink;

beforeAll(async () => {
  s = await sampleStore();
  report = await assessmentReport(s.store);
  link = await assessmentSurveyLink(s.store, { question: "assessment_focus", subdimension: "mech_assessment" });
}, 60_000);

/** The clean rows of scores.csv: every row but the ones the truth lists as deliberately flawed. */
function cleanCsvRows() {
  const flawed = new Set(s.truth.assessmentFlaws.map((f) => f.row));
  return readFileSync(s.scores, "utf8")
    .trimEnd()
    .split("\n")
    .flatMap((line, i) => {
      if (i === 0 || flawed.has(i + 1)) return [];
      const [year, unit, indicator, score] = line.split(",");
      return [{ year: Number(year), unit, indicator, score: Number(score) }];
    });
}

/** Σ weight × score / max × 100 / Σ weight, by hand. */
function expectedTotals() {
  const byKey = new Map<string, { pb: [number, number]; biz: [number, number] }>();
  for (const r of cleanCsvRows()) {
    const ind = indicators.find((i) => i.code === r.indicator)!;
    const key = `${r.year}|${r.unit}`;
    const t = byKey.get(key) ?? { pb: [0, 0], biz: [0, 0] };
    const part = ind.domain === "party_building" ? t.pb : t.biz;
    part[0] += ind.weight * (r.score / ind.maxScore) * 100;
    part[1] += ind.weight;
    byKey.set(key, t);
  }
  return new Map([...byKey].map(([k, t]) => [k, { partyBuilding: t.pb[0] / t.pb[1], business: t.biz[0] / t.biz[1] }]));
}

const median = (xs: number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

describe("assessmentReport", () => {
  it("counts the file's rows: every clean one accepted, the five flawed ones quarantined", () => {
    expect(report.file).toEqual({
      name: "scores.csv",
      rows: s.truth.assessment.length + 5,
      accepted: s.truth.assessment.length,
      quarantined: 5
    });
  });

  it("gives every unit's weighted party-building and business totals as computed from the CSV", () => {
    const want = expectedTotals();
    expect(report.totals).toHaveLength(want.size);
    expect(report.totals).toHaveLength(roster.length * 7);
    for (const t of report.totals) {
      const w = want.get(`${t.year}|${t.unit}`)!;
      expect(t.partyBuilding, `${t.year} ${t.unit}`).toBeCloseTo(w.partyBuilding, 9);
      expect(t.business).toBeCloseTo(w.business, 9);
    }
  });

  it("publishes the per-indicator scores the what-if panel weighs, exactly as in the CSV", () => {
    const csv = cleanCsvRows();
    expect(report.scores).toHaveLength(roster.length * 7);
    const sample = csv.filter((_, i) => i % 97 === 0);
    for (const r of sample) {
      const row = report.scores.find((x) => x.year === r.year && x.unit === r.unit)!;
      expect(row.scores[report.indicators.findIndex((i) => i.code === r.indicator)]).toBe(r.score);
    }
  });

  it("src/components/weighting.ts reproduces the SQL totals at the defined weights, for every unit and year", () => {
    const totals = new Map(report.totals.map((t) => [`${t.year}|${t.unit}`, t]));
    for (const row of report.scores) {
      const t = totals.get(`${row.year}|${row.unit}`)!;
      expect(weightedTotal(row.scores, report.indicators, "party_building")).toBeCloseTo(t.partyBuilding!, 9);
      expect(weightedTotal(row.scores, report.indicators, "business")).toBeCloseTo(t.business!, 9);
    }
    // and its ranking is the order of the published totals
    const year = 2025;
    const ranked = rankUnits(report.scores, report.indicators, { year, digits: 9 });
    const byTotal = report.totals.filter((t) => t.year === year).sort((a, b) => b.partyBuilding! - a.partyBuilding!);
    expect(ranked.map((r) => r.unit)).toEqual(byTotal.map((t) => t.unit));
  });

  it("puts 70% of the party-building weight on process indicators, as indicators.json defines", () => {
    const pb = indicators.filter((i) => i.domain === "party_building");
    const share =
      pb.filter((i) => i.kind === "process").reduce((a, i) => a + i.weight, 0) / pb.reduce((a, i) => a + i.weight, 0);
    expect(share).toBeCloseTo(0.7, 12);
    expect(report.weights.find((w) => w.domain === "party_building" && w.kind === "process")!.share).toBeCloseTo(
      share,
      12
    );
    expect(weightShare(report.indicators, "party_building", "process")).toBeCloseTo(share, 12);
    expect(report.weights.find((w) => w.domain === "business" && w.kind === "outcome")!.share).toBe(1);
  });

  it("calls a unit 两张皮 when its two percentile ranks are more than the tolerance apart, not by the medians", () => {
    expect(report.twoSkins.tolerance).toBe(50);
    const want = expectedTotals();
    let flagged = 0;
    let medianSplit = 0;
    for (const year of report.years) {
      const units = [...want]
        .filter(([k]) => k.startsWith(`${year}|`))
        .map(([k, t]) => ({ unit: k.split("|")[1], ...t }));
      const m = { pb: median(units.map((u) => u.partyBuilding)), biz: median(units.map((u) => u.business)) };
      const published = report.medians.find((x) => x.year === year)!;
      expect(published.partyBuilding).toBeCloseTo(m.pb, 9);
      expect(published.business).toBeCloseTo(m.biz, 9);
      // percent_rank: the share of the other units strictly below
      const rank = (x: number, all: number[]) => all.filter((y) => y < x - 1e-9).length / (all.length - 1);
      for (const u of units) {
        const t = report.totals.find((x) => x.year === year && x.unit === u.unit)!;
        const pb = rank(
          u.partyBuilding,
          units.map((x) => x.partyBuilding)
        );
        const biz = rank(
          u.business,
          units.map((x) => x.business)
        );
        expect(t.partyBuildingPercentile).toBeCloseTo(pb, 9);
        expect(t.businessPercentile).toBeCloseTo(biz, 9);
        const gap = (pb - biz) * 100;
        expect(t.rankGap).toBeCloseTo(gap, 1);
        const verdict = gap > 50 + 1e-9 ? "party_building_ahead" : gap < -50 - 1e-9 ? "business_ahead" : "together";
        expect(t.twoSkins, `${year} ${u.unit}`).toBe(verdict);
        if (verdict !== "together") flagged++;
        if ((u.partyBuilding - m.pb) * (u.business - m.biz) < 0) medianSplit++;
      }
    }
    // The band names fewer units than the median split did (which counted 89.3 against a median of 89.2).
    expect(flagged).toBeLessThan(medianSplit / 2);
    // The generator made some units strong in one and weak in the other on purpose: the band finds them.
    const twoSkins = Object.entries(s.truth.unitProfiles).filter(([, p]) => p.twoSkins);
    expect(twoSkins.length).toBeGreaterThan(0);
    for (const [unit, p] of twoSkins) {
      const expected = p.partyBuilding > 0 ? "party_building_ahead" : "business_ahead";
      const years = report.totals.filter((t) => t.unit === unit);
      expect(years.filter((t) => t.twoSkins === expected).length, unit).toBeGreaterThanOrEqual(years.length - 2);
    }
    // Lasting: the same side in every year.
    for (const l of report.twoSkins.lasting) {
      const years = report.totals.filter((t) => t.unit === l.unit);
      expect(years.every((t) => t.twoSkins === l.ahead)).toBe(true);
      expect(l.years).toBe(report.years.length);
    }
  });

  it("gives each year's correlation of the two totals across units, with its interval", () => {
    const want = expectedTotals();
    for (const year of report.years) {
      const units = [...want].filter(([k]) => k.startsWith(`${year}|`)).map(([, t]) => t);
      const n = units.length;
      const mx = units.reduce((a, u) => a + u.partyBuilding, 0) / n;
      const my = units.reduce((a, u) => a + u.business, 0) / n;
      const sxy = units.reduce((a, u) => a + (u.partyBuilding - mx) * (u.business - my), 0);
      const sxx = units.reduce((a, u) => a + (u.partyBuilding - mx) ** 2, 0);
      const syy = units.reduce((a, u) => a + (u.business - my) ** 2, 0);
      const r = sxy / Math.sqrt(sxx * syy);
      const c = report.twoSkins.correlations.find((x) => x.year === year)!;
      expect(c.units).toBe(n);
      expect(Math.abs(c.r! - r)).toBeLessThanOrEqual(0.0005 + 1e-12);
      // Fisher's z interval, as R's cor.test gives it
      const z = Math.atanh(r);
      const h = 1.959963984540054 / Math.sqrt(n - 3);
      expect(Math.abs(c.ciLow! - Math.tanh(z - h))).toBeLessThanOrEqual(0.0005 + 1e-12);
      expect(Math.abs(c.ciHigh! - Math.tanh(z + h))).toBeLessThanOrEqual(0.0005 + 1e-12);
    }
  });

  it("summarises each indicator's spread across units (process indicators hardly tell units apart)", () => {
    const csv = cleanCsvRows()
      .filter((r) => r.year === 2019 && r.indicator === "pb_ledgers")
      .map((r) => r.score);
    const mean = csv.reduce((a, b) => a + b, 0) / csv.length;
    const sd = Math.sqrt(csv.reduce((a, b) => a + (b - mean) ** 2, 0) / (csv.length - 1));
    const row = report.indicatorSummary.find((x) => x.year === 2019 && x.indicator === "pb_ledgers")!;
    expect(row.n).toBe(roster.length);
    expect(row.mean).toBeCloseTo(mean, 9);
    expect(row.sd!).toBeCloseTo(sd, 9);
    expect(row.min).toBe(Math.min(...csv));
    expect(row.max).toBe(Math.max(...csv));
    const sdOf = (kind: string) => {
      const rows = report.indicatorSummary.filter(
        (x) =>
          x.year === 2019 &&
          indicators.find((i) => i.code === x.indicator)!.domain === "party_building" &&
          indicators.find((i) => i.code === x.indicator)!.kind === kind
      );
      return Math.max(...rows.map((r) => r.sd!));
    };
    expect(sdOf("process")).toBeLessThan(sdOf("outcome") / 2);
  });
});

describe("assessmentSurveyLink", () => {
  it("counts what cadres say the assessment looks at, per wave, as the truth has it (speeders left out)", () => {
    const q = codebook.questions.find((x) => x.code === "assessment_focus")!;
    if (q.type !== "single" || q.options === "roster") throw new Error("assessment_focus is a single choice");
    for (const wave of s.truth.waves) {
      const answers = wave.respondents
        .filter((r) => !r.flags.speeder)
        .map((r) => r.answers.assessment_focus)
        .filter((a): a is string => typeof a === "string");
      for (const [i, option] of q.options.entries()) {
        const row = link.choices.find((c) => c.wave === wave.year && c.option === i + 1)!;
        expect(row.label).toBe(option.label);
        expect(row.n, `${wave.year}`).toBe(answers.length);
        expect(row.count, `${wave.year} ${option.label}`).toBe(answers.filter((a) => a === option.label).length);
        expect(row.low).toBeLessThan(row.share);
        expect(row.high).toBeGreaterThan(row.share);
      }
    }
  });

  it("gives each unit's 考核机制 index from its respondents, suppresses units under the minimum, and correlates the rest", () => {
    const items = codebook.questions.filter((q) => q.type === "likert" && q.subdimension === "mech_assessment");
    const wave = s.truth.waves.find((w) => w.year === 2024)!;
    // Each unit's answers to the sub-dimension's items, keyed (the published mean is the mean of all of them).
    const byUnit = new Map<string, number[]>();
    for (const r of wave.respondents) {
      if (r.flags.speeder) continue;
      const values = items.flatMap((q) => {
        const v = r.answers[q.code];
        return typeof v === "number" ? [q.type === "likert" && q.reverse ? 6 - v : v] : [];
      });
      if (!values.length) continue;
      byUnit.set(r.unit, [...(byUnit.get(r.unit) ?? []), ...values]);
    }
    const respondentsOf = (unit: string) =>
      wave.respondents.filter(
        (r) => !r.flags.speeder && r.unit === unit && items.some((q) => typeof r.answers[q.code] === "number")
      ).length;
    const rows = link.units.filter((u) => u.wave === 2024);
    // Every roster unit, answered or not: presence says nothing.
    expect(rows.map((u) => u.unit)).toEqual(roster.map((u) => u.code));
    const counted = (unit: string) => wave.respondents.filter((r) => !r.flags.speeder && r.unit === unit).length;
    const pairs: [number, number][] = [];
    for (const u of rows) {
      const scores = byUnit.get(u.unit) ?? [];
      if (respondentsOf(u.unit) < codebook.minGroupSize) expect(u.suppressed, u.unit).toBe(true);
      if (u.suppressed) {
        expect([u.n, u.index]).toEqual([null, null]);
        continue;
      }
      const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
      // The unit's one count (the same as on every other page), and its index to one decimal.
      expect(u.n).toBe(counted(u.unit));
      expect(Math.abs(u.index! - ((mean - 1) / 4) * 100)).toBeLessThanOrEqual(0.05 + 1e-9);
      const total = report.totals.find((t) => t.year === 2024 && t.unit === u.unit)!.partyBuilding!;
      expect(u.partyBuilding).toBeCloseTo(total, 9);
      pairs.push([u.index!, total]);
    }
    // Pearson's r by hand over the published (unsuppressed) units.
    const mx = pairs.reduce((a, p) => a + p[0], 0) / pairs.length;
    const my = pairs.reduce((a, p) => a + p[1], 0) / pairs.length;
    const sxy = pairs.reduce((a, p) => a + (p[0] - mx) * (p[1] - my), 0);
    const sxx = pairs.reduce((a, p) => a + (p[0] - mx) ** 2, 0);
    const syy = pairs.reduce((a, p) => a + (p[1] - my) ** 2, 0);
    const c = link.correlations.find((x) => x.wave === 2024)!;
    expect(c.units).toBe(pairs.length);
    expect(c.r!).toBeCloseTo(sxy / Math.sqrt(sxx * syy), 3);
    expect(c.ciLow!).toBeLessThan(c.r!);
  });
});
