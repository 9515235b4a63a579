// How precisely the site publishes each kind of figure: no finer than the pages show it. Finer digits add nothing a
// reader can use, and they are what lets an attacker turn published intervals back into standard deviations and
// sums of squares (docs/anonymity.md). Marts round with these; the disclosure audit checks published files with them.
export const DIGITS = {
  /** 0–100 indices, their interval bounds and their changes: one decimal, as every page prints them. */
  index: 1,
  /** Shares (0–1): to 0.1 %. */
  share: 3,
  /** p values: three decimals (pages say 显著/不显著; analysts read p on 探索). */
  p: 3,
  /** Correlation and regression coefficients (about whole waves): three decimals. */
  coefficient: 3
} as const;

/** x rounded to `digits` decimals (null and non-finite stay null; no -0). */
export function round(x: number | null | undefined, digits: number): number | null {
  if (x === null || x === undefined || !Number.isFinite(x)) return null;
  const r = Math.round(x * 10 ** digits) / 10 ** digits;
  return r === 0 ? 0 : r;
}

/** Whether x has no more than `digits` decimals (allowing for binary floating point). */
export function hasAtMostDigits(x: number, digits: number): boolean {
  const scaled = x * 10 ** digits;
  return Math.abs(scaled - Math.round(scaled)) < 1e-6;
}
