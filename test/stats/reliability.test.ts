import { describe, expect, it } from "vitest";
import { cronbachAlpha, pairwiseCovariance, personScores, reverseScore } from "../../pipeline/stats/reliability.ts";

// Hand-checkable helpers, written independently of the library: plain loops on complete columns.
const avg = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
const variance = (xs: number[]) => xs.reduce((s, v) => s + (v - avg(xs)) ** 2, 0) / (xs.length - 1);
const covariance = (xs: number[], ys: number[]) =>
  xs.reduce((s, v, i) => s + (v - avg(xs)) * (ys[i] - avg(ys)), 0) / (xs.length - 1);
const correlation = (xs: number[], ys: number[]) => covariance(xs, ys) / Math.sqrt(variance(xs) * variance(ys));
const column = (m: number[][], j: number) => m.map((row) => row[j]);

describe("cronbachAlpha on complete data", () => {
  // 6 respondents × 3 items on a 1..5 scale.
  const m = [
    [4, 5, 4],
    [2, 3, 3],
    [5, 5, 4],
    [3, 2, 2],
    [4, 4, 5],
    [1, 2, 1]
  ];
  const k = 3;
  const items = [0, 1, 2].map((j) => column(m, j));
  const totals = m.map((row) => row.reduce((s, v) => s + v, 0));

  it("equals k/(k−1) · (1 − Σ item variances / variance of the total)", () => {
    const expected = (k / (k - 1)) * (1 - items.map(variance).reduce((s, v) => s + v, 0) / variance(totals));
    expect(cronbachAlpha(m).rawAlpha).toBeCloseTo(expected, 12);
  });

  it("gives standardized alpha k·r̄ / (1 + (k−1)·r̄) from the mean inter-item correlation", () => {
    const rBar =
      (correlation(items[0], items[1]) + correlation(items[0], items[2]) + correlation(items[1], items[2])) / 3;
    const result = cronbachAlpha(m);
    expect(result.averageR).toBeCloseTo(rBar, 12);
    expect(result.stdAlpha).toBeCloseTo((k * rBar) / (1 + (k - 1) * rBar), 12);
  });

  it("gives r.drop as the item's correlation with the sum of the other items", () => {
    const result = cronbachAlpha(m);
    [0, 1, 2].forEach((j) => {
      const rest = m.map((row) => row.reduce((s, v, i) => (i === j ? s : s + v), 0));
      expect(result.items[j].rDrop).toBeCloseTo(correlation(items[j], rest), 12);
    });
  });

  it("gives alpha if deleted as the two-item alpha of the remaining items", () => {
    const [a, b] = [items[1], items[2]];
    const twoItem = 2 * (1 - (variance(a) + variance(b)) / variance(a.map((v, i) => v + b[i])));
    expect(cronbachAlpha(m).items[0].rawAlphaIfDeleted).toBeCloseTo(twoItem, 12);
    expect(cronbachAlpha(m).items[0].stdAlphaIfDeleted).toBeCloseTo(
      (2 * correlation(a, b)) / (1 + correlation(a, b)),
      12
    );
  });

  it("reports the mean and SD of the per-person mean scores", () => {
    const scores = totals.map((t) => t / k);
    const result = cronbachAlpha(m);
    expect(result.mean).toBeCloseTo(avg(scores), 12);
    expect(result.sd).toBeCloseTo(Math.sqrt(variance(scores)), 12);
  });

  it("reverse keys as min + max − x before anything else", () => {
    const flipped = m.map((row) => [row[0], 6 - row[1], row[2]]);
    const viaOption = cronbachAlpha(flipped, { reverse: [false, true, false], min: 1, max: 5 });
    expect(viaOption.rawAlpha).toBeCloseTo(cronbachAlpha(m).rawAlpha, 12);
    expect(viaOption.items[1].mean).toBeCloseTo(avg(items[1]), 12);
    expect(reverseScore(2, 1, 6)).toBe(5);
    expect(() => cronbachAlpha(flipped, { reverse: [false, true, false] })).toThrow(/min and max/);
  });
});

describe("pairwise-complete covariance (psych's use = 'pairwise')", () => {
  const m = [
    [1, 2, null],
    [2, null, 3],
    [3, 5, 4],
    [4, 4, 6],
    [null, 6, 5],
    [5, 7, 7]
  ];
  it("uses, for each pair, the respondents who answered both, with means over those respondents", () => {
    const { covariance: c, counts } = pairwiseCovariance(m);
    // Items 1 and 2 are both answered in rows 0, 2, 3, 5.
    expect(counts[0][1]).toBe(4);
    expect(c[0][1]).toBeCloseTo(covariance([1, 3, 4, 5], [2, 5, 4, 7]), 12);
    // Item 1 alone: rows 0, 1, 2, 3, 5.
    expect(counts[0][0]).toBe(5);
    expect(c[0][0]).toBeCloseTo(variance([1, 2, 3, 4, 5]), 12);
    // Items 2 and 3: rows 2, 3, 4, 5.
    expect(c[1][2]).toBeCloseTo(covariance([5, 4, 6, 7], [4, 6, 5, 7]), 12);
  });
  it("scores each person on the items they answered", () => {
    expect(personScores(m)).toEqual([1.5, 2.5, 4, 14 / 3, 5.5, 19 / 3]);
    expect(
      personScores([
        [null, null],
        [2, 4]
      ])
    ).toEqual([3]);
  });
});
