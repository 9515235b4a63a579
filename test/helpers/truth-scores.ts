// Scale statistics computed from the seeded sample's truth with plain loops (no SQL, no shared code with the marts),
// for the mart tests: a respondent's keyed answers, and a group's published mean, the mean of all answers given to
// the scale's items (Σs / Σm), with the standard error of survey::svyratio (see pipeline/stats/ratio.ts).
import type { CodebookIndex } from "../../pipeline/codebook/load.ts";
import type { LikertQuestion } from "../../pipeline/codebook/schema.ts";
import type { SampleRespondent } from "../../pipeline/sample/types.ts";

/** A respondent's answers to the items, reverse-keyed items mirrored (min + max − raw); skipped items left out. */
export function keyedAnswers(index: CodebookIndex, r: SampleRespondent, items: readonly LikertQuestion[]): number[] {
  return items.flatMap((q) => {
    const raw = r.answers[q.code];
    if (typeof raw !== "number") return [];
    const scale = index.scaleOf(q);
    return [q.reverse ? scale.min + scale.max - raw : raw];
  });
}

export interface TruthScale {
  /** Respondents with at least one answer to the scale. */
  n: number;
  /** Σ of all answers / their number. */
  mean: number;
  se: number;
  /** se · √n (what a change test on n, mean and sd takes). */
  sd: number;
  /** Each respondent's mean of their answers. */
  scores: number[];
}

export function truthScale(
  index: CodebookIndex,
  respondents: readonly SampleRespondent[],
  items: readonly LikertQuestion[]
): TruthScale {
  const answered = respondents.map((r) => keyedAnswers(index, r, items)).filter((a) => a.length > 0);
  const sums = answered.map((a) => a.reduce((x, y) => x + y, 0));
  const counts = answered.map((a) => a.length);
  const n = answered.length;
  const mean = sums.reduce((a, b) => a + b, 0) / counts.reduce((a, b) => a + b, 0);
  const residual = sums.reduce((acc, s, i) => acc + (s - mean * counts[i]) ** 2, 0);
  const se = Math.sqrt(((n / (n - 1)) * residual) / counts.reduce((a, b) => a + b, 0) ** 2);
  return { n, mean, se, sd: se * Math.sqrt(n), scores: answered.map((a, i) => sums[i] / a.length) };
}
