// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { ResultChart, labelDigits, resultShape, valueColumn } from "../../src/components/resultChart.ts";

interface Chart extends Element {
  scale(name: string): { apply(v: unknown): number; invert(v: number): number; domain: unknown[] };
}

const score = (name: string, mean: number | null, extra: Record<string, unknown> = {}) => ({
  name,
  section_name: "原因剖析",
  n: mean == null ? null : 120,
  index: mean == null ? null : ((mean - 1) / 4) * 100,
  index_low: mean == null ? null : ((mean - 1.1) / 4) * 100,
  index_high: mean == null ? null : ((mean - 0.9) / 4) * 100,
  suppressed: mean == null,
  ...extra
});

describe("resultShape and valueColumn", () => {
  it("recognises a scale_scores result, a series over waves, and a list of named values", () => {
    expect(resultShape([score("考核机制", 3.1)])).toBe("scores");
    expect(
      resultShape([
        { wave: 2019, name: "甲", index: 50 },
        { wave: 2020, name: "甲", index: 55 }
      ])
    ).toBe("trend");
    expect(resultShape([{ year: 2019, r: 0.3 }])).toBe("trend");
    expect(resultShape([{ name: "甲", share: 0.3 }])).toBe("bars");
  });

  it("has no chart for an empty result or one without a value column", () => {
    expect(resultShape([])).toBeNull();
    expect(resultShape([{ name: "甲", code: "a" }])).toBeNull();
    expect(resultShape([{ wave: 2019, n: 10 }])).toBeNull(); // wave and n are not values
    expect(ResultChart([{ name: "甲" }], { document })).toBeNull();
  });

  it("prefers the report's statistics as the value, else the first other numeric column", () => {
    expect(valueColumn([{ wave: 2019, n: 500, mean: 3.2, index: 55 }])).toBe("index");
    expect(valueColumn([{ wave: 2019, n: 500, suppressed_units: 3 }])).toBe("suppressed_units");
    // a column that is null throughout (suppressed) is not numeric
    expect(valueColumn([{ name: "甲", index: null, share: 0.2 }])).toBe("share");
  });

  it("writes values with the decimals they have, at most two", () => {
    expect(labelDigits([1, 2, 30])).toBe(0);
    expect(labelDigits([52.9, 61.9])).toBe(1);
    expect(labelDigits([52.95, 61.9])).toBe(1);
    expect(labelDigits([0.312, 0.5])).toBe(2);
    expect(labelDigits([-3.8, 1.2])).toBe(1);
  });
});

describe("ResultChart", () => {
  it("draws a scale_scores result as ScoreBars: one bar per group with its interval, a note for a suppressed one", () => {
    const rows = [score("考核机制", 3.12), score("激励机制", 3.48), score("小群体", null)];
    const chart = ResultChart(rows, { width: 640, document }) as Chart;
    expect(chart.getAttribute("data-shape")).toBe("scores");
    expect(chart.classList.contains("score-bars")).toBe(true);
    const x = chart.scale("x");
    expect(x.domain).toEqual([0, 100]); // the 0–100 index, as the tables publish it
    const bars = [...chart.querySelectorAll("g.score-bars-bar rect")];
    expect(bars).toHaveLength(2);
    expect(x.invert(Number(bars[1].getAttribute("x")) + Number(bars[1].getAttribute("width")))).toBeCloseTo(62, 6);
    expect(chart.querySelectorAll("g.score-bars-suppressed text")).toHaveLength(1);
    expect(chart.textContent).toContain("考核机制");
  });

  it("draws a result over waves as one line per series, named at its last point", () => {
    const rows = [2019, 2020, 2021].flatMap((wave, i) => [
      { wave, dimension_name: "思想认识", index: 70 + i },
      { wave, dimension_name: "制度机制", index: 50 + 2 * i }
    ]);
    const chart = ResultChart(rows, { width: 640, document }) as Chart;
    expect(chart.getAttribute("data-shape")).toBe("trend");
    const lines = [...chart.querySelectorAll("g.result-chart-line path")];
    expect(lines).toHaveLength(2);
    expect(chart.textContent).toContain("思想认识");
    expect(chart.textContent).toContain("制度机制");
    const y = chart.scale("y");
    expect(y.apply(54)).toBeLessThan(y.apply(50)); // higher value, higher on the page
  });

  it("draws named values as bars in the result's order, skipping suppressed rows", () => {
    const rows = [
      { name: "反向题甲", share: 0.42, suppressed: false },
      { name: "反向题乙", share: 0.18, suppressed: false },
      { name: "小群体", share: null, suppressed: true }
    ];
    const chart = ResultChart(rows, { width: 640, document }) as Chart;
    expect(chart.getAttribute("data-shape")).toBe("bars");
    const x = chart.scale("x");
    const bars = [...chart.querySelectorAll("g.result-chart-bar rect")];
    expect(bars).toHaveLength(2);
    const ends = bars.map((b) => x.invert(Number(b.getAttribute("x")) + Number(b.getAttribute("width"))));
    expect(ends[0]).toBeCloseTo(0.42, 6);
    expect(ends[1]).toBeCloseTo(0.18, 6);
    expect([...chart.querySelectorAll("g.result-chart-value text")].map((t) => t.textContent)).toEqual([
      "0.42",
      "0.18"
    ]);
    expect(chart.textContent).toContain("小群体"); // its row stays, without a bar
  });

  it("keeps a flat series readable (all values equal)", () => {
    const rows = [2019, 2020].map((wave) => ({ wave, suppressed_units: 0 }));
    const chart = ResultChart(rows, { width: 500, document }) as Chart;
    const y = chart.scale("y");
    expect(y.domain[0]).toBeLessThan(y.domain[1] as number);
  });
});
