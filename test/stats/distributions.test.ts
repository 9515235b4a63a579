// Known answers: R values (qt, qnorm, qchisq, qf, pnorm, pt printed by R to 6–7 digits) and closed forms derived by
// hand (t with 1 or 2 df, chi-square with 2 df, F with 2 numerator df, incomplete beta/gamma special cases).
import { describe, expect, it } from "vitest";
import {
  chiSquareCdf,
  chiSquareQuantile,
  chiSquareSurvival,
  fCdf,
  fQuantile,
  fSurvival,
  logGamma,
  normalCdf,
  normalQuantile,
  regularizedBeta,
  regularizedGammaP,
  regularizedGammaQ,
  studentTCdf,
  studentTQuantile,
  studentTTwoSidedP
} from "../../pipeline/stats/distributions.ts";

describe("logGamma", () => {
  it("gives log factorials and Γ(½) = √π", () => {
    expect(Math.exp(logGamma(5))).toBeCloseTo(24, 10);
    expect(Math.exp(logGamma(10))).toBeCloseTo(362880, 6);
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(Math.exp(logGamma(0.5))).toBeCloseTo(Math.sqrt(Math.PI), 12);
    expect(Math.exp(logGamma(0.25))).toBeCloseTo(3.625609908221908, 10);
  });
});

describe("regularized incomplete functions", () => {
  it("match the closed forms I_x(a,1) = x^a and I_x(1,b) = 1 − (1−x)^b", () => {
    for (const x of [0.01, 0.3, 0.77, 0.99]) {
      expect(regularizedBeta(x, 3.5, 1)).toBeCloseTo(x ** 3.5, 12);
      expect(regularizedBeta(x, 1, 4.2)).toBeCloseTo(1 - (1 - x) ** 4.2, 12);
    }
  });
  it("are symmetric: I_x(a,b) = 1 − I_{1−x}(b,a), and I_½(a,a) = ½", () => {
    expect(regularizedBeta(0.3, 2.5, 7) + regularizedBeta(0.7, 7, 2.5)).toBeCloseTo(1, 12);
    expect(regularizedBeta(0.5, 13, 13)).toBeCloseTo(0.5, 12);
  });
  it("give P(1, x) = 1 − e^(−x) and P + Q = 1", () => {
    for (const x of [0.1, 1, 5, 30]) expect(regularizedGammaP(1, x)).toBeCloseTo(1 - Math.exp(-x), 12);
    expect(regularizedGammaP(3.3, 2) + regularizedGammaQ(3.3, 2)).toBeCloseTo(1, 14);
    expect(regularizedGammaQ(2, 50)).toBeCloseTo(51 * Math.exp(-50), 30); // Q(2,x) = (1+x)e^(−x), deep tail
  });
});

describe("normal", () => {
  it("matches R's pnorm and qnorm", () => {
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 7);
    expect(normalCdf(-1)).toBeCloseTo(0.1586553, 7);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361341, 6);
  });
  it("inverts its CDF", () => {
    for (const p of [1e-6, 0.01, 0.2, 0.5, 0.8, 0.999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 12);
  });
});

