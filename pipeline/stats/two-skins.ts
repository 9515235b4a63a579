// 两张皮 (party building and business as "two skins"): a unit is flagged only when its party-building and business
// scores, both on 0–100, are more than a tolerance t apart, i.e. outside the band around the diagonal y = x ± t.
// Why the diagonal and not a regression line across units: the report asks whether the two go together in the
// unit itself, which is its own gap; that verdict does not depend on which other units are in the chart, nor move
// when a unit or a wave is added. A fitted line would flag a unit for being unlike the others, not for a gap; it
// differs with the axis chosen as outcome (business on party building or the reverse), and with the usual modest
// correlation it is flat, so the best and worst units (regression to the mean) would be flagged for being extreme.
// The price: both scores must be on comparable 0–100 scales; if one sits systematically higher (assessment scores
// bunched at 85–95), the diagonal flags everyone, and the page should compare ranks or percentiles (also 0–100).
// t is in score points along either axis: the vertical distance to the diagonal, not the perpendicular one (t/√2).

export interface TwoSkins {
  /** partyBuilding − business, in points. */
  gap: number;
  /** |gap| > tolerance: the unit lies outside the band y = x ± tolerance. */
  twoSkins: boolean;
  /** Which side is ahead when twoSkins; null inside the band. */
  ahead: "partyBuilding" | "business" | null;
}

/** Differences this small are floating-point noise of decimal scores (64.4 − 54.4 = 10.000000000000007), not a gap. */
const NOISE = 1e-9;

/** Classifies one unit's pair of 0–100 scores against the tolerance band around the diagonal. */
export function twoSkins(scores: { partyBuilding: number; business: number }, tolerance: number): TwoSkins {
  for (const [name, v] of Object.entries(scores))
    if (!(v >= 0 && v <= 100)) throw new RangeError(`${name} score ${v} is not on the 0–100 scale`);
  if (!(tolerance >= 0 && tolerance < 100)) throw new RangeError(`tolerance ${tolerance} is not in [0, 100) points`);
  const gap = scores.partyBuilding - scores.business;
  const flagged = Math.abs(gap) > tolerance + NOISE;
  return { gap, twoSkins: flagged, ahead: flagged ? (gap > 0 ? "partyBuilding" : "business") : null };
}
