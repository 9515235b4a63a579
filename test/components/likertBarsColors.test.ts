// @vitest-environment jsdom
// One Likert palette on every page: red for unfavourable, grey for neutral, blue for favourable, whatever the wording.
// A problems page (higher_is_worse) draws agreeing answers (the problem exists) in the reds, without its own palette.
import { describe, expect, it } from "vitest";
import { LikertBars, likertColors } from "../../src/components/likertBars.ts";

const scale = { min: 1, max: 5, labels: ["非常不同意", "不同意", "一般", "同意", "非常同意"], agreeFrom: 4 };
const items = [{ code: "PRB01", text: "题目", n: 10, counts: [1, 1, 2, 3, 3], suppressed: false }];

describe("LikertBars colours", () => {
  it("are red to grey to blue, least favourable first", () => {
    expect(likertColors(5)).toEqual(["#b2182b", "#f4a582", "#cfcfcf", "#92c5de", "#2166ac"]);
    for (const k of [2, 3, 4, 5, 6, 7, 9]) expect(likertColors(k)).toHaveLength(k);
  });

  it("follow favourability on a higher-is-worse section: agreeing is red, disagreeing blue", () => {
    const fills = (chart: Element) =>
      [...chart.querySelectorAll("g.likert-segments rect")].map((r) => r.getAttribute("fill"));
    const better = LikertBars(items, { scale, width: 500, document });
    const worse = LikertBars(items, { scale, width: 500, direction: "higher_is_worse", document });
    // Segments are drawn least favourable first, in the palette's order, on both.
    expect(fills(better)).toEqual(likertColors(5));
    expect(fills(worse)).toEqual(likertColors(5));
    // But the widths differ: on the problems page the 30% 非常同意 is the first (red) segment.
    const widths = (chart: Element) =>
      [...chart.querySelectorAll("g.likert-segments rect")].map(
        (r) => Math.round(Number(r.getAttribute("width")) * 1000) / 1000
      );
    expect(widths(worse)).toEqual([...widths(better)].reverse());
  });
});
