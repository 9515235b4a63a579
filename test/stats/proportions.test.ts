import { describe, expect, it } from "vitest";
import { shareAgreeing, wilsonInterval } from "../../pipeline/stats/proportions.ts";

describe("wilsonInterval", () => {
  it("gives [0.490, 0.943] for 8 of 10 (the textbook example)", () => {
    const w = wilsonInterval(8, 10);
    expect(w.share).toBe(0.8);
    expect(w.low).toBeCloseTo(0.49, 3);
    expect(w.high).toBeCloseTo(0.943, 3);
  });

  it("follows the score formula (p + z²/2n ± z√(p(1−p)/n + z²/4n²)) / (1 + z²/n), worked by hand", () => {
    const z = 1.959964; // R: qnorm(0.975)
    const [k, n] = [37, 120];
    const p = k / n;
    const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
    const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
    const w = wilsonInterval(k, n);
    expect(w.low).toBeCloseTo(centre - half, 6);
    expect(w.high).toBeCloseTo(centre + half, 6);
  });

  it("stays inside [0, 1] at the edges, where the bound is exactly 0 or 1", () => {
    const none = wilsonInterval(0, 10);
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(3.8415 / (10 + 3.8415), 4); // z²/(n + z²) when p = 0
    const all = wilsonInterval(10, 10);
    expect(all.high).toBe(1);
    expect(all.low).toBeCloseTo(10 / (10 + 3.8415), 4);
  });

  it("narrows with a lower level and is undefined for n = 0", () => {
    expect(wilsonInterval(8, 10, 0.9).low).toBeGreaterThan(wilsonInterval(8, 10).low);
    expect(wilsonInterval(0, 0).share).toBeNaN();
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
  });
});

describe("shareAgreeing", () => {
  it("counts scores at or above agreeFrom among the answered", () => {
    const s = shareAgreeing([5, 4, 3, null, 2, 4, 5, 1, null, 4], 4);
    expect(s.n).toBe(8);
    expect(s.agreeing).toBe(5);
    expect(s.share).toBe(5 / 8);
    const w = wilsonInterval(5, 8);
    expect([s.low, s.high]).toEqual([w.low, w.high]);
  });
});
