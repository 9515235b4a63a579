// Probability distributions used by the tests and intervals of this library: normal, Student t, chi-square and F.
// Every CDF reduces to the regularized incomplete gamma or beta function, implemented here without dependencies
// (Lanczos log-gamma, series and Lentz continued fractions as in Numerical Recipes §6.1–6.4).
// Quantiles invert the CDFs numerically, so they are exactly as accurate as the CDFs (about 1e-12).

const EPSILON = 1e-15;
const TINY = 1e-300;
const MAX_ITERATIONS = 10_000;

/** Lanczos coefficients (g = 7, n = 9): log Γ to about 15 significant digits for x > 0. */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7
];

/** Natural log of the gamma function, for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  // Reflection keeps the Lanczos sum in its accurate range for small x.
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Series for P(a, x); converges fast when x < a + 1. */
function gammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Continued fraction for Q(a, x) (modified Lentz); converges fast when x >= a + 1. */
function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a). */
export function regularizedGammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/** Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x), computed directly to keep precision in the tail. */
export function regularizedGammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

/** Continued fraction for the incomplete beta (modified Lentz); converges fast when x < (a + 1) / (a + b + 2). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b), for 0 <= x <= 1 and a, b > 0. */
export function regularizedBeta(x: number, a: number, b: number): number {
  return regularizedBetaGiven(x, a, b, logGamma(a + b) - logGamma(a) - logGamma(b));
}

/**
 * I_x(a, b) given −log B(a, b), for a solver that evaluates it at many x with the same a and b, and given 1 − x as the
 * caller computed it: when x is close to 1, 1 − x computed by subtraction keeps only a few digits (the t tail at a
 * large df: x = df/(df + t²), whose complement t²/(df + t²) the caller has exactly).
 */
function regularizedBetaGiven(
  x: number,
  a: number,
  b: number,
  minusLogBeta: number,
  complement = 1 - x,
  logX = Math.log(x)
): number {
  if (x <= 0) return 0;
  if (x >= 1 || complement <= 0) return 1;
  const logFront = minusLogBeta + a * logX + b * Math.log(complement);
  // Use the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) on the side where the continued fraction converges.
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(complement, b, a)) / b;
}

/**
 * P(|T| ≥ |t|) = I_{df/(df+t²)}(df/2, ½), with the Beta's argument, its complement and its log each computed directly:
 * at a large df the argument is close to 1, and its rounding, multiplied by df/2 in the log, made the tail jump by
 * 1e-13 between neighbouring t (the quantile's steps then never settled).
 */
function tTwoSided(t: number, df: number, minusLogBeta: number): number {
  const t2 = t * t;
  return regularizedBetaGiven(df / (df + t2), df / 2, 0.5, minusLogBeta, t2 / (df + t2), -Math.log1p(t2 / df));
}

// ---------------------------------------------------------------- normal

/** Standard normal CDF Φ(z), via Φ(z) = ½·(1 ± P(½, z²/2)). */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const tail = 0.5 * regularizedGammaQ(0.5, (z * z) / 2);
  return z < 0 ? tail : 1 - tail;
}

/** Standard normal density. */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** Acklam's rational approximation of the normal quantile (relative error < 1.2e-9): a starting point only. */
function acklamNormalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - low) return -acklamNormalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/** Standard normal quantile Φ⁻¹(p): Acklam's approximation polished by Newton steps on the exact CDF. */
export function normalQuantile(p: number): number {
  checkProbability(p);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  let z = acklamNormalQuantile(p);
  for (let i = 0; i < 3; i++) {
    // Work in the smaller tail so that 1 − Φ does not cancel.
    const error = p < 0.5 ? normalCdf(z) - p : 1 - p - normalCdf(-z);
    z -= error / normalPdf(z);
  }
  return z;
}

// ---------------------------------------------------------------- Student t

/** Two-sided tail probability P(|T| >= |t|) for Student's t with df degrees of freedom: I_{df/(df+t²)}(df/2, ½). */
export function studentTTwoSidedP(t: number, df: number): number {
  checkPositive(df, "df");
  if (Number.isNaN(t)) return NaN;
  if (!Number.isFinite(t)) return 0;
  if (df === Infinity) return 2 * normalCdf(-Math.abs(t));
  return tTwoSided(t, df, logGamma(df / 2 + 0.5) - logGamma(df / 2) - logGamma(0.5));
}

