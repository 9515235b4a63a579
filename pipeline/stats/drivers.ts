// Driver analysis: how strongly each cause index moves together with a problem index across respondents.
// Pearson correlations (pairwise deletion) and a standardized multiple regression (listwise deletion).
// These are descriptions of co-variation among the same respondents, never evidence of cause: see CORRELATION_CAVEAT.
import { type Answer } from "./basics.ts";
import { fSurvival, normalQuantile, studentTTwoSidedP } from "./distributions.ts";

/** The caveat every driver chart or table must carry, in the report's language. */
export const CORRELATION_CAVEAT =
  "相关不等于因果：这些系数描述同一批受访者中原因指数与问题指数的共同变化，不能证明因果关系。";

export interface Correlation {
  /** Respondents with both values. */
  n: number;
  r: number;
  /** t = r·√((n − 2)/(1 − r²)) with n − 2 df, the test of r = 0 (as R's cor.test). */
  t: number;
  df: number;
  p: number;
  /** Fisher z interval: tanh(atanh(r) ± z(1 − α/2)/√(n − 3)); NaN below four respondents. */
  ciLow: number;
  ciHigh: number;
  level: number;
}

/** Pearson correlation of x and y over the respondents who have both (x[i] and y[i] belong to respondent i). */
export function pearson(x: readonly Answer[], y: readonly Answer[], level = 0.95): Correlation {
  const [xs, ys] = completeColumns([x, y]);
  return correlationFromR(xs.length, correlationOf(xs, ys), level);
}

/**
 * The test and Fisher interval of a Pearson r already computed over n respondents (e.g. by DuckDB's corr() with
 * count(*) over the pairs that have both values): what pearson() returns for the same n and r. r may be NaN (a
 * variable without variance, or fewer than two respondents); so, then, are t, p and the interval.
 */
export function correlationFromR(n: number, r: number, level = 0.95): Correlation {
  const df = n - 2;
  const t = r * Math.sqrt(df / (1 - r * r));
  const p = df > 0 ? studentTTwoSidedP(t, df) : NaN;
  const half = n > 3 ? normalQuantile(1 - (1 - level) / 2) / Math.sqrt(n - 3) : NaN;
  const z = Math.atanh(r);
  return { n, r, t, df, p, ciLow: Math.tanh(z - half), ciHigh: Math.tanh(z + half), level };
}

export interface StandardizedCoefficient {
  name: string;
  /** Change in the outcome, in SDs, per SD of this predictor with the other predictors held fixed. */
  beta: number;
  se: number;
  t: number;
  p: number;
}

export interface StandardizedRegression {
  /** Respondents with the outcome and every predictor (listwise deletion). */
  n: number;
  coefficients: StandardizedCoefficient[];
  rSquared: number;
  adjustedRSquared: number;
  /** Overall F test of R² = 0 with (k, n − k − 1) df. */
  f: number;
  p: number;
}

/**
 * OLS of the z-scored outcome on z-scored predictors (listwise deletion). With every variable standardized the
 * intercept is 0 and the betas solve R_xx · β = r_xy, the predictors' correlation matrix against their
 * correlations with the outcome; R² = β · r_xy. Throws when predictors are collinear (R_xx singular).
 */
export function standardizedRegression(
  outcome: readonly Answer[],
  predictors: Readonly<Record<string, readonly Answer[]>>
): StandardizedRegression {
  const names = Object.keys(predictors);
  if (names.length === 0) throw new RangeError("a regression needs at least one predictor");
  const [ys, ...xs] = completeColumns([outcome, ...names.map((name) => predictors[name])]);
  const n = ys.length;
  if (n <= names.length + 1)
    throw new RangeError(`${n} complete respondents are too few for ${names.length} predictors`);
  const rxx = xs.map((a) => xs.map((b) => correlationOf(a, b)));
  const rxy = xs.map((a) => correlationOf(a, ys));
  return standardizedRegressionFromCorrelations(n, names, rxx, rxy);
}

/**
 * standardizedRegression() from its sufficient statistics: n complete respondents (listwise deletion), the
 * predictors' correlation matrix rxx (k × k, in the order of names) and their correlations rxy with the outcome, all
 * over those same n respondents (e.g. DuckDB's corr() per pair over the complete respondents). Throws, as the raw
 * version does, when there is no predictor, when n ≤ k + 1, or when the predictors are collinear (or constant: NaN).
 */
export function standardizedRegressionFromCorrelations(
  n: number,
  names: readonly string[],
  rxx: readonly (readonly number[])[],
  rxy: readonly number[]
): StandardizedRegression {
  const k = names.length;
  if (k === 0) throw new RangeError("a regression needs at least one predictor");
  if (rxx.length !== k || rxx.some((row) => row.length !== k) || rxy.length !== k)
    throw new Error(
      `a regression on ${k} predictors needs a ${k} × ${k} correlation matrix and ${k} correlations with the outcome`
    );
  if (n <= k + 1) throw new RangeError(`${n} complete respondents are too few for ${k} predictors`);
  const inverse = invert(rxx);
  const betas = inverse.map((row) => row.reduce((s, v, j) => s + v * rxy[j], 0));
  const rSquared = betas.reduce((s, b, j) => s + b * rxy[j], 0);
  const residualDf = n - k - 1;
  // Var(β) = σ²(Z'Z)⁻¹ with Z'Z = (n − 1)·R_xx and σ² = (1 − R²)(n − 1)/(n − k − 1) on the z-scored outcome.
  const coefficients = names.map((name, j) => {
    const se = Math.sqrt(((1 - rSquared) / residualDf) * inverse[j][j]);
    const t = betas[j] / se;
    return { name, beta: betas[j], se, t, p: studentTTwoSidedP(t, residualDf) };
  });
  const f = rSquared / k / ((1 - rSquared) / residualDf);
  return {
    n,
    coefficients,
    rSquared,
    adjustedRSquared: 1 - ((1 - rSquared) * (n - 1)) / residualDf,
    f,
    p: fSurvival(f, k, residualDf)
  };
}

/** Keeps the respondents who have a value in every column (listwise deletion); returns the columns. */
function completeColumns(columns: readonly (readonly Answer[])[]): number[][] {
  const length = columns[0].length;
  if (columns.some((c) => c.length !== length)) throw new RangeError("every variable needs one value per respondent");
  const kept = columns.map(() => [] as number[]);
  for (let i = 0; i < length; i++) {
    const row = columns.map((c) => c[i]);
    if (row.every((v) => typeof v === "number" && !Number.isNaN(v))) row.forEach((v, j) => kept[j].push(v as number));
  }
  return kept;
}

/** Pearson r of two complete columns of equal length; NaN if either has no variance. */
function correlationOf(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((s, v) => s + v, 0) / n;
  const my = ys.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Inverse of a small symmetric matrix by Gauss–Jordan elimination with partial pivoting. */
function invert(matrix: readonly (readonly number[])[]): number[][] {
  const k = matrix.length;
  const a = matrix.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < k; col++) {
    let pivot = col;
    for (let r = col + 1; r < k; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    if (!(Math.abs(a[pivot][col]) > 1e-12))
      throw new RangeError("the predictors are collinear (or constant); drop one of them");
    [a[col], a[pivot]] = [a[pivot], a[col]];
    const p = a[col][col];
    a[col] = a[col].map((v) => v / p);
    for (let r = 0; r < k; r++) {
      if (r === col) continue;
      const factor = a[r][col];
      a[r] = a[r].map((v, j) => v - factor * a[col][j]);
    }
  }
  return a.map((row) => row.slice(k));
}
