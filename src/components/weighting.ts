// The assessment's weighting formula, for the what-if panel of the assessment page: the same formula as
// pipeline/db/sql/assessment_totals_by_year_unit.sql, so that the page's totals at the current weights are the published
// ones (test/marts/assessment.test.ts checks this on every unit and year). Pure functions, no DOM.
//
//   total(domain) = Σ weight × score / maxScore × 100 / Σ weight, over the domain's indicators the unit was scored on
//
// An indicator without a score (null) counts neither in the numerator nor in the denominator; a domain whose scored
// indicators all weigh 0 has no total (null).

export interface WeightedIndicator {
  code: string;
  domain: string;
  kind?: string;
  weight: number;
  maxScore: number;
}

export interface IndicatorScores {
  year: number;
  unit: string;
  /** Raw scores in the order of the indicator list (null: not scored). */
  scores: (number | null)[];
}

/** Weights by indicator code; an indicator not listed keeps its defined weight. */
export type Weights = Record<string, number>;

/** The weighted 0–100 total of one domain for one unit-year, or null when nothing of that domain can be weighed. */
export function weightedTotal(
  scores: readonly (number | null)[],
  indicators: readonly WeightedIndicator[],
  domain: string,
  weights: Weights = {}
): number | null {
  let sum = 0;
  let weight = 0;
  indicators.forEach((ind, i) => {
    const score = scores[i];
    if (ind.domain !== domain || score == null) return;
    const w = weights[ind.code] ?? ind.weight;
    sum += w * ((score / ind.maxScore) * 100);
    weight += w;
  });
  return weight > 0 ? sum / weight : null;
}

/** Share of a domain's weight that sits on one kind of indicator (process or outcome); null when the domain weighs 0. */
export function weightShare(
  indicators: readonly WeightedIndicator[],
  domain: string,
  kind: string,
  weights: Weights = {}
): number | null {
  const of = (ind: WeightedIndicator) => weights[ind.code] ?? ind.weight;
  const total = indicators.filter((i) => i.domain === domain).reduce((s, i) => s + of(i), 0);
  const part = indicators.filter((i) => i.domain === domain && i.kind === kind).reduce((s, i) => s + of(i), 0);
  return total > 0 ? part / total : null;
}

export interface RankedUnit {
  unit: string;
  score: number;
  /** 1 = highest; tied scores share the better rank (1, 2, 2, 4). */
  rank: number;
}

/**
 * Ranks the units of one year on one domain's weighted total, highest first. Ties (equal after rounding to `digits`
 * decimals, as the page prints them) share a rank and are listed by unit code. Units without a total are left out.
 */
export function rankUnits(
  rows: readonly IndicatorScores[],
  indicators: readonly WeightedIndicator[],
  {
    year,
    domain = "party_building",
    weights = {},
    digits = 2
  }: { year: number; domain?: string; weights?: Weights; digits?: number }
): RankedUnit[] {
  const k = 10 ** digits;
  const scored = rows
    .filter((r) => r.year === year)
    .flatMap((r) => {
      const total = weightedTotal(r.scores, indicators, domain, weights);
      return total === null ? [] : [{ unit: r.unit, score: total, key: Math.round(total * k) }];
    })
    .sort((a, b) => b.key - a.key || (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0));
  let rank = 0;
  return scored.map((s, i) => {
    if (i === 0 || s.key !== scored[i - 1].key) rank = i + 1;
    return { unit: s.unit, score: s.score, rank };
  });
}

export interface RankShift {
  unit: string;
  before: number;
  after: number;
  scoreBefore: number;
  scoreAfter: number;
  /** before − after: positive = moved up. */
  change: number;
}

/** Each unit's rank at the defined weights and at `weights`, in the order of the new ranking. */
export function rankShifts(
  rows: readonly IndicatorScores[],
  indicators: readonly WeightedIndicator[],
  {
    year,
    domain = "party_building",
    weights = {},
    digits = 2
  }: { year: number; domain?: string; weights?: Weights; digits?: number }
): RankShift[] {
  const before = new Map(rankUnits(rows, indicators, { year, domain, digits }).map((r) => [r.unit, r]));
  return rankUnits(rows, indicators, { year, domain, weights, digits }).flatMap((r) => {
    const b = before.get(r.unit);
    return b
      ? [
          {
            unit: r.unit,
            before: b.rank,
            after: r.rank,
            scoreBefore: b.score,
            scoreAfter: r.score,
            change: b.rank - r.rank
          }
        ]
      : [];
  });
}
