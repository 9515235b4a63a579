// A unit against the rest of its group, against R on simulated respondents (test/fixtures/r/unit-vs-rest.R): the rest's
// summary derived from the group's and the unit's equals the one R computes from the rest's scores, and the test is
// t.test(unit, rest, var.equal = FALSE).
import { describe, expect, it } from "vitest";
import { welchTest } from "../../pipeline/stats/change.ts";
import { restSummary, unitVsRest, type Summary } from "../../pipeline/stats/unit-vs-rest.ts";
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
interface Group {
  name: string;
  group: Summary;
  units: { unit: string; summary: Summary; rest: Summary; welch: RTest }[];
}
const { groups } = readRFixture<{ groups: Group[] }>("unit-vs-rest");

describe("unitVsRest reproduces R on the unit's and the rest's scores", () => {
  for (const g of groups)
    for (const u of g.units)
      it(`${g.name} ${u.unit} (n = ${u.summary.n} of ${g.group.n})`, () => {
        const { rest, test } = unitVsRest(g.group, u.summary);
        expect(rest.n).toBe(u.rest.n);
        closeToR(rest.mean, u.rest.mean, "rest mean");
        closeToR(rest.sd, u.rest.sd, "rest sd");
        closeToR(test.difference, u.welch.estimate, "estimate");
        closeToR(test.se, u.welch.se, "se");
        closeToR(test.t, u.welch.t, "t");
        closeToR(test.df, u.welch.df, "df");
        closeToR(test.p, u.welch.p, "p");
        closeToR(test.ciLow, u.welch.ciLow, "ciLow");
        closeToR(test.ciHigh, u.welch.ciHigh, "ciHigh");
      });

  it("misses R when the unit is compared with the group's total, or when the between-means term is left out", () => {
    for (const g of groups)
      for (const u of g.units) {
        expect(
          relativeError(welchTest(g.group, u.summary).t, u.welch.t),
          `${g.name} ${u.unit} vs total`
        ).toBeGreaterThan(0.01);
        const withinOnly = Math.sqrt(
          ((g.group.n - 1) * g.group.sd ** 2 - (u.summary.n - 1) * u.summary.sd ** 2) / (u.rest.n - 1)
        );
        // Small where the unit's mean is close to the group's (U03: 7e-6), yet far outside the 1e-10 tolerance.
        expect(relativeError(withinOnly, u.rest.sd), `${g.name} ${u.unit} sd`).toBeGreaterThan(1e-8);
      }
  });
});

describe("restSummary", () => {
  it("derives the rest by hand: group 1 2 3 4 5 6, unit 5 6 → rest 1 2 3 4 (mean 2.5, sd √(5/3))", () => {
    const group = { n: 6, mean: 3.5, sd: Math.sqrt(3.5) };
    const unit = { n: 2, mean: 5.5, sd: Math.sqrt(0.5) };
    const rest = restSummary(group, unit);
    expect(rest.n).toBe(4);
    expect(rest.mean).toBeCloseTo(2.5, 14);
    expect(rest.sd).toBeCloseTo(Math.sqrt(5 / 3), 14);
  });

  it("handles a unit of one, a rest of one (sd NaN) and a rest whose answers are all equal", () => {
    // group 2 4 4 4: unit 2 → rest 4 4 4 (sd 0); unit 4 4 4 → rest 2 (sd NaN).
    const group = { n: 4, mean: 3.5, sd: 1 };
    expect(restSummary(group, { n: 1, mean: 2, sd: NaN })).toEqual({ n: 3, mean: 4, sd: 0 });
    const one = restSummary(group, { n: 3, mean: 4, sd: 0 });
    expect([one.n, one.mean]).toEqual([1, 2]);
    expect(one.sd).toBeNaN();
    expect(() => unitVsRest(group, { n: 3, mean: 4, sd: 0 })).toThrow(RangeError);
  });

  it("refuses a unit that is the whole group or cannot be part of it", () => {
    expect(() => restSummary({ n: 5, mean: 3, sd: 1 }, { n: 5, mean: 3, sd: 1 })).toThrow(RangeError);
    // A unit far more spread than its whole group.
    expect(() => restSummary({ n: 10, mean: 3, sd: 0.1 }, { n: 5, mean: 3, sd: 2 })).toThrow(RangeError);
  });
});
