import { describe as group, expect, it } from "vitest";
import { describe, describeFromMoments, scaleIndex } from "../../pipeline/stats/descriptives.ts";

group("describe", () => {
  // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32, variance 32/7.
  const values = [2, 4, 4, 4, 5, 5, 7, 9];
  const sd = Math.sqrt(32 / 7);
  const se = sd / Math.sqrt(8);
  const t7 = 2.364624; // R: qt(0.975, 7)

  it("computes n, mean, sd (n − 1), se and the 95% t interval", () => {
    const d = describe(values);
    expect(d.n).toBe(8);
    expect(d.mean).toBe(5);
    expect(d.sd).toBeCloseTo(sd, 12);
    expect(d.se).toBeCloseTo(se, 12);
    expect(d.ciLow).toBeCloseTo(5 - t7 * se, 5);
    expect(d.ciHigh).toBeCloseTo(5 + t7 * se, 5);
  });

  it("treats null as missing, not as zero", () => {
    const d = describe([null, ...values, null, undefined, NaN]);
    expect(d.n).toBe(8);
    expect(d.mean).toBe(5);
  });

  it("takes another confidence level", () => {
    const d = describe(values, 0.9);
    const t7at90 = 1.894579; // R: qt(0.95, 7)
    expect(d.ciHigh - d.mean).toBeCloseTo(t7at90 * se, 5);
  });

  it("leaves spread and interval undefined below two values", () => {
    const d = describe([3, null]);
    expect(d.n).toBe(1);
    expect(d.mean).toBe(3);
    expect(d.sd).toBeNaN();
    expect(d.ciLow).toBeNaN();
  });

  it("agrees with describeFromMoments on the same moments", () => {
    expect(describeFromMoments(8, 5, sd)).toEqual(describe(values));
  });
});

group("scaleIndex", () => {
  it("maps min..max to 0..100", () => {
    expect(scaleIndex(1, 1, 5)).toBe(0);
    expect(scaleIndex(5, 1, 5)).toBe(100);
    expect(scaleIndex(4, 1, 5)).toBe(75);
    expect(scaleIndex(3.5, 1, 6)).toBe(50);
  });
  it("refuses an empty scale", () => {
    expect(() => scaleIndex(3, 5, 5)).toThrow(RangeError);
  });
});
