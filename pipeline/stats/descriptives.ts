// Mean, standard deviation and a t confidence interval for one group of answers.
import { answered, mean, sampleSd, type Answer } from "./basics.ts";
import { twoSidedCritical } from "./distributions.ts";

export interface Description {
  /** Number of answered values. */
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 denominator); NaN below two values. */
  sd: number;
  /** Standard error of the mean, sd / √n. */
  se: number;
  /** Bounds of the t interval mean ± t(1 − α/2, n − 1) · se; NaN below two values. */
  ciLow: number;
  ciHigh: number;
  level: number;
}

/** Describes the answered values (nulls are missing, not zero) with a t confidence interval for the mean. */
export function describe(values: readonly Answer[], level = 0.95): Description {
  const xs = answered(values);
  return describeFromMoments(xs.length, mean(xs), sampleSd(xs), level);
}

/** The same description when n, mean and sd were already aggregated elsewhere (e.g. in SQL). */
export function describeFromMoments(n: number, mean: number, sd: number, level = 0.95): Description {
  const se = sd / Math.sqrt(n);
  // With fewer than two values there is no spread to estimate, so the interval is undefined.
  const half = n >= 2 ? twoSidedCritical(level, n - 1) * se : NaN;
  return { n, mean, sd: n >= 2 ? sd : NaN, se: n >= 2 ? se : NaN, ciLow: mean - half, ciHigh: mean + half, level };
}

/**
 * Rescales a mean score on a min..max Likert scale to a 0–100 index, (mean − min) / (max − min) · 100,
 * so that scales with different lengths can be read on one axis. Also rescales interval bounds.
 */
export function scaleIndex(mean: number, min: number, max: number): number {
  if (!(max > min)) throw new RangeError(`scaleIndex needs max > min, got min ${min}, max ${max}`);
  return ((mean - min) / (max - min)) * 100;
}