/** Student t CDF P(T <= t). */
export function studentTCdf(t: number, df: number): number {
  const halfTail = 0.5 * studentTTwoSidedP(t, df);
  return t < 0 ? halfTail : 1 - halfTail;
}

/**
 * Quantiles already solved at a whole df, by p and df. The report asks for the same few (a 95% interval at n − 1
 * degrees of freedom, for every unit, wave and scale: at 5,000 units most of a unit page's time was this solver); the
 * function is pure, so a remembered value is the very number the solver gives. Bounded: cleared when it grows past
 * MEMO_LIMIT. A fractional df (Welch's) is not remembered: it almost never comes twice, and keying the 640,000 of
 * them the unit marts then solved cost more than the solver saved.
 */
const tQuantiles = new Map<number, Map<number, number>>();
let memoSize = 0;
const MEMO_LIMIT = 100_000;

/** Student t quantile: the t with P(T <= t) = p. */
export function studentTQuantile(p: number, df: number): number {
  checkProbability(p);
  checkPositive(df, "df");
  if (df === Infinity) return normalQuantile(p);
  if (p === 0.5) return 0;
  const byDf = Number.isInteger(df) ? tQuantiles.get(p) : undefined;
  const known = byDf?.get(df);
  if (known !== undefined) return known;
  // Solve in the upper half and mirror: the upper tail of |T| is 2·(1 − p). The tail is I_{df/(df+x²)}(df/2, ½) / 2,
  // its Beta constant computed once for all the solver's steps.
  const upper = p > 0.5 ? 1 - p : p;
  const a = df / 2;
  const minusLogBeta = logGamma(a + 0.5) - logGamma(a) - logGamma(0.5);
  const t = newtonInBracket(
    (x) => 0.5 * tTwoSided(x, df, minusLogBeta),
    studentTDensityOf(df),
    upper,
    cornishFisherT(-acklamNormalQuantile(upper), df),
    // the density's relative slope −f′/f: Halley's step, as R's qt refines Hill's start
    (x) => ((df + 1) * x) / (df + x * x)
  );
  const value = p > 0.5 ? t : -t;
  if (Number.isInteger(df)) remember(p, df, value);
  return value;
}

function remember(p: number, df: number, value: number): void {
  if (memoSize >= MEMO_LIMIT) {
    tQuantiles.clear();
    memoSize = 0;
  }
  let byDf = tQuantiles.get(p);
  if (!byDf) tQuantiles.set(p, (byDf = new Map()));
  byDf.set(df, value);
  memoSize++;
}

// ---------------------------------------------------------------- chi-square

/** Chi-square CDF P(X <= x) = P(df/2, x/2). */
export function chiSquareCdf(x: number, df: number): number {
  checkPositive(df, "df");
  return regularizedGammaP(df / 2, x / 2);
}

/** Chi-square upper tail P(X >= x) = Q(df/2, x/2): the p value of a chi-square test. */
export function chiSquareSurvival(x: number, df: number): number {
  checkPositive(df, "df");
  return regularizedGammaQ(df / 2, x / 2);
}

/** Chi-square quantile: the x with P(X <= x) = p. */
export function chiSquareQuantile(p: number, df: number): number {
  checkProbability(p);
  checkPositive(df, "df");
  return p > 0.5
    ? invertDecreasing((x) => chiSquareSurvival(x, df), 1 - p, 0)
    : invertIncreasing((x) => chiSquareCdf(x, df), p, 0);
}

// ---------------------------------------------------------------- F

/** F CDF P(F <= x) with d1 (numerator) and d2 (denominator) degrees of freedom. */
export function fCdf(x: number, d1: number, d2: number): number {
  checkPositive(d1, "d1");
  checkPositive(d2, "d2");
  if (x <= 0) return 0;
  return regularizedBeta((d1 * x) / (d1 * x + d2), d1 / 2, d2 / 2);
}

/** F upper tail P(F >= x): the p value of an F test. */
export function fSurvival(x: number, d1: number, d2: number): number {
  checkPositive(d1, "d1");
  checkPositive(d2, "d2");
  if (x <= 0) return 1;
  return regularizedBeta(d2 / (d2 + d1 * x), d2 / 2, d1 / 2);
}

