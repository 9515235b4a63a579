// Funnel limits and unit positions: by hand (target 70, sd 10, n 25: sd/√n = 2) and against R
// (test/fixtures/r/funnel.R: qnorm, pnorm and p.adjust).
import { describe, expect, it } from "vitest";
import { FUNNEL_Z95, FUNNEL_Z998, funnelLimits, funnelPosition, type FunnelZone } from "../../pipeline/stats/funnel.ts";
import { pAdjust } from "../../pipeline/stats/multiplicity.ts";
import { closeToR, readRFixture } from "./r-fixtures.ts";

interface Fixture {
  target: number;
  sd: number;
  z95: number;
  z998: number;
  limits: { n: number; lower95: number; upper95: number; lower998: number; upper998: number }[];
  units: { unit: string; n: number; mean: number; z: number; p: number; zone: FunnelZone; adjustedP: number }[];
}
const fixture = readRFixture<Fixture>("funnel");

describe("funnel by hand: target 70, sd 10, n 25", () => {
  it("puts the limits at 70 ± 2z", () => {
    const l = funnelLimits(70, 10, 25);
    expect(l.n).toBe(25);
    expect(l.lower95).toBeCloseTo(70 - 2 * 1.959963984540054, 12);
    expect(l.upper95).toBeCloseTo(73.91992796908011, 12);
    expect(l.lower998).toBeCloseTo(70 - 2 * 3.090232306167813, 12);
    expect(l.upper998).toBeCloseTo(76.18046461233563, 12);
  });

  it("classifies units by zone; a unit on a limit is inside", () => {
    const at = (mean: number) => funnelPosition(70, 10, { n: 25, mean });
    expect(at(73).zone).toBe("inside");
    expect(at(75).zone).toBe("above95");
    expect(at(63).zone).toBe("below998");
    expect(at(65).zone).toBe("below95");
    expect(at(77).zone).toBe("above998");
    expect(at(funnelLimits(70, 10, 25).upper95).zone).toBe("inside");
    expect(at(75).z).toBeCloseTo(2.5, 14);
    expect(at(75).p).toBeCloseTo(0.012419330651552318, 14); // 2·pnorm(−2.5)
    expect(at(70)).toEqual({ z: 0, p: 1, zone: "inside" });
  });

  it("uses the exact quantiles, not 1.96: z = 1.95998 is beyond the 95% limit and has p < 0.05", () => {
    const u = funnelPosition(70, 10, { n: 25, mean: 70 + 2 * 1.95998 });
    expect(u.zone).toBe("above95");
    expect(u.p).toBeLessThan(0.05);
  });

  it("refuses a non-positive sd and n < 1", () => {
    expect(() => funnelLimits(70, 0, 25)).toThrow(RangeError);
    expect(() => funnelPosition(70, 10, { n: 0, mean: 70 })).toThrow(RangeError);
  });
});

describe("funnel against R", () => {
  it("has R's qnorm(0.975) and qnorm(0.999)", () => {
    closeToR(FUNNEL_Z95, fixture.z95);
    closeToR(FUNNEL_Z998, fixture.z998);
  });

  for (const want of fixture.limits)
    it(`limits at n = ${want.n}`, () => {
      const got = funnelLimits(fixture.target, fixture.sd, want.n);
      for (const k of ["lower95", "upper95", "lower998", "upper998"] as const)
        closeToR(got[k], want[k], `${k} at ${want.n}`);
    });

  it("places every unit, and BH over the units' p gives R's p.adjust", () => {
    const got = fixture.units.map((u) => funnelPosition(fixture.target, fixture.sd, u));
    fixture.units.forEach((u, i) => {
      closeToR(got[i].z, u.z, `${u.unit} z`);
      closeToR(got[i].p, u.p, `${u.unit} p`);
      expect(got[i].zone, u.unit).toBe(u.zone);
    });
    const adjusted = pAdjust(got.map((g) => g.p));
    fixture.units.forEach((u, i) => closeToR(adjusted[i], u.adjustedP, `${u.unit} adjusted p`));
  });
});
