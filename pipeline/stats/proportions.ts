// Shares with Wilson score intervals: unlike the textbook p ± z·√(p(1−p)/n) interval, Wilson's stays inside
// [0, 1] and keeps close to its nominal coverage for small groups and shares near 0 or 1, which are common
// when a unit has a handful of respondents who all agree.
import { answered, type Answer } from "./basics.ts";
import { twoSidedCritical } from "./distributions.ts";

export interface ShareInterval {
  /** successes / n; NaN when n is 0. */
  share: number;
  low: number;
  high: number;
  level: number;
}

/** Wilson score interval for `successes` out of `n`. */
export function wilsonInterval(successes: number, n: number, level = 0.95): ShareInterval {
  if (!(n >= 0) || !(successes >= 0) || successes > n)
    throw new RangeError(`wilsonInterval needs 0 <= successes <= n, got ${successes}/${n}`);
  if (n === 0) return { share: NaN, low: NaN, high: NaN, level };
  const z = twoSidedCritical(level);
  const p = successes / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  // Clamp away rounding at the edges: with 0 or n successes the bound is exactly 0 or 1.
  return {
    share: p,
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === n ? 1 : Math.min(1, centre + half),
    level
  };
}

export interface ShareAgreeing extends ShareInterval {
  /** Respondents who answered the item. */
  n: number;
  /** Respondents whose score is at least agreeFrom. */
  agreeing: number;
}

/** Share of the answered scores that are at least `agreeFrom` (e.g. 4 and 5 on a five-point scale), with its Wilson interval. */
export function shareAgreeing(values: readonly Answer[], agreeFrom: number, level = 0.95): ShareAgreeing {
  const xs = answered(values);
  const agreeing = xs.filter((x) => x >= agreeFrom).length;
  return { n: xs.length, agreeing, ...wilsonInterval(agreeing, xs.length, level) };
}
