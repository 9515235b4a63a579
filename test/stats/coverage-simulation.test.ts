// Coverage of the intervals over seeded samples from known populations: a 95% interval should contain the truth
// in about 95% of samples. With 2,000 samples the simulation's own SE is about 0.5 points, so 93.5–96.5% is ±3 SE.
import { describe as group, expect, it } from "vitest";
import { describe } from "../../pipeline/stats/descriptives.ts";
import { wilsonInterval } from "../../pipeline/stats/proportions.ts";

/** mulberry32: a small, fast 32-bit PRNG, uniform on [0, 1); deterministic for a seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Box–Muller: a standard normal draw from two uniforms (1 − u avoids log(0)). */
function normalDraw(uniform: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

const SAMPLES = 2000;

group("interval coverage by simulation", () => {
  it("the 95% t interval covers a normal population's mean (μ = 3.6, σ = 0.9, n = 15)", () => {
    const uniform = mulberry32(20240601);
    let covered = 0;
    for (let s = 0; s < SAMPLES; s++) {
      const sample = Array.from({ length: 15 }, () => 3.6 + 0.9 * normalDraw(uniform));
      const d = describe(sample);
      if (d.ciLow <= 3.6 && 3.6 <= d.ciHigh) covered++;
    }
    expect(covered / SAMPLES).toBeGreaterThanOrEqual(0.935);
    expect(covered / SAMPLES).toBeLessThanOrEqual(0.965);
  });

  it("the 95% Wilson interval covers a Bernoulli population's share (p = 0.2, n = 50; exact coverage 0.951)", () => {
    const uniform = mulberry32(7);
    let covered = 0;
    for (let s = 0; s < SAMPLES; s++) {
      let successes = 0;
      for (let i = 0; i < 50; i++) if (uniform() < 0.2) successes++;
      const w = wilsonInterval(successes, 50);
      if (w.low <= 0.2 && 0.2 <= w.high) covered++;
    }
    expect(covered / SAMPLES).toBeGreaterThanOrEqual(0.935);
    expect(covered / SAMPLES).toBeLessThanOrEqual(0.965);
  });

  it("the generator is uniform enough: mean ½ and normal draws with mean 0, SD 1", () => {
    const uniform = mulberry32(1);
    const u = Array.from({ length: 20000 }, uniform);
    expect(u.reduce((s, v) => s + v, 0) / u.length).toBeCloseTo(0.5, 2);
    const z = describe(Array.from({ length: 20000 }, () => normalDraw(uniform)));
    expect(Math.abs(z.mean)).toBeLessThan(0.03);
    expect(Math.abs(z.sd - 1)).toBeLessThan(0.02);
  });
});
