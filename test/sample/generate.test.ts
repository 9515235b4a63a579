// The in-memory truth: determinism, the 2019 wave of the report, the population model's structure, flaws, scores.
import { describe, expect, it } from "vitest";
import { indexCodebook } from "../../pipeline/codebook/load.ts";
import { generateSample } from "../../pipeline/sample/generate.ts";
import { POPULATION_MODEL, modelMean } from "../../pipeline/sample/population.ts";
import type { SampleRespondent, SampleWave } from "../../pipeline/sample/types.ts";
import { defaultTruth, inputs } from "./helpers.ts";

const { codebook, roster, indicators } = inputs();
const ix = indexCodebook(codebook);
const { truth, ms } = defaultTruth();
const wave = (year: number) => truth.waves.find((w) => w.year === year)!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const corr = (xs: number[], ys: number[]) => {
  const mx = mean(xs);
  const my = mean(ys);
  const cov = mean(xs.map((x, i) => (x - mx) * (ys[i] - my)));
  const sd = (a: number[], m: number) => Math.sqrt(mean(a.map((x) => (x - m) ** 2)));
  return cov / sd(xs, mx) / sd(ys, my);
};
const keyedScores = (r: SampleRespondent, pick: (dimension: string, section: string, sub: string) => boolean) =>
  ix.likert.flatMap((q) => {
    const sd = ix.subdimension.get(q.subdimension)!;
    const v = r.answers[q.code];
    if (typeof v !== "number" || !pick(sd.dimension, sd.section, sd.code)) return [];
    const s = ix.scaleOf(q);
    return [q.reverse ? s.min + s.max - v : v];
  });
const dimMean = (rs: SampleRespondent[], dim: string) => mean(rs.flatMap((r) => keyedScores(r, (d) => d === dim)));
const clean = (w: SampleWave) => w.respondents.filter((r) => !r.flags.speeder && !r.flags.straightliner);

