// Multiplicity: a page that prints hundreds of "significant" verdicts at p < 0.05 prints about one in twenty of them
// for nothing. These adjust a page's p values together, exactly as R's stats::p.adjust does, so that a verdict means
// "significant after taking every test of the page into account".
// - BH (Benjamini–Hochberg, the default): controls the expected share of false verdicts among the significant ones
//   (false discovery rate) when the tests are independent or positively dependent, as scores of one survey are.
// - BY (Benjamini–Yekutieli): the same under any dependence, at the price of a factor Σ1/i.
// - holm, hochberg, bonferroni: control the chance of even one false verdict (family-wise error); far stricter.
// - none: no adjustment.
// Missing p values (null, undefined, NaN: a test that could not be run) stay missing in place and do not count in n.

export type PAdjustMethod = "BH" | "BY" | "holm" | "hochberg" | "bonferroni" | "none";

export type PValue = number | null | undefined;

/** R's p.adjust(p, method): adjusted p values in the input's order, null where p was missing. */
export function pAdjust(p: readonly PValue[], method: PAdjustMethod = "BH"): (number | null)[] {
  const present = p.flatMap((v, i) => (isPresent(v) ? [i] : []));
  for (const i of present)
    if (!((p[i] as number) >= 0 && (p[i] as number) <= 1)) throw new RangeError(`p value ${p[i]} is not in [0, 1]`);
  const out: (number | null)[] = p.map((v) => (isPresent(v) ? v : null));
  const n = present.length;
  if (n <= 1 || method === "none") return out;
  const values = present.map((i) => p[i] as number);
  let adjusted: number[];
  if (method === "bonferroni") adjusted = values.map((v) => Math.min(1, n * v));
  else if (method === "holm") adjusted = stepDown(values);
  else if (method === "hochberg") adjusted = stepUp(values, (i, v) => (n + 1 - i) * v);
  else if (method === "BH") adjusted = stepUp(values, (i, v) => (n / i) * v);
  else {
    const q = harmonic(n);
    adjusted = stepUp(values, (i, v) => ((q * n) / i) * v);
  }
  present.forEach((i, k) => (out[i] = adjusted[k]));
  return out;
}

/**
 * Holm: sorted ascending, running maximum of (n + 1 − i)·p₍ᵢ₎, capped at 1. Ties get the same value whatever
 * their order, so a stable sort reproduces R.
 */
function stepDown(values: readonly number[]): number[] {
  const n = values.length;
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const out = new Array<number>(n);
  let running = -Infinity;
  order.forEach((idx, k) => {
    running = Math.max(running, (n - k) * values[idx]);
    out[idx] = Math.min(1, running);
  });
  return out;
}

/**
 * Hochberg, BH and BY: sorted descending with rank i = n … 1, running minimum of term(i, p₍ᵢ₎), capped at 1; the
 * terms (n + 1 − i)·p, n/i·p and q·n/i·p are formed in R's order of operations.
 */
function stepUp(values: readonly number[], term: (i: number, p: number) => number): number[] {
  const n = values.length;
  const order = values.map((_, i) => i).sort((a, b) => values[b] - values[a]);
  const out = new Array<number>(n);
  let running = Infinity;
  order.forEach((idx, k) => {
    running = Math.min(running, term(n - k, values[idx]));
    out[idx] = Math.min(1, running);
  });
  return out;
}

/** Σ_{i=1}^{n} 1/i, summed as R's sum(1/(1:n)) does, smallest index first. */
function harmonic(n: number): number {
  let sum = 0;
  for (let i = 1; i <= n; i++) sum += 1 / i;
  return sum;
}

function isPresent(v: PValue): v is number {
  return typeof v === "number" && !Number.isNaN(v);
}

export interface AdjustedVerdict {
  /** The adjusted p value; null when the test had no p. */
  adjustedP: number | null;
  /** adjustedP ≤ level (for BH: the test is among those the Benjamini–Hochberg procedure rejects). */
  significant: boolean;
}

export interface AdjustOptions {
  method?: PAdjustMethod;
  /** The false discovery rate (BH, BY) or family-wise error (holm, hochberg, bonferroni) to hold; default 0.05. */
  level?: number;
}

/**
 * Verdicts for one family of tests (the marts use one page as the family): each test's adjusted p and whether it
 * is significant at `level`, in the input's order. Tests without a p are never significant and do not count.
 */
export function adjustTests(tests: readonly { p: PValue }[], options: AdjustOptions = {}): AdjustedVerdict[] {
  const { method = "BH", level = 0.05 } = options;
  if (!(level > 0 && level < 1)) throw new RangeError(`level ${level} is not in (0, 1)`);
  return pAdjust(
    tests.map((t) => t.p),
    method
  ).map((adjustedP) => ({ adjustedP, significant: adjustedP !== null && adjustedP <= level }));
}
