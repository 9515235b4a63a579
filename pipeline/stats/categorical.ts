// Frequencies of single- and multiple-choice answers, each share with its Wilson interval.
import { wilsonInterval } from "./proportions.ts";

type Choice = string | number;

export interface OptionFrequency {
  option: Choice;
  count: number;
  /** count / respondents who answered the question. */
  share: number;
  low: number;
  high: number;
}

export interface Frequencies {
  /** Respondents who answered the question: the denominator of every share. */
  n: number;
  options: OptionFrequency[];
  /** Answers that are none of the listed options (e.g. a typo or a retired option), with their counts. */
  unlisted: { value: Choice; count: number }[];
  level: number;
}

/**
 * Single choice: how many of the respondents who answered chose each option. null/undefined/"" is unanswered and
 * left out of the denominator; an answer outside `options` counts in the denominator and is listed in `unlisted`.
 */
export function frequencies(
  values: readonly (Choice | null | undefined)[],
  options: readonly Choice[],
  level = 0.95
): Frequencies {
  return tally(
    values.map((v) => (isChoice(v) ? [v] : null)),
    options,
    level
  );
}

/**
 * Multiple choice: the share of respondents choosing each option, over the respondents who answered the question
 * (chose at least one option); shares therefore add up to more than 1. An empty selection counts as unanswered,
 * because an export cannot tell "chose nothing" from "skipped".
 */
export function multipleChoiceFrequencies(
  values: readonly (readonly Choice[] | null | undefined)[],
  options: readonly Choice[],
  level = 0.95
): Frequencies {
  return tally(
    values.map((v) => (v && v.some(isChoice) ? [...new Set(v.filter(isChoice))] : null)),
    options,
    level
  );
}

/** Counts each respondent's distinct choices; null = did not answer. */
function tally(answers: readonly (Choice[] | null)[], options: readonly Choice[], level: number): Frequencies {
  const responded = answers.filter((a): a is Choice[] => a !== null);
  const n = responded.length;
  const counts = new Map<Choice, number>();
  for (const choices of responded) for (const c of choices) counts.set(c, (counts.get(c) ?? 0) + 1);
  const listed = new Set<Choice>(options);
  return {
    n,
    options: options.map((option) => {
      const count = counts.get(option) ?? 0;
      const { share, low, high } = wilsonInterval(count, n, level);
      return { option, count, share, low, high };
    }),
    unlisted: [...counts].filter(([value]) => !listed.has(value)).map(([value, count]) => ({ value, count })),
    level
  };
}

function isChoice(v: Choice | null | undefined): v is Choice {
  return v !== null && v !== undefined && v !== "" && !(typeof v === "number" && Number.isNaN(v));
}
