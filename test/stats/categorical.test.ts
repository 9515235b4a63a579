import { describe, expect, it } from "vitest";
import { frequencies, multipleChoiceFrequencies } from "../../pipeline/stats/categorical.ts";
import { wilsonInterval } from "../../pipeline/stats/proportions.ts";

describe("frequencies (single choice)", () => {
  const values = ["A", "B", "A", null, "C", "A", "", "B", "X", undefined];
  const f = frequencies(values, ["A", "B", "C", "D"]);

  it("uses the respondents who answered as denominator", () => {
    expect(f.n).toBe(7); // A A A B B C X
    expect(f.options.map((o) => [o.option, o.count])).toEqual([
      ["A", 3],
      ["B", 2],
      ["C", 1],
      ["D", 0]
    ]);
    expect(f.options[0].share).toBe(3 / 7);
  });

  it("attaches the Wilson interval to each share", () => {
    const w = wilsonInterval(2, 7);
    expect([f.options[1].low, f.options[1].high]).toEqual([w.low, w.high]);
    expect(f.options[3].low).toBe(0);
  });

  it("reports answers outside the options", () => {
    expect(f.unlisted).toEqual([{ value: "X", count: 1 }]);
  });

  it("accepts numeric codes", () => {
    const g = frequencies([1, 2, 2, null], [1, 2]);
    expect(g.options.map((o) => o.count)).toEqual([1, 2]);
  });
});

describe("multipleChoiceFrequencies", () => {
  const values = [["A", "B"], ["B"], [], null, ["A", "C", "A"], ["B", "C"]];
  const f = multipleChoiceFrequencies(values, ["A", "B", "C"]);

  it("divides by the respondents who chose at least one option; shares may add up to more than 1", () => {
    expect(f.n).toBe(4);
    expect(f.options.map((o) => o.count)).toEqual([2, 3, 2]);
    expect(f.options.map((o) => o.share)).toEqual([0.5, 0.75, 0.5]);
    expect(f.options.reduce((s, o) => s + o.share, 0)).toBeGreaterThan(1);
  });
});
