// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { RankSlope, directionOf, rankSlopeLayout } from "../../src/components/rankSlope.ts";

const rows = [
  { unit: "B", name: "乙局", before: 2, after: 1 },
  { unit: "A", name: "甲局", before: 1, after: 2 },
  { unit: "D", name: "丁局", before: 3, after: 3 },
  { unit: "C", name: "丙局", before: 3, after: 3 }
];

describe("RankSlope", () => {
  it("lays tied ranks one below the other and knows which way each unit moved", () => {
    const layout = rankSlopeLayout(rows);
    expect(layout.map((p) => [p.unit, p.beforeAt, p.afterAt, p.direction])).toEqual([
      ["B", 2, 1, "up"],
      ["A", 1, 2, "down"],
      ["D", 4, 4, "same"],
      ["C", 3, 3, "same"]
    ]);
    expect(directionOf({ before: 5, after: 5 })).toBe("same");
  });

  it("prints both rankings in rank order, top first, and colours the moves", () => {
    const chart = RankSlope(rows, { width: 600, document });
    expect(chart.classList.contains("rank-slope")).toBe(true);
    const byY = (sel: string) =>
      [...chart.querySelectorAll(`${sel} text`)]
        .map((t) => ({
          y: Number((t.getAttribute("transform") ?? "").match(/,([\d.]+)\)/)?.[1] ?? t.getAttribute("y")),
          text: t.textContent
        }))
        .sort((a, b) => a.y - b.y)
        .map((t) => t.text);
    expect(byY("g.rank-slope-before")).toEqual(["1. 甲局", "2. 乙局", "3. 丙局", "3. 丁局"]);
    expect(byY("g.rank-slope-after")).toEqual(["1. 乙局 ▲1", "2. 甲局 ▼1", "3. 丙局", "3. 丁局"]);
    const strokes = [...chart.querySelectorAll("g.rank-slope-line path")].map((p) => p.getAttribute("stroke"));
    expect(strokes).toEqual(["#3ca951", "#d1493f", "#aaa", "#aaa"]);
  });
});
