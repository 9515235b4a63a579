// The driver statistics from their sufficient statistics (n and Pearson r, as DuckDB's corr() and count(*) give them)
// against the raw-column versions on small hand datasets: correlationFromR ≡ pearson, and
// standardizedRegressionFromCorrelations ≡ standardizedRegression, throws included.
import { describe, expect, it } from "vitest";
import {
  correlationFromR,
  pearson,
  standardizedRegression,
  standardizedRegressionFromCorrelations
} from "../../pipeline/stats/drivers.ts";
import { normalQuantile, studentTTwoSidedP } from "../../pipeline/stats/distributions.ts";

describe("correlationFromR", () => {
  it("gives pearson()'s test and interval for the same n and r (x = 1..5, y = 2 4 5 4 5: r = 6/√60)", () => {
    const r = 6 / Math.sqrt(60);
    const c = correlationFromR(5, r);
    expect(c).toEqual(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]));
    expect(c.n).toBe(5);
    expect(c.df).toBe(3);
    expect(c.t).toBeCloseTo(r * Math.sqrt(3 / (1 - r * r)), 12);
    expect(c.p).toBeCloseTo(studentTTwoSidedP(c.t, 3), 12);
    const half = normalQuantile(0.975) / Math.sqrt(2);
    expect(c.ciLow).toBeCloseTo(Math.tanh(Math.atanh(r) - half), 12);
    expect(c.ciHigh).toBeCloseTo(Math.tanh(Math.atanh(r) + half), 12);
    expect(c.level).toBe(0.95);
  });

  it("honours the level: a 90% interval is narrower", () => {
    const x = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
    const y = [2, 7, 1, 8, 2, 8, 1, 8, 2, 8];
    const raw = pearson(x, y, 0.9);
    expect(correlationFromR(raw.n, raw.r, 0.9)).toEqual(raw);
    const wide = correlationFromR(raw.n, raw.r, 0.95);
    expect(raw.ciHigh - raw.ciLow).toBeLessThan(wide.ciHigh - wide.ciLow);
  });

  it("is what pearson() gives after pairwise deletion", () => {
    const x = [1, 2, null, 4, 5, 6, 7, 9];
    const y = [2, null, 5, 4, 5, 3, 8, 7];
    const raw = pearson(x, y);
    expect(raw.n).toBe(6);
    expect(correlationFromR(6, raw.r)).toEqual(raw);
  });

  it("carries NaN through, as pearson() does, for a constant variable or too few respondents", () => {
    const constant = pearson([2, 2, 2, 2, 2], [1, 2, 3, 4, 5]);
    expect(constant.r).toBeNaN();
    expect(correlationFromR(5, NaN)).toEqual(constant);
    const three = correlationFromR(3, 0.5);
    expect(three.ciLow).toBeNaN();
    expect(three.ciHigh).toBeNaN();
    expect(three.p).toBeCloseTo(studentTTwoSidedP(0.5 * Math.sqrt(1 / 0.75), 1), 12);
    expect(correlationFromR(2, 0.5).p).toBeNaN();
    expect(correlationFromR(0, NaN)).toEqual(pearson([null, 1], [2, null]));
  });
});