describe("Student t", () => {
  it("matches R's qt(0.975, df)", () => {
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228139, 6);
    expect(studentTQuantile(0.975, 7)).toBeCloseTo(2.364624, 6);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.042272, 6);
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.228139, 6);
  });
  it("matches R's qt at the fractional df of Welch's test, in both tails, to 12 significant digits", () => {
    // R 4: sprintf("%.17g", qt(p, df)); the solver starts from a Cornish–Fisher guess, so heavy tails (df 1.5, p 1e-6)
    // check that its bracket holds where the guess is far off.
    const r: [number, number, number][] = [
      [0.975, 1.5, 6.0166631044279288],
      [0.995, 1.5, 17.820310514462797],
      [1e-6, 1.5, -5219.4693247069472],
      [0.975, 3.7, 2.8675207071911917],
      [1e-6, 3.7, -51.640050274442707],
      [0.975, 25.03, 2.0594133938983257],
      [0.995, 25.03, 2.7871632933355439],
      [1e-6, 25.03, -6.1438185730287982],
      [0.975, 187.42, 1.9727022407858528],
      [0.995, 4321.9, 2.5769673660754933],
      [1e-6, 4321.9, -4.7599197769128505],
      // the df of a unit's change test at a province (about 20–30 answers a wave each side), and larger
      [0.975, 20.3, 2.083988972008135],
      [0.975, 200.7, 1.971854358981038],
      [0.975, 2000.1, 1.9611507667250168]
    ];
    for (const [p, df, q] of r) expect(Math.abs(studentTQuantile(p, df) / q - 1)).toBeLessThan(1e-12);
  });
  it("approaches the normal for large df", () => {
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.959964, 5);
    expect(studentTQuantile(0.975, Infinity)).toBeCloseTo(1.959964, 6);
  });
  it("with 1 df is the Cauchy distribution: F(t) = ½ + atan(t)/π, Q(p) = tan(π(p − ½))", () => {
    for (const t of [-8, -1, 0.3, 2, 40]) expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
    for (const p of [0.6, 0.9, 0.975, 0.999])
      expect(studentTQuantile(p, 1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 8);
  });
  it("with 2 df has F(t) = ½ + t / (2√(2 + t²)) and Q(p) = (2p − 1) / √(2p(1 − p))", () => {
    for (const t of [-3, 0.5, 4.302653])
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 12);
    for (const p of [0.7, 0.975])
      expect(studentTQuantile(p, 2)).toBeCloseTo((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 10);
  });
  it("gives the two-sided p value 0.05 at the critical value", () => {
    expect(studentTTwoSidedP(2.228139, 10)).toBeCloseTo(0.05, 6);
    expect(studentTTwoSidedP(-2.228139, 10)).toBeCloseTo(0.05, 6);
    expect(studentTCdf(2, 10)).toBeCloseTo(0.963306, 6);
  });
});

describe("chi-square", () => {
  it("matches R's qchisq", () => {
    expect(chiSquareQuantile(0.95, 1)).toBeCloseTo(3.841459, 6);
    expect(chiSquareQuantile(0.95, 10)).toBeCloseTo(18.307038, 6);
    expect(chiSquareQuantile(0.99, 5)).toBeCloseTo(15.086272, 6);
  });
  it("with 2 df is exponential: F(x) = 1 − e^(−x/2), Q(p) = −2 ln(1 − p)", () => {
    for (const x of [0.1, 2, 9.5]) expect(chiSquareCdf(x, 2)).toBeCloseTo(1 - Math.exp(-x / 2), 12);
    expect(chiSquareQuantile(0.95, 2)).toBeCloseTo(-2 * Math.log(0.05), 10);
  });
  it("with 1 df is a squared normal: P(X ≤ x) = 2Φ(√x) − 1", () => {
    for (const x of [0.2, 1, 3.841459, 12]) expect(chiSquareCdf(x, 1)).toBeCloseTo(2 * normalCdf(Math.sqrt(x)) - 1, 12);
  });
  it("has an upper tail that complements the CDF", () => {
    expect(chiSquareSurvival(18.307038, 10)).toBeCloseTo(0.05, 7);
    expect(chiSquareCdf(7.3, 4) + chiSquareSurvival(7.3, 4)).toBeCloseTo(1, 14);
  });
});

describe("F", () => {
  it("matches R's qf", () => {
    expect(fQuantile(0.95, 1, 10)).toBeCloseTo(4.964603, 6);
    expect(fQuantile(0.95, 2, 10)).toBeCloseTo(4.102821, 6);
  });
  it("with 1 numerator df is a squared t: P(F ≤ t²) = 1 − P(|T| ≥ t)", () => {
    for (const t of [0.5, 2.228139, 3]) expect(fCdf(t * t, 1, 10)).toBeCloseTo(1 - studentTTwoSidedP(t, 10), 12);
  });
  it("with 2 numerator df has P(F > x) = (1 + 2x/d2)^(−d2/2)", () => {
    for (const x of [0.3, 1, 4.102821]) expect(fSurvival(x, 2, 10)).toBeCloseTo((1 + (2 * x) / 10) ** -5, 12);
  });
});
