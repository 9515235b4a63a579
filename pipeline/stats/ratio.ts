// The mean of all answers to a scale's items, when respondents skipped some: the ratio of the respondents' sums of
// answers to their numbers of answers, Σs / Σm, with the standard error survey::svyratio gives under simple random
// sampling (linearization: the residuals e = s − R·m, se² = n / (n − 1) · Σe² / (Σm)²) and a t interval on n − 1 df.
// Why not the mean of each respondent's mean: published beside the item counts of the same group, the two differ by
// exactly what the few who skipped an item answered on the others — their answers could be solved for. The ratio is
// what the item counts already say, so it adds nothing about anyone. With every item answered the two are the same,
// and so are their standard errors (sd / √n of the respondents' means).
import { studentTQuantile } from "./distributions.ts";

/** Sums over respondents with at least one answer: s = a respondent's sum of answers, m = their number of answers. */
export interface RatioMoments {
  n: number;
  sumS: number;
  sumM: number;
  sumSS: number;
  sumMM: number;
  sumSM: number;
}

export interface RatioMean {
  n: number;
  mean: number;
  se: number;
  ciLow: number;
  ciHigh: number;
  /** se · √n: the SD of respondents' means that would give this standard error (for tests built on n, mean, sd). */
  sd: number;
}

export function ratioMean(m: RatioMoments, level = 0.95): RatioMean {
  if (!(m.n >= 1) || !(m.sumM > 0)) throw new RangeError(`ratioMean needs answers, got n ${m.n}, ${m.sumM} answers`);
  const mean = m.sumS / m.sumM;
  if (m.n < 2) return { n: m.n, mean, se: NaN, ciLow: NaN, ciHigh: NaN, sd: NaN };
  // Σ(s − R·m)², expanded; clamped at 0 against rounding when every respondent has the same mean
  const residual = Math.max(0, m.sumSS - 2 * mean * m.sumSM + mean * mean * m.sumMM);
  const se = Math.sqrt(((m.n / (m.n - 1)) * residual) / (m.sumM * m.sumM));
  const half = studentTQuantile(1 - (1 - level) / 2, m.n - 1) * se;
  return { n: m.n, mean, se, ciLow: mean - half, ciHigh: mean + half, sd: se * Math.sqrt(m.n) };
}
