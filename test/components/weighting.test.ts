import { describe, expect, it } from "vitest";
import {
  rankShifts,
  rankUnits,
  weightedTotal,
  weightShare,
  type IndicatorScores,
  type WeightedIndicator
} from "../../src/components/weighting.ts";

// Two party-building indicators (one on a 0–50 scale) and one business indicator.
const indicators: WeightedIndicator[] = [
  { code: "ledgers", domain: "party_building", kind: "process", weight: 60, maxScore: 100 },
  { code: "effect", domain: "party_building", kind: "outcome", weight: 40, maxScore: 50 },
  { code: "targets", domain: "business", kind: "outcome", weight: 100, maxScore: 100 }
];

const rows: IndicatorScores[] = [
  { year: 2024, unit: "A", scores: [90, 20, 80] }, // pb = (60·90 + 40·40) / 100 = 70
  { year: 2024, unit: "B", scores: [80, 40, 70] }, // pb = (60·80 + 40·80) / 100 = 80
  { year: 2024, unit: "C", scores: [95, 30, null] }, // pb = (60·95 + 40·60) / 100 = 81
  { year: 2023, unit: "A", scores: [null, 25, 60] } // pb = 50 (only the scored indicator counts)
];

describe("weightedTotal", () => {
  it("weighs each indicator's percentage of its maximum", () => {
    expect(weightedTotal(rows[0].scores, indicators, "party_building")).toBeCloseTo(70, 12);
    expect(weightedTotal(rows[1].scores, indicators, "party_building")).toBeCloseTo(80, 12);
    expect(weightedTotal(rows[0].scores, indicators, "business")).toBeCloseTo(80, 12);
  });

  it("leaves unscored indicators out of numerator and denominator, and has no total without weight", () => {
    expect(weightedTotal(rows[3].scores, indicators, "party_building")).toBeCloseTo(50, 12);
    expect(weightedTotal(rows[2].scores, indicators, "business")).toBeNull();
    expect(weightedTotal(rows[0].scores, indicators, "party_building", { ledgers: 0, effect: 0 })).toBeNull();
  });

  it("uses the analyst's weights where given", () => {
    expect(weightedTotal(rows[0].scores, indicators, "party_building", { ledgers: 0 })).toBeCloseTo(40, 12);
    expect(weightedTotal(rows[0].scores, indicators, "party_building", { ledgers: 1, effect: 1 })).toBeCloseTo(65, 12);
  });
});

describe("weightShare", () => {
  it("is the kind's share of the domain's weight", () => {
    expect(weightShare(indicators, "party_building", "process")).toBeCloseTo(0.6, 12);
    expect(weightShare(indicators, "party_building", "process", { effect: 60 })).toBeCloseTo(0.5, 12);
    expect(weightShare(indicators, "party_building", "process", { ledgers: 0, effect: 0 })).toBeNull();
  });
});

describe("rankUnits and rankShifts", () => {
  it("ranks one year's units, highest first", () => {
    expect(rankUnits(rows, indicators, { year: 2024 }).map((r) => [r.unit, r.rank])).toEqual([
      ["C", 1],
      ["B", 2],
      ["A", 3]
    ]);
  });

  it("gives tied totals the same rank and lists them by unit code", () => {
    // With only the outcome indicator, A = 40, B = 80, C = 60; with equal weights B = 80, C = 77.5, A = 65.
    expect(rankUnits(rows, indicators, { year: 2024, weights: { ledgers: 0 } }).map((r) => r.unit)).toEqual([
      "B",
      "C",
      "A"
    ]);
    const tied: IndicatorScores[] = [
      { year: 1, unit: "Z", scores: [80, 40, null] },
      { year: 1, unit: "Y", scores: [80, 40, null] },
      { year: 1, unit: "X", scores: [70, 40, null] }
    ];
    expect(rankUnits(tied, indicators, { year: 1 }).map((r) => [r.unit, r.rank])).toEqual([
      ["Y", 1],
      ["Z", 1],
      ["X", 3]
    ]);
  });

  it("tells how far each unit moves when the weights change", () => {
    const shifts = rankShifts(rows, indicators, { year: 2024, weights: { ledgers: 0 } });
    expect(shifts.map((s) => [s.unit, s.before, s.after, s.change])).toEqual([
      ["B", 2, 1, 1],
      ["C", 1, 2, -1],
      ["A", 3, 3, 0]
    ]);
    expect(shifts[0].scoreBefore).toBeCloseTo(80, 12);
    expect(shifts[0].scoreAfter).toBeCloseTo(80, 12);
  });
});
