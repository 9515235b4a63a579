// Reading the R known answers of test/fixtures/r (each JSON written by the R script of the same name) and comparing
// to them. Tolerance: 1e-10 relative. The fixtures print R's doubles with 17 significant digits (exact), and our
// distribution functions are accurate to about 1e-12, while every plausible formula slip (a finite population
// factor (N − n)/(N − 1) for 1 − n/N, Welch df for the design df, n counting the missing p values) moves the
// results by 1e-4 or more: 1e-10 separates the two by orders of magnitude either way.
import { readFileSync } from "node:fs";
import { expect } from "vitest";

export const RELATIVE_TOLERANCE = 1e-10;

/** Parses test/fixtures/r/<name>.json. */
export function readRFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/r/${name}.json`, import.meta.url), "utf8")) as T;
}

/** |actual − expected| ≤ 1e-10·|expected| (exact equality for 0); null and NaN only where R has NA. */
export function closeToR(actual: number | null | undefined, expected: number | null, what = ""): void {
  if (expected === null) {
    expect(actual === null || actual === undefined || Number.isNaN(actual), `${what}: R has NA, got ${actual}`).toBe(
      true
    );
    return;
  }
  expect(typeof actual, `${what}: R has ${expected}, got ${actual}`).toBe("number");
  const error = Math.abs((actual as number) - expected);
  expect(
    error <= RELATIVE_TOLERANCE * Math.abs(expected),
    `${what}: got ${actual}, R ${expected} (relative error ${error / Math.abs(expected)})`
  ).toBe(true);
}

/** The relative difference, for asserting that a wrong formula misses a fixture. */
export function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}
