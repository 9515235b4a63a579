import { describe, expect, it } from "vitest";
import { CORRELATION_CAVEAT, pearson, standardizedRegression } from "../../pipeline/stats/drivers.ts";
import { normalQuantile, studentTTwoSidedP } from "../../pipeline/stats/distributions.ts";

describe("pearson", () => {
  // x = 1..5, y = 2 4 5 4 5: mean x 3, mean y 4; Σdxdy = (−2)(−2)+(−1)(0)+0+(1)(0)+(2)(1) = 6,
  // Σdx² = 10, Σdy² = 4+0+1+0+1 = 6 → r = 6/√60.
  const x = [1, 2, 3, 4, 5];
  const y = [2, 4, 5, 4, 5];
  const r = 6 / Math.sqrt(60);

  it("computes r, t with n − 2 df and its two-sided p", () => {
    const c = pearson(x, y);
    expect(c.n).toBe(5);
    expect(c.r).toBeCloseTo(r, 12);
    expect(c.t).toBeCloseTo(r * Math.sqrt(3 / (1 - r * r)), 12);
    expect(c.df).toBe(3);
    expect(c.p).toBeCloseTo(studentTTwoSidedP(c.t, 3), 12);
  });

  it("gives the Fisher z interval tanh(atanh r ± z/√(n − 3))", () => {
    const c = pearson(x, y);
    const half = normalQuantile(0.975) / Math.sqrt(2);
    expect(c.ciLow).toBeCloseTo(Math.tanh(Math.atanh(r) - half), 12);
    expect(c.ciHigh).toBeCloseTo(Math.tanh(Math.atanh(r) + half), 12);
  });

  it("drops respondents missing either value (pairwise deletion)", () => {
    const c = pearson([...x, null, 9], [...y, 7, null]);
    expect(c.n).toBe(5);
    expect(c.r).toBeCloseTo(r, 12);
  });
});

describe("standardizedRegression", () => {
  const x1 = [1, 2, 3, 4, 5, 6, 7, 8];
  const x2 = [2, 1, 4, 3, 6, 5, 8, 9];
  const y = [3, 4, 4, 7, 6, 9, 9, 12];
  const corr = (a: number[], b: number[]) => pearson(a, b).r;

  it("matches the two-predictor closed forms β1 = (r_y1 − r_y2 r_12)/(1 − r_12²) and R²", () => {
    const [ry1, ry2, r12] = [corr(y, x1), corr(y, x2), corr(x1, x2)];
    const beta1 = (ry1 - ry2 * r12) / (1 - r12 ** 2);
    const beta2 = (ry2 - ry1 * r12) / (1 - r12 ** 2);
    const rSquared = (ry1 ** 2 + ry2 ** 2 - 2 * ry1 * ry2 * r12) / (1 - r12 ** 2);
    const fit = standardizedRegression(y, { culture: x1, training: x2 });
    expect(fit.n).toBe(8);
    expect(fit.coefficients.map((c) => c.name)).toEqual(["culture", "training"]);
    expect(fit.coefficients[0].beta).toBeCloseTo(beta1, 12);
    expect(fit.coefficients[1].beta).toBeCloseTo(beta2, 12);
    expect(fit.rSquared).toBeCloseTo(rSquared, 12);
    expect(fit.adjustedRSquared).toBeCloseTo(1 - ((1 - rSquared) * 7) / 5, 12);
    // SE of a standardized beta with two predictors: √((1 − R²) / ((n − k − 1)(1 − r_12²))).
    expect(fit.coefficients[0].se).toBeCloseTo(Math.sqrt((1 - rSquared) / (5 * (1 - r12 ** 2))), 12);
  });

  it("with one predictor returns beta = r and R² = r²", () => {
    const fit = standardizedRegression(y, { culture: x1 });
    expect(fit.coefficients[0].beta).toBeCloseTo(corr(y, x1), 12);
    expect(fit.rSquared).toBeCloseTo(corr(y, x1) ** 2, 12);
    // With one predictor the F test is the square of the correlation's t test.
    expect(fit.f).toBeCloseTo(pearson(y, x1).t ** 2, 10);
    expect(fit.p).toBeCloseTo(pearson(y, x1).p, 10);
  });

  it("recovers exact standardized slopes b·sd(x)/sd(y) from a noiseless linear relation", () => {
    const sd = (a: number[]) => {
      const m = a.reduce((s, v) => s + v, 0) / a.length;
      return Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / (a.length - 1));
    };
    const exact = x1.map((v, i) => 2 * v - 3 * x2[i] + 10);
    const fit = standardizedRegression(exact, { x1, x2 });
    expect(fit.rSquared).toBeCloseTo(1, 10);
    expect(fit.coefficients[0].beta).toBeCloseTo((2 * sd(x1)) / sd(exact), 10);
    expect(fit.coefficients[1].beta).toBeCloseTo((-3 * sd(x2)) / sd(exact), 10);
  });

  it("uses listwise deletion and refuses collinear predictors", () => {
    const withGaps = standardizedRegression([...y, null, 5], { a: [...x1, 3, null], b: [...x2, 1, 2] });
    expect(withGaps.n).toBe(8);
    expect(() => standardizedRegression(y, { a: x1, twice: x1.map((v) => 2 * v) })).toThrow(/collinear/);
  });
});

describe("CORRELATION_CAVEAT", () => {
  it("says in Chinese that correlation is not causation", () => {
    expect(CORRELATION_CAVEAT).toContain("相关不等于因果");
  });
});