/** F quantile: the x with P(F <= x) = p. */
export function fQuantile(p: number, d1: number, d2: number): number {
  checkProbability(p);
  return p > 0.5
    ? invertDecreasing((x) => fSurvival(x, d1, d2), 1 - p, 0)
    : invertIncreasing((x) => fCdf(x, d1, d2), p, 0);
}

/** A starting value for the t quantile from the normal one z (Cornish–Fisher, three terms in 1/df). */
function cornishFisherT(z: number, df: number): number {
  const z2 = z * z;
  return (
    z +
    (z * (z2 + 1)) / (4 * df) +
    (z * (5 * z2 * z2 + 16 * z2 + 3)) / (96 * df * df) +
    (z * (3 * z2 * z2 * z2 + 19 * z2 * z2 + 17 * z2 - 15)) / (384 * df * df * df)
  );
}

/** Student t density with df degrees of freedom, as a function of t (its constant computed once). */
export function studentTDensityOf(df: number): (t: number) => number {
  const logNorm = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return (t) => Math.exp(logNorm - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

// ---------------------------------------------------------------- helpers

/** The critical value z or t for a two-sided interval at confidence `level` (df = Infinity gives the normal one). */
export function twoSidedCritical(level: number, df = Infinity): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`a confidence level is between 0 and 1, got ${level}`);
  return studentTQuantile(1 - (1 - level) / 2, df);
}

/**
 * A solver stops when its last step moved x by less than this, relatively: R's qt stops so (1e-14). Tighter, the
 * steps chase the survival function's own rounding, and a df of 2,000 took ten evaluations instead of two or three.
 */
const STEP_TOLERANCE = 1e-14;

/**
 * Finds x >= 0 with survival(x) = target for a survival function whose derivative is −density, from `guess`:
 * Newton steps kept inside a bracket that every evaluation narrows, halving (or doubling, while no upper bound is
 * known) whenever a step would leave it. Newton reaches double precision in a handful of evaluations where bisection
 * needs about fifty (the change tests' Welch df are not whole numbers, so each interval solves a fresh quantile: at
 * 5,000 units this was most of a build's statistics time). Given the density's relative slope −f′(x)/f(x), each step
 * is Halley's (cubic: from the Cornish–Fisher start, three evaluations instead of four or five).
 */
function newtonInBracket(
  survival: (x: number) => number,
  density: (x: number) => number,
  target: number,
  guess: number,
  relativeSlope?: (x: number) => number
): number {
  if (survival(0) <= target) return 0;
  let lo = 0;
  let hi = Infinity;
  let x = guess > 0 && Number.isFinite(guess) ? guess : 1;
  for (let i = 0; i < 300; i++) {
    const error = survival(x) - target;
    if (error === 0) return x;
    if (error > 0) lo = x;
    else hi = x;
    const step = error / density(x);
    const halley = relativeSlope ? 1 - (step * relativeSlope(x)) / 2 : 1;
    let next = x + (halley > 0.5 ? step / halley : step);
    // Converged before the bracket is consulted: a step too small to move x lands on x, which is now lo or hi, and
    // would be taken for one leaving the bracket and replaced by a halving of it.
    if (Math.abs(next - x) <= STEP_TOLERANCE * Math.abs(x)) return next;
    if (!(next > lo && next < hi)) next = hi === Infinity ? 2 * lo : (lo + hi) / 2;
    if (next > 1e300) return Infinity;
    if (next === lo || next === hi) return next;
    x = next;
  }
  return x;
}

/** Finds x >= lower with f(x) = target for an increasing f, by bracketing and bisection. */
function invertIncreasing(f: (x: number) => number, target: number, lower: number): number {
  return invertDecreasing((x) => -f(x), -target, lower);
}

/**
 * Finds x >= lower with f(x) = target for a decreasing f (a survival function), by doubling an upper bracket
 * and bisecting. Bisection is slow but cannot diverge, and 200 halvings reach the limit of double precision.
 */
function invertDecreasing(f: (x: number) => number, target: number, lower: number): number {
  if (f(lower) <= target) return lower;
  let lo = lower;
  let hi = lower + 1;
  while (f(hi) > target) {
    lo = hi;
    hi = lower + 2 * (hi - lower);
    if (hi > 1e300) return Infinity;
  }
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    if (f(mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function checkProbability(p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`a probability is between 0 and 1, got ${p}`);
}

function checkPositive(value: number, name: string): void {
  if (!(value > 0)) throw new RangeError(`${name} must be positive, got ${value}`);
}