describe("generateSample", () => {
  it("is deterministic for a seed and differs between seeds", { timeout: 60_000 }, () => {
    const again = generateSample({ ...inputs(), seed: truth.seed });
    expect(JSON.stringify(again)).toBe(JSON.stringify(truth));
    const other = generateSample({ ...inputs(), seed: 7 });
    expect(JSON.stringify(other.waves[0].respondents.slice(0, 5))).not.toBe(
      JSON.stringify(truth.waves[0].respondents.slice(0, 5))
    );
  });

  it("generates all seven waves well under the time budget (CPU time: the same on a busy machine)", () => {
    expect(truth.waves.map((w) => w.year)).toEqual([2019, 2020, 2021, 2022, 2023, 2024, 2025]);
    expect(ms).toBeLessThan(2500);
  });

  it("keeps a wave unchanged when other waves are added or left out", () => {
    const only2021 = generateSample({ ...inputs(), waves: [2019, 2020, 2021] });
    expect(JSON.stringify(only2021.waves[2].respondents)).toBe(JSON.stringify(wave(2021).respondents));
  });

  it("has 565 respondents in 73 units in 2019, some units with fewer than 5, none above its headcount", () => {
    const w = wave(2019);
    expect(w.respondents).toHaveLength(565);
    expect(Object.keys(w.unitCounts)).toHaveLength(73);
    expect(Object.values(w.unitCounts).filter((n) => n < 5).length).toBeGreaterThanOrEqual(6);
    for (const w2 of truth.waves) {
      for (const u of roster) expect(w2.unitCounts[u.code] ?? 0).toBeLessThanOrEqual(u.headcount);
      // the flawed rows too: all rows of a unit fit its headcount (duplicates are the same person)
      const rowsPerUnit = new Map<string, Set<string>>();
      for (const r of w2.rows)
        if (r.respondent)
          (
            rowsPerUnit.get(r.respondent.unit) ?? rowsPerUnit.set(r.respondent.unit, new Set()).get(r.respondent.unit)!
          ).add(r.respondent.id);
      for (const u of roster) expect(rowsPerUnit.get(u.code)?.size ?? 0).toBeLessThanOrEqual(u.headcount);
    }
  });

  it("has 520–640 respondents in the later waves", () => {
    for (const w of truth.waves.slice(1)) {
      expect(w.respondents.length).toBeGreaterThanOrEqual(520);
      expect(w.respondents.length).toBeLessThanOrEqual(640);
    }
  });

  it("orders the keyed cause means mechanisms < capacity < cognition, within ±0.15 of the model", () => {
    for (const w of truth.waves) {
      const m = Object.fromEntries(POPULATION_MODEL.causes.map((d) => [d, dimMean(clean(w), d)]));
      expect(m.mechanisms).toBeLessThan(m.capacity);
      expect(m.capacity).toBeLessThan(m.cognition);
      for (const d of POPULATION_MODEL.causes)
        expect(Math.abs(m[d] - modelMean(POPULATION_MODEL, d, w.year))).toBeLessThan(0.15);
    }
    // with the speeders and straight-liners in, 2019 is still close
    for (const d of POPULATION_MODEL.causes)
      expect(Math.abs(dimMean(wave(2019).respondents, d) - modelMean(POPULATION_MODEL, d, 2019))).toBeLessThan(0.15);
  });

  it("improves slowly: the causes rise and the problems fall from 2019 to 2025", () => {
    const first = clean(wave(2019));
    const last = clean(wave(2025));
    for (const d of POPULATION_MODEL.causes) expect(dimMean(last, d) - dimMean(first, d)).toBeGreaterThan(0.1);
    const severity = (rs: SampleRespondent[]) => mean(rs.flatMap((r) => keyedScores(r, (_d, s) => s === "problems")));
    expect(severity(first)).toBeGreaterThan(3);
    expect(severity(first)).toBeLessThan(3.4);
    expect(severity(last)).toBeLessThan(severity(first) - 0.1);
  });

  it("makes 考核机制 the weakest sub-dimension of all in 2019", () => {
    const rs = clean(wave(2019));
    const subs = [...ix.subdimension.values()].filter(
      (s) => codebook.sections.find((x) => x.code === s.section)!.direction === "higher_is_better"
    );
    const means = subs.map((s) => ({
      code: s.code,
      m: mean(rs.flatMap((r) => keyedScores(r, (_d, _s, sub) => sub === s.code)))
    }));
    means.sort((a, b) => a.m - b.m);
    expect(means[0].code).toBe("mech_assessment");
  });

  it("has the role and category differences of the model", () => {
    const rs = clean(wave(2019)).concat(clean(wave(2020)));
    const causes = (r: SampleRespondent) => keyedScores(r, (_d, s) => s === "causes");
    const byRole = (label: string) => mean(rs.filter((r) => r.attributes.role === label).flatMap(causes));
    const diff = byRole("党组（党委）书记") - byRole("兼职党务干部");
    expect(diff).toBeGreaterThan(0.15);
    expect(diff).toBeLessThan(0.5);
    const mech = (cat: string) =>
      mean(rs.filter((r) => r.category === cat).flatMap((r) => keyedScores(r, (d) => d === "mechanisms")));
    expect(mech("垂管单位")).toBeGreaterThan(mech("党政机关"));
    expect(mech("国有企业")).toBeGreaterThan(mech("党政机关"));
    expect(mech("事业单位")).toBeLessThan(mech("党政机关"));
  });

  it("correlates problem severity negatively with the causes", () => {
    const rs = clean(wave(2019));
    const c = rs.map((r) => mean(keyedScores(r, (_d, s) => s === "causes")));
    const p = rs.map((r) => mean(keyedScores(r, (_d, s) => s === "problems")));
    expect(corr(c, p)).toBeLessThan(-0.2);
  });

  it("mirrors reverse-keyed items in the raw answers", () => {
    const rs = clean(wave(2019));
    const cause = ix.likert.filter((q) => ix.subdimension.get(q.subdimension)!.section === "causes");
    const rawMean = (reverse: boolean) =>
      mean(
        rs.flatMap((r) =>
          cause
            .filter((q) => q.reverse === reverse)
            .map((q) => r.answers[q.code])
            .filter((v): v is number => typeof v === "number")
        )
      );
    // keyed means are ≈3.3, so raw reverse items sit below 3 and normal ones above
    expect(rawMean(false)).toBeGreaterThan(3);
    expect(rawMean(true)).toBeLessThan(3);
  });

  it("flags speeders, straight-liners and skipped cells at believable rates", () => {
    const all = truth.waves.flatMap((w) => w.respondents);
    const speeders = all.filter((r) => r.flags.speeder);
    const straight = all.filter((r) => r.flags.straightliner);
    expect(speeders.length / all.length).toBeGreaterThan(0.015);
    expect(speeders.length / all.length).toBeLessThan(0.05);
    for (const r of speeders) expect(r.durationSeconds).toBeLessThan(90);
    expect(straight.length / all.length).toBeGreaterThan(0.01);
    expect(straight.length / all.length).toBeLessThan(0.035);
    for (const r of straight) expect(new Set(ix.likert.map((q) => r.answers[q.code])).size).toBe(1);
    const normal = all.filter((r) => !r.flags.speeder && !r.flags.straightliner);
    const share200to900 =
      normal.filter((r) => r.durationSeconds >= 200 && r.durationSeconds <= 900).length / normal.length;
    expect(share200to900).toBeGreaterThan(0.8);
    for (const r of normal) expect(r.durationSeconds).toBeGreaterThanOrEqual(90);
    const cells = all.length * ix.likert.length;
    const nulls = all.reduce((s, r) => s + ix.likert.filter((q) => r.answers[q.code] === null).length, 0);
    expect(nulls / cells).toBeGreaterThan(0.008);
    expect(nulls / cells).toBeLessThan(0.025);
    for (const r of all)
      for (const [code, v] of Object.entries(r.answers))
        if (v === null) expect(r.missing[code]).toMatch(/^(skipped|unanswered)$/);
  });

  it("writes 问卷星-style metadata", () => {
    for (const w of truth.waves)
      for (const r of w.respondents) {
        expect(r.submittedAt).toMatch(
          new RegExp(`^${w.year}/10/([1-9]|[12]\\d|3[01]) ([01]?\\d|2[0-3]):[0-5]\\d:[0-5]\\d$`)
        );
        expect(r.ip).toMatch(/^\d{1,3}(\.\d{1,3}){3}\([^()]+-[^()]+\)$/);
        expect(["手机提交", "微信", "链接"]).toContain(r.source);
        expect(["直接访问", "N/A"]).toContain(r.sourceDetail);
      }
  });

  it("shifts the assessment-focus answers away from ledgers, and carriers up, over the years", () => {
    const single = codebook.questions.find((q) => q.type === "single" && !q.attribute && q.options !== "roster")!;
    const share = (w: SampleWave) =>
      w.respondents.filter((r) => r.answers[single.code] === "台帐资料和活动记录").length / w.respondents.length;
    expect(share(wave(2019))).toBeGreaterThan(0.42);
    expect(share(wave(2019))).toBeLessThan(0.6);
    expect(share(wave(2025))).toBeLessThan(share(wave(2019)) - 0.1);
    const multi = codebook.questions.find((q) => q.type === "multiple")!;
    const chosen = (w: SampleWave) =>
      mean(w.respondents.map((r) => (r.answers[multi.code] as { labels: string[] }).labels.length));
    expect(chosen(wave(2025))).toBeGreaterThan(chosen(wave(2019)) + 0.5);
    const others = truth.waves
      .flatMap((w) => w.respondents)
      .filter((r) => (r.answers[multi.code] as { other: string | null }).other !== null);
    expect(others.length).toBeGreaterThan(20);
  });

  it("gives training counts of 0–20 and short suggestions, some naming a unit or a person", () => {
    const num = codebook.questions.find((q) => q.type === "number")!;
    const text = codebook.questions.find((q) => q.type === "text")!;
    const all = truth.waves.flatMap((w) => w.respondents);
    for (const r of all) {
      const v = r.answers[num.code];
      if (v !== null) expect(v as number).toSatisfy((x: number) => x >= 0 && x <= 20);
    }
    const empty = all.filter((r) => r.answers[text.code] === null).length / all.length;
    expect(empty).toBeGreaterThan(0.3);
    expect(truth.sensitiveTexts.some((s) => s.kind === "unit_name")).toBe(true);
    expect(truth.sensitiveTexts.some((s) => s.kind === "person_name")).toBe(true);
    for (const s of truth.sensitiveTexts) {
      const r = truth.waves.find((w) => w.year === s.year)!.respondents.find((x) => x.id === s.respondentId)!;
      expect(r.answers[s.question]).toBe(s.text);
      expect(r.row).toBe(s.row);
    }
  });

  it("lists a handful of deliberate flaws per file, each on its own row", () => {
    for (const w of truth.waves) {
      const flaws = truth.flaws.filter((f) => f.file === w.file.fileName);
      expect(flaws.length).toBeGreaterThanOrEqual(5);
      expect(flaws.length).toBeLessThanOrEqual(10);
      const kinds = new Set(flaws.map((f) => f.kind));
      for (const k of ["unknown_unit", "missing_required", "empty_row", "duplicate_id"] as const)
        expect(kinds).toContain(k);
      expect(kinds).toContain(w.file.mode === "text" ? "invalid_option" : "likert_out_of_range");
      expect(new Set(flaws.map((f) => f.row)).size).toBe(flaws.length);
      // the rows: clean respondents plus exactly the flawed rows
      expect(w.rows.length).toBe(w.respondents.length + flaws.length);
      const flawRows = new Set(flaws.map((f) => f.row));
      for (const r of w.rows) expect(r.clean).toBe(!flawRows.has(r.row));
      expect(w.rows.map((r) => r.row)).toEqual(w.rows.map((_, i) => i + 2));
      expect(flaws.find((f) => f.kind === "empty_row")!.row).toBe(w.rows.length + 1);
    }
  });

  it("scores every unit on every indicator each year, process high, outcomes spread, business weakly related", () => {
    const years = truth.waves.length;
    expect(truth.assessment).toHaveLength(roster.length * indicators.indicators.length * years);
    const kindOf = new Map(indicators.indicators.map((i) => [i.code, i]));
    const process = truth.assessment.filter((s) => kindOf.get(s.indicator)!.kind === "process");
    for (const s of process) expect(s.score).toSatisfy((x: number) => x >= 85 && x <= 98);
    for (const s of truth.assessment) expect(s.score).toSatisfy((x: number) => x >= 0 && x <= 100);
    const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
    const outcome = truth.assessment.filter(
      (s) => kindOf.get(s.indicator)!.domain === "party_building" && kindOf.get(s.indicator)!.kind === "outcome"
    );
    expect(sd(outcome.map((s) => s.score))).toBeGreaterThan(2 * sd(process.map((s) => s.score)));
    const unitMean = (year: number, domain: string, kind?: string) =>
      roster.map((u) =>
        mean(
          truth.assessment
            .filter(
              (s) =>
                s.year === year &&
                s.unit === u.code &&
                kindOf.get(s.indicator)!.domain === domain &&
                (!kind || kindOf.get(s.indicator)!.kind === kind)
            )
            .map((s) => s.score)
        )
      );
    const r = corr(unitMean(2019, "party_building", "outcome"), unitMean(2019, "business"));
    expect(r).toBeGreaterThan(-0.1);
    expect(r).toBeLessThan(0.7);
    expect(Object.values(truth.unitProfiles).filter((p) => p.twoSkins).length).toBeGreaterThanOrEqual(3);
  });
});
