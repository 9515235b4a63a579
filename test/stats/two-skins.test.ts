// 两张皮 by hand: the band y = x ± t around the diagonal, strict at its edge, symmetric, one unit at a time.
import { describe, expect, it } from "vitest";
import { pearson } from "../../pipeline/stats/drivers.ts";
import { twoSkins } from "../../pipeline/stats/two-skins.ts";

describe("twoSkins", () => {
  it("flags a unit only when its two scores are more than t points apart, and says which is ahead", () => {
    expect(twoSkins({ partyBuilding: 82, business: 65 }, 10)).toEqual({
      gap: 17,
      twoSkins: true,
      ahead: "partyBuilding"
    });
    expect(twoSkins({ partyBuilding: 58, business: 71.5 }, 10)).toEqual({
      gap: -13.5,
      twoSkins: true,
      ahead: "business"
    });
    expect(twoSkins({ partyBuilding: 74, business: 68 }, 10)).toEqual({ gap: 6, twoSkins: false, ahead: null });
  });

  it("keeps a unit on the band's edge inside, also when decimals leave floating-point noise", () => {
    expect(twoSkins({ partyBuilding: 70, business: 60 }, 10).twoSkins).toBe(false);
    expect(64.4 - 54.4).toBeGreaterThan(10); // 10.000000000000007
    expect(twoSkins({ partyBuilding: 64.4, business: 54.4 }, 10).twoSkins).toBe(false);
    expect(twoSkins({ partyBuilding: 0.1, business: 4.2 }, 4.1).twoSkins).toBe(false);
    expect(twoSkins({ partyBuilding: 64.5, business: 54.4 }, 10).twoSkins).toBe(true);
  });

  it("measures t along an axis, not perpendicular to the diagonal: a gap of 12 is outside t = 10", () => {
    // The perpendicular distance would be 12/√2 ≈ 8.5, inside.
    expect(twoSkins({ partyBuilding: 80, business: 68 }, 10).twoSkins).toBe(true);
  });

  it("is symmetric in the two scores", () => {
    const a = twoSkins({ partyBuilding: 91, business: 77 }, 10);
    const b = twoSkins({ partyBuilding: 77, business: 91 }, 10);
    expect([a.gap, a.twoSkins, a.ahead]).toEqual([14, true, "partyBuilding"]);
    expect([b.gap, b.twoSkins, b.ahead]).toEqual([-14, true, "business"]);
  });

  it("judges each unit by its own gap, not by a regression line across units", () => {
    // Five units on the line business = 0.5·party + 40 (r = 1): the line fits all of them exactly, so a residual rule
    // would flag none; by its own gap the unit at (96, 88) is two skins and the one at (80, 80) is not.
    const party = [40, 60, 80, 90, 96];
    const business = party.map((p) => 0.5 * p + 40);
    expect(pearson(party, business).r).toBeCloseTo(1, 12);
    expect(party.map((p, i) => twoSkins({ partyBuilding: p, business: business[i] }, 5).twoSkins)).toEqual([
      true,
      true,
      false,
      false,
      true
    ]);
  });

  it("refuses scores off the 0–100 scale and a negative tolerance", () => {
    expect(() => twoSkins({ partyBuilding: 101, business: 50 }, 10)).toThrow(RangeError);
    expect(() => twoSkins({ partyBuilding: NaN, business: 50 }, 10)).toThrow(RangeError);
    expect(() => twoSkins({ partyBuilding: 50, business: 50 }, -1)).toThrow(RangeError);
  });
});
