// @vitest-environment jsdom
// IndicatorWeights and ScoreRanges: the two charts of the assessment page's "重过程、轻结果" section.
import { describe, expect, it } from "vitest";
import { IndicatorWeights, weightBars } from "../../src/components/indicatorWeights.ts";
import { ScoreRanges } from "../../src/components/scoreRanges.ts";

interface Chart extends Element {
  scale(name: string): { invert(v: number): number };
}

const indicators = [
  { code: "ledgers", name: "台帐资料规范", domain: "party_building", kind: "process", weight: 70 },
  { code: "effect", name: "党建促进业务工作成效", domain: "party_building", kind: "outcome", weight: 30 },
  { code: "targets", name: "年度目标任务完成率", domain: "business", kind: "outcome", weight: 100 }
];

describe("IndicatorWeights", () => {
  it("gives each indicator's share of its domain's weight, at the defined and at the analyst's weights", () => {
    expect(weightBars(indicators).map((b) => [b.code, b.share, b.defined])).toEqual([
      ["ledgers", 0.7, 0.7],
      ["effect", 0.3, 0.3]
    ]);
    const what = weightBars(indicators, { weights: { ledgers: 30 } });
    expect(what.map((b) => b.share)).toEqual([0.5, 0.5]);
    expect(what.map((b) => b.defined)).toEqual([0.7, 0.3]);
  });

  it("draws one bar per indicator of the domain, to its share, coloured by kind with a legend", () => {
    const chart = IndicatorWeights(indicators, { width: 600, document });
    const bars = [...chart.querySelectorAll("g.indicator-weight-bar rect")];
    expect(bars).toHaveLength(2);
    const x = (chart as unknown as Chart).scale("x");
    expect(x.invert(Number(bars[0].getAttribute("x")) + Number(bars[0].getAttribute("width")))).toBeCloseTo(0.7, 6);
    expect(bars[0].getAttribute("fill")).not.toBe(bars[1].getAttribute("fill"));
    expect(chart.textContent).toContain("过程类");
    expect(chart.textContent).toContain("70%");
    expect(chart.querySelector("g.indicator-weight-defined")).toBeNull();
    expect(
      IndicatorWeights(indicators, { width: 600, weights: { ledgers: 30 }, document }).querySelectorAll(
        "g.indicator-weight-defined line"
      )
    ).toHaveLength(2);
  });
});

describe("ScoreRanges", () => {
  it("draws each indicator's range, middle half and median", () => {
    const rows = [
      { indicator: "ledgers", name: "台帐资料规范", kind: "process", min: 85, q1: 90, median: 92, q3: 94, max: 98 },
      {
        indicator: "effect",
        name: "党建促进业务工作成效",
        kind: "outcome",
        min: 60,
        q1: 75,
        median: 82,
        q3: 88,
        max: 99
      }
    ];
    const chart = ScoreRanges(rows, { width: 600, document }) as unknown as Chart;
    const x = chart.scale("x");
    const iqr = [...chart.querySelectorAll("g.score-range-iqr rect")];
    expect(iqr).toHaveLength(2);
    expect(x.invert(Number(iqr[0].getAttribute("x")))).toBeCloseTo(90, 6);
    expect(x.invert(Number(iqr[0].getAttribute("x")) + Number(iqr[0].getAttribute("width")))).toBeCloseTo(94, 6);
    const extent = [...chart.querySelectorAll("g.score-range-extent line")];
    expect(x.invert(Number(extent[1].getAttribute("x1")))).toBeCloseTo(60, 6);
    expect(x.invert(Number(extent[1].getAttribute("x2")))).toBeCloseTo(99, 6);
    expect(chart.querySelectorAll("g.score-range-median line")).toHaveLength(2);
  });
});

describe("IndicatorWeights and ScoreRanges at any width", () => {
  // A card is briefly very narrow while a resize lays the page out again (1440 → 390 in chromium): no bar may then
  // get a negative width (chromium logs "<rect> attribute width: A negative value is not valid").
  const summary = [
    { indicator: "ledgers", name: "台帐资料规范", kind: "process", min: 80, q1: 88, median: 90, q3: 92, max: 96 },
    { indicator: "effect", name: "党建促进业务工作成效", kind: "outcome", min: 60, q1: 72, median: 80, q3: 86, max: 98 }
  ];
  it("never draws a rect of negative width, from 0 px up", () => {
    for (const width of [0, 20, 49, 99, 150, 200, 320, 479, 480, 640]) {
      for (const chart of [
        IndicatorWeights(indicators, { width, document }),
        ScoreRanges(summary, { width, document })
      ]) {
        const widths = [...chart.querySelectorAll("rect")]
          .map((r) => r.getAttribute("width"))
          .filter((w) => w !== null && !w.endsWith("%"))
          .map(Number);
        expect(widths.length, `${width}`).toBeGreaterThan(0);
        for (const w of widths) expect(w, `${width}`).toBeGreaterThanOrEqual(0);
      }
    }
  });
});
