// The bfi codebook fixture validates against the project's codebook schema and agrees with the bfi key and
// dictionary files it was written from.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CodebookSchema } from "../../pipeline/codebook/schema.ts";

const DIR = "/work/shared/external";
const codebook = CodebookSchema.parse(
  JSON.parse(readFileSync(new URL("../fixtures/bfi/codebook.json", import.meta.url), "utf8"))
);
const likert = codebook.questions.filter((q) => q.type === "likert");

describe("bfi codebook fixture", () => {
  it("validates, with a six-point scale agreeing from 4 and rownames as respondent id", () => {
    expect(codebook.id).toBe("bfi");
    expect(codebook.scales.six).toMatchObject({ min: 1, max: 6, agreeFrom: 4 });
    expect(codebook.scales.six.labels[0]).toBe("Very Inaccurate");
    expect(codebook.exportColumns.id).toEqual(["rownames"]);
  });

  it("has one section of five dimensions with one sub-dimension each", () => {
    expect(codebook.sections).toHaveLength(1);
    expect(codebook.sections[0].dimensions.map((d) => d.code)).toEqual([
      "agreeableness",
      "conscientiousness",
      "extraversion",
      "neuroticism",
      "openness"
    ]);
    expect(codebook.sections[0].dimensions.every((d) => d.subdimensions.length === 1)).toBe(true);
  });

  it("has the 25 items with the reverse keys of bfi.keys.csv", () => {
    const keys = readFileSync(`${DIR}/bfi.keys.csv`, "utf8")
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .flatMap((l) => l.split(",").slice(1));
    const reversed = keys.filter((k) => k.startsWith("-")).map((k) => k.slice(1));
    expect(likert.map((q) => q.code).sort()).toEqual(keys.map((k) => k.replace("-", "")).sort());
    expect(
      likert
        .filter((q) => q.reverse)
        .map((q) => q.code)
        .sort()
    ).toEqual(reversed.sort());
  });

  it("uses the dictionary's item text and puts each item under its own trait", () => {
    const dictionary = new Map(
      readFileSync(`${DIR}/bfi.dictionary.csv`, "utf8")
        .split(/\r?\n/)
        .filter((l) => /^[ACENO][1-5],/.test(l))
        .map((l) => [l.split(",")[0], l.split(",")[2]] as const)
    );
    const subdimensionOf = Object.fromEntries(
      codebook.sections[0].dimensions.map((d) => [d.code[0].toUpperCase(), d.subdimensions[0].code])
    );
    for (const q of likert) {
      expect(q.text).toBe(dictionary.get(q.code));
      expect(q.subdimension).toBe(subdimensionOf[q.code[0]]);
    }
  });

  it("has the attributes gender (1 = Males, 2 = Females), education (5 levels) and age", () => {
    const byCode = Object.fromEntries(codebook.questions.map((q) => [q.code, q]));
    expect(byCode.gender).toMatchObject({ type: "single", options: [{ label: "Males" }, { label: "Females" }] });
    expect(byCode.education.type === "single" && byCode.education.options).toHaveLength(5);
    expect(byCode.age.type).toBe("number");
  });
});
