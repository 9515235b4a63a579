// pAdjust against R's p.adjust (test/fixtures/r/p-adjust.R): random, tied, missing, 0/1, single and empty vectors.
import { describe, expect, it } from "vitest";
import { adjustTests, pAdjust, type PAdjustMethod } from "../../pipeline/stats/multiplicity.ts";
import { closeToR, readRFixture, relativeError } from "./r-fixtures.ts";

interface Fixture {
  methods: PAdjustMethod[];
  cases: { name: string; p: (number | null)[]; adjusted: Record<PAdjustMethod, (number | null)[]> }[];
}
const fixture = readRFixture<Fixture>("p-adjust");
const byName = (name: string) => fixture.cases.find((c) => c.name === name)!;

describe("pAdjust reproduces R's p.adjust", () => {
  for (const c of fixture.cases)
    for (const method of fixture.methods)
      it(`${c.name} (${c.p.length} p), ${method}`, () => {
        const got = pAdjust(c.p, method);
        const want = c.adjusted[method];
        expect(got.length).toBe(want.length);
        want.forEach((w, i) => closeToR(got[i], w, `${c.name} ${method} [${i}]`));
      });

  it("uses BH by default", () => {
    const c = byName("uniform20");
    expect(pAdjust(c.p)).toEqual(pAdjust(c.p, "BH"));
  });

  it("keeps missing p (null, undefined, NaN) in place and counts only the others in n", () => {
    // withNA: 6 p values and 3 NA; Bonferroni of 0.03 is 6 · 0.03, not 9 · 0.03.
    const c = byName("withNA");
    const got = pAdjust([0.03, undefined, 0.001, 0.2, NaN, 0.04, 0.04, 0.9, null], "bonferroni");
    expect(got[0]).toBeCloseTo(0.18, 15);
    expect([got[1], got[4], got[8]]).toEqual([null, null, null]);
    c.adjusted.bonferroni.forEach((w, i) => closeToR(got[i], w));
    // The plausible bug, n = length(p) with the NAs, misses R.
    expect(relativeError(Math.min(1, 9 * 0.03), c.adjusted.bonferroni[0]!)).toBeGreaterThan(0.4);
  });

  it("needs the running minimum: BH without it misses R (uniform20)", () => {
    const c = byName("uniform20");
    const p = c.p as number[];
    const sorted = [...p].sort((a, b) => a - b);
    const naive = p.map((v) => Math.min(1, (p.length / (sorted.indexOf(v) + 1)) * v));
    expect(Math.max(...naive.map((v, i) => relativeError(v, c.adjusted.BH[i]!)))).toBeGreaterThan(0.01);
  });

  it("has hand-computable answers: BH of 0.01 … 0.05 is 0.05 for all; Holm of 0.01 0.04 0.03 is 0.03 0.06 0.06", () => {
    pAdjust([0.01, 0.02, 0.03, 0.04, 0.05]).forEach((v) => expect(v).toBeCloseTo(0.05, 15));
    const holm = pAdjust([0.01, 0.04, 0.03], "holm");
    [0.03, 0.06, 0.06].forEach((w, i) => expect(holm[i]).toBeCloseTo(w, 15));
  });

  it("returns a single p and an empty vector unchanged, and refuses p outside [0, 1]", () => {
    expect(pAdjust([0.03], "bonferroni")).toEqual([0.03]);
    expect(pAdjust([])).toEqual([]);
    expect(() => pAdjust([0.2, 1.5])).toThrow(RangeError);
    expect(() => pAdjust([-0.1, 0.2])).toThrow(RangeError);
  });
});

describe("adjustTests", () => {
  it("gives adjusted p and the verdict in the input's order; a test without p is never significant", () => {
    const verdicts = adjustTests([{ p: 0.04 }, { p: null }, { p: 0.001 }, { p: 0.5 }, { p: 0.03 }]);
    // BH over n = 4: 0.001 → 0.004, 0.03 → min(4/2·0.03, 4/3·0.04) = 0.0533…, 0.04 → 0.0533…, 0.5 → 0.5.
    expect(verdicts.map((v) => v.significant)).toEqual([false, false, true, false, false]);
    expect(verdicts[1].adjustedP).toBeNull();
    expect(verdicts[2].adjustedP).toBeCloseTo(0.004, 15);
    expect(verdicts[0].adjustedP).toBeCloseTo(0.16 / 3, 15);
    expect(verdicts[4].adjustedP).toBeCloseTo(0.16 / 3, 15);
  });

  it("counts a p equal to its BH bound as significant (p₍ᵢ₎ ≤ i·q/n), at the chosen level and method", () => {
    // n = 2: 0.025 ≤ 1·0.05/2 and 0.05 ≤ 2·0.05/2, both adjusted to exactly 0.05.
    expect(adjustTests([{ p: 0.025 }, { p: 0.05 }])).toEqual([
      { adjustedP: 0.05, significant: true },
      { adjustedP: 0.05, significant: true }
    ]);
    expect(adjustTests([{ p: 0.025 }, { p: 0.05 }], { level: 0.01 }).map((v) => v.significant)).toEqual([false, false]);
    expect(adjustTests([{ p: 0.03 }, { p: 0.04 }], { method: "bonferroni" }).map((v) => v.significant)).toEqual([
      false,
      false
    ]);
    expect(adjustTests([{ p: 0.03 }, { p: 0.04 }], { method: "none" }).map((v) => v.significant)).toEqual([true, true]);
    expect(() => adjustTests([{ p: 0.03 }], { level: 5 })).toThrow(RangeError);
  });
});
