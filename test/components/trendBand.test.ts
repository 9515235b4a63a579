// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import {
  TrendBand,
  describeTrend,
  dodgeLabels,
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

describe("TrendBand with end labels", () => {
  const three = () => [
    series("思想认识", [64.3, 71.3]),
    series("能力素质", [56.8, 70.9]),
    series("制度机制", [47.9, 59.2])
  ];

  it("names each line at its last shown wave with its value, instead of a legend", () => {
    const s = three();
    // a hidden last wave: the label goes to the last shown one
    s[2].points.push({ wave: 2021, index: null, suppressed: true });
    const chart = TrendBand(s, { width: 600, height: 300, endLabels: true, document }) as unknown as Chart;
    const labels = [...chart.querySelectorAll("g.trend-band-end-label text")];
    expect(labels.map((t) => t.textContent)).toEqual(["思想认识 71.3", "能力素质 70.9", "制度机制 59.2"]);
    expect(chart.querySelector("[class*=swatch]")).toBeNull();
    expect(chart.tagName.toLowerCase()).toBe("svg");
    // each label starts right of its line's last dot, in the line's colour
    const x = chart.scale("x");
    const lastX = [2020, 2020, 2020].map((w) => x.apply(w));
    const lines = [...chart.querySelectorAll("g.trend-band-line path")].map((p) => p.getAttribute("stroke"));
    labels.forEach((t, i) => {
      const [tx] = (t.getAttribute("transform") ?? "").match(/[-\d.]+/g)!.map(Number);
      expect(tx + Number(t.getAttribute("dx") ?? 0)).toBeGreaterThanOrEqual(lastX[i] - 0.5);
      expect(t.getAttribute("fill")).toBe(lines[i]);
    });
  });

  it("keeps labels of lines that end close together apart, and near their lines", () => {
    const chart = TrendBand(three(), { width: 600, height: 300, endLabels: true, document }) as unknown as Chart;
    const y = chart.scale("y");
    const ys = [...chart.querySelectorAll("g.trend-band-end-label text")].map((t) => {
      const m = (t.getAttribute("transform") ?? "").match(/[-\d.]+/g)!.map(Number);
      return m[1];
    });
    // 71.3 and 70.9 are less than a line of text apart on this axis: pushed apart to at least 12 px
    expect(Math.abs(y.apply(71.3) - y.apply(70.9))).toBeLessThan(12);
    expect(Math.abs(ys[0] - ys[1])).toBeGreaterThanOrEqual(12);
    expect(Math.abs(ys[2] - y.apply(59.2))).toBeLessThan(1);
  });

  it("labels every other wave on a narrow chart, always the last", () => {
    const s = [series("全体", [50, 51, 52, 53, 54, 55, 56])];
    const ticks = (width: number) =>
      [
        ...TrendBand(s, { width, endLabels: true, document }).querySelectorAll('g[aria-label="x-axis tick label"] text')
      ].map((t) => t.textContent);
    expect(ticks(900)).toEqual(["2019", "2020", "2021", "2022", "2023", "2024", "2025"]);
    expect(ticks(340)).toEqual(["2019", "2021", "2023", "2025"]);
  });
});

describe("trend helpers", () => {
  it("push labels apart by the gap, within the bounds, in their input order", () => {
    expect(dodgeLabels([100, 105, 200], 14)).toEqual([100, 114, 200]);
    const [a, b, c] = dodgeLabels([105, 100, 200], 14);
    expect(b).toBe(100);
    expect(a).toBe(114);
    expect(c).toBe(200);
    expect(dodgeLabels([10, 12, 14], 10, 0, 30)).toEqual([10, 20, 30]);
    expect(dodgeLabels([28, 29, 30], 10, 0, 30)).toEqual([10, 20, 30]);
  });

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
