// Unit verdicts by hand: each shown unit against the rest of its category (hidden units included in the rest, never
// tested), Welch's test, Benjamini–Hochberg across the units compared. The expected p values are SciPy's
// (scipy.stats.ttest_ind(unit, rest, equal_var=False), scipy.stats.false_discovery_control(p, method="bh")), which
// agree with R's t.test and p.adjust; every respondent answers one item, so the ratio mean is the plain mean.
import { describe, expect, it } from "vitest";
import { unitVerdictsOf, type UnitCell } from "../../pipeline/marts/unit-verdicts.ts";

/** A unit's sums from its respondents' answers to one item each. */
function cell(unit: string, category: string, scores: number[], shown = true): UnitCell {
  return {
    unit,
    category,
    shown,
    sums: {
      n: scores.length,
      sum_s: scores.reduce((a, b) => a + b, 0),
      sum_m: scores.length,
      sum_ss: scores.reduce((a, b) => a + b * b, 0),
      sum_mm: scores.length,
      sum_sm: scores.reduce((a, b) => a + b, 0)
    }
  };
}

const cells = [
  cell("A1", "甲类", [1, 2, 2, 1, 2, 1]),
  cell("A2", "甲类", [4, 5, 4, 4, 5, 3, 4]),
  cell("A3", "甲类", [3, 4, 5], false),
  cell("B1", "乙类", [3, 3, 4, 2, 3]),
  cell("B2", "乙类", [4, 3, 3, 4, 2, 3]),
  cell("C1", "丙类", [2, 3, 3, 2, 3, 2, 3, 3, 3, 2]),
  cell("C2", "丙类", [3, 3, 4, 3, 4, 3, 2, 4, 3, 3, 4, 2]),
  cell("D1", "丁类", [1, 1, 2, 1, 1])
];

describe("unitVerdictsOf", () => {
  it("tests each shown unit against the rest of its category and adjusts the p values together (BH)", () => {
    const got = unitVerdictsOf(cells, "higher_is_better");
    // A3 is hidden (part of A1's and A2's rest, no verdict); D1 has no other unit in its category.
    expect(got.map((v) => v.unit)).toEqual(["A1", "A2", "B1", "B2", "C1", "C2"]);
    const want: [string, number, string][] = [
      ["A1", 1.1674573622162882e-5, "worse"],
      ["A2", 0.01682198664882108, "better"],
      ["B1", 0.7143868438804034, "not_different"],
      ["B2", 0.7143868438804034, "not_different"],
      // raw p 0.0444 < 0.05: without the adjustment C1 would have been named
      ["C1", 0.06656763743420575, "not_different"],
      ["C2", 0.06656763743420575, "not_different"]
    ];
    for (const [unit, p, verdict] of want) {
      const v = got.find((x) => x.unit === unit)!;
      expect(v.adjustedP, unit).toBeCloseTo(p, 3);
      expect(v.verdict, unit).toBe(verdict);
    }
    // published p values are rounded to three decimals
    expect(got.find((v) => v.unit === "A1")!.adjustedP).toBe(0);
    expect(got.find((v) => v.unit === "C1")!.adjustedP).toBe(0.067);
  });

  it("calls a higher score worse on a higher-is-worse scale", () => {
    const got = unitVerdictsOf(cells, "higher_is_worse");
    expect(got.find((v) => v.unit === "A1")!.verdict).toBe("better");
    expect(got.find((v) => v.unit === "A2")!.verdict).toBe("worse");
  });

  it("names nobody when no difference survives the adjustment", () => {
    const got = unitVerdictsOf(
      cells.filter((c) => c.category !== "甲类"),
      "higher_is_better"
    );
    expect(got.length).toBe(4);
    expect(got.every((v) => v.verdict === "not_different")).toBe(true);
  });

  it("compares nothing in a category whose other units answered not at all", () => {
    expect(unitVerdictsOf([cell("E1", "戊类", [1, 2, 3]), cell("E2", "戊类", [], false)], "higher_is_better")).toEqual(
      []
    );
  });
});
