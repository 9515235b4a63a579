import { describe, expect, it } from "vitest";
import {
  cohensD,
  designTTest,
  designTTestP,
  hedgesCorrection,
  hedgesG,
  pooledSd,
  varianceOfMean,
  welchTest,
  welchTestP
} from "../../pipeline/stats/change.ts";
import type { WaveSummary } from "../../pipeline/stats/change.ts";
import { describe as summarize } from "../../pipeline/stats/descriptives.ts";
import { studentTQuantile } from "../../pipeline/stats/distributions.ts";

describe("welchTest", () => {
  // Wave a: 3 4 5 5 6 7 → mean 5, squared deviations 4+1+0+0+1+4 = 10, s² = 10/5 = 2.
  // Wave b: 5 6 6 7 8 9 9 10 → mean 60/8 = 7.5, squared deviations 6.25+2.25+2.25+0.25+0.25+2.25+2.25+6.25 = 22, s² = 22/7.
  const a = { n: 6, mean: 5, sd: Math.sqrt(2) };
  const b = { n: 8, mean: 7.5, sd: Math.sqrt(22 / 7) };
  const va = 2 / 6; // s²/n
  const vb = 22 / 7 / 8;
  const se = Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / 5 + vb ** 2 / 7);

  it("computes the difference b − a, its SE, Welch–Satterthwaite df and t step by step", () => {
    const w = welchTest(a, b);
    expect(w.difference).toBe(2.5);
    expect(w.se).toBeCloseTo(se, 12);
    expect(w.df).toBeCloseTo(df, 10);
    expect(w.t).toBeCloseTo(2.5 / se, 10);
  });

  it("builds the interval from the t quantile and matches it with the p value", () => {
    const w = welchTest(a, b);
    const half = studentTQuantile(0.975, df) * se;
    expect(w.ciLow).toBeCloseTo(2.5 - half, 10);
    expect(w.ciHigh).toBeCloseTo(2.5 + half, 10);
    // The interval excludes 0 exactly when p < 0.05; at the interval's edge p is 0.05.
    expect(w.ciLow > 0).toBe(w.p < 0.05);
    const atEdge = welchTest({ ...a, mean: 0 }, { ...b, mean: half });
    expect(atEdge.p).toBeCloseTo(0.05, 8);
  });

  it("reproduces the textbook example (Wikipedia, Welch's t-test, example 1: t = −2.46, df ≈ 25.0, p = 0.021)", () => {
    const A1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
    const A2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
    const w = welchTest(summarize(A2), summarize(A1)); // A1 − A2, as in the example
    expect(w.t).toBeCloseTo(-2.46, 2);
    expect(Math.abs(w.df - 25)).toBeLessThan(0.1);
    expect(w.p).toBeCloseTo(0.021, 3);
  });

  it("applies the finite population correction 1 − n/N to each variance term when population sizes are given", () => {
    expect(varianceOfMean({ n: 50, mean: 0, sd: 10, populationSize: 100 })).toBeCloseTo(
      (100 / 50) * (1 - 50 / 100),
      12
    );
    expect(varianceOfMean({ n: 50, mean: 0, sd: 10 })).toBe(2);
    const fa = { ...a, populationSize: 10 };
    const fb = { ...b, populationSize: 20 };
    const cva = va * (1 - 6 / 10);
    const cvb = vb * (1 - 8 / 20);
    const w = welchTest(fa, fb);
    expect(w.se).toBeCloseTo(Math.sqrt(cva + cvb), 12);
    expect(w.df).toBeCloseTo((cva + cvb) ** 2 / (cva ** 2 / 5 + cvb ** 2 / 7), 10);
    expect(w.p).toBeLessThan(welchTest(a, b).p);
  });

  it("has no sampling error when both waves are censuses, and refuses N < n", () => {
    const w = welchTest({ ...a, populationSize: 6 }, { ...b, populationSize: 8 });
    expect(w.se).toBe(0);
    expect(w.p).toBe(0);
    expect([w.ciLow, w.ciHigh]).toEqual([2.5, 2.5]);
    expect(() => welchTest({ ...a, populationSize: 5 }, b)).toThrow(RangeError);
  });
});

