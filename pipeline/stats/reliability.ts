// Internal consistency of a multi-item scale, following the conventions of psych::alpha (R package psych),
// so that figures in our reports can be checked against the reference implementation:
// - raw alpha from the item covariance matrix C:  k/(k−1) · (1 − tr(C) / ΣC)
// - standardized alpha from the correlation matrix R:  k/(k−1) · (1 − k / ΣR)
// - average inter-item r: the mean off-diagonal correlation, (ΣR − k) / (k(k−1))
// - alpha if an item is deleted: the same formulas on C and R without that item's row and column
// - r.drop: the item's correlation with the sum of the other items, computed from C
// - the scale's mean and SD: each person's mean of the items they answered (na.rm), then mean and SD over persons.
//
// Missing answers: like psych (use = "pairwise"), every covariance uses the respondents who answered both items of
// the pair, with means over those same respondents. Nobody is dropped for one skipped item, which matters in
// surveys where most people skip something; the price is that C need not be positive definite in extreme cases.
import { answered, mean, sampleSd, type Answer } from "./basics.ts";

/** A respondents × items matrix; null = not answered. */
export type ItemMatrix = readonly (readonly Answer[])[];

/** Mirrors a reverse-keyed score on a min..max scale: min + max − x (1 ↔ 6 on a six-point scale). */
export function reverseScore(x: number, min: number, max: number): number {
  return min + max - x;
}

export interface PairwiseCovariance {
  /** k × k sample covariances (n − 1 denominator), NaN where fewer than two respondents answered both items. */
  covariance: number[][];
  /** k × k counts of respondents who answered both items (the diagonal: who answered the item). */
  counts: number[][];
}

/** The value of item j for a respondent, or null when missing. */
function cell(row: readonly Answer[], j: number): number | null {
  const v = row[j];
  return typeof v === "number" && !Number.isNaN(v) ? v : null;
}

/** Covariance of items i and j over the respondents who answered both (R's cov(use = "pairwise")). */
function pairCovariance(matrix: ItemMatrix, i: number, j: number): { cov: number; n: number } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const row of matrix) {
    const x = cell(row, i);
    const y = cell(row, j);
    if (x !== null && y !== null) {
      xs.push(x);
      ys.push(y);
    }
  }
  const n = xs.length;
  if (n < 2) return { cov: NaN, n };
  const mx = mean(xs);
  const my = mean(ys);
  let sum = 0;
  for (let r = 0; r < n; r++) sum += (xs[r] - mx) * (ys[r] - my);
  return { cov: sum / (n - 1), n };
}

/** Pairwise-complete covariance matrix of the item columns. */
export function pairwiseCovariance(matrix: ItemMatrix, k = itemCount(matrix)): PairwiseCovariance {
  const covariance = square(k);
  const counts = square(k);
  for (let i = 0; i < k; i++)
    for (let j = i; j < k; j++) {
      const { cov, n } = pairCovariance(matrix, i, j);
      covariance[i][j] = covariance[j][i] = cov;
      counts[i][j] = counts[j][i] = n;
    }
  return { covariance, counts };
}

/** Correlations from covariances, r_ij = c_ij / √(c_ii c_jj) (R's cov2cor). */
export function covarianceToCorrelation(covariance: readonly (readonly number[])[]): number[][] {
  const sd = covariance.map((row, i) => Math.sqrt(row[i]));
  return covariance.map((row, i) => row.map((c, j) => (i === j ? 1 : c / (sd[i] * sd[j]))));
}

export interface AlphaCoefficients {
  rawAlpha: number;
  stdAlpha: number;
  averageR: number;
}

/** Alpha from a covariance matrix and its correlation matrix (psych's alpha.1); NaN for fewer than two items. */
export function alphaFromMatrices(
  covariance: readonly (readonly number[])[],
  correlation: readonly (readonly number[])[]
): AlphaCoefficients {
  const k = covariance.length;
  if (k < 2) return { rawAlpha: NaN, stdAlpha: NaN, averageR: NaN };
  const factor = k / (k - 1);
  const sumC = sumAll(covariance);
  const sumR = sumAll(correlation);
  const traceC = covariance.reduce((t, row, i) => t + row[i], 0);
  return {
    rawAlpha: factor * (1 - traceC / sumC),
    stdAlpha: factor * (1 - k / sumR),
    averageR: (sumR - k) / (k * (k - 1))
  };
}

export interface ItemStatistics {
  name: string;
  /** Respondents who answered the item. */
  n: number;
  /** Item mean and SD after reverse keying. */
  mean: number;
  sd: number;
  /** Corrected item-total correlation: the item against the sum of the other items (psych's r.drop). */
  rDrop: number;
  /** Alphas and average r of the scale without this item; NaN when fewer than two items would remain. */
  rawAlphaIfDeleted: number;
  stdAlphaIfDeleted: number;
  averageRIfDeleted: number;
}

