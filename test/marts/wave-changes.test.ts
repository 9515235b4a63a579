// The change test and its verdict (pipeline/marts/wave-changes.ts): the codebook's switch between the model-based
// Welch test and the design-based test with the finite population correction, and Benjamini–Hochberg within a page's
// family of change tests, on hand-made numbers with known answers.
import { describe, expect, it } from "vitest";
import { designTTest, welchTest } from "../../pipeline/stats/change.ts";
import { pAdjust } from "../../pipeline/stats/multiplicity.ts";
import {
  changePsOf,
  changesOf,
  changeTest,
  testChange,
  withChanges,
  withFamilyVerdicts
} from "../../pipeline/marts/wave-changes.ts";

const OFF = { finitePopulationCorrection: false };
const ON = { finitePopulationCorrection: true };

/** Two waves of one group: 60 of 80 cadres answered in 2024, 70 of 80 in 2025. */
const rows = [
  { wave: 2024, group: "g", n: 60, mean: 3.4, sd: 0.9, suppressed: false },
  { wave: 2025, group: "g", n: 70, mean: 3.7, sd: 0.8, suppressed: false }
];
const a = { n: 60, mean: 3.4, sd: 0.9 };
const b = { n: 70, mean: 3.7, sd: 0.8 };

describe("the change test", () => {
  it("is Welch's test without the finite population correction by default, even when the headcount is known", () => {
    const [, got] = withChanges(
      rows,
      (r) => r.group,
      () => 80,
      OFF
    );
    const want = welchTest(a, b);
    expect(got.changeP).toBe(want.p);
    expect([got.change, got.changeLow, got.changeHigh]).toEqual([want.difference, want.ciLow, want.ciHigh]);
    expect(got.previousWave).toBe(2024);
  });

  it("is the design-based test with 1 − n/N when the codebook switches the correction on", () => {
    const [, got] = withChanges(
      rows,
      (r) => r.group,
      () => 80,
      ON
    );
    const want = designTTest({ ...a, populationSize: 80 }, { ...b, populationSize: 80 });
    expect(got.changeP).toBe(want.p);
    expect([got.changeLow, got.changeHigh]).toEqual([want.ciLow, want.ciHigh]);
    // The same data: the correction shrinks the variance (7/8 and 1/4 of the respondents missing), so p is smaller.
    expect(got.changeP!).toBeLessThan(welchTest(a, b).p);
  });

  it("with the correction on, tests a group whose headcount is unknown (or below its respondents) by the design without it", () => {
    expect(testChange(a, b, undefined, ON)).toEqual(designTTest(a, b));
    expect(testChange(a, b, 65, ON)).toEqual(designTTest(a, b));
    expect(testChange(a, b, 70, ON)).toEqual(designTTest({ ...a, populationSize: 70 }, { ...b, populationSize: 70 }));
    // Off: the headcount is never used.
    expect(testChange(a, b, 70, OFF)).toEqual(welchTest(a, b));
  });

  it("without the interval (changePsOf) gives changesOf's previous wave, change and p, with the correction off and on", () => {
    // Three series: tested twice, hidden in the middle wave (tested against the first), and one answer only (not tested).
    const series = [
      ...rows,
      { wave: 2026, group: "g", n: 75, mean: 3.5, sd: 0.85, suppressed: false },
      { wave: 2024, group: "h", n: 12, mean: 3.0, sd: 1.1, suppressed: false },
      { wave: 2025, group: "h", n: null, mean: null, sd: null, suppressed: true },
      { wave: 2026, group: "h", n: 15, mean: 3.6, sd: 0.7, suppressed: false },
      { wave: 2025, group: "k", n: 1, mean: 4, sd: null, suppressed: false },
      { wave: 2026, group: "k", n: 9, mean: 3.9, sd: 0.5, suppressed: false }
    ];
    for (const inference of [OFF, ON]) {
      const full = changesOf(
        series,
        (r) => r.group,
        (r) => (r.group === "g" ? 80 : 20),
        inference
      );
      const pOnly = changePsOf(
        series,
        (r) => r.group,
        (r) => (r.group === "g" ? 80 : 20),
        inference
      );
      expect(pOnly).toEqual(full.map(({ previousWave, change, changeP }) => ({ previousWave, change, changeP })));
      expect(pOnly.map((c) => c.previousWave)).toEqual([null, 2024, 2025, null, null, 2024, null, 2025]);
      expect(pOnly.filter((c) => c.changeP !== null)).toHaveLength(3);
    }
  });

  it("names which test applies, in the words the pages print", () => {
    expect(changeTest(OFF)).toContain("未作有限总体校正");
    expect(changeTest(ON)).toContain("作有限总体校正");
    expect(changeTest(ON)).not.toContain("未作");
  });
});

describe("the verdicts of one page's family (Benjamini–Hochberg at 5%)", () => {
  const family = (ps: (number | null)[]) => ps.map((p, i) => ({ p, row: { id: i } }));

  it("is R's p.adjust(p, 'BH') ≤ 0.05: three raw p below 0.05, only one survives", () => {
    // p.adjust(c(0.01, 0.04, 0.03, 0.2, 0.5), "BH") = 0.05 0.0667 0.0667 0.25 0.5
    const ps = [0.01, 0.04, 0.03, 0.2, 0.5];
    const got = withFamilyVerdicts(family(ps));
    expect(got.map((r) => r.changeSignificant)).toEqual([true, false, false, false, false]);
    expect(got.map((r) => r.changeSignificant)).toEqual(pAdjust(ps, "BH").map((q) => q! <= 0.05));
    expect(got.map((r) => r.id)).toEqual([0, 1, 2, 3, 4]);
  });

  it("calls a lone raw p < 0.05 significant, and more tests make the same p harder to call", () => {
    expect(withFamilyVerdicts(family([0.04]))[0].changeSignificant).toBe(true);
    expect(withFamilyVerdicts(family([0.04, 0.5]))[0].changeSignificant).toBe(false);
    // All small: BH keeps them all (0.04 · 3/3 ≤ 0.05).
    expect(withFamilyVerdicts(family([0.04, 0.02, 0.001])).every((r) => r.changeSignificant)).toBe(true);
  });

  it("leaves rows without a test null and does not count them in the family", () => {
    const got = withFamilyVerdicts(family([null, 0.04, null, 0.01, null]));
    expect(got.map((r) => r.changeSignificant)).toEqual([null, true, null, true, null]);
  });

  it("on hand-made p values of a page agrees with pAdjust for every row", () => {
    const ps = Array.from({ length: 40 }, (_, i) => ((i * 37) % 41) / 400);
    const adjusted = pAdjust(ps, "BH");
    withFamilyVerdicts(family(ps)).forEach((r, i) => expect(r.changeSignificant).toBe(adjusted[i]! <= 0.05));
    expect(ps.filter((p) => p < 0.05).length).toBeGreaterThan(
      withFamilyVerdicts(family(ps)).filter((r) => r.changeSignificant).length
    );
  });
});
