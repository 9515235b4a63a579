// Change of a mean between two survey waves: Welch's t test (no equal-variance assumption, because waves differ in
// size and spread) with an optional finite population correction, and standardized effect sizes.
import { logGamma, studentTQuantile, studentTTwoSidedP } from "./distributions.ts";

/** One wave's summary of a score. `populationSize` (N) is the number of cadres the wave sampled from, if known. */
export interface WaveSummary {
  n: number;
  mean: number;
  sd: number;
  populationSize?: number;
}

export interface WelchResult {
  /** b.mean − a.mean: the change from wave a (earlier) to wave b (later). */
  difference: number;
  se: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  t: number;
  /** Two-sided p value. */
  p: number;
  ciLow: number;
  ciHigh: number;
  level: number;
}

/**
 * The variance of a wave's mean, s²/n, times the finite population correction (N − n)/(N − 1) when N is known.
 * In an organ survey a wave often reaches a large part of all cadres; treating it as a sample from an infinite
 * population would overstate the uncertainty (a full census has none).
 */
export function varianceOfMean(wave: WaveSummary): number {
  const v = (wave.sd * wave.sd) / wave.n;
  const N = wave.populationSize;
  if (N === undefined) return v;
  if (!(N >= wave.n)) throw new RangeError(`population size ${N} is smaller than the sample size ${wave.n}`);
  return N === 1 ? 0 : (v * (N - wave.n)) / (N - 1);
}

/**
 * Welch's two-sample t test of b.mean − a.mean from summaries. With population sizes, each variance term is
 * finite-population corrected (see varianceOfMean) and the Welch–Satterthwaite df uses the corrected terms.
 */
export function welchTest(a: WaveSummary, b: WaveSummary, level = 0.95): WelchResult {
  if (a.n < 2 || b.n < 2) throw new RangeError("Welch's test needs at least two respondents in each wave");
  const va = varianceOfMean(a);
  const vb = varianceOfMean(b);
  const difference = b.mean - a.mean;
  const se = Math.sqrt(va + vb);
  const df = welchDf(va, a.n, vb, b.n);
  if (se === 0) {
    // Both waves are full censuses: the difference is known exactly.
    return { difference, se, df, t: difference === 0 ? 0 : Math.sign(difference) * Infinity, p: difference === 0 ? 1 : 0, ciLow: difference, ciHigh: difference, level };
  }
  const t = difference / se;
  const half = studentTQuantile(1 - (1 - level) / 2, df) * se;
  return { difference, se, df, t, p: studentTTwoSidedP(t, df), ciLow: difference - half, ciHigh: difference + half, level };
}

/** Welch–Satterthwaite: (va + vb)² / (va²/(na − 1) + vb²/(nb − 1)), va and vb being the variances of the means. */
export function welchDf(va: number, na: number, vb: number, nb: number): number {
  const denominator = (va * va) / (na - 1) + (vb * vb) / (nb - 1);
  return denominator === 0 ? Infinity : (va + vb) ** 2 / denominator;
}

/** Pooled SD √(((na − 1)sa² + (nb − 1)sb²) / (na + nb − 2)). */
export function pooledSd(a: WaveSummary, b: WaveSummary): number {
  return Math.sqrt(((a.n - 1) * a.sd ** 2 + (b.n - 1) * b.sd ** 2) / (a.n + b.n - 2));
}

/** Cohen's d of the change, (b.mean − a.mean) / pooled SD. */
export function cohensD(a: WaveSummary, b: WaveSummary): number {
  return (b.mean - a.mean) / pooledSd(a, b);
}

/**
 * Hedges' g: Cohen's d times the exact small-sample correction J(m) = Γ(m/2) / (√(m/2) · Γ((m − 1)/2)),
 * m = na + nb − 2, which removes d's upward bias in small groups (J ≈ 1 − 3/(4m − 1)).
 */
export function hedgesG(a: WaveSummary, b: WaveSummary): number {
  return cohensD(a, b) * hedgesCorrection(a.n + b.n - 2);
}

/** The exact Hedges correction factor J(m) for m degrees of freedom (m > 1). */
export function hedgesCorrection(m: number): number {
  return Math.exp(logGamma(m / 2) - logGamma((m - 1) / 2)) / Math.sqrt(m / 2);
}
