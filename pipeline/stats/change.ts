// The difference of two independent groups' means (a wave against the previous one, a unit against the rest of its
// group) from their summaries, in two flavours that answer different questions:
// - Model-based, the default (welchTest): the answers are outcomes of a process (what cadres think and how they come
//   to answer), and the question is whether that process differs. Respondents choose themselves (about two thirds of
//   the roster answer, not a random two thirds), so no sampling design describes them; Welch's test without a finite
//   population correction is the honest choice. It is R's t.test(var.equal = FALSE).
// - Design-based (designTTest): only when each group is a true simple random sample drawn without replacement from a
//   roster of N cadres, and the question is about that roster's mean at that time. Then the variance of a mean
//   shrinks by 1 − n/N and a census (n = N) has no sampling error. It is R's survey::svyttest with the two groups as
//   the strata of one design. Used on self-selected respondents it would call every wobble of a 68% response
//   "significant": the correction is only as true as the random draw it assumes.
import { logGamma, studentTQuantile, studentTTwoSidedP } from "./distributions.ts";

/** One group's summary of a score. `populationSize` (N) is the roster the group was drawn from, if known. */
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
  /** Welch–Satterthwaite degrees of freedom (welchTest); the design's a.n + b.n − 3 (designTTest). */
  df: number;
  t: number;
  /** Two-sided p value. */
  p: number;
  ciLow: number;
  ciHigh: number;
  level: number;
}

/**
 * The variance of a group's mean, s²/n, times the finite population correction 1 − n/N when N is given: the
 * design-based variance of a mean under simple random sampling without replacement (Cochran, Sampling Techniques,
 * 1977, theorem 2.2; R's survey::svymean with fpc = N). s² estimates the roster's variance with divisor N − 1, for
 * which the factor is 1 − n/N; (N − n)/(N − 1) belongs to the variance with divisor N. Without N: s²/n, model-based.
 */
export function varianceOfMean(wave: WaveSummary): number {
  const v = (wave.sd * wave.sd) / wave.n;
  const N = wave.populationSize;
  if (N === undefined) return v;
  if (!(N >= wave.n)) throw new RangeError(`population size ${N} is smaller than the sample size ${wave.n}`);
  return v * (1 - wave.n / N);
}

/**
 * Welch's two-sample t test of b.mean − a.mean from summaries: R's t.test(b, a, var.equal = FALSE) when no
 * populationSize is given, the model-based default. Given population sizes, each variance term is multiplied by
 * 1 − n/N (varianceOfMean) and the Welch–Satterthwaite df uses the corrected terms: that mix is neither t.test nor
 * svyttest, kept only so that existing callers run; for a random sample of the roster use designTTest.
 */
export function welchTest(a: WaveSummary, b: WaveSummary, level = 0.95): WelchResult {
  if (a.n < 2 || b.n < 2) throw new RangeError("Welch's test needs at least two respondents in each wave");
  const va = varianceOfMean(a);
  const vb = varianceOfMean(b);
  return differenceTest(b.mean - a.mean, va + vb, welchDf(va, a.n, vb, b.n), level);
}

/**
 * The design-based test of b.mean − a.mean when a and b are simple random samples without replacement from rosters
 * of a.populationSize and b.populationSize cadres, as R's survey::svyttest(score ~ group, design) computes it for
 * svydesign(ids = ~1, strata = ~group, fpc = ~N): the coefficient of a survey-weighted regression on the group,
 * whose linearization variance reduces to SE² = (1 − na/Na)·sa²/na + (1 − nb/Nb)·sb²/nb, with the design's residual
 * degrees of freedom, (na + nb) PSUs − 2 strata − 1 = na + nb − 3, for the t reference and the interval. Without
 * population sizes (both omitted) it is the same design without fpc. The design needs N for both groups or neither.
 */
export function designTTest(a: WaveSummary, b: WaveSummary, level = 0.95): WelchResult {
  if (a.n < 2 || b.n < 2) throw new RangeError("the design-based test needs at least two respondents in each group");
  if ((a.populationSize === undefined) !== (b.populationSize === undefined))
    throw new RangeError("the design-based test needs the population size of both groups or of neither");
  return differenceTest(b.mean - a.mean, varianceOfMean(a) + varianceOfMean(b), a.n + b.n - 3, level);
}

/**
 * Welch's test of b.mean − a.mean without its interval: the difference and welchTest's p, the same numbers, for a
 * caller that decides verdicts only. The interval's t quantile at a Welch df (not a whole number, so solved afresh
 * each time) took three times as long as the p: at 5,000 units the unit pages' comparisons with their categories
 * run up to 280,000 of these in a pass.
 */
export function welchTestP(a: WaveSummary, b: WaveSummary): { difference: number; p: number } {
  if (a.n < 2 || b.n < 2) throw new RangeError("Welch's test needs at least two respondents in each wave");
  const va = varianceOfMean(a);
  const vb = varianceOfMean(b);
  return differenceP(b.mean - a.mean, va + vb, welchDf(va, a.n, vb, b.n));
}

/** designTTest without its interval: the same difference and p (see welchTestP on why). */
export function designTTestP(a: WaveSummary, b: WaveSummary): { difference: number; p: number } {
  if (a.n < 2 || b.n < 2) throw new RangeError("the design-based test needs at least two respondents in each group");
  if ((a.populationSize === undefined) !== (b.populationSize === undefined))
    throw new RangeError("the design-based test needs the population size of both groups or of neither");
  return differenceP(b.mean - a.mean, varianceOfMean(a) + varianceOfMean(b), a.n + b.n - 3);
}

/** differenceTest's difference and p alone. */
function differenceP(difference: number, variance: number, df: number): { difference: number; p: number } {
  const se = Math.sqrt(variance);
  if (se === 0) return { difference, p: exactDifferenceP(difference) };
  return { difference, p: studentTTwoSidedP(difference / se, df) };
}

/** The p of a difference known exactly (no sampling error): 1 when there is none, 0 otherwise. */
const exactDifferenceP = (difference: number) => (difference === 0 ? 1 : 0);

/** t, p and the t interval of a difference with the given variance and df. */
function differenceTest(difference: number, variance: number, df: number, level: number): WelchResult {
  const se = Math.sqrt(variance);
  if (se === 0) {
    // Both groups are full censuses: the difference is known exactly.
    return {
      difference,
      se,
      df,
      t: difference === 0 ? 0 : Math.sign(difference) * Infinity,
      p: exactDifferenceP(difference),
      ciLow: difference,
      ciHigh: difference,
      level
    };
  }
  const t = difference / se;
  const half = studentTQuantile(1 - (1 - level) / 2, df) * se;
  return {
    difference,
    se,
    df,
    t,
    p: studentTTwoSidedP(t, df),
    ciLow: difference - half,
    ciHigh: difference + half,
    level
  };
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
