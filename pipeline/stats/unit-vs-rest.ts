// A unit against the rest of its comparison group, not against the group's total: the total contains the unit, so
// a large unit pulls the benchmark towards itself (a unit that is half its group can never look far from it) and
// the two means being compared are not independent, which Welch's test assumes. The rest's summary follows exactly
// from the group's and the unit's, so the marts need no extra query.
import { welchTest, type WelchResult } from "./change.ts";

/** A group's n, mean and sample SD (n − 1 divisor) of a score. */
export interface Summary {
  n: number;
  mean: number;
  sd: number;
}

/**
 * The summary of the group without the unit. n_r = n_g − n_u; mean_r = (n_g·m_g − n_u·m_u)/n_r; the rest's sum of
 * squares from the decomposition of the group's, SS_g = SS_u + SS_r + n_u·(m_u − m_g)² + n_r·(m_r − m_g)², with
 * SS = (n − 1)·sd². sd is NaN for a rest of one respondent. Throws when the unit cannot be part of the group.
 */
export function restSummary(group: Summary, unit: Summary): Summary {
  const n = group.n - unit.n;
  if (!(unit.n >= 1 && n >= 1))
    throw new RangeError(`a unit of ${unit.n} in a group of ${group.n} leaves no rest to compare with`);
  const mean = (group.n * group.mean - unit.n * unit.mean) / n;
  const ss =
    sumOfSquares(group) - sumOfSquares(unit) - unit.n * (unit.mean - group.mean) ** 2 - n * (mean - group.mean) ** 2;
  // Rounding may leave a tiny negative sum for a rest whose answers are all equal; more than that is a bad input.
  if (ss < -1e-9 * Math.max(sumOfSquares(group), Number.MIN_VALUE))
    throw new RangeError("the unit's summary does not fit inside the group's (is the unit part of the group?)");
  return { n, mean, sd: n >= 2 ? Math.sqrt(Math.max(0, ss) / (n - 1)) : NaN };
}

export interface UnitVsRest {
  rest: Summary;
  /** Welch's test of unit.mean − rest.mean (model-based: R's t.test(unit, rest, var.equal = FALSE)). */
  test: WelchResult;
}

/** Tests the unit against the rest of its group (Welch, no finite population correction); both need n ≥ 2. */
export function unitVsRest(group: Summary, unit: Summary, level = 0.95): UnitVsRest {
  const rest = restSummary(group, unit);
  return { rest, test: welchTest(rest, { n: unit.n, mean: unit.mean, sd: unit.sd }, level) };
}

function sumOfSquares(s: Summary): number {
  return s.n >= 2 ? (s.n - 1) * s.sd * s.sd : 0;
}