describe("standardizedRegressionFromCorrelations", () => {
  // The hand data of test/stats/drivers.test.ts, and its correlations computed by pearson().
  const x1 = [1, 2, 3, 4, 5, 6, 7, 8];
  const x2 = [2, 1, 4, 3, 6, 5, 8, 9];
  const x3 = [5, 3, 4, 1, 2, 2, 6, 4];
  const y = [3, 4, 4, 7, 6, 9, 9, 12];
  const r = (a: number[], b: number[]) => pearson(a, b).r;
  const matrix = (xs: number[][]) => xs.map((a) => xs.map((b) => (a === b ? 1 : r(a, b))));

  it("matches the two-predictor closed forms β1 = (r_y1 − r_y2 r_12)/(1 − r_12²), R² and SE", () => {
    const [ry1, ry2, r12] = [r(y, x1), r(y, x2), r(x1, x2)];
    const fit = standardizedRegressionFromCorrelations(
      8,
      ["culture", "training"],
      [
        [1, r12],
        [r12, 1]
      ],
      [ry1, ry2]
    );
    const rSquared = (ry1 ** 2 + ry2 ** 2 - 2 * ry1 * ry2 * r12) / (1 - r12 ** 2);
    expect(fit.n).toBe(8);
    expect(fit.coefficients.map((c) => c.name)).toEqual(["culture", "training"]);
    expect(fit.coefficients[0].beta).toBeCloseTo((ry1 - ry2 * r12) / (1 - r12 ** 2), 12);
    expect(fit.coefficients[1].beta).toBeCloseTo((ry2 - ry1 * r12) / (1 - r12 ** 2), 12);
    expect(fit.rSquared).toBeCloseTo(rSquared, 12);
    expect(fit.adjustedRSquared).toBeCloseTo(1 - ((1 - rSquared) * 7) / 5, 12);
    expect(fit.coefficients[0].se).toBeCloseTo(Math.sqrt((1 - rSquared) / (5 * (1 - r12 ** 2))), 12);
  });

  it("equals standardizedRegression() on the raw columns, with one, two and three predictors", () => {
    const sets: Record<string, number[]>[] = [{ a: x1 }, { a: x1, b: x2 }, { a: x1, b: x2, c: x3 }];
    for (const predictors of sets) {
      const names = Object.keys(predictors);
      const xs = names.map((n) => predictors[n]);
      const summary = standardizedRegressionFromCorrelations(
        8,
        names,
        matrix(xs),
        xs.map((x) => r(x, y))
      );
      const raw = standardizedRegression(y, predictors);
      expect(summary.n).toBe(raw.n);
      for (const field of ["rSquared", "adjustedRSquared", "f", "p"] as const)
        expect(summary[field]).toBeCloseTo(raw[field], 12);
      summary.coefficients.forEach((c, j) => {
        expect(c.name).toBe(raw.coefficients[j].name);
        for (const field of ["beta", "se", "t", "p"] as const)
          expect(c[field], `${names} ${c.name} ${field}`).toBeCloseTo(raw.coefficients[j][field], 12);
      });
    }
  });

  it("takes the n and correlations of the complete respondents (listwise deletion)", () => {
    const raw = standardizedRegression([...y, null, 5], { a: [...x1, 3, null], b: [...x2, 1, 2] });
    const summary = standardizedRegressionFromCorrelations(8, ["a", "b"], matrix([x1, x2]), [r(x1, y), r(x2, y)]);
    expect(raw.n).toBe(8);
    expect(summary.rSquared).toBeCloseTo(raw.rSquared, 12);
    expect(summary.coefficients[1].beta).toBeCloseTo(raw.coefficients[1].beta, 12);
  });

  it("throws the RangeErrors standardizedRegression() throws: no predictor, too few respondents, collinear or constant", () => {
    expect(() => standardizedRegressionFromCorrelations(8, [], [], [])).toThrow(RangeError);
    expect(() => standardizedRegressionFromCorrelations(8, [], [], [])).toThrow(/at least one predictor/);
    expect(() => standardizedRegression(y, {})).toThrow(/at least one predictor/);
    // n ≤ k + 1: three respondents for two predictors, as the raw version says.
    expect(() =>
      standardizedRegressionFromCorrelations(
        3,
        ["a", "b"],
        [
          [1, 0.2],
          [0.2, 1]
        ],
        [0.3, 0.4]
      )
    ).toThrow(/3 complete respondents are too few for 2 predictors/);
    expect(() => standardizedRegression(y.slice(0, 3), { a: x1.slice(0, 3), b: x2.slice(0, 3) })).toThrow(
      /3 complete respondents are too few for 2 predictors/
    );
    expect(() => standardizedRegressionFromCorrelations(0, ["a"], [[1]], [NaN])).toThrow(RangeError);
    // Perfectly correlated predictors, and a constant one (its correlations NaN).
    expect(() =>
      standardizedRegressionFromCorrelations(
        8,
        ["a", "twice"],
        [
          [1, 1],
          [1, 1]
        ],
        [r(x1, y), r(x1, y)]
      )
    ).toThrow(/collinear/);
    expect(() =>
      standardizedRegressionFromCorrelations(
        8,
        ["a", "flat"],
        [
          [1, NaN],
          [NaN, 1]
        ],
        [r(x1, y), NaN]
      )
    ).toThrow(/collinear/);
    expect(() => standardizedRegression(y, { a: x1, flat: x1.map(() => 4) })).toThrow(/collinear/);
    for (const thrown of [
      () =>
        standardizedRegressionFromCorrelations(
          8,
          ["a", "twice"],
          [
            [1, 1],
            [1, 1]
          ],
          [0.5, 0.5]
        ),
      () => standardizedRegressionFromCorrelations(1, ["a"], [[1]], [0.5])
    ])
      expect(thrown).toThrow(RangeError);
  });

  it("refuses a correlation matrix whose shape does not fit the names (a caller's bug, not a RangeError)", () => {
    let error: unknown;
    try {
      standardizedRegressionFromCorrelations(8, ["a", "b"], [[1]], [0.5, 0.5]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(RangeError);
  });
});
