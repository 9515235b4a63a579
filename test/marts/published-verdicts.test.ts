// Published verdicts of the 原因剖析 page on the seeded sample against R (test/fixtures/r/published-verdicts.R):
// the change of the section and dimension indices between the last two waves for all respondents, from the raw keyed
// answers through survey::svyratio and Welch's t, and the page's verdicts through stats::p.adjust over its family.
import { beforeAll, describe, expect, it } from "vitest";
import { scaleScores, scaleScoreTests } from "../../pipeline/marts/section.ts";
import type { ScaleScoreRow } from "../../pipeline/contracts/scores.ts";
import { closeToR, readRFixture } from "../stats/r-fixtures.ts";
import { sampleStore } from "./sample-store.ts";

interface Fixture {
  changes: { level: string; code: string; wave: number; previousWave: number; n: number; p: number }[];
  family: { p: number[]; bh: number[] };
}

const fixture = readRFixture<Fixture>("published-verdicts");

describe("the 原因剖析 page's verdicts on the sample, against R", () => {
  let tests: { row: Omit<ScaleScoreRow, "changeSignificant">; p: number | null }[];
  let rows: ScaleScoreRow[];

  beforeAll(async () => {
    const { store } = await sampleStore();
    tests = await scaleScoreTests(store, "causes");
    rows = await scaleScores(store, "causes");
  });

  it("tests each change of 全体 as R does from the respondents' answers (svyratio, Welch, no FPC)", () => {
    expect(fixture.changes.length).toBeGreaterThanOrEqual(4);
    for (const want of fixture.changes) {
      const got = tests.find(
        (t) =>
          t.row.grouping === "all" && t.row.level === want.level && t.row.code === want.code && t.row.wave === want.wave
      );
      expect(got, `${want.level} ${want.code}`).toBeDefined();
      expect(got!.row.n).toBe(want.n);
      expect(got!.row.previousWave).toBe(want.previousWave);
      closeToR(got!.p, want.p, `${want.level} ${want.code} ${want.previousWave}→${want.wave}`);
    }
  });

  it("calls a change significant exactly when R's p.adjust (BH) of the page's family is at most 5%", () => {
    const family = tests.filter((t) => t.p !== null);
    expect(family.map((t) => t.p)).toEqual(fixture.family.p);
    const verdicts = rows.filter((r) => r.changeSignificant !== null).map((r) => r.changeSignificant);
    expect(verdicts).toEqual(fixture.family.bh.map((q) => q <= 0.05));
    // The adjustment matters here: some raw p under 0.05 are not verdicts.
    expect(fixture.family.p.filter((p) => p < 0.05).length).toBeGreaterThan(verdicts.filter(Boolean).length);
  });
});