export interface ScaleReliability extends AlphaCoefficients {
  /** Number of items. */
  k: number;
  /** Respondents who answered at least one item (they carry a scale score). */
  respondents: number;
  /** Mean and SD over respondents of their mean item score (psych's mean and sd; items answered only). */
  mean: number;
  sd: number;
  items: ItemStatistics[];
}

export interface ReliabilityOptions {
  /** Item names for the result; defaults to item1, item2, … */
  names?: readonly string[];
  /** Per item: true when reverse keyed. Reverse-keyed scores are mirrored as min + max − x; needs min and max. */
  reverse?: readonly boolean[];
  /** The scale's lowest and highest score (psych takes the observed ones; they agree when both are used). */
  min?: number;
  max?: number;
}

/**
 * Cronbach's alpha and item analysis of one scale, as psych::alpha reports them (see the file header).
 * `matrix` is respondents × items; pass items already reverse keyed, or `reverse` with the scale's min and max.
 */
export function cronbachAlpha(matrix: ItemMatrix, options: ReliabilityOptions = {}): ScaleReliability {
  const keyed = applyReverseKeys(matrix, options);
  const k = itemCount(keyed);
  const names = options.names ?? Array.from({ length: k }, (_, j) => `item${j + 1}`);
  if (names.length !== k) throw new RangeError(`${names.length} names for ${k} items`);
  const { covariance, counts } = pairwiseCovariance(keyed, k);
  const correlation = covarianceToCorrelation(covariance);
  const scores = personScores(keyed, k);
  const items = names.map((name, j) => ({
    name,
    n: counts[j][j],
    ...itemMoments(keyed, j),
    rDrop: correctedItemTotal(covariance, j),
    ...alphaIfDeleted(covariance, correlation, j)
  }));
  return {
    k,
    respondents: scores.length,
    ...alphaFromMatrices(covariance, correlation),
    mean: mean(scores),
    sd: sampleSd(scores),
    items
  };
}

/** Each respondent's mean of the items they answered; respondents who answered none are left out. */
export function personScores(matrix: ItemMatrix, k = itemCount(matrix)): number[] {
  const scores: number[] = [];
  for (const row of matrix) {
    const xs = answered(row.slice(0, k));
    if (xs.length > 0) scores.push(mean(xs));
  }
  return scores;
}

/** Copies the matrix with reverse-keyed columns mirrored; without reverse keys returns it as is. */
function applyReverseKeys(matrix: ItemMatrix, { reverse, min, max }: ReliabilityOptions): ItemMatrix {
  if (!reverse || !reverse.some(Boolean)) return matrix;
  if (min === undefined || max === undefined) throw new RangeError("reverse keys need the scale's min and max");
  return matrix.map((row) => row.map((v, j) => (reverse[j] && typeof v === "number" ? reverseScore(v, min, max) : v)));
}

function itemMoments(matrix: ItemMatrix, j: number): { mean: number; sd: number } {
  const xs = answered(matrix.map((row) => row[j]));
  return { mean: mean(xs), sd: sampleSd(xs) };
}

/** r.drop from the covariance matrix: cov(item, rest) / √(var(item) · var(rest)), rest = sum of the other items. */
function correctedItemTotal(covariance: readonly (readonly number[])[], j: number): number {
  const rest = withoutItem(covariance, j);
  const covWithRest = covariance[j].reduce((s, c, i) => (i === j ? s : s + c), 0);
  return covWithRest / Math.sqrt(covariance[j][j] * sumAll(rest));
}

function alphaIfDeleted(
  covariance: readonly (readonly number[])[],
  correlation: readonly (readonly number[])[],
  j: number
) {
  // With two items left, alpha of a single item is meaningless (psych substitutes r); we report NaN.
  const { rawAlpha, stdAlpha, averageR } = alphaFromMatrices(withoutItem(covariance, j), withoutItem(correlation, j));
  const enough = covariance.length > 2;
  return {
    rawAlphaIfDeleted: enough ? rawAlpha : NaN,
    stdAlphaIfDeleted: enough ? stdAlpha : NaN,
    averageRIfDeleted: enough ? averageR : NaN
  };
}

function withoutItem(m: readonly (readonly number[])[], j: number): number[][] {
  return m.filter((_, i) => i !== j).map((row) => row.filter((_, i) => i !== j));
}

function sumAll(m: readonly (readonly number[])[]): number {
  return m.reduce((s, row) => row.reduce((t, v) => t + v, s), 0);
}

function square(k: number): number[][] {
  return Array.from({ length: k }, () => new Array<number>(k).fill(NaN));
}

function itemCount(matrix: ItemMatrix): number {
  return matrix.reduce((k, row) => Math.max(k, row.length), 0);
}
