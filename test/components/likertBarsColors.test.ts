// @vitest-environment jsdom
// The colours option of LikertBars: a problems page draws agreeing answers (the problem exists) in the warm colours.
import { describe, expect, it } from "vitest";
import { LikertBars, likertColors } from "../../src/components/likertBars.ts";

const scale = { min: 1, max: 5, labels: ["非常不同意", "不同意", "一般", "同意", "非常同意"], agreeFrom: 4 };
const items = [{ code: "PRB01", text: "题目", n: 10, counts: [1, 1, 2, 3, 3], suppressed: false }];

describe("LikertBars colours", () => {
  it("default to brown for disagreeing and teal for agreeing, and can be reversed", () => {
    const fills = (chart: Element) =>
      [...chart.querySelectorAll("g.likert-segments rect")].map((r) => r.getAttribute("fill"));
    const normal = fills(LikertBars(items, { scale, width: 500, document }));
    const reversed = fills(LikertBars(items, { scale, width: 500, colors: [...likertColors(5)].reverse(), document }));
    expect(normal).toEqual(likertColors(5));
    expect(reversed).toEqual([...likertColors(5)].reverse());
  });
});