// Summaries as the unit verdicts meet them: tiny and large groups, equal and very unequal spreads, no difference,
// a finite population, and censuses (no sampling error) with and without a difference.
const SUMMARY_PAIRS: [WaveSummary, WaveSummary][] = [
  [
    { n: 6, mean: 5, sd: Math.sqrt(2) },
    { n: 8, mean: 7.5, sd: Math.sqrt(22 / 7) }
  ],
  [
    { n: 2, mean: 3.1, sd: 0.4 },
    { n: 2, mean: 3.9, sd: 1.7 }
  ],
  [
    { n: 14_000, mean: 3.712, sd: 0.81 },
    { n: 31, mean: 3.48, sd: 0.77 }
  ],
  [
    { n: 250, mean: 4.02, sd: 0.02 },
    { n: 9, mean: 2.5, sd: 1.9 }
  ],
  [
    { n: 40, mean: 3.5, sd: 0.9 },
    { n: 40, mean: 3.5, sd: 0.9 }
  ],
  [
    { n: 30, mean: 3.2, sd: 0.6, populationSize: 60 },
    { n: 45, mean: 3.6, sd: 0.7, populationSize: 50 }
  ],
  [
    { n: 6, mean: 5, sd: 1, populationSize: 6 },
    { n: 8, mean: 7.5, sd: 2, populationSize: 8 }
  ],
  [
    { n: 6, mean: 5, sd: 1, populationSize: 6 },
    { n: 8, mean: 5, sd: 2, populationSize: 8 }
  ]
];

describe("welchTestP", () => {
  it.each(SUMMARY_PAIRS)("gives welchTest's difference and p to the last bit (%o against %o)", (a, b) => {
    const full = welchTest(a, b);
    expect(welchTestP(a, b)).toEqual({ difference: full.difference, p: full.p });
  });

  it("reproduces the textbook example's p (Wikipedia, Welch's t-test, example 1: p = 0.021)", () => {
    const A1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
    const A2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
    expect(welchTestP(summarize(A2), summarize(A1)).p).toBeCloseTo(0.021, 3);
  });

  it("refuses a group of fewer than two, as welchTest does", () => {
    expect(() => welchTestP({ n: 1, mean: 3, sd: 0 }, { n: 5, mean: 3, sd: 1 })).toThrow(RangeError);
  });
});

describe("designTTestP", () => {
  it.each(SUMMARY_PAIRS)("gives designTTest's difference and p to the last bit (%o against %o)", (a, b) => {
    const full = designTTest(a, b);
    expect(designTTestP(a, b)).toEqual({ difference: full.difference, p: full.p });
  });

  it("refuses what designTTest refuses: fewer than two, or the population of one group only", () => {
    expect(() => designTTestP({ n: 1, mean: 3, sd: 0 }, { n: 5, mean: 3, sd: 1 })).toThrow(RangeError);
    expect(() => designTTestP({ n: 5, mean: 3, sd: 1, populationSize: 9 }, { n: 5, mean: 3, sd: 1 })).toThrow(
      RangeError
    );
  });
});

describe("effect sizes", () => {
  const a = { n: 6, mean: 5, sd: Math.sqrt(2) };
  const b = { n: 8, mean: 7.5, sd: Math.sqrt(22 / 7) };
  // Pooled variance: (5·2 + 7·22/7) / 12 = (10 + 22) / 12 = 8/3.
  it("gives Cohen's d with the pooled SD", () => {
    expect(pooledSd(a, b)).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(cohensD(a, b)).toBeCloseTo(2.5 / Math.sqrt(8 / 3), 12);
  });
  it("corrects d by the exact J(m); J(4) = √(2/π) and J ≈ 1 − 3/(4m − 1)", () => {
    expect(hedgesCorrection(4)).toBeCloseTo(Math.sqrt(2 / Math.PI), 12);
    expect(hedgesCorrection(12)).toBeCloseTo(1 - 3 / 47, 3);
    expect(hedgesG(a, b)).toBeCloseTo(cohensD(a, b) * hedgesCorrection(12), 12);
  });
});
