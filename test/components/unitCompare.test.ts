// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { UnitCompare, type UnitCompareRow } from "../../src/components/unitCompare.ts";

interface Chart extends Element {
  scale(name: string): { invert(v: number): number };
}

const row = (code: string, index: number | null, category: number, all: number): UnitCompareRow => ({
  code,
  name: `名称${code}`,
  n: index == null ? null : 9,
  index,
  low: index == null ? null : index - 5,
  high: index == null ? null : index + 5,
  suppressed: index == null,
  category,
  all
});

describe("UnitCompare", () => {
  it("puts the unit's index as a dot with its interval, and the category's and everyone's as ticks", () => {
    const chart = UnitCompare([row("causes", 57.3, 65, 65.7), row("mechanisms", 50, 58.8, 59.2)], {
      width: 600,
      document
    }) as unknown as Chart;
    expect(chart.classList.contains("unit-compare")).toBe(true);
    const x = chart.scale("x");
    const dots = [...chart.querySelectorAll("g.unit-compare-dot circle")];
    expect(dots.map((d) => x.invert(Number(d.getAttribute("cx"))))).toEqual([
      expect.closeTo(57.3, 6),
      expect.closeTo(50, 6)
    ]);
    const ci = [...chart.querySelectorAll("g.unit-compare-ci line")];
    expect([x.invert(Number(ci[0].getAttribute("x1"))), x.invert(Number(ci[0].getAttribute("x2")))]).toEqual([
      expect.closeTo(52.3, 6),
      expect.closeTo(62.3, 6)
    ]);
    const cats = [...chart.querySelectorAll("g.unit-compare-category line")];
    expect(cats.map((l) => x.invert(Number(l.getAttribute("x1"))))).toEqual([
      expect.closeTo(65, 6),
      expect.closeTo(58.8, 6)
    ]);
    const alls = [...chart.querySelectorAll("g.unit-compare-all line")];
    expect(alls.map((l) => x.invert(Number(l.getAttribute("x1"))))).toEqual([
      expect.closeTo(65.7, 6),
      expect.closeTo(59.2, 6)
    ]);
    expect(chart.textContent).toContain("57.3");
    const ticks = [...chart.querySelectorAll('g[aria-label="y-axis tick label"] text')].map((t) => t.textContent);
    expect(ticks).toEqual(["名称causes", "名称mechanisms"]);
  });

  it("writes the suppression note instead of the unit's dot, and keeps the comparison ticks", () => {
    const chart = UnitCompare([row("causes", null, 65, 65.7)], { width: 600, document });
    expect(chart.querySelectorAll("g.unit-compare-dot circle")).toHaveLength(0);
    expect(chart.querySelectorAll("g.unit-compare-ci line")).toHaveLength(0);
    expect([...chart.querySelectorAll("g.unit-compare-suppressed text")].map((t) => t.textContent)).toEqual([
      "样本量不足，已隐去"
    ]);
    expect(chart.querySelectorAll("g.unit-compare-category line")).toHaveLength(1);
  });
});
