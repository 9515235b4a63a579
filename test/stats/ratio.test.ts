// ratioMean against R's survey::svyratio on simulated answers with skips (test/fixtures/r/ratio-mean.R), and the
// property that makes it safe to publish beside item counts: it is the total of the answers over their number.
import { describe, expect, it } from "vitest";
import { describeFromMoments } from "../../pipeline/stats/descriptives.ts";
import { ratioMean, type RatioMoments } from "../../pipeline/stats/ratio.ts";
import { closeToR, readRFixture, relativeError } from "./r-fixtures.ts";

interface Case extends RatioMoments {
  name: string;
  mean: number;
  se: number;
  ciLow: number;
  ciHigh: number;
  complete: boolean;
}
const { cases } = readRFixture<{ cases: Case[] }>("ratio-mean");

describe("ratioMean reproduces survey::svyratio", () => {
  for (const c of cases)
    it(c.name, () => {
      const got = ratioMean(c);
      closeToR(got.mean, c.mean, "mean");
      closeToR(got.se, c.se, "se");
      closeToR(got.ciLow, c.ciLow, "ciLow");
      closeToR(got.ciHigh, c.ciHigh, "ciHigh");
    });

  it("misses R without the n / (n − 1) factor", () => {
    const c = cases[2];
    const got = ratioMean(c);
    expect(relativeError(got.se * Math.sqrt((c.n - 1) / c.n), c.se)).toBeGreaterThan(1e-3);
  });
});

describe("ratioMean", () => {
  it("is the mean of the respondents' means, with the same interval, when nobody skipped", () => {
    // three respondents, two items each: means 4, 3.5, 2
    const m = { n: 3, sumS: 8 + 7 + 4, sumM: 6, sumSS: 64 + 49 + 16, sumMM: 12, sumSM: 16 + 14 + 8 };
    const got = ratioMean(m);
    const plain = describeFromMoments(
      3,
      (4 + 3.5 + 2) / 3,
      Math.sqrt(((4 - 19 / 6) ** 2 + (3.5 - 19 / 6) ** 2 + (2 - 19 / 6) ** 2) / 2)
    );
    expect(got.mean).toBeCloseTo(plain.mean, 12);
    expect(got.se).toBeCloseTo(plain.se, 12);
    expect(got.ciLow).toBeCloseTo(plain.ciLow, 12);
  });

  it("weighs every answer once: a respondent who skipped counts by the answers given", () => {
    // 5 and 5 from one respondent, 1 (the other item skipped) from another: (5 + 5 + 1) / 3, not (5 + 1) / 2
    expect(ratioMean({ n: 2, sumS: 11, sumM: 3, sumSS: 101, sumMM: 5, sumSM: 21 }).mean).toBeCloseTo(11 / 3, 12);
  });

  it("has no interval for one respondent and refuses a group without answers", () => {
    expect(Number.isNaN(ratioMean({ n: 1, sumS: 4, sumM: 1, sumSS: 16, sumMM: 1, sumSM: 4 }).se)).toBe(true);
    expect(() => ratioMean({ n: 0, sumS: 0, sumM: 0, sumSS: 0, sumMM: 0, sumSM: 0 })).toThrow(RangeError);
  });
});
