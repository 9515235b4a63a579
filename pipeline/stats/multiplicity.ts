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

/**
 * R's p.adjust(p, method): adjusted p values in the input's order, null where p was missing.
 *
 * The present p values are sorted once, as a Float64Array (a unit's page is one family, and a province has 5,000 of
 * them: sorting indices with a comparator took 0.3 s of a pass at 1 M), the procedure walks the sorted values, and
 * each p takes the adjusted value of its place, found by binary search. Tied p values get one
 * adjusted value in R whatever their order, and every place of a tie holds it here: the procedure's running minimum
 * (or maximum) cannot move within a tie, since each term is monotone in the rank.
 */
export function pAdjust(p: readonly PValue[], method: PAdjustMethod = "BH"): (number | null)[] {
  const out = new Array<number | null>(p.length);
  let n = 0;
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (!isPresent(v)) out[i] = null;
    else if (!(v >= 0 && v <= 1)) throw new RangeError(`p value ${v} is not in [0, 1]`);
    else {
      out[i] = v;
      n++;
    }
  }
  if (n <= 1 || method === "none") return out;
  if (method === "bonferroni") return out.map((v) => (v === null ? null : Math.min(1, n * v)));
  const sorted = new Float64Array(n);
  for (let i = 0, k = 0; i < out.length; i++) if (out[i] !== null) sorted[k++] = out[i] as number;
  sorted.sort();
  if (method === "holm") {
    const adjusted = stepDown(sorted);
    return out.map((v) => (v === null ? null : adjusted[placeOf(sorted, v)]));
  }
  const q = method === "BY" ? harmonic(n) : 1;
  const adjusted =
    method === "hochberg"
      ? stepUp(sorted, (i, v) => (n + 1 - i) * v)
      : method === "BH"
        ? stepUp(sorted, (i, v) => (n / i) * v)
        : stepUp(sorted, (i, v) => ((q * n) / i) * v);
  return out.map((v) => (v === null ? null : adjusted[placeOf(sorted, v)]));
}

/** Holm over p sorted ascending: running maximum of (n + 1 − i)·p₍ᵢ₎, capped at 1. */
function stepDown(sorted: Float64Array): Float64Array {
  const n = sorted.length;
  const out = new Float64Array(n);
  let running = -Infinity;
  for (let k = 0; k < n; k++) {
    running = Math.max(running, (n - k) * sorted[k]);
    out[k] = Math.min(1, running);
  }
  return out;
}

/**
 * Hochberg, BH and BY over p sorted ascending, walked from the largest (rank i = n … 1): running minimum of
 * term(i, p₍ᵢ₎), capped at 1; the terms (n + 1 − i)·p, n/i·p and q·n/i·p are formed in R's order of operations.
 */
function stepUp(sorted: Float64Array, term: (i: number, p: number) => number): Float64Array {
  const n = sorted.length;
  const out = new Float64Array(n);
  let running = Infinity;
  for (let k = n - 1; k >= 0; k--) {
    running = Math.min(running, term(k + 1, sorted[k]));
    out[k] = Math.min(1, running);
  }
  return out;
}

/** The first place of `sorted` holding `v` (binary search; `v` is there). */
function placeOf(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
