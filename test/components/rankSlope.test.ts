// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import {
  RankSlope,
  biggestMovers,
  directionOf,
  rankSlopeLayout,
  spreadLabels
} from "../../src/components/rankSlope.ts";

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

  it("prints both rankings in rank order, top first, and colours the moves (every unit named)", () => {
    const chart = RankSlope(rows, { width: 600, all: true, document });
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

  // 73 units, of which a few move: only the biggest movers (and a picked unit) are named, in 12 px.
  const many = Array.from({ length: 73 }, (_, i) => ({
    unit: `U${String(i + 1).padStart(3, "0")}`,
    name: `单位${i + 1}`,
    before: i + 1,
    after: i + 1
  }));
  // U010 rises 9 places (10 → 1), U001..U009 fall one; U050 and U051 swap.
  const moved = many.map((r) =>
    r.unit === "U010"
      ? { ...r, after: 1 }
      : r.before < 10
        ? { ...r, after: r.before + 1 }
        : r.unit === "U050"
          ? { ...r, after: 51 }
          : r.unit === "U051"
            ? { ...r, after: 50 }
            : r
  );

  it("names only the units that move most, biggest first, and the unit the reader picked", () => {
    const layout = rankSlopeLayout(moved);
    expect(biggestMovers(layout, 3).map((p) => [p.unit, p.moved])).toEqual([
      ["U010", 9],
      ["U001", 1],
      ["U002", 1]
    ]);
    const chart = RankSlope(moved, { width: 900, top: 3, highlight: "U060", document });
    const after = [...chart.querySelectorAll("g.rank-slope-after text")].map((t) => t.textContent);
    expect(after).toEqual(expect.arrayContaining(["1. 单位10 ▲9", "2. 单位1 ▼1", "3. 单位2 ▼1", "60. 单位60"]));
    expect(after).toHaveLength(4);
    // Every line is still drawn (the others faint), and the picked unit's is dark.
    expect(chart.querySelectorAll("g.rank-slope-line path")).toHaveLength(73);
    expect(chart.querySelectorAll("g.rank-slope-named path")).toHaveLength(4);
    // Names in 12 px (at least 11 on screen).
    expect(parseFloat((chart as SVGSVGElement).style.fontSize)).toBeGreaterThanOrEqual(11);
    // Compact: about 7 px a rank, not 11 or more.
    expect(Number(chart.getAttribute("height"))).toBeLessThan(600);
  });

  it("keeps the names a line apart, close to their lines", () => {
    expect(spreadLabels([1, 1.2, 1.4, 10], 2, 0.5, 20)).toEqual([1, 3, 5, 10]);
    expect(spreadLabels([19.5, 19.6], 2, 0.5, 20)).toEqual([18, 20]);
    const chart = RankSlope(moved, { width: 900, top: 10, document });
    const ys = [...chart.querySelectorAll("g.rank-slope-after text")]
      .map((t) => Number((t.getAttribute("transform") ?? "").match(/,([\d.]+)\)/)?.[1] ?? t.getAttribute("y")))
      .sort((a, b) => a - b);
    for (let i = 1; i < ys.length; i++) expect(ys[i] - ys[i - 1]).toBeGreaterThanOrEqual(13.9);
  });

  it("says in words that nothing moved instead of drawing flat lines", () => {
    const chart = RankSlope(many, { width: 900, highlight: "U005", document });
    expect(chart.querySelector("svg")).toBeNull();
    expect(chart.textContent).toContain("各单位排名没有变化");
    expect(chart.textContent).toContain("单位5排第 5 名");
  });
});
