// Two waves' means against R on the same simulated answers (test/fixtures/r/design-t.R): designTTest ≡ survey's
// svyttest with the waves as strata of one SRSWOR design (fpc = roster size), varianceOfMean ≡ svymean with fpc,
// welchTest ≡ t.test(var.equal = FALSE). The old factor (N − n)/(N − 1) and Welch's df must miss svyttest.
import { describe, expect, it } from "vitest";
import {
  designTTest,
  varianceOfMean,
  welchDf,
  welchTest,
  type WaveSummary,
  type WelchResult
} from "../../pipeline/stats/change.ts";
import { closeToR, readRFixture, relativeError } from "./r-fixtures.ts";

interface RTest {
  estimate: number;
  se: number;
  t: number;
  df: number;
  p: number;
  ciLow: number;
  ciHigh: number;
}
interface RSummary {
  n: number;
  mean: number;
  sd: number;
  N: number;
}
interface Case {
  name: string;
  a: RSummary;
  b: RSummary;
  degf: number;
  svyttest: RTest;
  svyttestNoFpc: RTest;
  svymean: { a: { mean: number; se: number }; b: { mean: number; se: number } };
  welch: RTest;
}
const fixture = readRFixture<{ survey: string; cases: Case[] }>("design-t");
const withN = (s: RSummary): WaveSummary => ({ n: s.n, mean: s.mean, sd: s.sd, populationSize: s.N });
const withoutN = (s: RSummary): WaveSummary => ({ n: s.n, mean: s.mean, sd: s.sd });

function expectTest(got: WelchResult, want: RTest, what: string): void {
  closeToR(got.difference, want.estimate, `${what} estimate`);
  closeToR(got.se, want.se, `${what} se`);
  closeToR(got.t, want.t, `${what} t`);
  closeToR(got.df, want.df, `${what} df`);
  closeToR(got.p, want.p, `${what} p`);
  closeToR(got.ciLow, want.ciLow, `${what} ciLow`);
  closeToR(got.ciHigh, want.ciHigh, `${what} ciHigh`);
}

describe(`designTTest reproduces survey::svyttest (survey ${fixture.survey})`, () => {
  for (const c of fixture.cases) {
    it(`${c.name}: waves as strata with fpc (t, df = n − 3, p, interval)`, () => {
      expectTest(designTTest(withN(c.a), withN(c.b)), c.svyttest, c.name);
      expect(c.svyttest.df).toBe(c.a.n + c.b.n - 3);
      expect(c.degf).toBe(c.a.n + c.b.n - 2);
    });
    it(`${c.name}: the same design without fpc`, () => {
      expectTest(designTTest(withoutN(c.a), withoutN(c.b)), c.svyttestNoFpc, `${c.name} (no fpc)`);
    });
  }

  it("misses svyttest with the old factor (N − n)/(N − 1) or with Welch's df", () => {
    for (const c of fixture.cases.filter((c) => c.a.n < c.a.N)) {
      const old = (s: RSummary) => ((s.sd * s.sd) / s.n) * ((s.N - s.n) / (s.N - 1));
      const oldT = (c.b.mean - c.a.mean) / Math.sqrt(old(c.a) + old(c.b));
      expect(relativeError(oldT, c.svyttest.t), c.name).toBeGreaterThan(1e-4);
      const va = varianceOfMean(withN(c.a));
      const vb = varianceOfMean(withN(c.b));
      expect(relativeError(welchDf(va, c.a.n, vb, c.b.n), c.svyttest.df), c.name).toBeGreaterThan(1e-4);
    }
  });

  it("needs two respondents per group and N for both groups or neither", () => {
    const c = fixture.cases[0];
    expect(() => designTTest(withN(c.a), withoutN(c.b))).toThrow(RangeError);
    expect(() => designTTest({ ...withN(c.a), n: 1 }, withN(c.b))).toThrow(RangeError);
    expect(() => designTTest({ ...withN(c.a), populationSize: c.a.n - 1 }, withN(c.b))).toThrow(RangeError);
  });

  it("has no sampling error when both groups are censuses", () => {
    const w = designTTest({ n: 6, mean: 5, sd: 1, populationSize: 6 }, { n: 8, mean: 7.5, sd: 2, populationSize: 8 });
    expect([w.se, w.p, w.ciLow, w.ciHigh]).toEqual([0, 0, 2.5, 2.5]);
  });
});

describe("varianceOfMean reproduces survey::svymean with fpc", () => {
  for (const c of fixture.cases)
    it(c.name, () => {
      for (const g of ["a", "b"] as const) {
        closeToR(c[g].mean, c.svymean[g].mean);
        closeToR(Math.sqrt(varianceOfMean(withN(c[g]))), c.svymean[g].se, `${c.name} ${g}`);
      }
    });
});

describe("welchTest reproduces t.test(b, a, var.equal = FALSE) on the same answers", () => {
  for (const c of fixture.cases)
    it(c.name, () => {
      expectTest(welchTest(withoutN(c.a), withoutN(c.b)), c.welch, c.name);
    });

  it("differs from the design-based test: same t without fpc, other df and p", () => {
    const c = fixture.cases[0];
    closeToR(c.welch.t, c.svyttestNoFpc.t);
    expect(relativeError(c.welch.df, c.svyttestNoFpc.df)).toBeGreaterThan(0.1);
    expect(relativeError(c.welch.p, c.svyttestNoFpc.p)).toBeGreaterThan(1e-3);
  });
});
