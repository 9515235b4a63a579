// Small building blocks shared by the statistics modules: picking the answered values, mean, variance.

/** A survey answer as the statistics see it: a number, or null when the respondent left it empty. */
export type Answer = number | null | undefined;

/** The answered values: drops null, undefined and NaN so that a missing answer never counts as a zero. */
export function answered(values: readonly Answer[]): number[] {
  return values.filter((v): v is number => typeof v === "number" && !Number.isNaN(v));
}

/** Arithmetic mean; NaN for no values. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample variance with the n − 1 denominator, two-pass for accuracy; NaN below two values. */
export function sampleVariance(values: readonly number[]): number {
  if (values.length < 2) return NaN;
  const m = mean(values);
  let sum = 0;
  for (const v of values) sum += (v - m) ** 2;
  return sum / (values.length - 1);
}

/** Sample standard deviation (n − 1 denominator). */
export function sampleSd(values: readonly number[]): number {
  return Math.sqrt(sampleVariance(values));
}
