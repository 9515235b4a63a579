// firstRespondentId (pipeline/publish/audit.ts) finds a respondent id from the text's hyphens instead of trying the
// pattern at every character. It must find exactly what the pattern finds: on known cases, and against the pattern
// itself on seeded random texts made of the characters that matter (hex digits, other letters, dots, hyphens).
import { describe, expect, it } from "vitest";
import { firstRespondentId, RESPONDENT_ID } from "../../pipeline/publish/audit.ts";
const hex = (n: number) => "0123456789abcdef".repeat(5).slice(0, n);

describe("firstRespondentId", () => {
  it("finds a respondent id where the pattern does, and only there", () => {
    const cases: [string, string | undefined][] = [
      ["a1b2c3d4e5f6-17", "a1b2c3d4e5f6-17"],
      ["答卷 3f9a0c1b2d4e-117，", "3f9a0c1b2d4e-117"],
      [`"id":"${hex(64)}-1234567"`, `${hex(64)}-1234567`],
      [`${hex(65)}-1`, undefined], // 65 hex digits: too long
      [`x${hex(64)}-1`, undefined], // a letter before the digits
      [`.${hex(12)}-1`, undefined], // a dot before
      [`${hex(11)}-1`, undefined], // too short
      [`${hex(12)}-12345678`, undefined], // eight digits
      [`${hex(12)}-1.5`, undefined], // a number, not an id
      ["2026-12-06T10:41:00", undefined], // a date
      [`2019-2025 ${hex(12)}-3-4 ${hex(13)}-9`, `${hex(12)}-3`],
      [`${hex(12)}-${hex(12)}-5`, `${hex(12)}-5`], // the first hyphen has too many digits after it; the second matches
      ["", undefined]
    ];
    for (const [text, expected] of cases) {
      expect(firstRespondentId(text), text).toBe(expected);
      expect(text.match(RESPONDENT_ID)?.[0], text).toBe(expected);
    }
  });

  it("agrees with the pattern on 20,000 random texts", () => {
    let seed = 20261206;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const alphabet = "0123456789abcdef0123456789abcdefz.-- 。";
    let found = 0;
    for (let t = 0; t < 20_000; t++) {
      const length = Math.floor(random() * 120);
      let text = "";
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      const expected = text.match(RESPONDENT_ID)?.[0];
      if (expected) found++;
      expect(firstRespondentId(text), text).toBe(expected);
    }
    expect(found).toBeGreaterThan(100); // the texts do hold ids, so both branches are tried
  });
});
