import { describe, expect, it } from "vitest";
import { crosstab, crosstabFromCounts } from "../../pipeline/stats/crosstab.ts";
import { normalCdf } from "../../pipeline/stats/distributions.ts";

describe("crosstabFromCounts on a 2 × 2 table", () => {
  // a b / c d = 10 20 / 30 40: N = 100, rows 30 and 70, columns 40 and 60.
  // χ² = N(ad − bc)² / (r1 r2 c1 c2) = 100 · 200² / (30 · 70 · 40 · 60) = 0.793651 (R: chisq.test(correct = FALSE)).
  const t = crosstabFromCounts(
    [
      [10, 20],
      [30, 40]
    ],
    ["men", "women"],
    ["yes", "no"]
  );
  const chi = (100 * 200 ** 2) / (30 * 70 * 40 * 60);

  it("computes totals, row shares and expected counts", () => {
    expect(t.rowTotals).toEqual([30, 70]);
    expect(t.colTotals).toEqual([40, 60]);
    expect(t.total).toBe(100);
    expect(t.rowShares[0]).toEqual([1 / 3, 2 / 3]);
    expect(t.expected).toEqual([
      [12, 18],
      [28, 42]
    ]);
  });

  it("gives Pearson's χ² without continuity correction, df 1 and p from a squared normal", () => {
    expect(t.chiSquare).toBeCloseTo(chi, 12);
    expect(t.chiSquare).toBeCloseTo(0.793651, 6);
    expect(t.df).toBe(1);
    expect(t.p).toBeCloseTo(2 * (1 - normalCdf(Math.sqrt(chi))), 12);
    expect(t.p).toBeCloseTo(0.373, 3);
  });

  it("gives Cramér's V = |ad − bc| / √(r1 r2 c1 c2) for a 2 × 2 table", () => {
    expect(t.cramersV).toBeCloseTo(200 / Math.sqrt(30 * 70 * 40 * 60), 12);
    expect(t.sparseCells).toEqual([]);
    expect(t.sparseShare).toBe(0);
  });
});

describe("crosstab from answers", () => {
  it("tabulates pairs, skips respondents missing either answer and keeps given level order", () => {
    const unit = ["A", "A", "B", "B", "B", null, "A", "B"];
    const answer = ["yes", "no", "yes", "yes", "no", "yes", "yes", null];
    const t = crosstab(unit, answer, { colLevels: ["yes", "no"] });
    expect(t.rowLabels).toEqual(["A", "B"]);
    expect(t.counts).toEqual([
      [2, 1],
      [2, 1]
    ]);
    expect(t.total).toBe(6);
    expect(t.chiSquare).toBeCloseTo(0, 12);
    expect(t.cramersV).toBeCloseTo(0, 12);
  });

  it("flags cells with expected count below 5 and their share", () => {
    // 2 × 3 table: expected = row total · column total / 40.
    const t = crosstabFromCounts([
      [10, 6, 4],
      [10, 6, 4]
    ]);
    // Column totals 20, 12, 8 → expected 10, 6, 4 per row: the two cells of the last column are sparse.
    expect(t.sparseCells.map((c) => [c.row, c.col, c.expected])).toEqual([
      ["row1", "col3", 4],
      ["row2", "col3", 4]
    ]);
    expect(t.sparseShare).toBeCloseTo(2 / 6, 12);
    expect(t.df).toBe(2);
  });

  it("computes χ² = Σ (O − E)² / E on a 3 × 2 table worked by hand", () => {
    // Rows 20, 20, 20; columns 30, 30; every E = 10. Observed 15 5 / 10 10 / 5 15 → (25+25+0+0+25+25)/10 = 10.
    const t = crosstabFromCounts([
      [15, 5],
      [10, 10],
      [5, 15]
    ]);
    expect(t.chiSquare).toBeCloseTo(10, 12);
    expect(t.df).toBe(2);
    expect(t.p).toBeCloseTo(Math.exp(-10 / 2), 12); // chi-square with 2 df: P(X > x) = e^(−x/2)
    expect(t.cramersV).toBeCloseTo(Math.sqrt(10 / 60), 12);
  });

  it("leaves empty levels out of χ² and df", () => {
    const t = crosstabFromCounts([
      [15, 5, 0],
      [10, 10, 0],
      [5, 15, 0]
    ]);
    expect(t.df).toBe(2);
    expect(t.chiSquare).toBeCloseTo(10, 12);
  });

  it("rejects answers outside the given levels", () => {
    expect(() => crosstab(["A"], ["maybe"], { colLevels: ["yes", "no"] })).toThrow(/maybe/);
  });
});
