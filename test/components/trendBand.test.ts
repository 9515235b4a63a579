// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import {
  TrendBand,
  describeTrend,
  significantChanges,
  trendDomain,
  type TrendBandSeries
} from "../../src/components/trendBand.ts";

interface Chart extends Element {
  scale(name: string): { apply(v: number): number; invert(v: number): number };
}

const series = (key: string, values: (number | null)[], extra: Partial<TrendBandSeries> = {}): TrendBandSeries => ({
  key,
  label: key,
  points: values.map((v, i) => ({
    wave: 2019 + i,
    index: v,
    low: v == null ? null : v - 2,
    high: v == null ? null : v + 2,
    change: i === 0 || v == null || values[i - 1] == null ? null : v - values[i - 1]!,
    significant: null,
    n: v == null ? null : 100,
    suppressed: v == null
  })),
  ...extra
});

describe("TrendBand", () => {
  it("draws each wave's index as a dot on a line, with its 95% band", () => {
    const s = series("全体", [50, 55, 60]);
    const chart = TrendBand([s], { width: 600, document }) as unknown as Chart;
    expect(chart.classList.contains("trend-band")).toBe(true);
    const y = chart.scale("y");
    const x = chart.scale("x");
    const dots = [...chart.querySelectorAll("g.trend-band-dot circle")];
    expect(dots).toHaveLength(3);
    expect(dots.map((d) => Math.round(x.invert(Number(d.getAttribute("cx")))))).toEqual([2019, 2020, 2021]);
    expect(dots.map((d) => y.invert(Number(d.getAttribute("cy"))))).toEqual(
      [50, 55, 60].map((v) => expect.closeTo(v, 6))
    );
    expect(chart.querySelectorAll("g.trend-band-line path")).toHaveLength(1);
    expect(chart.querySelectorAll("g.trend-band-area path")).toHaveLength(1);
    // A single series needs no legend; ticks are the waves.
    expect(chart.querySelector("[class*=swatch]")).toBeNull();
    const ticks = [...chart.querySelectorAll('g[aria-label="x-axis tick label"] text')].map((t) => t.textContent);
    expect(ticks).toEqual(["2019", "2020", "2021"]);
  });

  it("marks significant changes ▲/▼, green when better and red when worse", () => {
    const s = series("全体", [50, 55, 52]);
    s.points[1].significant = true;
    s.points[2].significant = true;
    const chart = TrendBand([s], { width: 600, document });
    const marks = [...chart.querySelectorAll("g.trend-band-significant text")];
    expect(marks.map((t) => t.textContent)).toEqual(["▲", "▼"]);
    expect(marks.map((t) => t.closest("g")!.getAttribute("fill"))).toEqual(["#2e8540", "#c0392b"]);
    // Higher is worse (存在问题): the rise is the bad news.
    const worse = TrendBand([s], { width: 600, higherIsBetter: false, document });
    const colours = [...worse.querySelectorAll("g.trend-band-significant text")].map((t) => [
      t.textContent,
      t.closest("g")!.getAttribute("fill")
    ]);
    expect(colours).toEqual(
      expect.arrayContaining([
        ["▲", "#c0392b"],
        ["▼", "#2e8540"]
      ])
    );
  });

  it("breaks the line at a suppressed wave and writes the note there, without a number", () => {
    const chart = TrendBand([series("本单位", [50, null, 58])], { width: 600, document });
    expect(chart.querySelectorAll("g.trend-band-dot circle")).toHaveLength(2);
    const notes = [...chart.querySelectorAll("g.trend-band-suppressed text")];
    expect(notes).toHaveLength(1);
    expect(notes[0].textContent).toBe("样本量不足已隐去");
    // The line is two pieces (a gap), so its path has two move-tos.
    const d = chart.querySelector("g.trend-band-line path")!.getAttribute("d")!;
    expect(d.match(/M/g)).toHaveLength(2);
  });

  it("draws comparison series dashed, without band, dots or marks, and shows a legend", () => {
    const unit = series("本单位", [50, 52]);
    const all = { ...series("全体", [60, 61]), dashed: true };
    all.points[1].significant = true;
    const chart = TrendBand([unit, all], { width: 600, document });
    expect(chart.querySelectorAll("g.trend-band-dot circle")).toHaveLength(2);
    expect(chart.querySelectorAll("g.trend-band-area path")).toHaveLength(1);
    expect(chart.querySelectorAll("g.trend-band-compare path")).toHaveLength(1);
    expect(chart.querySelectorAll("g.trend-band-significant text")).toHaveLength(0);
    expect(chart.textContent).toContain("全体"); // legend
  });
});

describe("trend helpers", () => {
  it("widen the axis to steps of 5 around the data and its bands", () => {
    expect(trendDomain([series("a", [52, 61])])).toEqual([45, 65]);
    expect(trendDomain([series("a", [null])])).toEqual([0, 100]);
    expect(trendDomain([series("a", [99])])).toEqual([90, 100]);
  });

  it("describe a series in one line", () => {
    const s = series("全体", [55.06, 56, 60.34]);
    s.points[2].significant = true;
    expect(significantChanges(s)).toEqual([{ wave: 2021, change: expect.closeTo(4.34, 6) }]);
    expect(describeTrend(s)).toBe("2019年 55.1 → 2021年 60.3；明显变化：2021年 ▲+4.3");
    expect(describeTrend(series("全体", [55, 56]))).toBe("2019年 55.0 → 2020年 56.0；各轮之间变化不明显");
    expect(describeTrend(series("本单位", [null, null]))).toBe("样本量不足，已隐去");
  });
});
